import { addMonths, monthIndex, monthsIn, periodContaining, periodEnd, periodLabel } from './periods.ts'
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
  yearOnYear: { comparison: RateComparison; currentLabel: string; previousLabel: string; explanation: string; significant: boolean; worse: boolean } | null
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

/**
 * Everything the dashboard says about one indicator in one area: the latest value and its change,
 * RAG against the target, staleness, and the two alerts (a Farrington exceedance in the latest
 * month; a significant change over the last 12 months against the 12 before).
 */
export function assess(meta: IndicatorMeta, series: Point[], target: Target | null, today: string, options: { farringtonMonths?: number } = {}): Assessment {
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
    const span = meta.frequency === 'month' ? 12 : monthsIn(meta.frequency)
    const to = latest.period
    const from = addMonths(to, -(span === 12 ? 11 : 0))
    const current = total(series, from, addMonths(to, monthsIn(meta.frequency) - 1), meta.unit)
    const before = total(series, addMonths(from, -12), addMonths(to, -12 + monthsIn(meta.frequency) - 1), meta.unit)
    const expected = meta.frequency === 'month' ? 12 : 1
    const currentPoints = series.filter((p) => p.period >= from && p.period <= to).length
    const beforePoints = series.filter((p) => p.period >= addMonths(from, -12) && p.period <= addMonths(to, -12)).length
    if (current && before && currentPoints === expected && beforePoints === expected) {
      const comparison = compareCounts(current.value, before.value)
      const label = (start: string, end: string) =>
        meta.frequency === 'month' ? `the 12 months to ${periodLabel(end, 'month')}` : periodLabel(start, meta.frequency)
      const currentLabel = label(from, to)
      const previousLabel = label(addMonths(from, -12), addMonths(to, -12))
      const significant = comparison.pValue < 0.05
      const rose = comparison.current > comparison.previous
      const worse = meta.polarity === 'up_bad' ? rose : meta.polarity === 'up_good' ? !rose : true
      yearOnYear = {
        comparison,
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
