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
}
