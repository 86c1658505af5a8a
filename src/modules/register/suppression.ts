/**
 * Small-number suppression for counts shown to people who may not see personal data (statistical
 * disclosure control). A count from 1 to 4 is not shown: in a small area it could identify a
 * child. Because zeros and totals are shown, hidden counts could be pinned by arithmetic, so
 * further counts are hidden until no hidden count can be narrowed to fewer than 5 values from
 * everything the page shows (`protect` in src/analytics/suppression). Every hidden count carries
 * the same marker: a distinct "fewer than 5" marker would itself narrow a count to 1 to 4.
 */
import { protect, type Fact, type Proposer } from '../../analytics/suppression/index.ts'

export type Cell = { shown: true; value: number } | { shown: false; value: number; reason: 'small' | 'secondary' }

export { SMALL_COUNT } from '../../analytics/suppression/index.ts'
import { LEAST_POSSIBLE_VALUES } from '../../analytics/suppression/index.ts'

/** Adds totals to a table of counts (rows x columns); nothing is hidden. */
export function withTotals(counts: number[][]): number[][] {
  const columns = counts[0]?.length ?? 0
  const rows = counts.map((r) => [...r, r.reduce((s, v) => s + v, 0)])
  const totals = Array.from({ length: columns + 1 }, (_, j) => rows.reduce((s, r) => s + r[j], 0))
  return [...rows, totals]
}

/** Every cell shown, exactly: for roles that may see personal data. */
export function exactTable(counts: number[][]): Cell[][] {
  return withTotals(counts).map((r) => r.map((value) => ({ shown: true as const, value })))
}

/**
 * What a reader knows of a table with totals (`rows` x `columns` including the total row and
 * column; cell (i, j) is number i * columns + j): each row and each column adds up to its total.
 */
export function tableFacts(rows: number, columns: number, at = (i: number, j: number) => i * columns + j): Fact[] {
  const facts: Fact[] = []
  for (let i = 0; i < rows; i++) facts.push({ kind: 'equal', terms: Array.from({ length: columns }, (_, j) => [at(i, j), j === columns - 1 ? -1 : 1]) })
  for (let j = 0; j < columns; j++) facts.push({ kind: 'equal', terms: Array.from({ length: rows }, (_, i) => [at(i, j), i === rows - 1 ? -1 : 1]) })
  return facts
}

/**
 * The table with its totals (last row and last column), with small counts and any count that
 * would narrow one hidden. `value` is kept on hidden cells for the server's use only: the view
 * must never print it.
 */
export async function suppressedTable(counts: number[][], threshold?: number): Promise<Cell[][]> {
  const full = withTotals(counts)
  const columns = full[0]?.length ?? 0
  const values = full.flat()
  const { reason } = await protect(values, tableFacts(full.length, columns), threshold, tableMoves(values, full.length, columns))
  return full.map((r, i) => r.map((value, j) => cell(value, reason[i * columns + j])))
}

/**
 * The cheapest rectangle of counts to hide with a hidden count that is pinned. In a table with
 * totals, adding d to cells (i, j) and (k, l) and taking it from (i, l) and (k, j) keeps every row
 * and column adding up, if a total's change is turned round (a total rises with its parts): so
 * when all four are hidden, each can move by as much as the smallest of them allows, and the
 * four are protected together. Among the rectangles that let the count move by at least 4 (every
 * count staying at least 1), the one hiding the least (by the sum of the newly hidden counts,
 * then their number, then position) is chosen.
 */
export function tableMoves(values: number[], rows: number, columns: number): Proposer {
  const flip = (i: number, j: number) => (i === rows - 1 ? -1 : 1) * (j === columns - 1 ? -1 : 1)
  return (cell, hidden) => {
    const i = Math.floor(cell / columns)
    const j = cell % columns
    let best: { cells: number[]; cost: number; added: number } | undefined
    for (let k = 0; k < rows; k++) {
      if (k === i) continue
      for (let l = 0; l < columns; l++) {
        if (l === j) continue
        const corners: [number, number, number][] = [[i, j, 1], [i, l, -1], [k, j, -1], [k, l, 1]]
        // Zeros are shown, so a rectangle through a zero cannot move.
        if (corners.some(([a, b]) => values[a * columns + b] <= 0)) continue
        let lowest = -Infinity
        let highest = Infinity
        for (const [a, b, sign] of corners) {
          const x = values[a * columns + b]
          if (sign * flip(a, b) > 0) lowest = Math.max(lowest, 1 - x)
          else highest = Math.min(highest, x - 1)
        }
        if (highest - lowest < LEAST_POSSIBLE_VALUES - 1) continue
        const cells = corners.slice(1).map(([a, b]) => a * columns + b).filter((c) => !hidden[c])
        const cost = cells.reduce((s, c) => s + values[c], 0)
        if (!best || cost < best.cost || (cost === best.cost && cells.length < best.added)) best = { cells, cost, added: cells.length }
      }
    }
    return best?.cells
  }
}

/**
 * Children missing and their missing episodes by area (two columns, each with its total),
 * protected together: a reader also knows that a child reported missing has at least one
 * episode, in every area and in the total.
 */
export async function suppressedMissing(matrix: number[][]): Promise<Cell[][]> {
  const rows = matrix.length + 1
  const values = [...matrix.flatMap((r) => [r[0], r[1]]), ...[0, 1].map((j) => matrix.reduce((s, r) => s + r[j], 0))]
  const at = (i: number, j: number) => i * 2 + j
  const facts: Fact[] = [0, 1].map((j) => ({ kind: 'equal', terms: Array.from({ length: rows }, (_, i) => [at(i, j), i === rows - 1 ? -1 : 1] as [number, number]) }))
  for (let i = 0; i < rows; i++) facts.push({ kind: 'atLeast', terms: [[at(i, 1), 1], [at(i, 0), -1]] })
  const { reason } = await protect(values, facts)
  return Array.from({ length: rows }, (_, i) => [0, 1].map((j) => cell(values[at(i, j)], reason[at(i, j)])))
}

function cell(value: number, reason: 'small' | 'secondary' | null): Cell {
  return reason ? { shown: false, value, reason } : { shown: true, value }
}
