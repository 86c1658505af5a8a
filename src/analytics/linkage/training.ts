import { groupRecords, RuleKeyer, sampleRulePairs, countRulePairs } from './blocking.ts'
import type { CompiledComparison } from './comparisons.ts'
import type { EncodedColumn, EncodedData } from './dataset.ts'
import { PROBABILITY_FLOOR, type SessionReport } from './model.ts'
import { randomInt, type Random } from './random.ts'
import { describeRule, ruleColumns, type BlockingRule, type LevelSpec } from './settings.ts'

/** Per comparison, a probability per level (index 0, "missing", unused). */
export type LevelProbabilities = number[][]

/**
 * P(two values agree exactly | both present, non-match), from the value counts: the chance that
 * two records drawn at random share a value. Exact, where sampling would see too few agreements.
 */
export function exactAgreementProbability(column: EncodedColumn, data: EncodedData): number {
  let agree = 0
  if (data.linkType === 'dedupe') {
    const n = column.nonNull
    if (n < 2) return PROBABILITY_FLOOR
    for (let v = 0; v < column.values.length; v++) {
      const c = column.count(v)
      agree += c * (c - 1)
    }
    return agree / (n * (n - 1))
  }
  const nl = column.nonNullLeft
  const nr = column.nonNullRight
  if (nl === 0 || nr === 0) return PROBABILITY_FLOOR
  for (let v = 0; v < column.values.length; v++) {
    const l = column.leftCounts[v] ?? 0
    agree += l * (column.count(v) - l)
  }
  return agree / (nl * nr)
}

function isPlainExact(level: LevelSpec | undefined): boolean {
  return level?.type === 'exact'
}

/**
 * u: the level frequencies among random pairs, which are almost all non-matches. The exact level,
 * when it comes first, is computed from the value counts; the other levels share the rest in the
 * proportions the sample shows. A level the sample never shows gets half a count of the pairs the
 * data holds: a small register sampled 100,000 times with replacement has still shown only its own
 * few thousand pairs, and half a count of the samples would claim a chance agreement far rarer
 * than it can know (a transposed date weighing 12 bits among 70 people).
 */
export function estimateU(comparisons: readonly CompiledComparison[], data: EncodedData, pairs: number, random: Random): LevelProbabilities {
  const counts = comparisons.map((c) => new Float64Array(c.levelCount))
  const dedupe = data.linkType === 'dedupe'
  const n = data.size
  for (let s = 0; s < pairs; s++) {
    let i: number
    let j: number
    if (dedupe) {
      i = randomInt(random, n)
      j = randomInt(random, n - 1)
      if (j >= i) j++
    } else {
      i = randomInt(random, data.leftSize)
      j = data.leftSize + randomInt(random, data.rightSize)
    }
    for (let c = 0; c < comparisons.length; c++) counts[c][comparisons[c].level(i, j)]++
  }
  return comparisons.map((comparison, c) => {
    const levels = comparison.spec.levels
    const u = new Array<number>(levels.length).fill(0)
    const exactFirst = isPlainExact(levels[1])
    const from = exactFirst ? 2 : 1
    const mass = exactFirst ? 1 - exactAgreementProbability(comparison.column, data) : 1
    if (exactFirst) u[1] = Math.max(1 - mass, PROBABILITY_FLOOR)
    let seen = 0
    for (let k = from; k < levels.length; k++) seen += counts[c][k]
    const unseen = (0.5 * pairs) / Math.max(1, Math.min(pairs, data.totalPairs))
    const smoothed = counts[c].map((x, k) => (k >= from ? Math.max(x, unseen) : 0))
    const total = smoothed.reduce((a, b) => a + b, 0)
    for (let k = from; k < levels.length; k++) u[k] = seen === 0 ? mass / (levels.length - from) : (mass * smoothed[k]) / total
    return u
  })
}

/** A starting m: most matches agree exactly, few fall to "else". */
export function initialM(levelCount: number): number[] {
  const m = new Array<number>(levelCount).fill(0)
  const usable = levelCount - 1
  if (usable === 1) {
    m[1] = 1
    return m
  }
  m[1] = 0.8
  m[levelCount - 1] = 0.05
  const middle = levelCount - 3
  for (let k = 2; k < levelCount - 1; k++) m[k] = 0.15 / middle
  if (middle === 0) m[1] = 0.95
  return m
}

export interface SessionOutcome {
  readonly report: SessionReport
  /** m per comparison, or null for the comparisons this session did not train. */
  readonly m: (number[] | null)[]
}

/**
 * One EM session on the pairs of one blocking rule, with u fixed. The comparisons that read the
 * rule's columns are left out: within the block they agree by construction, which says nothing
 * about matches. Pairs are reduced to their distinct comparison vectors, so each iteration costs
 * the number of distinct vectors, not of pairs.
 */
export function trainSession(
  rule: BlockingRule,
  comparisons: readonly CompiledComparison[],
  data: EncodedData,
  u: LevelProbabilities,
  startM: readonly (readonly number[])[],
  options: { maxPairs: number; iterations: number; random: Random },
): SessionOutcome {
  const blocked = new Set(ruleColumns(rule))
  const trained = comparisons.map((c, i) => i).filter((i) => !comparisons[i].columns.some((col) => blocked.has(col)))
  const groups = groupRecords(new RuleKeyer(rule, data), data)
  const totalPairs = countRulePairs(groups, data)
  const sample = sampleRulePairs(groups, data, options.maxPairs, options.random)

  // Distinct comparison vectors over the trained comparisons, with their counts.
  const radix = trained.map((c) => comparisons[c].levelCount)
  const patternIndex = new Map<number, number>()
  const patterns: number[][] = []
  const weights: number[] = []
  const scratch = new Array<number>(trained.length)
  const trainedComparisons = trained.map((c) => comparisons[c])
  for (let p = 0; p < sample.left.length; p++) {
    let key = 0
    const i = sample.left[p]
    const j = sample.right[p]
    for (let t = 0; t < trained.length; t++) {
      scratch[t] = trainedComparisons[t].level(i, j)
      key = key * radix[t] + scratch[t]
    }
    const at = patternIndex.get(key)
    if (at === undefined) {
      patternIndex.set(key, patterns.length)
      patterns.push([...scratch])
      weights.push(1)
    } else weights[at]++
  }

  const m = trained.map((c) => [...startM[c]])
  const logU = trained.map((c) => u[c].map((x) => Math.log(Math.max(x, PROBABILITY_FLOOR))))
  let lambda = 0.5
  let iterations = 0
  let converged = false
  const total = weights.reduce((a, b) => a + b, 0)
  while (iterations < options.iterations && total > 0) {
    iterations++
    const logM = m.map((levels) => levels.map((x) => Math.log(Math.max(x, PROBABILITY_FLOOR))))
    const priorLogit = Math.log(lambda / (1 - lambda))
    const sums = trained.map((c) => new Float64Array(comparisons[c].levelCount))
    let matches = 0
    for (let p = 0; p < patterns.length; p++) {
      const levels = patterns[p]
      let logit = priorLogit
      for (let t = 0; t < levels.length; t++) {
        const k = levels[t]
        if (k !== 0) logit += logM[t][k] - logU[t][k]
      }
      const posterior = weights[p] / (1 + Math.exp(-logit))
      matches += posterior
      for (let t = 0; t < levels.length; t++) sums[t][levels[t]] += posterior
    }
    let change = 0
    for (let t = 0; t < trained.length; t++) {
      let present = 0
      for (let k = 1; k < sums[t].length; k++) present += sums[t][k]
      if (present <= 0) continue
      for (let k = 1; k < sums[t].length; k++) {
        const next = sums[t][k] / present
        change = Math.max(change, Math.abs(next - m[t][k]))
        m[t][k] = next
      }
    }
    lambda = Math.min(Math.max(matches / total, 1e-9), 1 - 1e-9)
    if (change < 1e-6) {
      converged = true
      break
    }
  }

  const out: (number[] | null)[] = comparisons.map(() => null)
  trained.forEach((c, t) => {
    out[c] = m[t]
  })
  return {
    report: {
      rule: describeRule(rule),
      pairs: totalPairs,
      sampledPairs: sample.left.length,
      trained: trained.map((c) => comparisons[c].spec.name),
      iterations,
      converged,
      matchShare: lambda,
    },
    m: out,
  }
}

/** m for each comparison: the mean over the sessions that trained it (none: the starting guess). */
export function combineSessions(comparisons: readonly CompiledComparison[], outcomes: readonly SessionOutcome[]): { m: LevelProbabilities; untrained: string[] } {
  const untrained: string[] = []
  const m = comparisons.map((c, i) => {
    const estimates = outcomes.map((o) => o.m[i]).filter((x): x is number[] => x !== null)
    if (estimates.length === 0) {
      untrained.push(c.spec.name)
      return initialM(c.levelCount)
    }
    return estimates[0].map((_, k) => estimates.reduce((sum, e) => sum + e[k], 0) / estimates.length)
  })
  return { m, untrained }
}

/**
 * The prior (lambda) by EM with m and u fixed: lambda = (sum of match probabilities) / (all
 * pairs), iterated to its fixed point. Pairs outside the candidate set count as non-matches, which
 * the blocking rules are designed to make true. The candidates' weights are binned (1/64 bit),
 * so each iteration is cheap whatever their number.
 */
export function estimatePrior(histogram: WeightHistogram, totalPairs: number): { prior: number; expectedMatches: number } {
  let prior = Math.min(0.5, Math.max(histogram.count / totalPairs / 2, 1e-12))
  let expected = 0
  for (let iteration = 0; iteration < 200; iteration++) {
    const logit2 = Math.log2(prior / (1 - prior))
    expected = histogram.expectedMatches(logit2)
    const next = Math.min(Math.max(expected / totalPairs, 1e-15), 0.5)
    if (Math.abs(next - prior) <= prior * 1e-9) {
      prior = next
      break
    }
    prior = next
  }
  return { prior, expectedMatches: expected }
}

const BINS_PER_BIT = 64
const MIN_WEIGHT = -200
const MAX_WEIGHT = 200

/** Match weights (log2 Bayes factors) of the candidate pairs, binned. */
export class WeightHistogram {
  private readonly bins = new Float64Array((MAX_WEIGHT - MIN_WEIGHT) * BINS_PER_BIT + 1)
  count = 0

  add(weight: number): void {
    const clamped = Math.min(Math.max(weight, MIN_WEIGHT), MAX_WEIGHT)
    this.bins[Math.round((clamped - MIN_WEIGHT) * BINS_PER_BIT)]++
    this.count++
  }

  expectedMatches(priorLogit2: number): number {
    let sum = 0
    for (let b = 0; b < this.bins.length; b++) {
      const n = this.bins[b]
      if (n === 0) continue
      const weight = MIN_WEIGHT + b / BINS_PER_BIT
      sum += n / (1 + 2 ** -(priorLogit2 + weight))
    }
    return sum
  }
}
