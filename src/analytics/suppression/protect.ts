import { feasibleRanges, possibleValues, type Publication } from './feasible.ts'

/** Counts from 1 to 4 are never published. */
export const SMALL_COUNT = 5
/** No hidden count may be narrowed to fewer possible values than this. */
export const LEAST_POSSIBLE_VALUES = 5

export type Protection = { hidden: boolean[]; reason: ('small' | 'secondary' | null)[] }

/**
 * Suggests shown counts to hide together so that `cell` can move by at least 4 while every fact
 * still holds (for a table with totals: a rectangle of counts, see `tableMoves`), or nothing.
 */
export type Proposer = (cell: number, hidden: readonly boolean[]) => number[] | undefined

/**
 * Hides every count from 1 to 4 ("primary" suppression), then further counts ("secondary")
 * until no hidden count can be narrowed to fewer than `LEAST_POSSIBLE_VALUES` whole numbers
 * from everything published together (`feasibleRanges`).
 *
 * Hidden counts are checked one at a time, in order, with newly hidden ones joining the end of
 * the queue. Hiding more only removes facts, so a range never narrows again once it is wide
 * enough: one pass is enough. While a count's range is too narrow, `propose` is asked first (a
 * table's cheapest rectangle widens all four of its counts at once); failing that, the smallest
 * shown non-zero count in a fact that involves it is hidden (the least information lost; ties go
 * to the earliest cell, so the result is deterministic), or failing that the smallest in the
 * whole publication. Zeros are never hidden, which is why every hidden count is known to be at
 * least 1. Whatever was hidden, the linear program has the last word on every range.
 */
export async function protect(values: number[], facts: Publication['facts'], threshold = SMALL_COUNT, propose?: Proposer): Promise<Protection> {
  const reason: Protection['reason'] = values.map((v) => (v > 0 && v < threshold ? 'small' : null))
  const hidden = reason.map((r) => r !== null)
  const publication: Publication = { values, hidden, facts }
  const queue = hidden.flatMap((h, i) => (h ? [i] : []))
  const factsOf = values.map(() => [] as number[])
  facts.forEach((f, k) => f.terms.forEach(([cell]) => factsOf[cell].push(k)))

  for (let q = 0; q < queue.length; q++) {
    const cell = queue[q]
    for (;;) {
      const range = (await feasibleRanges(publication, [cell])).get(cell)!
      if (possibleValues(range) >= LEAST_POSSIBLE_VALUES) break
      const group = propose?.(cell, hidden)?.filter((c) => !hidden[c] && values[c] > 0)
      if (group?.length) {
        for (const c of group) {
          hidden[c] = true
          reason[c] = 'secondary'
          queue.push(c)
        }
        continue
      }
      const pick = cheapest(new Set(factsOf[cell].flatMap((k) => facts[k].terms.map(([c]) => c)))) ?? cheapest(values.keys())
      if (pick === undefined) break // everything non-zero is hidden already: nothing more can help
      hidden[pick] = true
      reason[pick] = 'secondary'
      queue.push(pick)
    }
  }
  return { hidden, reason }

  function cheapest(cells: Iterable<number>): number | undefined {
    let best: number | undefined
    for (const c of cells) if (!hidden[c] && values[c] > 0 && (best === undefined || values[c] < values[best] || (values[c] === values[best] && c < best))) best = c
    return best
  }
}
