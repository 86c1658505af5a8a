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
