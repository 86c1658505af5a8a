import { describe, expect, it } from 'vitest'
import { chanceInWords, explainChange, periodOnPeriod, rolling12, yearOnYear } from './change.ts'
import { formatPeriod } from './periods.ts'
import { poissonRateTest } from './poisson-test.ts'
import type { Observation } from './series.ts'

function monthly(counts: number[], start = '2022-01'): Observation[] {
  const [year, month] = start.split('-').map(Number)
  return counts.map((count, i) => ({ period: formatPeriod(year * 12 + month - 1 + i, 12), count }))
}

describe('explainChange', () => {
  it('tells the panel that 656 -> 1,027 is not chance', () => {
    expect(explainChange(poissonRateTest(1027, 656), { interval: false })).toBe(
      'rose from 656 to 1,027 (+56.6%); a rise this large would happen by chance less than 1 time in 1,000, so it is unlikely to be chance (exact Poisson test, p < 0.001).',
    )
  })

  it('tells them a 13% rise on a small count could well be chance, with the interval', () => {
    expect(explainChange(poissonRateTest(52, 46), { subject: 'Weapons offences' })).toBe(
      'Weapons offences rose from 46 to 52 (+13.0%); a rise this large would happen by chance about 6 times in 10, so it could well be chance (exact Poisson test, p = 0.61).' +
        ' With 95% confidence the underlying rate is between 0.75 and 1.72 times what it was.',
    )
  })

  it('describes falls, no change and a start from zero', () => {
    expect(explainChange(poissonRateTest(20, 41), { interval: false })).toBe(
      // R: poisson.test(c(20, 41)) gives p = 0.009853448.
      'fell from 41 to 20 (\u221251.2%); a fall this large would happen by chance about 1 time in 101, so it is unlikely to be chance (exact Poisson test, p = 0.010).',
    )
    expect(explainChange(poissonRateTest(12, 12))).toBe('stayed at 12; no change to explain.')
    expect(explainChange(poissonRateTest(3, 0))).toBe(
      'rose from 0 to 3; a rise this large would happen by chance about 1 time in 4, so it could well be chance (exact Poisson test, p = 0.25).',
    )
  })

  it('puts chance in words', () => {
    expect(chanceInWords(0.0004)).toBe('less than 1 time in 1,000')
    expect(chanceInWords(0.0012)).toBe('about 1 time in 833')
    expect(chanceInWords(0.074)).toBe('about 1 time in 14')
    expect(chanceInWords(1)).toBe('about 10 times in 10')
  })
})

describe('comparisons over a series', () => {
  // 2022: 10 a month; 2023: 12 a month; 2024: 15 a month.
  const series = monthly([...Array(12).fill(10), ...Array(12).fill(12), ...Array(12).fill(15)])

  it('rolling 12 months: the last year against the year before', () => {
    const result = rolling12(series)
    expect(result.current).toEqual({ from: '2024-01', to: '2024-12', count: 180 })
    expect(result.previous).toEqual({ from: '2023-01', to: '2023-12', count: 144 })
    expect(result.test.pValue).toBeCloseTo(poissonRateTest(180, 144).pValue, 15)
  })

  it('rolling 12 months ending at a chosen month', () => {
    const result = rolling12(series, '2023-12')
    expect(result.current.count).toBe(144)
    expect(result.previous).toEqual({ from: '2022-01', to: '2022-12', count: 120 })
    expect(() => rolling12(series, '2023-11')).toThrow(/does not reach back 12 period\(s\) before 2022-11/)
  })

  it('year on year and period on period', () => {
    expect(yearOnYear(series, '2024-03')).toMatchObject({ current: { from: '2024-03', count: 15 }, previous: { from: '2023-03', count: 12 } })
    expect(periodOnPeriod(series, '2024-01')).toMatchObject({ current: { count: 15 }, previous: { from: '2023-12', count: 12 } })
    expect(() => yearOnYear(series, '2021-12')).toThrow(/outside the series/)
    expect(() => yearOnYear(series, '2024-W10')).toThrow(/not a period of this series/)
  })

  it('weekly series compare with 52 weeks earlier', () => {
    const weeks = Array.from({ length: 110 }, (_, i) => ({ period: formatPeriod(2023 * 52 + i, 52), count: i }))
    const result = yearOnYear(weeks)
    expect(result.current.from).toBe('2025-W06')
    expect(result.previous.from).toBe('2024-W06')
    expect(rolling12(weeks).current).toMatchObject({ from: '2024-W07', to: '2025-W06' })
  })
})
