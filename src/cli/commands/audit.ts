import type { Command } from 'commander'
import { UserError } from '../errors.ts'
import { withDatabase } from '../context.ts'

/**
 * `lantern audit verify`: recomputes the audit trail's hash chain from its genesis and names the
 * first row that was changed, deleted or written past the chain, exiting non-zero. On success it
 * prints the number of rows and the last hash: keep that line outside Lantern (a daily cron log
 * mailed away will do), because someone who can rewrite every row can also rewrite every hash,
 * and only an older last hash held elsewhere shows it.
 */
export function register(program: Command) {
  const audit = program.command('audit').description('The audit trail')

  audit
    .command('verify')
    .description('Check the audit trail’s hash chain and name the first broken row')
    .action(async () => {
      const { auditService } = await import('../../audit/service.ts')
      await withDatabase(async ({ db }) => {
        const result = await auditService(db).verifyChain()
        if (!result.ok) {
          const { id, chainSeq, problem } = result.broken
          throw new UserError(`the audit trail is broken at ${id ? `row ${id} (place ${chainSeq} in the chain)` : `place ${chainSeq} in the chain`}: ${problem}`)
        }
        console.log(`The audit trail's chain holds: ${result.rows} rows, last hash ${result.lastHash}.`)
      })
    })

  audit
    .command('retention')
    .description('Show, set or clear how many months of the audit trail stay attached before the current one')
    .argument('[months]', 'whole months, at least 1; "none" to clear')
    .action(async (months?: string) => {
      const { auditService } = await import('../../audit/service.ts')
      const { auditArchive } = await import('../../audit/archive.ts')
      await withDatabase(async ({ db }, ctx) => {
        const archive = auditArchive(db, auditService(db))
        if (months !== undefined) {
          const value = months === 'none' ? undefined : Number(months)
          if (value !== undefined && !(Number.isInteger(value) && value >= 1)) throw new UserError('the retention is a whole number of months, at least 1, or "none"')
          await archive.setRetentionMonths(ctx, value)
        }
        const kept = await archive.retentionMonths()
        console.log(kept === undefined ? 'No retention is set: every month stays attached.' : `Months kept attached before the current one: ${kept}. Older months are exported and detached each night.`)
      })
    })

  audit
    .command('archive')
    .description('Export and detach now the months past the retention (the nightly job does the same)')
    .action(async () => {
      const { auditService } = await import('../../audit/service.ts')
      const { auditArchive, auditArchiveDir } = await import('../../audit/archive.ts')
      const { loadConfig } = await import('../../config.ts')
      await withDatabase(async ({ db }, ctx) => {
        const archive = auditArchive(db, auditService(db))
        if ((await archive.retentionMonths()) === undefined) throw new UserError('no retention is set: set one with lantern audit retention MONTHS')
        const done = await archive.applyRetention(ctx, new Date(), auditArchiveDir(loadConfig().dataDir))
        for (const m of done) console.log(`${m.month}: ${m.rows} rows exported to ${m.file} (SHA-256 ${m.sha256}) and detached`)
        if (!done.length) console.log('No month is past the retention.')
      })
    })

  audit
    .command('verify-archive')
    .description('Check an exported month of the audit trail on its own')
    .argument('<file>', 'a lantern-audit-YYYY-MM.ndjson file')
    .action(async (file: string) => {
      const { verifyArchiveFile } = await import('../../audit/archive.ts')
      const { month, sha256, result } = await verifyArchiveFile(file)
      if ('broken' in result) throw new UserError(`${file} is broken at line ${result.broken.line} (place ${result.broken.seq}): ${result.broken.problem}`)
      console.log(`${file} holds: month ${month}, ${result.rows} links, places ${result.first ?? '-'} to ${result.last?.seq ?? '-'}, last hash ${result.last?.hash ?? '-'}, SHA-256 ${sha256}.`)
    })
}
