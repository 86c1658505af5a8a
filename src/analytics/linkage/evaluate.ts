/**
 * Precision, recall and F1 of predicted pairs against known entities (test data, a clerical
 * review). Only for scoring a run: nothing in training reads it.
 */
export interface PairQuality {
  readonly truePositives: number
  readonly falsePositives: number
  readonly falseNegatives: number
  readonly precision: number
  readonly recall: number
  readonly f1: number
}

/** Pairs of records that share an entity: within one list (deduplication) or across two (linkage). */
export function countTruePairs(entities: readonly string[], otherEntities?: readonly string[]): number {
  const counts = new Map<string, number>()
  for (const e of entities) counts.set(e, (counts.get(e) ?? 0) + 1)
  if (otherEntities) return otherEntities.reduce((sum, e) => sum + (counts.get(e) ?? 0), 0)
  let pairs = 0
  for (const n of counts.values()) pairs += (n * (n - 1)) / 2
  return pairs
}

export function pairQuality(
  predicted: Iterable<{ readonly idLeft: string; readonly idRight: string }>,
  truePairs: number,
  sameEntity: (idLeft: string, idRight: string) => boolean,
): PairQuality {
  let tp = 0
  let fp = 0
  for (const pair of predicted) {
    if (sameEntity(pair.idLeft, pair.idRight)) tp++
    else fp++
  }
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp)
  const recall = truePairs === 0 ? 1 : tp / truePairs
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall)
  return { truePositives: tp, falsePositives: fp, falseNegatives: truePairs - tp, precision, recall, f1 }
}

/** FEBRL's truth: `rec-N-org` and `rec-N-dup-k` are the same person N. */
export function febrlEntity(id: string): string {
  const m = /^rec-(\d+)-/.exec(id)
  return m ? m[1] : id
}

/**
 * How far a run's predictions agree with what its reviewers decided, over the pairs they
 * decided ("not sure" counts as neither). Precision: of the predicted matches reviewers decided,
 * the share they said are one person. Recall: of the pairs reviewers said are one person, the share
 * the run had predicted a match (only pairs a run puts before reviewers can be decided, so pairs
 * scored below the review threshold are never counted: recall is of the pairs reviewed, an upper
 * bound). Null where nothing has been decided to work it out from.
 */
export interface ReviewedAccuracy {
  readonly accepted: number
  readonly rejected: number
  readonly unsure: number
  /** Predicted matches reviewers decided, and how many of them they accepted. */
  readonly predictedDecided: number
  readonly predictedAccepted: number
  readonly precision: number | null
  readonly recall: number | null
}

export function reviewedAccuracy(pairs: Iterable<{ readonly band: string; readonly decision: string | null }>): ReviewedAccuracy {
  let [accepted, rejected, unsure, predictedDecided, predictedAccepted] = [0, 0, 0, 0, 0]
  for (const p of pairs) {
    if (p.decision === 'unsure') unsure++
    if (p.decision !== 'accepted' && p.decision !== 'rejected') continue
    if (p.decision === 'accepted') accepted++
    else rejected++
    if (p.band !== 'match') continue
    predictedDecided++
    if (p.decision === 'accepted') predictedAccepted++
  }
  return {
    accepted,
    rejected,
    unsure,
    predictedDecided,
    predictedAccepted,
    precision: predictedDecided ? predictedAccepted / predictedDecided : null,
    recall: accepted ? predictedAccepted / accepted : null,
  }
}
