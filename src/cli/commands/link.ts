import type { Command } from 'commander'
import { closeSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs'
import path from 'node:path'
import type {
  BlockingReport,
  LinkageModel,
  LinkageRun,
  ProgressEvent,
  SettingsInput,
  Table,
} from '../../analytics/linkage/index.ts'
import { UserError } from '../errors.ts'

export interface LinkCommandOptions {
  dedupe?: string
  left?: string
  right?: string
  idColumn?: string
  settings?: string
  model?: string
  threshold?: string
  out?: string
  clusters?: string
  modelOut?: string
  quiet?: boolean
}

export interface LinkSummary {
  readonly records: number
  readonly candidatePairs: number
  readonly matches: number
  readonly clusters: number | null
  readonly prior: number
  readonly seconds: number
}

/** Where the command reports: the CLI passes the process's streams, tests pass collectors. */
export interface LinkOutput {
  readonly log: (line: string) => void
  /** Show a progress bar (on a terminal). */
  readonly progress: boolean
}

const STAGE_NAMES: Record<ProgressEvent['stage'], string> = {
  encode: 'reading records',
  block: 'blocking',
  'train-u': 'training u (random pairs)',
  'train-m': 'training m (EM sessions)',
  score: 'scoring candidate pairs',
  prior: 'estimating the prior',
}

export function register(program: Command): void {
  program
    .command('link')
    .description(
      'find records of the same person: deduplicate one CSV file or link two, with a Fellegi-Sunter model trained ' +
        'without labels (the method of Splink). Settings are chosen from the column names unless given.',
    )
    .option('--dedupe <file>', 'deduplicate one CSV file')
    .option('--left <file>', 'link this CSV file ...')
    .option('--right <file>', '... to this one')
    .option('--id-column <name>', 'the column holding each record’s unique id (default: the settings’ idColumn)')
    .option('--settings <file>', 'settings JSON: comparisons, blocking and training rules (optional)')
    .option('--model <file>', 'score with a saved model instead of training one, to repeat a run')
    .option('--threshold <p>', 'match probability at or above which a pair is a match', '0.5')
    .option('--out <file>', 'write id_l,id_r,match_probability for every pair at or above the threshold')
    .option('--clusters <file>', 'write id,cluster (a linkage: source,id,cluster) for every record')
    .option('--model-out <file>', 'save the trained model as JSON')
    .option('--quiet', 'no progress bar')
    .action(async (options: LinkCommandOptions) => {
      await runLinkCommand(options, {
        log: (line) => process.stdout.write(`${line}\n`),
        progress: Boolean(process.stderr.isTTY) && !options.quiet,
      })
    })
}

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8')
  } catch (err) {
    throw new UserError(`cannot read the ${what} ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`)
  }
}

function readJson(file: string, what: string): unknown {
  const text = readText(file, what)
  try {
    return JSON.parse(text)
  } catch (err) {
    throw new UserError(`the ${what} ${file} is not valid JSON: ${(err as Error).message}`)
  }
}

type Linkage = typeof import('../../analytics/linkage/index.ts')

function readTable(linkage: Linkage, file: string): Table {
  return linkage.parseCsvTable(readText(file, 'CSV file'), path.basename(file))
}

function parseThreshold(text: string | undefined): number {
  const value = Number(text ?? '0.5')
  if (!Number.isFinite(value) || value < 0 || value > 1) throw new UserError(`--threshold must be a probability between 0 and 1, not "${text}"`)
  return value
}

/** Writes many lines through one file descriptor, to a temporary name renamed only at the end. */
class PendingFile {
  readonly temporary: string
  private fd: number
  private buffer = ''

  constructor(readonly target: string) {
    this.temporary = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.tmp`)
    try {
      this.fd = openSync(this.temporary, 'w')
    } catch (err) {
      throw new UserError(`cannot write ${target}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`)
    }
  }

  write(text: string): void {
    this.buffer += text
    if (this.buffer.length > 1 << 20) this.flush()
  }

  private flush(): void {
    writeSync(this.fd, this.buffer)
    this.buffer = ''
  }

  close(): void {
    this.flush()
    closeSync(this.fd)
  }

  commit(): void {
    renameSync(this.temporary, this.target)
  }

  discard(): void {
    try {
      closeSync(this.fd)
    } catch {
      // already closed
    }
    rmSync(this.temporary, { force: true })
  }
}

async function progressBar(enabled: boolean): Promise<{ onProgress?: (event: ProgressEvent) => void; stop: () => void }> {
  if (!enabled) return { stop: () => {} }
  const { SingleBar } = await import('cli-progress')
  const bar = new SingleBar({
    format: '{stage} [{bar}] {percentage}% {value}/{total}',
    stream: process.stderr,
    hideCursor: true,
    clearOnComplete: true,
  })
  let stage: string | null = null
  return {
    onProgress: (event) => {
      if (event.stage !== stage) {
        if (stage !== null) bar.stop()
        stage = event.stage
        bar.start(Math.max(event.total, 1), event.done, { stage: STAGE_NAMES[event.stage] })
      } else {
        bar.setTotal(Math.max(event.total, 1))
        bar.update(event.done)
      }
    },
    stop: () => {
      if (stage !== null) bar.stop()
    },
  }
}

function formatCount(n: number): string {
  return n.toLocaleString('en-GB')
}

function blockingLines(report: BlockingReport): string[] {
  return [
    `blocking: ${formatCount(report.candidatePairs)} candidate pairs to score, of ${formatCount(report.totalPairs)} possible`,
    ...report.rules.map((r) => `  ${r.rule}: ${formatCount(r.pairs)} pairs, ${formatCount(r.newPairs)} not found by an earlier rule`),
  ]
}

/**
 * `lantern link`: read, block, train (or load a model), score, then write the outputs. Every
 * output goes to a temporary file first and is renamed only when all succeeded, so a failed run
 * leaves nothing behind.
 */
export async function runLinkCommand(options: LinkCommandOptions, output: LinkOutput): Promise<LinkSummary> {
  const started = performance.now()
  if (Boolean(options.dedupe) === Boolean(options.left || options.right)) {
    throw new UserError('give either --dedupe FILE, or --left FILE and --right FILE')
  }
  if (!options.dedupe && !(options.left && options.right)) throw new UserError('a linkage needs both --left FILE and --right FILE')
  if (options.model && options.settings) throw new UserError('give --settings (to train) or --model (to reuse one), not both')
  const threshold = parseThreshold(options.threshold)
  // The library is imported when the command runs, so `lantern` itself starts light.
  const linkage = await import('../../analytics/linkage/index.ts')
  const { csvLine } = linkage

  const pending: PendingFile[] = []
  const bar = await progressBar(output.progress)
  try {
    let settings: SettingsInput | undefined
    let model: LinkageModel | undefined
    if (options.settings) settings = linkage.parseSettingsInput(readJson(options.settings, 'settings file'))
    if (options.model) model = linkage.parseModel(readJson(options.model, 'model file'))
    const idColumn = options.idColumn ?? settings?.idColumn ?? model?.settings.idColumn
    if (!idColumn) throw new UserError('say which column holds the record ids: --id-column NAME')

    const common = {
      idColumn,
      settings,
      model,
      onProgress: bar.onProgress,
      onBlocking: (report: BlockingReport) => {
        // The counts go between the bars, on stdout.
        bar.stop()
        blockingLines(report).forEach((l) => output.log(l))
      },
    }
    // Open every output before the work, so an unwritable path fails fast.
    const open = (target: string | undefined) => {
      if (!target) return null
      const file = new PendingFile(target)
      pending.push(file)
      return file
    }
    const outFile = open(options.out)
    const clusterFile = open(options.clusters)
    const modelFile = open(options.modelOut)

    const run: LinkageRun = options.dedupe
      ? linkage.deduplicate(readTable(linkage, options.dedupe), common)
      : linkage.linkTables(readTable(linkage, options.left!), readTable(linkage, options.right!), common)
    bar.stop()

    let matches = 0
    outFile?.write(csvLine(['id_l', 'id_r', 'match_probability']))
    for (const match of run.matches(threshold)) {
      matches++
      outFile?.write(csvLine([match.idLeft, match.idRight, match.probability.toFixed(6)]))
    }
    let clusterCount: number | null = null
    if (clusterFile) {
      const clusters = run.clusters(threshold)
      const linkage = run.data.linkType === 'link'
      clusterFile.write(csvLine(linkage ? ['source', 'id', 'cluster'] : ['id', 'cluster']))
      for (const c of clusters) clusterFile.write(csvLine(linkage ? [c.side, c.id, c.cluster] : [c.id, c.cluster]))
      clusterCount = new Set(clusters.map((c) => c.cluster)).size
    }
    modelFile?.write(`${JSON.stringify(run.model, null, 2)}\n`)
    for (const f of pending) f.close()
    for (const f of pending) f.commit()

    const seconds = (performance.now() - started) / 1000
    const expected = run.model.training.prior.expectedMatches
    output.log(
      `model: prior ${run.model.prior.toPrecision(3)}` +
        (options.model ? ' (loaded)' : ` (about ${formatCount(Math.round(expected))} matching pairs expected); ${run.model.training.sessions.length} EM sessions`),
    )
    for (const warning of run.model.training.warnings) output.log(`warning: ${warning}`)
    output.log(`matches at probability ≥ ${threshold}: ${formatCount(matches)} pairs` + (clusterCount === null ? '' : ` in ${formatCount(clusterCount)} clusters`))
    for (const f of pending) output.log(`wrote ${f.target}`)
    output.log(`done in ${seconds.toFixed(1)} s`)
    return { records: run.data.size, candidatePairs: run.blocking.candidatePairs, matches, clusters: clusterCount, prior: run.model.prior, seconds }
  } catch (err) {
    bar.stop()
    for (const f of pending) f.discard()
    if (err instanceof linkage.LinkageInputError) throw new UserError(err.message)
    throw err
  }
}
