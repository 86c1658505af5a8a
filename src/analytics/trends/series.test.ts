import { describe, expect, it } from 'vitest'
import { formatPeriod, parsePeriod, shiftPeriod } from './periods.ts'
import { SeriesError, toCountSeries } from './series.ts'

describe('periods', () => {
  it('indexes months 12 and weeks 52 to a year', () => {
    expect(parsePeriod('2024-03')).toEqual({ frequency: 12, index: 2024 * 12 + 2 })
    expect(parsePeriod('2024-W52')).toEqual({ frequency: 52, index: 2024 * 52 + 51 })
    expect(shiftPeriod('2024-W52', 1)).toBe('2025-W01')
    expect(shiftPeriod('2024-01', -1)).toBe('2023-12')
    expect(formatPeriod(2024 * 52, 52)).toBe('2024-W01')
    for (const bad of ['2024-13', '2024-00', '2024-W53', '2024-W00', '2024/03', '24-03', 'March 2024']) expect(parsePeriod(bad)).toBeNull()
  })
})

describe('toCountSeries', () => {
  const error = (rows: { period: string; count: number }[]): { row: number; message: string } | null => {
    try {
      toCountSeries(rows)
    } catch (e) {
      if (e instanceof SeriesError) return { row: e.row, message: e.message }
      throw e
    }
    return null
  }

  it('accepts consecutive periods', () => {
    expect(toCountSeries([{ period: '2023-12', count: 3 }, { period: '2024-01', count: 0 }])).toEqual({ frequency: 12, startIndex: 2023 * 12 + 11, counts: [3, 0] })
  })

  it('names the row of a gap, a repeat, a mix of kinds, a bad period or a bad count', () => {
    expect(error([{ period: '2024-01', count: 1 }, { period: '2024-03', count: 1 }])).toEqual({ row: 1, message: 'gap in the series: expected 2024-02, found 2024-03' })
    expect(error([{ period: '2024-01', count: 1 }, { period: '2024-01', count: 1 }])?.message).toMatch(/out of order or repeated/)
    expect(error([{ period: '2024-01', count: 1 }, { period: '2024-W05', count: 1 }])).toMatchObject({ row: 1, message: expect.stringMatching(/mixes weeks and months/) })
    expect(error([{ period: '2024-1', count: 1 }])).toMatchObject({ row: 0, message: expect.stringMatching(/neither YYYY-MM nor YYYY-Www/) })
    expect(error([{ period: '2024-01', count: 1 }, { period: '2024-02', count: 1.5 }])).toMatchObject({ row: 1, message: expect.stringMatching(/not a non-negative whole number/) })
    expect(error([])).toMatchObject({ message: 'the series is empty' })
  })
})
