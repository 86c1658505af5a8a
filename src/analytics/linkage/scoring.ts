import { forEachCandidatePair, type RuleGroups } from './blocking.ts'
import type { CompiledComparison } from './comparisons.ts'
import type { EncodedData } from './dataset.ts'
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
  private readonly tfAdjustments: (((id: number) => number) | null)[]

  constructor(
    readonly model: LinkageModel,
    readonly comparisons: readonly CompiledComparison[],
  ) {
    this.priorLogit2 = logit2(model.prior)
    this.tables = model.comparisons.map((c) => Float64Array.from(c.levels, levelWeight))
    this.tfAdjustments = comparisons.map((c, index) => {
      if (c.tfLevel < 0) return null
      const u = model.comparisons[index].levels[c.tfLevel].u ?? PROBABILITY_FLOOR
      const column = c.column
      const logU = Math.log2(Math.max(u, PROBABILITY_FLOOR))
      // A query's value that no record has still occurs once.
      return (id: number) => logU - Math.log2(Math.max(column.count(id), 1) / Math.max(column.nonNull, 1))
    })
  }

  /** Level of each comparison for the pair (i, j). */
  levels(i: number, j: number): number[] {
    return this.comparisons.map((c) => c.level(i, j))
  }

  /** Weight of one comparison at a level, including any term-frequency adjustment. */
  comparisonWeight(c: number, level: number, i: number): number {
    let w = this.tables[c][level]
    if (level === this.comparisons[c].tfLevel) w += this.tfAdjustments[c]!(this.comparisons[c].column.codes[i])
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
      if (level === comparison.tfLevel) total += this.tfAdjustments[c]!(comparison.column.codes[i])
    }
    return total
  }

  probability(weight: number): number {
    return probabilityFromWeight(weight, this.priorLogit2)
  }
}

/** Candidate pairs with their weights, in growable typed arrays. */
export class ScoredPairs {
  left = new Int32Array(1024)
  right = new Int32Array(1024)
  weights = new Float32Array(1024)
  count = 0

  push(i: number, j: number, weight: number): void {
    if (this.count === this.left.length) {
      const size = this.left.length * 2
      this.left = grow(this.left, new Int32Array(size))
      this.right = grow(this.right, new Int32Array(size))
      this.weights = grow(this.weights, new Float32Array(size))
    }
    this.left[this.count] = i
    this.right[this.count] = j
    this.weights[this.count++] = weight
  }
}

function grow<T extends Int32Array | Float32Array>(from: T, to: T): T {
  to.set(from)
  return to
}

/** Score the union of the blocking rules' pairs; `onPair` sees each pair once, for progress. */
export function scoreCandidates(scorer: Scorer, rules: readonly RuleGroups[], data: EncodedData, onPair?: (done: number) => void): ScoredPairs {
  const out = new ScoredPairs()
  forEachCandidatePair(rules, data, (i, j) => {
    out.push(i, j, scorer.weight(i, j))
    if (onPair && (out.count & 0xffff) === 0) onPair(out.count)
  })
  onPair?.(out.count)
  return out
}
