import { describe, expect, it } from 'vitest'
import { compareCounts, explainComparison, exceedances, explainExceedance, FARRINGTON_HISTORY } from './trends.ts'
import { addMonths } from './periods.ts'

describe('compareCounts: the exact Poisson test, against R 4 poisson.test(c(x1, x2))', () => {
  // Values printed by R: poisson.test(c(1027, 656)), poisson.test(c(466, 412)), poisson.test(c(3, 0)).
  it.each([
    [1027, 656, 1.35887e-19, 1.418069, 1.729315],
    [466, 412, 0.07360885, 0.98852937, 1.29452851],
    [3, 0, 0.25, 0.4132314, null],
  ])('%i against %i', (current, previous, p, lower, upper) => {
    const c = compareCounts(current, previous)
    expect(c.pValue / p).toBeCloseTo(1, 4)
    expect(c.lower).toBeCloseTo(lower, 5)
    if (upper === null) expect(c.upper).toBeNull()
    else expect(c.upper).toBeCloseTo(upper, 5)
  })

  it('answers the panel: 656 to 1,027 is real, a 13% rise on 412 could be chance', () => {
    const drugs = explainComparison(compareCounts(1027, 656), { name: 'Drug trafficking offences', currentLabel: '2025/26', previousLabel: '2023/24' })
    expect(drugs).toContain('From 2023/24 to 2025/26, drug trafficking offences rose from 656 to 1,027 (+56.6%)')
    expect(drugs).toContain('so it is unlikely to be chance')
    const weapons = explainComparison(compareCounts(466, 412), { name: 'Possession of weapons offences', currentLabel: '2025/26', previousLabel: '2024/25' })
    expect(weapons).toContain('rose from 412 to 466 (+13.1%)')
    expect(weapons).toContain('so it could well be chance')
    expect(explainComparison(compareCounts(5, 5), { name: 'NRM referrals', currentLabel: 'a', previousLabel: 'b' })).toBe('From b to a, NRM referrals stayed at 5; no change to explain.')
  })
})

describe('exceedances', () => {
  const flat = (n: number, value = 20) => Array.from({ length: n }, (_, i) => ({ period: addMonths('2016-01-01', i), value }))

  it('needs five years and two months of history', () => {
    expect(exceedances(flat(FARRINGTON_HISTORY))).toBeNull()
    expect(exceedances(flat(FARRINGTON_HISTORY + 1))).toHaveLength(1)
  })

  it('flags a month far above its usual level and explains it', () => {
    const series = flat(96).map((p, i) => ({ ...p, value: 20 + ((i * 7) % 5) }))
    series[series.length - 1].value = 60
    const result = exceedances(series, 12)!
    expect(result).toHaveLength(12)
    const last = result[result.length - 1]
    expect(last.alarm).toBe(true)
    expect(result.slice(0, -1).every((r) => !r.alarm)).toBe(true)
    expect(explainExceedance(last)).toMatch(/^December 2023: 60 recorded\. .* This is an exceedance/)
  })

  it('refuses a series with gaps or fractions', () => {
    const gappy = flat(80).filter((_, i) => i !== 40)
    expect(exceedances(gappy)).toBeNull()
    expect(exceedances(flat(80, 12.5))).toBeNull()
  })
})
