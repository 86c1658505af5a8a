import { addMonths, isPeriodStart, monthIndex, monthsIn, periodContaining, periodEnd, spanLabel } from './periods.ts'
import {
  benjaminiHochberg,
  compareCounts,
  describeSignal,
  exceedances,
  explainComparison,
  explainExceedance,
  quasiPoissonComparison,
  xmr,
  XMR_MINIMUM_POINTS,
  type Exceedance,
  type Point,
  type QuasiPoissonComparison,
  type RateComparison,
  type XmrResult,
} from './trends.ts'
import type { Frequency, Polarity, Unit } from './tables.ts'

export type Rag = 'red' | 'amber' | 'green'

export interface IndicatorMeta {
  name: string
  unit: Unit
  polarity: Polarity
  frequency: Frequency
  lag_days: number
}

export interface Target {
  value: number
  amber_margin: number
}

export interface Alert {
  kind: 'exceedance' | 'year-on-year' | 'spc'
  text: string
}

export interface Assessment {
  latest: Point | null
  previous: Point | null
  change: number | null
  changePercent: number | null
  sameTimeLastYear: Point | null
  target: Target | null
  rag: Rag | null
  dueBy: string | null
  stale: boolean
  /** Farrington over the recent months (monthly counts with enough history), else null. */
  farrington: Exceedance[] | null
  /** Farrington's verdict on the latest month. */
  latestExceedance: Exceedance | null
  /** The chosen (or default) two periods compared with the exact test, allowing for overdispersion. */
  yearOnYear: Judgement | null
  /** The XmR control chart's judgement, for any series of 12 or more points. */
  spc: SpcJudgement | null
  alerts: Alert[]
  /** Some value of the series is withheld from this viewer (disclosure.ts), so judgements that need it are not made. */
  withheld: boolean
}

/** Counts add up over longer periods; rates, percentages and times are averaged. */
export function isCount(unit: Unit): boolean {
  return unit === 'count'
}

/** RAG of a value against its target: green on target, amber within the margin (percent of the target), red beyond. */
export function ragFor(value: number, target: Target, polarity: Polarity): Rag {
  const margin = Math.abs(target.value) * (target.amber_margin / 100)
  if (polarity === 'up_good') return value >= target.value ? 'green' : value >= target.value - margin ? 'amber' : 'red'
  if (polarity === 'up_bad') return value <= target.value ? 'green' : value <= target.value + margin ? 'amber' : 'red'
  const off = Math.abs(value - target.value)
  return off === 0 ? 'green' : off <= margin ? 'amber' : 'red'
}

/** When the value after the latest is due: the end of the next period plus the indicator's lag. */
export function dueDate(latestPeriod: string, meta: Pick<IndicatorMeta, 'frequency' | 'lag_days'>): string {
  const next = addMonths(latestPeriod, monthsIn(meta.frequency))
  const end = new Date(`${periodEnd(next, meta.frequency)}T00:00:00Z`)
  end.setUTCDate(end.getUTCDate() + meta.lag_days)
  return end.toISOString().slice(0, 10)
}

/** Sums (counts) or averages (other units) the points that fall in [from, to] (month starts). */
export function total(points: Point[], from: string, to: string, unit: Unit): { value: number; months: number } | null {
  const inside = points.filter((p) => p.period >= from && p.period <= to)
  if (!inside.length) return null
  const sum = inside.reduce((s, p) => s + p.value, 0)
  return { value: isCount(unit) ? sum : Math.round((sum / inside.length) * 10) / 10, months: inside.length }
}

export interface Judgement {
  comparison: RateComparison
  choice: Comparison
  currentLabel: string
  previousLabel: string
  explanation: string
  /** Significant by the exact test and, when the months are overdispersed, by the quasi-Poisson test too. */
  significant: boolean
  worse: boolean
  /** The p-value the verdict rests on: the quasi-Poisson one when overdispersed, else the exact one. */
  pValue: number
  /** Quasi-Poisson check of the months in the two periods; null when there are too few periods to estimate it. */
  dispersion: QuasiPoissonComparison | null
  /** Benjamini-Hochberg adjusted p-value across every indicator and area compared, when adjusted. */
  adjustedP?: number
}

export interface SpcJudgement {
  points: number
  mean: number
  upper: number
  lower: number
  /** The latest point's variation: special cause (concerning or improving, by polarity), or common cause. */
  latest: 'concerning' | 'improving' | 'special' | 'common'
  text: string
  /** The points charted (the latest 36 at most) and the chart, for drawing it. */
  window: Point[]
  chart: XmrResult
}

/** A stretch of months, first and last month start inclusive. */
export interface Span {
  from: string
  to: string
}

/** The two stretches compared by the "real or chance?" test: `current` against `previous`. */
export interface Comparison {
  current: Span
  previous: Span
}

export function spanMonths(span: Span): number {
  return monthIndex(span.to) - monthIndex(span.from) + 1
}

/**
 * The comparison every page makes unless the reader chooses another: the latest complete financial
 * year against the one before, as the panel asks and the performance report answers. A series
 * without two complete financial years falls back to its latest 12 months against the 12 before
 * (the same periods for quarters and years, as they are whole parts of a year).
 */
export function defaultComparison(series: Point[], frequency: Frequency): Comparison | null {
  const latest = series.at(-1)
  if (!latest) return null
  const lastMonth = addMonths(latest.period, monthsIn(frequency) - 1)
  const yearOfLast = periodContaining(lastMonth, 'year')
  const complete = addMonths(yearOfLast, 11) === lastMonth ? yearOfLast : addMonths(yearOfLast, -12)
  const financial = { current: { from: complete, to: addMonths(complete, 11) }, previous: { from: addMonths(complete, -12), to: addMonths(complete, -1) } }
  if (completeTotal(series, financial.previous, frequency) !== null && completeTotal(series, financial.current, frequency) !== null) return financial
  const from = addMonths(lastMonth, -11)
  return { current: { from, to: lastMonth }, previous: { from: addMonths(from, -12), to: addMonths(lastMonth, -12) } }
}

/** The total of a span when every period of the series inside it has a value (and the span is whole periods), else null. */
export function completeTotal(series: Point[], span: Span, frequency: Frequency): number | null {
  const months = spanMonths(span)
  const step = monthsIn(frequency)
  if (months < step || months % step !== 0 || !isPeriodStart(span.from, frequency)) return null
  const inside = series.filter((p) => p.period >= span.from && p.period <= span.to)
  if (inside.length !== months / step) return null
  return inside.reduce((s, p) => s + p.value, 0)
}

/**
 * Everything the dashboard says about one indicator in one area: the latest value and its change,
 * RAG against the target, staleness, and the two alerts (a Farrington exceedance in the latest
 * month; a significant change over the last 12 months against the 12 before).
 */
export function assess(
  meta: IndicatorMeta,
  series: Point[],
  target: Target | null,
  today: string,
  options: { farringtonMonths?: number; comparison?: Comparison } = {},
): Assessment {
  const latest = series.at(-1) ?? null
  const previous = series.at(-2) ?? null
  const lastYear = latest ? series.find((p) => p.period === addMonths(latest.period, -12)) ?? null : null
  // A value withheld from this viewer (NaN, see disclosure.ts) takes every figure computed from it with it.
  const shown = (p: Point | null): p is Point => p !== null && Number.isFinite(p.value)
  const change = shown(latest) && shown(previous) ? latest.value - previous.value : null
  const changePercent = shown(latest) && shown(previous) && previous.value !== 0 ? ((latest.value - previous.value) / previous.value) * 100 : null
  const dueBy = latest ? dueDate(latest.period, meta) : null
  const stale = !latest || (dueBy !== null && today > dueBy)
  const rag = shown(latest) && target ? ragFor(latest.value, target, meta.polarity) : null

  const farrington = meta.frequency === 'month' && isCount(meta.unit) && options.farringtonMonths !== 0 ? exceedances(series, options.farringtonMonths ?? 36) : null
  const latestExceedance = farrington && latest ? (farrington.find((e) => e.period === latest.period) ?? null) : null

  const yearOnYear = judgeSeries(meta, series, options.comparison)
  const spc = judgeSpc(meta, series)

  const alerts: Alert[] = []
  if (latestExceedance?.alarm && meta.polarity !== 'up_good') alerts.push({ kind: 'exceedance', text: explainExceedance(latestExceedance) })
  if (yearOnYear?.significant && yearOnYear.worse) alerts.push({ kind: 'year-on-year', text: yearOnYear.explanation })
  // Where Farrington cannot judge (less than five years), the control chart can.
  if (!farrington && spc?.latest === 'concerning') alerts.push({ kind: 'spc', text: spc.text })

  const withheld = series.some((p) => !shown(p))
  return { latest, previous, change, changePercent, sameTimeLastYear: lastYear, target, rag, dueBy, stale, farrington, latestExceedance, yearOnYear, spc, alerts, withheld }
}

/** The "real or chance?" judgement of a count series over the periods chosen, or its default ones (before any adjustment). */
export function judgeSeries(meta: IndicatorMeta, series: Point[], comparison?: Comparison): Judgement | null {
  const choice = series.length && isCount(meta.unit) ? (comparison ?? defaultComparison(series, meta.frequency)) : null
  return choice ? judgeComparison(meta, series, choice) : null
}

/**
 * The "real or chance?" judgement of two periods: the exact Poisson test of their totals, and a
 * quasi-Poisson check of the periods within them. When the periods vary more than Poisson counts
 * would (dispersion above 1), the interval is widened and the verdict rests on the wider test.
 */
export function judgeComparison(meta: IndicatorMeta, series: Point[], choice: Comparison): Judgement | null {
  const current = completeTotal(series, choice.current, meta.frequency)
  const before = completeTotal(series, choice.previous, meta.frequency)
  // A total with a withheld month in it is withheld, and so is any test of it.
  if (current === null || before === null || !Number.isFinite(current) || !Number.isFinite(before)) return null
  const comparison = compareCounts(current, before, { currentMonths: spanMonths(choice.current), previousMonths: spanMonths(choice.previous) })
  const currentLabel = spanLabel(choice.current.from, choice.current.to)
  const previousLabel = spanLabel(choice.previous.from, choice.previous.to)
  const values = (span: Span) => series.filter((p) => p.period >= span.from && p.period <= span.to).map((p) => p.value)
  const fit = quasiPoissonComparison(values(choice.current), values(choice.previous))
  const dispersion = fit && fit.dispersion > 1 ? fit : null
  const pValue = dispersion ? Math.max(dispersion.pValue, comparison.pValue) : comparison.pValue
  const rose = (comparison.ratio ?? Infinity) > 1
  let explanation = explainComparison(comparison, { name: meta.name, currentLabel, previousLabel })
  if (dispersion) explanation += ` ${explainDispersion(dispersion, pValue < 0.05, comparison.pValue < 0.05)}`
  return {
    comparison,
    choice,
    currentLabel,
    previousLabel,
    explanation,
    significant: pValue < 0.05,
    worse: meta.polarity === 'up_bad' ? rose : meta.polarity === 'up_good' ? !rose : true,
    pValue,
    dispersion: fit,
  }
}

/** The XmR chart over the latest 36 points (12 at least), in plain English. */
export function judgeSpc(meta: Pick<IndicatorMeta, 'polarity' | 'frequency'>, series: Point[]): SpcJudgement | null {
  if (series.length < XMR_MINIMUM_POINTS) return null
  const window = series.slice(-36)
  if (window.some((p) => !Number.isFinite(p.value))) return null
  const chart = xmr(window.map((p) => p.value))
  const last = window.length - 1
  const now = chart.signals.filter((s) => s.positions.includes(last))
  const what = meta.frequency === 'month' ? 'months' : meta.frequency === 'quarter' ? 'quarters' : 'years'
  const range = `${fmt(chart.lower)} and ${fmt(chart.upper)}`
  const basis = `(XmR chart of the last ${window.length} ${what}, Making Data Count rules)`
  if (!now.length) {
    return { points: window.length, window, chart, mean: chart.mean, upper: chart.upper, lower: chart.lower, latest: 'common', text: `Common cause variation: the latest value is within what the last ${window.length} ${what} vary by (between ${range}, around an average of ${fmt(chart.mean)}), and no run or trend reaches it ${basis}.` }
  }
  const high = now.some((s) => s.direction === 'high')
  const latest = meta.polarity === 'neutral' ? 'special' : (meta.polarity === 'up_bad') === high ? 'concerning' : 'improving'
  const label = latest === 'special' ? 'Special cause variation' : `Special cause variation, ${latest}`
  return {
    points: window.length,
    window,
    chart,
    mean: chart.mean,
    upper: chart.upper,
    lower: chart.lower,
    latest,
    text: `${label}: ${now.map(describeSignal).join('; ')} (the limits are ${range}, around an average of ${fmt(chart.mean)}) ${basis}.`,
  }
}

const fmt = (n: number) => (Math.round(n * 10) / 10).toLocaleString('en-GB')

function explainDispersion(fit: QuasiPoissonComparison, significant: boolean, exactSignificant: boolean): string {
  const times = fmt(fit.dispersion)
  const widened = `The ${fit.degreesOfFreedom + 2} periods compared vary about ${times} times as much as chance alone would make them (quasi-Poisson), so the range is wider: the underlying rate is between ${fit.lower.toFixed(2)} and ${fit.upper.toFixed(2)} times what it was`
  if (significant) return `${widened}, and the change is still unlikely to be chance (p = ${fit.pValue < 0.001 ? '< 0.001' : fit.pValue.toFixed(3)}).`
  return `${widened}${exactSignificant ? ', so allowing for that it could be chance' : ''} (p = ${fit.pValue.toFixed(2)}).`
}

/**
 * False discovery control (Benjamini-Hochberg) across every indicator and area compared over the
 * same two periods: each judgement gets its adjusted p-value, and is significant only when that is
 * below 0.05, so that of all changes flagged about 1 in 20 at most is expected to be chance, on
 * every page alike. Tests of other periods (a series too short for the financial years falls back
 * to its latest 12 months) are a family of their own, so the financial years' family is the same
 * on the dashboard as in a report of that financial year.
 */
export function controlFalseDiscoveries(judgements: (Judgement | null)[]): void {
  const families = new Map<string, Judgement[]>()
  for (const j of judgements) {
    if (!j) continue
    const key = [j.choice.current.from, j.choice.current.to, j.choice.previous.from, j.choice.previous.to].map((m) => m.slice(0, 7)).join(' ')
    families.set(key, [...(families.get(key) ?? []), j])
  }
  for (const family of families.values()) {
    const adjusted = benjaminiHochberg(family.map((j) => j.pValue))
    family.forEach((j, i) => {
      j.adjustedP = adjusted[i]
      j.significant = adjusted[i] < 0.05
    })
  }
}

/** Rebuilds the alerts after the judgements were adjusted across areas. */
export function refreshAlerts(a: Assessment): void {
  a.alerts = a.alerts.filter((x) => x.kind !== 'year-on-year')
  if (a.yearOnYear?.significant && a.yearOnYear.worse) a.alerts.push({ kind: 'year-on-year', text: `${a.yearOnYear.explanation} ${fdrSentence(a.yearOnYear)}` })
}

export function fdrSentence(j: Judgement): string {
  const p = adjustedPText(j)
  return p === null ? '' : `Allowing for the many indicators and areas tested at once (Benjamini-Hochberg), the adjusted p-value is ${p}.`
}

/** The adjusted p-value as every page prints it ("0.320", "below 0.001"), or null when not adjusted. */
export function adjustedPText(j: Pick<Judgement, 'adjustedP'>): string | null {
  return j.adjustedP === undefined ? null : j.adjustedP < 0.001 ? 'below 0.001' : j.adjustedP.toFixed(3)
}

/** Fills the months between the first and last point with zeros (a month with no crimes of a kind). */
export function fillMonths(points: Point[], until?: string): Point[] {
  if (!points.length) return points
  const sorted = [...points].sort((a, b) => a.period.localeCompare(b.period))
  const byPeriod = new Map(sorted.map((p) => [p.period, p.value]))
  const last = until && until > sorted.at(-1)!.period ? until : sorted.at(-1)!.period
  const out: Point[] = []
  for (let i = monthIndex(sorted[0].period); i <= monthIndex(last); i++) {
    const period = addMonths(sorted[0].period, i - monthIndex(sorted[0].period))
    out.push({ period, value: byPeriod.get(period) ?? 0 })
  }
  return out
}

/** Rolls a monthly series up into quarters or financial years (complete periods only). */
export function rollUp(points: Point[], frequency: Frequency, unit: Unit): Point[] {
  if (frequency === 'month') return points
  const groups = new Map<string, number[]>()
  for (const p of points) {
    const key = periodContaining(p.period, frequency)
    groups.set(key, [...(groups.get(key) ?? []), p.value])
  }
  return [...groups.entries()]
    .filter(([, values]) => values.length === monthsIn(frequency))
    .map(([period, values]) => {
      const sum = values.reduce((a, b) => a + b, 0)
      return { period, value: isCount(unit) ? sum : Math.round((sum / values.length) * 10) / 10 }
    })
    .sort((a, b) => a.period.localeCompare(b.period))
}
