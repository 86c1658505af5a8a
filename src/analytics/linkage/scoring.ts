import type { CompiledComparison } from './comparisons.ts'
import { levelWeight, PROBABILITY_FLOOR, type LinkageModel } from './model.ts'

/** Probability from a match weight (log2 Bayes factor) and the prior's log2 odds. */
export function probabilityFromWeight(weight: number, priorLogit2: number): number {
  return 1 / (1 + 2 ** -(priorLogit2 + weight))
}

export function logit2(p: number): number {
  return Math.log2(p / (1 - p))
}

/**
 * Match weights of pairs under a trained model. An exact agreement on a column with term-frequency
 * adjustment weighs log2(m / tf) instead of log2(m / u), where tf is how often the shared value
 * occurs: agreeing on "smith" is weaker evidence than agreeing on "sondergeld".
 */
export class Scorer {
  readonly priorLogit2: number
  private readonly tables: Float64Array[]
  /** log2 u of each level, for the term-frequency adjustment log2(u) - log2(tf). */
  private readonly logU: Float64Array[]

  constructor(
    readonly model: LinkageModel,
    readonly comparisons: readonly CompiledComparison[],
  ) {
    this.priorLogit2 = logit2(model.prior)
    this.tables = model.comparisons.map((c) => Float64Array.from(c.levels, levelWeight))
    this.logU = model.comparisons.map((c) => Float64Array.from(c.levels, (l) => Math.log2(Math.max(l.u ?? 1, PROBABILITY_FLOOR))))
  }

  /** Level of each comparison for the pair (i, j). */
  levels(i: number, j: number): number[] {
    return this.comparisons.map((c) => c.level(i, j))
  }

  /** Weight of one comparison at a level, including any term-frequency adjustment. */
  comparisonWeight(c: number, level: number, i: number, j: number): number {
    const comparison = this.comparisons[c]
    let w = this.tables[c][level]
    if (comparison.termFrequency[level] === 1) w += this.logU[c][level] - Math.log2(comparison.frequency(level, i, j))
    return w
  }

  /** Sum of the comparisons' weights, without the prior. */
  weight(i: number, j: number): number {
    let total = 0
    const comparisons = this.comparisons
    for (let c = 0; c < comparisons.length; c++) {
      const comparison = comparisons[c]
      const level = comparison.level(i, j)
      total += this.tables[c][level]
      if (comparison.termFrequency[level] === 1) total += this.logU[c][level] - Math.log2(comparison.frequency(level, i, j))
    }
    return total
  }

  probability(weight: number): number {
    return probabilityFromWeight(weight, this.priorLogit2)
  }
}

/** Pairs of record indices, in growable typed arrays. */
export class PairList {
  left: Int32Array = new Int32Array(1024)
  right: Int32Array = new Int32Array(1024)
  count = 0

  push(i: number, j: number): void {
    if (this.count === this.left.length) {
      this.left = grow(this.left, new Int32Array(this.left.length * 2))
      this.right = grow(this.right, new Int32Array(this.right.length * 2))
    }
    this.left[this.count] = i
    this.right[this.count++] = j
  }
}

function grow(from: Int32Array, to: Int32Array): Int32Array {
  to.set(from)
  return to
}

/** Candidate pairs and their match weights (log2 Bayes factors, without the prior). */
export interface ScoredPairs {
  readonly left: Int32Array
  readonly right: Int32Array
  readonly weights: Float32Array
  readonly count: number
}

/** Weigh every pair of the list; `onProgress` is told how many are done now and then. */
export function scorePairs(scorer: Scorer, pairs: PairList, onProgress?: (done: number) => void): ScoredPairs {
  const weights = new Float32Array(pairs.count)
  const { left, right } = pairs
  for (let p = 0; p < pairs.count; p++) {
    weights[p] = scorer.weight(left[p], right[p])
    if (onProgress && (p & 0xffff) === 0) onProgress(p)
  }
  onProgress?.(pairs.count)
  return { left: left.subarray(0, pairs.count), right: right.subarray(0, pairs.count), weights, count: pairs.count }
}
