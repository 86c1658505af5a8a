import { presetControl, type FarringtonControl, type FarringtonMethod } from './controls.ts'
import { farringtonCounts, firstAssessablePosition } from './farrington.ts'
import { parsePeriod } from './periods.ts'
import { periodLabel, toCountSeries, type CountSeries, type Observation } from './series.ts'

/** Options of `farrington`: a method's preset, any control overridden, and the periods to assess. */
export interface FarringtonOptions extends Partial<FarringtonControl> {
  /** Preset controls of Farrington et al. 1996 ("original") or Noufaily et al. 2013 ("improved", the default). */
  method?: FarringtonMethod
  /** First period to assess (`YYYY-MM` or `YYYY-Www`); default the first with b years of history. */
  from?: string
  /** Last period to assess; default the last of the series. */
  to?: string
}

/** Farrington's verdict on one period. */
export interface FarringtonResult {
  period: string
  count: number
  /** Expected count, or null where R gives NA (fewer than limit54 cases recently). */
  expected: number | null
  /** Threshold; a count above it is an exceedance. Null where R gives NA. */
  upperbound: number | null
  /** The count exceeds the threshold. */
  alarm: boolean
  /** The model for this period kept a linear trend. */
  trend: boolean
}

function positionOf(label: string, series: CountSeries, what: string): number {
  const parsed = parsePeriod(label)
  if (!parsed) throw new RangeError(`${what} period "${label}" is neither YYYY-MM nor YYYY-Www`)
  if (parsed.frequency !== series.frequency) throw new RangeError(`${what} period "${label}" is not of the series' kind (${series.frequency === 12 ? 'months' : 'weeks'})`)
  return parsed.index - series.startIndex
}

/** Resolves the controls for a series of this frequency: the method's preset, then the overrides. */
export function resolveControl(options: FarringtonOptions, frequency: 12 | 52): FarringtonControl {
  const { method = 'improved', from: _from, to: _to, ...overrides } = options
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined))
  const control = { ...presetControl(method, frequency), ...defined }
  // R's default: leave out as many recent periods as the window is wide.
  if (overrides.pastWeeksNotIncluded === undefined && overrides.w !== undefined && method === 'original') {
    control.pastWeeksNotIncluded = control.w
  }
  return control
}

/**
 * Runs the Farrington method, as R's `surveillance::farringtonFlexible` does, over a monthly or
 * weekly series (consecutive periods, oldest first) and returns one verdict per assessed period.
 * Throws `SeriesError` for a malformed series and `RangeError` for impossible controls or periods.
 *
 * @example farrington(rows, { method: 'improved', b: 4, w: 2, pastWeeksNotIncluded: 2, from: '2016-04' })
 */
export function farrington(observations: readonly Observation[], options: FarringtonOptions = {}): FarringtonResult[] {
  const series = toCountSeries(observations)
  const control = resolveControl(options, series.frequency)
  const earliest = firstAssessablePosition(series.frequency, control)
  const from = options.from === undefined ? earliest : positionOf(options.from, series, 'from')
  const to = options.to === undefined ? series.counts.length - 1 : positionOf(options.to, series, 'to')
  if (earliest > series.counts.length - 1) {
    throw new RangeError(`the series has ${series.counts.length} periods; b = ${control.b} and w = ${control.w} need more than ${earliest}`)
  }
  if (from < earliest) {
    throw new RangeError(`${options.from} has less than b = ${control.b} years of history; the first period that can be assessed is ${periodLabel(series, earliest)}`)
  }
  if (to > series.counts.length - 1 || to < from) throw new RangeError(`to period ${options.to} is not between ${periodLabel(series, from)} and the end of the series`)
  return farringtonCounts(series.counts, series.frequency, control, from, to).map((point) => ({
    period: periodLabel(series, point.position),
    count: point.count,
    expected: point.expected,
    upperbound: point.upperbound,
    alarm: point.alarm,
    trend: point.trend,
  }))
}
