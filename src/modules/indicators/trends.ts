/**
 * The indicators module's one door to the pure trends library (src/analytics/trends/): which
 * periods Farrington flags, and whether a change between two periods is more than chance. Pages,
 * reports and the PDF read these results and their plain-English explanations from here only.
 */
import { farrington } from '../../analytics/trends/run.ts'
import { firstAssessablePosition } from '../../analytics/trends/farrington.ts'
import { presetControl } from '../../analytics/trends/controls.ts'
import { betaQuantile, binomialLogDensity } from '../../analytics/trends/distributions.ts'
import { monthIndex, periodLabel } from './periods.ts'
import type { Polarity } from './tables.ts'

export interface Point {
  /** First day of the month. */
  period: string
  value: number
}

export interface Exceedance {
  period: string
  count: number
  expected: number | null
  upperbound: number | null
  alarm: boolean
}

/** Months of history the improved method needs before it can judge a month. */
export const FARRINGTON_HISTORY = firstAssessablePosition(12, presetControl('improved', 12))

/**
 * Farrington (Noufaily et al. 2013, "improved", monthly presets) over the last `months` months of a
 * consecutive monthly count series. Null when there is too little history or the values are not
 * whole counts.
 */
export function exceedances(series: Point[], months = 36): Exceedance[] | null {
  if (series.length <= FARRINGTON_HISTORY) return null
  if (series.some((p) => !Number.isInteger(p.value) || p.value < 0)) return null
  for (let i = 1; i < series.length; i++) if (monthIndex(series[i].period) !== monthIndex(series[i - 1].period) + 1) return null
  const observations = series.map((p) => ({ period: p.period.slice(0, 7), count: p.value }))
  const from = observations[Math.max(FARRINGTON_HISTORY, observations.length - months)].period
  return farrington(observations, { method: 'improved', from }).map((r) => ({
    period: `${r.period}-01`,
    count: r.count,
    expected: r.expected,
    upperbound: r.upperbound,
    alarm: r.alarm,
  }))
}

export interface RateComparison {
  current: number
  previous: number
  /** current / previous, the rate ratio (equal lengths of time). */
  ratio: number | null
  /** 95% confidence interval of the ratio (exact, Clopper-Pearson on the conditional binomial). */
  lower: number | null
  upper: number | null
  /** Two-sided exact p-value of "the underlying rate did not change". */
  pValue: number
}

/**
 * Exact Poisson comparison of two counts over equal lengths of time, as R's `poisson.test(c(x1,
 * x2))`: conditional on the total, the first count is binomial with p = 1/2 when the rate did not
 * change.
 */
export function compareCounts(current: number, previous: number, alpha = 0.05): RateComparison {
  const n = current + previous
  if (n === 0) return { current, previous, ratio: null, lower: null, upper: null, pValue: 1 }
  const d = binomialLogDensity(current, n, 0.5)
  let p = 0
  const bound = d + Math.log1p(1e-7)
  for (let k = 0; k <= n; k++) {
    const lk = binomialLogDensity(k, n, 0.5)
    if (lk <= bound) p += Math.exp(lk)
  }
  const pLow = current === 0 ? 0 : betaQuantile(alpha / 2, current, n - current + 1)
  const pHigh = current === n ? 1 : betaQuantile(1 - alpha / 2, current + 1, n - current)
  return {
    current,
    previous,
    ratio: previous === 0 ? null : current / previous,
    lower: pLow / (1 - pLow),
    upper: pHigh >= 1 ? null : pHigh / (1 - pHigh),
    pValue: Math.min(1, p),
  }
}

const fmt = (n: number) => n.toLocaleString('en-GB', { maximumFractionDigits: 1 })
const pct = (r: number) => `${Math.abs(Math.round((r - 1) * 100))}%`

function pText(p: number): string {
  if (p < 0.001) return 'less than 1 in 1,000'
  if (p < 0.01) return `about ${Math.max(1, Math.round(p * 1000))} in 1,000`
  return `about ${Math.round(p * 100)} in 100`
}

/** "Is the change real or chance?", answered in plain English with its statistical basis. */
export function explainComparison(c: RateComparison, what: { currentLabel: string; previousLabel: string; polarity: Polarity }): string {
  if (c.previous === 0 && c.current === 0) return `There were none in ${what.currentLabel} or in ${what.previousLabel}.`
  const moved =
    c.ratio === null
      ? `${fmt(c.current)} in ${what.currentLabel} against none in ${what.previousLabel}`
      : c.ratio === 1
        ? `${fmt(c.current)} in ${what.currentLabel}, the same as in ${what.previousLabel}`
        : `${fmt(c.current)} in ${what.currentLabel} against ${fmt(c.previous)} in ${what.previousLabel}, ${c.ratio > 1 ? 'a rise' : 'a fall'} of ${pct(c.ratio)}`
  const interval =
    c.lower !== null && c.upper !== null
      ? ` The underlying rate is likely (95% confidence) between ${Math.round(c.lower * 100)}% and ${Math.round(c.upper * 100)}% of what it was.`
      : ''
  const verdict =
    c.pValue < 0.05
      ? ` A change this large would happen by chance ${pText(c.pValue)} times if nothing had changed, so it is very likely a real change (exact Poisson test, p ${c.pValue < 0.001 ? '< 0.001' : '= ' + c.pValue.toFixed(3)}).`
      : ` A change this large would happen by chance ${pText(c.pValue)} times even if nothing had changed, so it could be chance: not yet evidence of a real change (exact Poisson test, p = ${c.pValue.toFixed(2)}).`
  return `${moved}.${verdict}${interval}`
}

/** Why a month was (or was not) flagged, in plain English. */
export function explainExceedance(e: Exceedance): string {
  const month = periodLabel(e.period, 'month')
  if (e.expected === null || e.upperbound === null) {
    return `${month}: too few cases in recent months to judge (fewer than 5 in the last 4 months).`
  }
  const expected = `Based on the same time of year in the previous 5 years and the trend since, about ${fmt(Math.round(e.expected * 10) / 10)} were expected`
  const limit = `more than ${fmt(Math.floor(e.upperbound))} would happen by chance less than 1 month in 20`
  return e.alarm
    ? `${month}: ${fmt(e.count)} recorded. ${expected}, and ${limit}. This is an exceedance: more than chance would explain (Farrington method, improved, 95% threshold).`
    : `${month}: ${fmt(e.count)} recorded, within the expected range (about ${fmt(Math.round(e.expected * 10) / 10)} expected; ${limit}).`
}
