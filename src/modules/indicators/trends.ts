/**
 * The indicators module's one door to the pure trends library (src/analytics/trends/): which
 * periods Farrington flags, and whether a change between two periods is more than chance. Pages,
 * reports and the PDF read these results and their plain-English explanations from here only.
 */
import { explainChange, farrington, firstAssessablePosition, poissonRateTest, presetControl } from '../../analytics/trends/index.ts'

export { benjaminiHochberg, describeSignal, quasiPoissonComparison, xmr, XMR_MINIMUM_POINTS, type QuasiPoissonComparison, type SpcSignal, type XmrResult } from '../../analytics/trends/index.ts'
import { monthIndex, periodLabel } from './periods.ts'

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
  /** 95% confidence interval of the ratio (exact). */
  lower: number | null
  upper: number | null
  /** Two-sided exact p-value of "the underlying rate did not change". */
  pValue: number
  /** Lengths of the two periods (their ratio is the exposure of the test); equal unless chosen otherwise. */
  currentMonths?: number
  previousMonths?: number
}

/**
 * The exact Poisson comparison of two counts (the library's `poissonRateTest`, as R's
 * `poisson.test`), over equal lengths of time unless the months of each are given.
 */
export function compareCounts(current: number, previous: number, lengths: { currentMonths?: number; previousMonths?: number } = {}): RateComparison {
  const t = poissonRateTest(current, previous, { currentExposure: lengths.currentMonths ?? 1, previousExposure: lengths.previousMonths ?? 1 })
  return { current, previous, ratio: t.ratio, lower: t.lower, upper: t.upper, pValue: t.pValue, currentMonths: lengths.currentMonths ?? 1, previousMonths: lengths.previousMonths ?? 1 }
}

/** "Is the change real or chance?", in plain English with its statistical basis (the library's wording). */
export function explainComparison(c: RateComparison, what: { name: string; currentLabel: string; previousLabel: string }): string {
  const test = poissonRateTest(c.current, c.previous, { currentExposure: c.currentMonths ?? 1, previousExposure: c.previousMonths ?? 1 })
  return explainChange(test, { subject: `From ${what.previousLabel} to ${what.currentLabel}, ${lowerFirst(what.name)}` })
}

function lowerFirst(name: string): string {
  // Keep acronyms and numbers ("NRM referrals", "101 calls") as they are.
  return /^[A-Z][a-z]/.test(name) ? name[0].toLowerCase() + name.slice(1) : name
}

const fmt = (n: number) => n.toLocaleString('en-GB', { maximumFractionDigits: 1 })

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
