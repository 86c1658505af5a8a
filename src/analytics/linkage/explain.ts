import type { EncodedData } from './dataset.ts'
import { levelWeight } from './model.ts'
import type { Scorer } from './scoring.ts'

/** One line of a waterfall chart: how much one field moved the match weight. */
export interface WaterfallRow {
  readonly comparison: string
  readonly column: string
  /** Index of the level (0 is "missing") and its label. */
  readonly level: number
  readonly label: string
  readonly valueLeft: string | null
  readonly valueRight: string | null
  readonly m: number | null
  readonly u: number | null
  /** Including the term-frequency adjustment, when there is one. */
  readonly bayesFactor: number
  readonly log2Weight: number
  /** The part of log2Weight due to how common the shared value is (0 when not adjusted). */
  readonly termFrequencyLog2: number
}

export interface Explanation {
  readonly idLeft: string
  readonly idRight: string
  /** The prior as a starting bar: lambda and its log2 odds. */
  readonly prior: { readonly probability: number; readonly log2Odds: number }
  readonly rows: readonly WaterfallRow[]
  /** Sum of the rows' log2 weights. */
  readonly matchWeight: number
  /** Prior log2 odds plus the match weight. */
  readonly log2Odds: number
  readonly probability: number
}

/** The contribution of each comparison to the weight of the pair (i, j). */
export function explainPair(scorer: Scorer, data: EncodedData, i: number, j: number, ids?: { left: string; right: string }): Explanation {
  const model = scorer.model
  const rows = scorer.comparisons.map((comparison, c): WaterfallRow => {
    const level = comparison.level(i, j)
    const trained = model.comparisons[c].levels[level]
    const log2Weight = scorer.comparisonWeight(c, level, i, j)
    const base = levelWeight(trained)
    const column = comparison.column
    const value = (r: number) => (column.codes[r] >= 0 ? column.values[column.codes[r]] : null)
    return {
      comparison: comparison.spec.name,
      column: comparison.spec.column,
      level,
      label: trained.label,
      valueLeft: value(i),
      valueRight: value(j),
      m: trained.m,
      u: trained.u,
      bayesFactor: 2 ** log2Weight,
      log2Weight,
      termFrequencyLog2: comparison.termFrequency[level] === 1 ? log2Weight - base : 0,
    }
  })
  const matchWeight = rows.reduce((sum, r) => sum + r.log2Weight, 0)
  const log2Odds = scorer.priorLogit2 + matchWeight
  return {
    idLeft: ids?.left ?? data.ids[i],
    idRight: ids?.right ?? data.ids[j],
    prior: { probability: model.prior, log2Odds: scorer.priorLogit2 },
    rows,
    matchWeight,
    log2Odds,
    probability: scorer.probability(matchWeight),
  }
}
