import type { Command } from 'commander'
import { createReadStream, statSync } from 'node:fs'
import path from 'node:path'
import { UserError } from '../errors.ts'
import { withDatabase } from '../context.ts'
import { commandServices } from '../services.ts'
import { networkCommand } from './network.ts'
import type { Db } from '../../db/index.ts'
import type { ImportProgress } from '../../modules/calls/index.ts'

const service = async (db: Db) => (await commandServices(db, { quiet: true })).calls()

/** `lantern network calls import FILE`: call data records from CSV, all or nothing, streamed. */
export function register(program: Command): void {
  networkCommand(program)
    .command('calls')
    .description('phone data: call data records')
    .command('import')
    .description(
      'import call data records from a CSV file (columns caller, callee, start, duration and optionally cell_site; see docs/network.md). ' +
        'The file is streamed; a bad row stops the import with its line, and nothing is kept. Then new numbers are scored against closed lines.',
    )
    .argument('<file>', 'the CSV file')
    .requiredOption('--agency <name>', 'the agency that holds the calls (its full name)')
    .option('--handling <code>', 'handling code P or C', 'P')
    .option('--conditions <text>', 'handling conditions (required with C)')
    .option('--share-with <names...>', 'other agencies that may see the calls (full names)')
    .option('--quiet', 'no progress bar')
    .action(async (file: string, options: { agency: string; handling: string; conditions?: string; shareWith?: string[]; quiet?: boolean }) => {
      let size: number
      try {
        size = statSync(file).size
      } catch {
        throw new UserError(`cannot read ${file}: no such file`)
      }
      const handling = options.handling.toUpperCase()
      if (handling !== 'P' && handling !== 'C') throw new UserError('--handling must be P or C')
      if (handling === 'C' && !options.conditions?.trim()) throw new UserError('--conditions is required with --handling C')
      const showBar = Boolean(process.stderr.isTTY) && !options.quiet
      const bar = showBar ? new (await import('cli-progress')).SingleBar({ format: 'calls {bar} {percentage}% | {calls} calls', stream: process.stderr, hideCursor: true }) : null
      bar?.start(size, 0, { calls: 0 })
      const onProgress = (p: ImportProgress) => bar?.update(Math.min(size, p.bytes), { calls: p.calls.toLocaleString('en-GB') })
      const name = path.basename(file)
      // No `forward`: while a server holds the embedded database this refuses, saying to use the web page.
      const outcome = await withDatabase(async ({ db }, ctx) => {
        const calls = await service(db)
        const agencies = await Promise.all(
          (options.shareWith ?? []).map(async (n) => {
            const id = await calls.agencyId(n)
            if (!id) throw new UserError(`no agency called "${n}"`)
            return id
          }),
        )
        return calls.importAsSystem(ctx, options.agency, { name, size, open: () => createReadStream(file) }, { handling, conditions: options.conditions?.trim() || null, shareWith: agencies }, onProgress)
      }).finally(() => bar?.stop())
      if (!outcome.ok && 'agency' in outcome) throw new UserError(`no agency called "${outcome.agency}"`)
      if (!outcome.ok) {
        const { problemText } = await import('../../modules/calls/index.ts')
        throw new UserError(`nothing was imported: ${outcome.problems.length} problem(s)\n${outcome.problems.map((p) => `  ${problemText(p)}`).join('\n')}`)
      }
      const s = outcome.summary
      process.stdout.write(
        `Imported ${s.calls.toLocaleString('en-GB')} calls from ${name} in ${(s.durationMs / 1000).toFixed(1)} s` +
          (s.flagged ? `; ${s.flagged} possible successor(s) of closed lines to review on /network/calls.\n` : '.\n'),
      )
    })
}
