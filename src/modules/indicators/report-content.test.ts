import { describe, expect, it } from 'vitest'
import { show } from './report-content.ts'

describe('counts of people that Lantern keeps, published alone in a report', () => {
  it('gives a hidden count at least 5 possible values: zero is hidden with 1 to 4', () => {
    // A headline stands alone (no totals to hide further cells against), so the marker itself must
    // cover 5 values: 0 to 4. Marking 1 to 4 and printing 0 would narrow a hidden count to 4.
    for (const v of [0, 1, 2, 3, 4]) expect(show(v, 'count', true)).toBe('fewer than 5')
    expect(show(5, 'count', true)).toBe('5')
    // Figures from other sources are not suppressed.
    expect(show(0, 'count', false)).toBe('0')
    expect(show(3, 'count', false)).toBe('3')
  })
})
