import type { Command } from 'commander'
import { readFileSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { UserError } from '../errors.ts'
import { withDatabase } from '../context.ts'
import { commandServices } from '../services.ts'
import type { Db } from '../../db/index.ts'
import type { ImportProblem, ImportProgress, ImportSource, ImportSummary } from '../../modules/indicators/police-uk/import.ts'
import { fileImportSource, problemText } from '../../modules/indicators/police-uk/sources.ts'

/** The files named: each CSV file, or every .csv file in a named folder (sorted, so months go in order). */
export function policeUkSources(paths: string[]): ImportSource[] {
  return policeUkFiles(paths).map(fileImportSource)
}

/** The files named, as absolute paths (the server may run in another working folder). */
function policeUkFiles(paths: string[]): string[] {
  const files: string[] = []
  for (const p of paths) {
    let stat
    try {
      stat = statSync(p)
    } catch {
      throw new UserError(`cannot read ${p}: no such file or folder`)
    }
    if (stat.isDirectory()) {
      const found = readdirSync(p)
        .filter((f) => f.toLowerCase().endsWith('.csv'))
        .sort()
        .map((f) => path.join(p, f))
      if (!found.length) throw new UserError(`${p} holds no .csv files`)
      files.push(...found)
    } else {
      files.push(p)
    }
  }
  return files.map((file) => path.resolve(file))
}

type ImportOutcome = { ok: true; summary: ImportSummary } | { ok: false; problems: ImportProblem[] }

const services = async (db: Db) => (await commandServices(db, { quiet: true })).indicators()

/** `lantern import police-uk DIR_OR_FILES...`, `lantern indicators values SLUG FILE`. */
export function register(program: Command): void {
  const importCommand = program.commands.find((c) => c.name() === 'import') ?? program.command('import').description('Import data files')
  importCommand
    .command('police-uk')
    .description(
      'import police.uk street-level crime CSV files (files, or folders of them): every row is stored and monthly counts per ' +
        'category are refreshed for the force, each local authority and its county. A month imported again replaces the ' +
        'earlier import; a malformed row stops the import with its file and line, and nothing is kept.',
    )
    .argument('<paths...>', 'CSV files or folders of CSV files')
    .option('--quiet', 'no progress bar')
    .option('--dry-run', 'check the files and show what would be added, replaced and left out, without importing')
    .action(async (paths: string[], options: { quiet?: boolean; dryRun?: boolean }) => {
      const files = policeUkFiles(paths)
      const sources = files.map(fileImportSource)
      const showBar = Boolean(process.stderr.isTTY) && !options.quiet
      const bar = showBar ? new (await import('cli-progress')).SingleBar({ format: 'police.uk {bar} {percentage}% | {rows} rows | {file}', stream: process.stderr, hideCursor: true }) : null
      const total = sources.reduce((s, f) => s + (f.size ?? 0), 0)
      const onProgress = (p: ImportProgress) => bar?.update(Math.min(total, p.bytes), { rows: p.rows.toLocaleString('en-GB'), file: p.file })
      bar?.start(total, 0, { rows: 0, file: sources[0]?.name ?? '' })
      const outcome = await withDatabase(async ({ db }, ctx) => (await services(db)).importPoliceUk(ctx, sources, 'cli', { dryRun: options.dryRun, onProgress }), {
        // While the server holds the embedded database, it runs the same import and reports progress.
        async forward(server) {
          if (!showBar) process.stderr.write(`Importing through ${server.server}.\n`)
          const { jsonLines } = await import('../forward.ts')
          for await (const line of jsonLines(await server.request('POST', '/v1/import/police-uk', { files, dryRun: options.dryRun }))) {
            if (line.progress) onProgress(line.progress as ImportProgress)
            if (line.outcome) return line.outcome as ImportOutcome
          }
          throw new UserError('the server ended the import without saying how it went; check the imports page')
        },
      }).finally(() => bar?.stop())
      if (!outcome.ok) {
        const lines = outcome.problems.map((p) => `  ${problemText(p)}`)
        throw new UserError(`nothing was imported: ${outcome.problems.length} problem(s)\n${lines.join('\n')}`)
      }
      const s = outcome.summary
      const { monthLines } = await import('../../modules/indicators/police-uk/summary.ts')
      for (const line of monthLines(s.months)) process.stdout.write(`${line}\n`)
      const n = (v: number) => v.toLocaleString('en-GB')
      process.stdout.write(
        options.dryRun
          ? `Dry run: nothing was imported. ${n(s.rows)} rows in ${s.files.length} file(s) would be added, replacing ${n(s.replacedRows)}; ${n(s.outsideRows)} are outside the partnership.\n`
          : `Imported ${n(s.rows)} rows from ${s.files.length} file(s) in ${(s.durationMs / 1000).toFixed(1)} s, replacing ${n(s.replacedRows)}; ${n(s.outsideRows)} outside the partnership.\n`,
      )
    })

  const indicators = program.command('indicators').description('Indicators')
  indicators
    .command('values')
    .description('import values of a manual indicator from CSV (columns area, period, value and optionally note); any bad line stops it')
    .argument('<indicator>', 'the indicator’s short name (slug), as in its web address')
    .argument('<file>', 'the CSV file')
    .action(async (slug: string, file: string) => {
      let content: Buffer
      try {
        content = readFileSync(file)
      } catch (err) {
        throw new UserError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`)
      }
      await withDatabase(async ({ db }, ctx) => {
        const { indicatorsStore } = await import('../../modules/indicators/store.ts')
        const indicator = await indicatorsStore(db).indicatorBySlug(slug)
        if (!indicator) throw new UserError(`no indicator "${slug}"`)
        if (indicator.source_kind !== 'manual') throw new UserError(`"${slug}" is computed from ${indicator.source_kind === 'police_uk' ? 'police.uk data' : 'Lantern’s records'}; only manual indicators take values`)
        const service = await services(db)
        // The CLI acts as the system: it runs with the machine's own authority, not a user's.
        const result = await service.uploadValuesAsSystem(ctx, slug, path.basename(file), content)
        if (!result.ok) throw new UserError(`nothing was imported:\n${result.problems.map((p) => `  line ${p.line}: ${p.message}`).join('\n')}`)
        process.stdout.write(`Imported ${result.rows} value(s) into ${slug}.\n`)
      })
    })
}
