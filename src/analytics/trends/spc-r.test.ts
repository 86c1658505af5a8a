import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parse } from 'csv-parse/sync'
import { benjaminiHochberg } from './fdr.ts'
import { quasiPoissonComparison } from './dispersion.ts'
import { poissonRateTest } from './poisson-test.ts'
import { xmr } from './spc.ts'

// Lantern's new statistics against base R on the shared series: the output of
// fixtures/make-spc-fixtures.R (its R version in fixtures/r-spc-version.txt), committed.
const fixtures = new URL('./fixtures/', import.meta.url)
const csv = (name: string) => parse(readFileSync(new URL(name, fixtures)), { columns: true, cast: true }) as Record<string, string | number>[]
const series = (name: string) => (parse(readFileSync(`../shared/data/trends/${name}-series.csv`), { columns: true, cast: true }) as { count: number }[]).map((r) => r.count)
const close = (actual: number, expected: number, relative = 1e-9) => expect(Math.abs(actual - expected)).toBeLessThanOrEqual(relative * Math.max(1, Math.abs(expected)))

describe('the statistics agree with R on the shared series', () => {
  it('XmR: centre, mean moving range, limits and every Making Data Count signal', () => {
    const rows = csv('r-xmr.csv')
    expect(rows).toHaveLength(9)
    for (const row of rows) {
      const y = series(String(row.series)).slice(-Number(row.window))
      const chart = xmr(y)
      close(chart.mean, Number(row.mean))
      close(chart.movingRange, Number(row.moving_range))
      close(chart.upper, Number(row.upper))
      close(chart.lower, Number(row.lower))
      const signals = chart.signals.map((s) => `${s.rule}:${s.direction}:${s.positions.join(' ')}`).sort()
      const expected = String(row.signals) === '' ? [] : String(row.signals).split(';')
      expect(signals, `${row.series} last ${row.window}`).toEqual(expected.sort())
    }
  })

  it('quasi-Poisson: the dispersion, rate ratio, widened standard error, p-value and interval of glm(quasipoisson)', () => {
    const rows = csv('r-quasipoisson.csv')
    expect(rows).toHaveLength(9)
    for (const row of rows) {
      const y = series(String(row.series))
      const lag = Number(row.lag)
      const end = y.length - lag
      const fit = quasiPoissonComparison(y.slice(end - 12, end), y.slice(end - 24, end - 12))!
      close(fit.dispersion, Number(row.dispersion), 1e-9)
      close(fit.ratio, Number(row.ratio), 1e-9)
      close(fit.standardError, Number(row.se), 1e-9)
      close(fit.pValue, Number(row.p), 1e-6)
      close(fit.lower, Number(row.lower), 1e-6)
      close(fit.upper, Number(row.upper), 1e-6)
    }
  })

  it('Benjamini-Hochberg: the adjusted p-values of p.adjust(method = "BH"), ties included', () => {
    const rows = csv('r-bh.csv')
    const adjusted = benjaminiHochberg(rows.map((r) => Number(r.p)))
    rows.forEach((r, i) => close(adjusted[i], Number(r.bh), 1e-12))
    // The p-values R adjusted are the exact year-on-year tests Lantern computes itself.
    const drugs = series('drugs-monthly-improved')
    const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0)
    close(poissonRateTest(sum(drugs.slice(-12)), sum(drugs.slice(-24, -12))).pValue, Number(rows[0].p), 1e-6)
  })
})
