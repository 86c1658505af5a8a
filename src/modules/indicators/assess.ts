import { addMonths, isPeriodStart, monthIndex, monthsIn, periodContaining, periodEnd, spanLabel } from './periods.ts'
import { compareCounts, exceedances, explainComparison, explainExceedance, type Exceedance, type Point, type RateComparison } from './trends.ts'
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
  kind: 'exceedance' | 'year-on-year'
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
  /** The chosen (or default) two periods compared with the exact test. */
  yearOnYear: { comparison: RateComparison; choice: Comparison; currentLabel: string; previousLabel: string; explanation: string; significant: boolean; worse: boolean } | null
  alerts: Alert[]
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
  const change = latest && previous ? latest.value - previous.value : null
  const changePercent = latest && previous && previous.value !== 0 ? ((latest.value - previous.value) / previous.value) * 100 : null
  const dueBy = latest ? dueDate(latest.period, meta) : null
  const stale = !latest || (dueBy !== null && today > dueBy)
  const rag = latest && target ? ragFor(latest.value, target, meta.polarity) : null

  const farrington = meta.frequency === 'month' && isCount(meta.unit) && options.farringtonMonths !== 0 ? exceedances(series, options.farringtonMonths ?? 36) : null
  const latestExceedance = farrington && latest ? (farrington.find((e) => e.period === latest.period) ?? null) : null

  let yearOnYear: Assessment['yearOnYear'] = null
  if (latest && isCount(meta.unit)) {
    const choice = options.comparison ?? defaultComparison(series, meta.frequency)
    const current = choice && completeTotal(series, choice.current, meta.frequency)
    const before = choice && completeTotal(series, choice.previous, meta.frequency)
    if (choice && current !== null && before !== null) {
      const comparison = compareCounts(current, before, { currentMonths: spanMonths(choice.current), previousMonths: spanMonths(choice.previous) })
      const currentLabel = spanLabel(choice.current.from, choice.current.to)
      const previousLabel = spanLabel(choice.previous.from, choice.previous.to)
      const significant = comparison.pValue < 0.05
      const rose = (comparison.ratio ?? Infinity) > 1
      const worse = meta.polarity === 'up_bad' ? rose : meta.polarity === 'up_good' ? !rose : true
      yearOnYear = {
        comparison,
        choice,
        currentLabel,
        previousLabel,
        explanation: explainComparison(comparison, { name: meta.name, currentLabel, previousLabel }),
        significant,
        worse,
      }
    }
  }

  const alerts: Alert[] = []
  if (latestExceedance?.alarm && meta.polarity !== 'up_good') alerts.push({ kind: 'exceedance', text: explainExceedance(latestExceedance) })
  if (yearOnYear?.significant && yearOnYear.worse) alerts.push({ kind: 'year-on-year', text: yearOnYear.explanation })

  return { latest, previous, change, changePercent, sameTimeLastYear: lastYear, target, rag, dueBy, stale, farrington, latestExceedance, yearOnYear, alerts }
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
