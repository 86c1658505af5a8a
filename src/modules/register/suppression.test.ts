import { describe, expect, it } from 'vitest'
import { derivableFromOneLine, exactTable, suppressedTable, withTotals } from './suppression.ts'
import { Random } from '../../demo/random.ts'

const shown = (table: ReturnType<typeof suppressedTable>) => table.map((r) => r.map((c) => (c.shown ? c.value : c.reason === 'small' ? '<5' : 'x')))

describe('small-number suppression', () => {
  it('adds row and column totals', () => {
    expect(withTotals([[1, 2], [3, 4]])).toEqual([[1, 2, 3], [3, 4, 7], [4, 6, 10]])
    expect(exactTable([[1, 2]])[0][2]).toEqual({ shown: true, value: 3 })
  })

  it('hides counts of 1 to 4, shows 0 and 5 or more', () => {
    const t = suppressedTable([[0, 5, 12], [7, 9, 30]])
    expect(shown(t)).toEqual([[0, 5, 12, 17], [7, 9, 30, 46], [7, 14, 42, 63]])
  })

  it('hides a second count when one hidden count could be worked out from the row total', () => {
    // Row: 3 + 8 + 20 = 31. With only the 3 hidden, 31 - 8 - 20 gives it away; the 8 goes too,
    // and then the column of the 8 needs a second hidden cell as well.
    const t = suppressedTable([[3, 8, 20], [6, 9, 15]])
    expect(t[0][0]).toMatchObject({ shown: false, reason: 'small' })
    expect(t[0][1]).toMatchObject({ shown: false, reason: 'secondary' })
    expect(derivableFromOneLine(t)).toBe(false)
  })

  it('hides the total when the only other counts in the row are zero', () => {
    const t = suppressedTable([[0, 2, 0], [10, 10, 10]])
    expect(t[0][1]).toMatchObject({ shown: false, reason: 'small' })
    // The row total is 2, itself small; nothing else in the row can give it away.
    expect(t[0][3].shown).toBe(false)
    expect(derivableFromOneLine(t)).toBe(false)
  })

  it('never leaves a hidden count derivable from a single row or column (random tables)', () => {
    const random = new Random(7)
    for (let n = 0; n < 300; n++) {
      const rows = random.int(1, 15)
      const cols = random.int(1, 4)
      const counts = Array.from({ length: rows }, () => Array.from({ length: cols }, () => (random.chance(0.3) ? random.int(0, 4) : random.int(0, 60))))
      const t = suppressedTable(counts)
      expect(derivableFromOneLine(t)).toBe(false)
      // Every count from 1 to 4 is hidden, wherever it is (totals included).
      for (const row of t) for (const c of row) if (c.value > 0 && c.value < 5) expect(c.shown).toBe(false)
    }
  })
})
