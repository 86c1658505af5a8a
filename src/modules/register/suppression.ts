/**
 * Small-number suppression for counts shown to people who may not see personal data (statistical
 * disclosure control). A count from 1 to 4 is not shown ("fewer than 5"): in a small area it could
 * identify a child. Because totals are shown, a single hidden count in a row or column could be
 * worked out by subtraction, so a second count in that row or column is hidden too ("secondary
 * suppression"), repeated until no hidden count can be derived from one row or column.
 */
export type Cell = { shown: true; value: number } | { shown: false; value: number; reason: 'small' | 'secondary' }

export const SMALL_COUNT = 5

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
 * The table with its totals (last row and last column), with small counts and any count that
 * would reveal one hidden. `value` is kept on hidden cells for the server's use only: the view
 * must never print it.
 */
export function suppressedTable(counts: number[][], threshold = SMALL_COUNT): Cell[][] {
  const full = withTotals(counts)
  const R = full.length - 1
  const C = (full[0]?.length ?? 1) - 1
  const hidden: ('small' | 'secondary' | null)[][] = full.map((r) => r.map((v) => (v > 0 && v < threshold ? 'small' : null)))

  // Each line is one equation: its parts add up to its total (the total is the last cell listed).
  const lines: [number, number][][] = []
  for (let i = 0; i <= R; i++) lines.push(Array.from({ length: C + 1 }, (_, j) => [i, j] as [number, number]))
  for (let j = 0; j <= C; j++) lines.push(Array.from({ length: R + 1 }, (_, i) => [i, j] as [number, number]))

  for (let changed = true; changed; ) {
    changed = false
    for (const line of lines) {
      const hiddenCells = line.filter(([i, j]) => hidden[i][j])
      if (hiddenCells.length !== 1) continue
      // One hidden cell in an equation can be worked out: hide the smallest other non-zero part,
      // or failing that the total.
      const parts = line.slice(0, -1).filter(([i, j]) => !hidden[i][j] && full[i][j] > 0)
      parts.sort((a, b) => full[a[0]][a[1]] - full[b[0]][b[1]])
      const [ti, tj] = line[line.length - 1]
      const pick = parts[0] ?? (!hidden[ti][tj] ? [ti, tj] : undefined)
      if (!pick) continue
      hidden[pick[0]][pick[1]] = 'secondary'
      changed = true
    }
  }
  return full.map((r, i) => r.map((value, j) => (hidden[i][j] ? { shown: false as const, value, reason: hidden[i][j]! } : { shown: true as const, value })))
}

/**
 * Can any hidden cell be worked out exactly from one row or column of the published table? Used
 * by the tests as the property the suppression must hold.
 */
export function derivableFromOneLine(table: Cell[][]): boolean {
  const R = table.length - 1
  const C = table[0].length - 1
  const check = (line: Cell[]) => line.filter((c) => !c.shown).length === 1
  for (let i = 0; i <= R; i++) if (check(table[i])) return true
  for (let j = 0; j <= C; j++) if (check(table.map((r) => r[j]))) return true
  return false
}
