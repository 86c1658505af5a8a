import { countRulePairs, forEachCandidatePair, groupRecords, RuleKeyer, type RuleGroups } from './blocking.ts'
import { connectedComponents } from './clusters.ts'
import { compileComparison, type CompiledComparison } from './comparisons.ts'
import { encodeTables, type EncodedData, type Table } from './dataset.ts'
import { defaultSettings } from './defaults.ts'
import { LinkageInputError } from './errors.ts'
import { explainPair, type Explanation } from './explain.ts'
import { trainedComparison, type LinkageModel, type SessionReport } from './model.ts'
import { createRandom } from './random.ts'
import { PairList, Scorer, scorePairs, type ScoredPairs } from './scoring.ts'
import { columnKinds, describeRule, resolveSettings, type ResolvedSettings, type SettingsInput } from './settings.ts'
import { combineSessions, estimatePrior, initialM, estimateU, trainSession, WeightHistogram, type SessionOutcome } from './training.ts'

export type Stage = 'encode' | 'block' | 'train-u' | 'train-m' | 'score' | 'prior'

/** Progress of a run, for a progress bar: `done` of `total` units of the current stage. */
export interface ProgressEvent {
  readonly stage: Stage
  readonly done: number
  readonly total: number
  readonly detail?: string
}

export interface BlockingReport {
  /** Per rule: the pairs it makes alone, and those no earlier rule made. */
  readonly rules: readonly { readonly rule: string; readonly pairs: number; readonly newPairs: number }[]
  /** The union, deduplicated: the pairs that will be scored. */
  readonly candidatePairs: number
  /** Every pair there is (the comparison without blocking). */
  readonly totalPairs: number
}

export interface LinkageOptions {
  /** Settings (all optional); what is left out is chosen from the column names. */
  readonly settings?: SettingsInput
  /** The id column (overrides the settings' idColumn). */
  readonly idColumn?: string
  /** A trained model: skip training and score with it, so an earlier run is repeated. */
  readonly model?: LinkageModel
  readonly onProgress?: (event: ProgressEvent) => void
  /** Called with the candidate pair counts after blocking, before anything is scored. */
  readonly onBlocking?: (report: BlockingReport) => void
}

export interface PairMatch {
  readonly idLeft: string
  readonly idRight: string
  readonly probability: number
  readonly matchWeight: number
}

/** The outcome of a deduplication or linkage: the model, every candidate pair's weight, clusters. */
export class LinkageRun {
  private idIndex: { left: Map<string, number>; right: Map<string, number> } | null = null

  constructor(
    readonly model: LinkageModel,
    readonly data: EncodedData,
    readonly scorer: Scorer,
    readonly pairs: ScoredPairs,
    readonly blocking: BlockingReport,
    /** Milliseconds per stage, wall-clock. */
    readonly timings: Readonly<Record<string, number>>,
    /** Milliseconds per stage of CPU time (user and system), which a busy machine does not inflate. */
    readonly cpuTimings: Readonly<Record<string, number>> = {},
  ) {}

  probability(pair: number): number {
    return this.scorer.probability(this.pairs.weights[pair])
  }

  /** Candidate pairs with probability at or above the threshold, in the order they were found. */
  *matches(threshold: number): Generator<PairMatch> {
    const { left, right, weights, count } = this.pairs
    const cut = this.weightCut(threshold)
    for (let p = 0; p < count; p++) {
      if (weights[p] < cut) continue
      const probability = this.scorer.probability(weights[p])
      if (probability >= threshold) {
        yield { idLeft: this.data.ids[left[p]], idRight: this.data.ids[right[p]], probability, matchWeight: weights[p] }
      }
    }
  }

  /**
   * Connected components of the pairs at or above the threshold, for every record. A cluster is
   * named by the id of its first record; in a linkage, where both files may use an id, by
   * "left:ID" or "right:ID".
   */
  clusters(threshold: number): { id: string; side: 'left' | 'right'; cluster: string }[] {
    const { left, right, weights, count } = this.pairs
    const cut = this.weightCut(threshold)
    const root = connectedComponents(this.data.size, left, right, count, (p) => weights[p] >= cut && this.scorer.probability(weights[p]) >= threshold)
    const linkage = this.data.linkType === 'link'
    const side = (r: number) => (r < this.data.leftSize ? 'left' : 'right')
    const out: { id: string; side: 'left' | 'right'; cluster: string }[] = new Array(this.data.size)
    for (let r = 0; r < this.data.size; r++) {
      const first = root[r]
      out[r] = { id: this.data.ids[r], side: side(r), cluster: linkage ? `${side(first)}:${this.data.ids[first]}` : this.data.ids[first] }
    }
    return out
  }

  /** A weight a little below the one that reaches the threshold: a cheap first filter (none at 0 or 1). */
  private weightCut(threshold: number): number {
    if (threshold <= 0) return -Infinity
    if (threshold >= 1) return -Infinity
    return Math.log2(threshold / (1 - threshold)) - this.scorer.priorLogit2 - 1e-3
  }

  /** Why a pair scores as it does, by record ids (left id first in a linkage). */
  explain(idLeft: string, idRight: string): Explanation {
    const index = this.ids()
    const i = index.left.get(idLeft)
    const j = (this.data.linkType === 'link' ? index.right : index.left).get(idRight)
    if (i === undefined) throw new LinkageInputError(`no record "${idLeft}"`)
    if (j === undefined) throw new LinkageInputError(`no record "${idRight}"`)
    return explainPair(this.scorer, this.data, i, j)
  }

  private ids(): { left: Map<string, number>; right: Map<string, number> } {
    if (!this.idIndex) {
      const left = new Map<string, number>()
      const right = new Map<string, number>()
      this.data.ids.forEach((id, r) => (r < this.data.leftSize ? left : right).set(id, r))
      this.idIndex = { left, right }
    }
    return this.idIndex
  }
}

/** Wall-clock and CPU milliseconds per stage: on a shared machine the two differ widely. */
class Stopwatch {
  readonly wall: Record<string, number> = {}
  readonly cpu: Record<string, number> = {}
  private wallAt = performance.now()
  private cpuAt = process.cpuUsage()

  lap(stage: string): void {
    const used = process.cpuUsage(this.cpuAt)
    this.wall[stage] = performance.now() - this.wallAt
    this.cpu[stage] = (used.user + used.system) / 1000
    this.wallAt = performance.now()
    this.cpuAt = process.cpuUsage()
  }
}

/** Settings for these columns: the input filled in with defaults chosen from the column names. */
export function settingsFor(columns: readonly string[], input: SettingsInput = {}, idColumn?: string): ResolvedSettings {
  const id = idColumn ?? input.idColumn
  if (!id) throw new LinkageInputError('no id column given')
  return resolveSettings({ ...input, idColumn: id }, columns, () => defaultSettings(columns, id))
}

/** Deduplicate one table: every pair of its records that the blocking rules propose is scored. */
export function deduplicate(table: Table, options: LinkageOptions = {}): LinkageRun {
  return run(table, undefined, options)
}

/** Link two tables: pairs are one record from each. */
export function linkTables(left: Table, right: Table, options: LinkageOptions = {}): LinkageRun {
  return run(left, right, options)
}

function commonColumns(left: Table, right?: Table): string[] {
  const names = Object.keys(left.columns)
  return right ? names.filter((n) => n in right.columns) : names
}

function run(left: Table, right: Table | undefined, options: LinkageOptions): LinkageRun {
  const watch = new Stopwatch()
  const progress = options.onProgress ?? (() => {})
  const linkType = right ? 'link' : 'dedupe'
  if (options.model && options.model.linkType !== linkType) {
    throw new LinkageInputError(`the model was trained for a ${options.model.linkType === 'link' ? 'linkage of two tables' : 'deduplication'}, not a ${right ? 'linkage' : 'deduplication'}`)
  }
  const settings = options.model
    ? { ...options.model.settings, idColumn: options.idColumn ?? options.model.settings.idColumn }
    : settingsFor(commonColumns(left, right), options.settings, options.idColumn)

  progress({ stage: 'encode', done: 0, total: 1 })
  const data = encodeTables(columnKinds(settings), settings.idColumn, left, right)
  const comparisons = settings.comparisons.map((spec) => compileComparison(spec, data))
  progress({ stage: 'encode', done: 1, total: 1 })
  watch.lap('encode')

  const groups = settings.blockingRules.map((rule, r) => {
    progress({ stage: 'block', done: r, total: settings.blockingRules.length, detail: describeRule(rule) })
    return groupRecords(new RuleKeyer(rule, data), data)
  })
  const { report: blocking, pairs: candidates } = blockingReport(settings, groups, data)
  progress({ stage: 'block', done: settings.blockingRules.length, total: settings.blockingRules.length })
  options.onBlocking?.(blocking)
  watch.lap('block')

  // Until the prior is estimated from the scores, the weights (which do not depend on it) come first.
  const provisional: LinkageModel = options.model ?? train(settings, comparisons, data, progress, watch)
  const scorer = new Scorer(provisional, comparisons)
  const pairs = scorePairs(scorer, candidates, (done) => progress({ stage: 'score', done, total: blocking.candidatePairs }))
  watch.lap('score')

  if (options.model) return new LinkageRun(options.model, data, scorer, pairs, blocking, watch.wall, watch.cpu)

  progress({ stage: 'prior', done: 0, total: 1 })
  const histogram = new WeightHistogram()
  for (let p = 0; p < pairs.count; p++) histogram.add(pairs.weights[p])
  const estimated = estimatePrior(histogram, data.totalPairs)
  const prior = settings.prior ?? estimated.prior
  const model: LinkageModel = {
    ...provisional,
    prior,
    training: {
      ...provisional.training,
      prior: {
        method: settings.prior === undefined ? 'estimated' : 'fixed',
        expectedMatches: settings.prior === undefined ? estimated.expectedMatches : prior * data.totalPairs,
        totalPairs: data.totalPairs,
      },
    },
  }
  progress({ stage: 'prior', done: 1, total: 1 })
  watch.lap('prior')
  return new LinkageRun(model, data, new Scorer(model, comparisons), pairs, blocking, watch.wall, watch.cpu)
}

/** Counts the pairs of each rule and of their union, keeping the union's pairs for scoring. */
function blockingReport(settings: ResolvedSettings, groups: readonly RuleGroups[], data: EncodedData): { report: BlockingReport; pairs: PairList } {
  const alone = groups.map((g) => countRulePairs(g, data))
  const upperBound = alone.reduce((a, b) => a + b, 0)
  if (upperBound > settings.options.maxCandidatePairs) {
    const worst = alone.indexOf(Math.max(...alone))
    throw new LinkageInputError(
      `blocking would make up to ${upperBound.toLocaleString('en-GB')} candidate pairs (limit ${settings.options.maxCandidatePairs.toLocaleString('en-GB')}); ` +
        `the rule "${describeRule(settings.blockingRules[worst])}" alone makes ${alone[worst].toLocaleString('en-GB')}: make it stricter`,
    )
  }
  const fresh = new Array<number>(groups.length).fill(0)
  const pairs = new PairList()
  forEachCandidatePair(groups, data, (i, j, rule) => {
    fresh[rule]++
    pairs.push(i, j)
  })
  const report = {
    rules: settings.blockingRules.map((rule, r) => ({ rule: describeRule(rule), pairs: alone[r], newPairs: fresh[r] })),
    candidatePairs: pairs.count,
    totalPairs: data.totalPairs,
  }
  return { report, pairs }
}

function train(
  settings: ResolvedSettings,
  comparisons: readonly CompiledComparison[],
  data: EncodedData,
  progress: (event: ProgressEvent) => void,
  watch: Stopwatch,
): LinkageModel {
  const random = createRandom(settings.options.seed)
  progress({ stage: 'train-u', done: 0, total: 1 })
  // Random pairs seldom repeat a pair of values: remembering them would only cost time.
  const unmemoised = settings.comparisons.map((spec) => compileComparison(spec, data, { memo: false }))
  const u = estimateU(unmemoised, data, settings.options.randomPairs, random)
  progress({ stage: 'train-u', done: 1, total: 1 })
  watch.lap('train-u')

  const outcomes: SessionOutcome[] = []
  let m = comparisons.map((c) => initialM(c.levelCount))
  settings.trainingRules.forEach((rule, r) => {
    progress({ stage: 'train-m', done: r, total: settings.trainingRules.length, detail: describeRule(rule) })
    const outcome = trainSession(rule, comparisons, data, u, m, {
      maxPairs: settings.options.maxPairsPerSession,
      iterations: settings.options.emIterations,
      random,
    })
    outcomes.push(outcome)
    // Later sessions start from what earlier ones learnt.
    m = m.map((start, c) => outcome.m[c] ?? start)
  })
  progress({ stage: 'train-m', done: settings.trainingRules.length, total: settings.trainingRules.length })
  const combined = combineSessions(comparisons, outcomes)
  watch.lap('train-m')

  const warnings: string[] = []
  if (combined.untrained.length) warnings.push(`not trained by any session (m is a guess): ${combined.untrained.join(', ')}`)
  for (const o of outcomes) if (!o.report.converged) warnings.push(`EM on "${o.report.rule}" stopped after ${o.report.iterations} iterations before converging`)
  const sessions: SessionReport[] = outcomes.map((o) => o.report)
  return {
    format: 'lantern-linkage-model',
    version: 1,
    linkType: data.linkType,
    settings,
    prior: settings.prior ?? 1e-4,
    comparisons: settings.comparisons.map((spec, c) => trainedComparison(spec, combined.m[c], u[c])),
    training: {
      randomPairs: settings.options.randomPairs,
      sessions,
      prior: { method: 'estimated', expectedMatches: 0, totalPairs: data.totalPairs },
      warnings,
    },
  }
}
