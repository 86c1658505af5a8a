import { describe, expect, it } from 'vitest'
import { exactTable, suppressedMissing, suppressedTable, tableFacts, withTotals, type Cell } from './suppression.ts'
import { feasibleRanges, possibleValues, type Fact } from '../../analytics/suppression/index.ts'
import { Random } from '../../demo/random.ts'

/** What the page prints: every hidden count carries the same marker. */
const printed = (table: Cell[][]) => table.map((r) => r.map((c) => (c.shown ? c.value : 'x')))

/**
 * The attacker: from the printed cells alone (zeros shown, so a hidden count is at least 1) and
 * the facts the page states, the fewest values any hidden count can still take.
 */
async function narrowest(cells: Cell[], facts: Fact[]): Promise<number> {
  const ranges = await feasibleRanges({ values: cells.map((c) => (c.shown ? c.value : 0)), hidden: cells.map((c) => !c.shown), facts })
  return Math.min(Infinity, ...[...ranges.values()].map(possibleValues))
}
const narrowestInTable = (table: Cell[][]) => narrowest(table.flat(), tableFacts(table.length, table[0].length))

describe('small-number suppression', () => {
  it('adds row and column totals', () => {
    expect(withTotals([[1, 2], [3, 4]])).toEqual([[1, 2, 3], [3, 4, 7], [4, 6, 10]])
    expect(exactTable([[1, 2]])[0][2]).toEqual({ shown: true, value: 3 })
  })

  it('shows 0 and 5 or more when nothing is small', async () => {
    const t = await suppressedTable([[0, 5, 12], [7, 9, 30]])
    expect(printed(t)).toEqual([[0, 5, 12, 17], [7, 9, 30, 46], [7, 14, 42, 63]])
  })

  it('hides counts of 1 to 4 and enough others that none can be worked out from the totals', async () => {
    const t = await suppressedTable([[3, 8, 20], [6, 9, 15]])
    expect(t[0][0]).toMatchObject({ shown: false, reason: 'small' })
    expect(t.flat().filter((c) => !c.shown && c.reason === 'secondary').length).toBeGreaterThan(0)
    expect(await narrowestInTable(t)).toBeGreaterThanOrEqual(5)
  })

  it('the tester’s case: a column of six hidden cells totalling 6 no longer pins each to 1', async () => {
    const counts = Array.from({ length: 6 }, (_, i) => [1, 10 + i])
    const t = await suppressedTable(counts)
    // Each 1 is hidden; published zeros and totals must leave each at least 5 possible values.
    for (let i = 0; i < 6; i++) expect(t[i][0].shown).toBe(false)
    expect(await narrowestInTable(t)).toBeGreaterThanOrEqual(5)
  })

  it('a hidden count in a row of zeros is not pinned by its total', async () => {
    const t = await suppressedTable([[0, 2, 0], [10, 10, 10]])
    expect(t[0][1]).toMatchObject({ shown: false, reason: 'small' })
    expect(t[0][3].shown).toBe(false)
    expect(await narrowestInTable(t)).toBeGreaterThanOrEqual(5)
  })

  it('is deterministic', async () => {
    const counts = [[1, 7, 0, 3], [12, 2, 9, 0], [0, 0, 4, 30]]
    expect(printed(await suppressedTable(counts))).toEqual(printed(await suppressedTable(counts)))
  })

  it('never leaves a hidden count with fewer than 5 possible values (random tables, feasible ranges by linear programming)', async () => {
    const seed = Number(process.env.SUPPRESSION_SEED ?? 7)
    console.log(`suppression property test: seed ${seed} (SUPPRESSION_SEED=${seed} to repeat)`)
    const random = new Random(seed)
    for (let n = 0; n < 120; n++) {
      const rows = random.int(1, 16)
      const cols = random.int(1, 4)
      const counts = Array.from({ length: rows }, () => Array.from({ length: cols }, () => (random.chance(0.35) ? random.int(0, 4) : random.int(0, 60))))
      const t = await suppressedTable(counts)
      expect(await narrowestInTable(t), `seed ${seed}, table ${n}: ${JSON.stringify(counts)}`).toBeGreaterThanOrEqual(5)
      // Every count from 1 to 4 is hidden, wherever it is (totals included), and no zero is.
      for (const row of t) for (const c of row) {
        if (c.value > 0 && c.value < 5) expect(c.shown).toBe(false)
        if (c.value === 0) expect(c.shown).toBe(true)
      }
    }
  }, 600_000)

  it('protects the missing table as a whole: both columns, their totals, and episodes at least children', async () => {
    const seed = Number(process.env.SUPPRESSION_SEED ?? 11)
    console.log(`missing-table property test: seed ${seed}`)
    const random = new Random(seed)
    for (let n = 0; n < 60; n++) {
      const matrix = Array.from({ length: random.int(1, 16) }, () => {
        const children = random.chance(0.4) ? random.int(0, 4) : random.int(0, 20)
        return [children, children === 0 ? 0 : children + (random.chance(0.5) ? random.int(0, 3) : random.int(0, 30))]
      })
      const t = await suppressedMissing(matrix)
      const rows = t.length
      const at = (i: number, j: number) => i * 2 + j
      const facts: Fact[] = [0, 1].map((j) => ({ kind: 'equal', terms: Array.from({ length: rows }, (_, i) => [at(i, j), i === rows - 1 ? -1 : 1] as [number, number]) }))
      for (let i = 0; i < rows; i++) facts.push({ kind: 'atLeast', terms: [[at(i, 1), 1], [at(i, 0), -1]] })
      expect(await narrowest(t.flat(), facts), `seed ${seed}, table ${n}: ${JSON.stringify(matrix)}`).toBeGreaterThanOrEqual(5)
    }
  }, 600_000)
})
