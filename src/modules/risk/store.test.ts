import { describe, expect, it } from 'vitest'
import { monthEnds } from './store.ts'

describe('monthEnds', () => {
  it('gives each month with the instant it ends in UK time, across a clock change and a year end', () => {
    expect(monthEnds({ from: '2026-09-15', to: '2026-12-01' }).map((m) => [m.month, m.end.toISOString()])).toEqual([
      ['2026-09', '2026-09-30T23:00:00.000Z'],
      ['2026-10', '2026-11-01T00:00:00.000Z'],
      ['2026-11', '2026-12-01T00:00:00.000Z'],
      ['2026-12', '2027-01-01T00:00:00.000Z'],
    ])
  })
  it('is empty when the range runs backwards', () => {
    expect(monthEnds({ from: '2026-12-01', to: '2026-11-01' })).toEqual([])
  })
})
