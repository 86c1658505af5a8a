/**
 * Changes between periods of a count series, each with the exact Poisson test, and the plain
 * English the indicators pages show for them.
 */
import { parsePeriod } from './periods.ts'
import { poissonRateTest, type RateTest, type RateTestOptions } from './poisson-test.ts'
import { periodLabel, toCountSeries, type CountSeries, type Observation } from './series.ts'

/** Two stretches of a series compared: `current` against `previous`, with the test. */
export interface PeriodComparison {
  /** First and last period of each stretch (the same period when it is one period long). */
  current: { from: string; to: string; count: number }
  previous: { from: string; to: string; count: number }
  test: RateTest
}

function positionOf(series: CountSeries, label: string): number {
  const parsed = parsePeriod(label)
  if (!parsed || parsed.frequency !== series.frequency) throw new RangeError(`"${label}" is not a period of this series`)
  const position = parsed.index - series.startIndex
  if (position < 0 || position >= series.counts.length) throw new RangeError(`${label} is outside the series`)
  return position
}

function stretch(series: CountSeries, end: number, length: number): { from: string; to: string; count: number } {
  const start = end - length + 1
  if (start < 0) throw new RangeError(`the series does not reach back ${length} period(s) before ${periodLabel(series, end)}`)
  let count = 0
  for (let k = start; k <= end; k++) count += series.counts[k]
  return { from: periodLabel(series, start), to: periodLabel(series, end), count }
}

/**
 * Compares the `length` periods ending at `end` (default the latest) with the `length` periods
 * ending `lag` periods earlier; both may depend on the series' frequency.
 */
function compareStretches(
  observations: readonly Observation[],
  end: string | undefined,
  shape: (frequency: number) => { length: number; lag: number },
  options?: RateTestOptions,
): PeriodComparison {
  const series = toCountSeries(observations)
  const { length, lag } = shape(series.frequency)
  const last = end === undefined ? series.counts.length - 1 : positionOf(series, end)
  const current = stretch(series, last, length)
  const previous = stretch(series, last - lag, length)
  return { current, previous, test: poissonRateTest(current.count, previous.count, options) }
}

/** A period (default the latest) against the same period a year earlier (12 months or 52 weeks back). */
export function yearOnYear(observations: readonly Observation[], period?: string, options?: RateTestOptions): PeriodComparison {
  return compareStretches(observations, period, (frequency) => ({ length: 1, lag: frequency }), options)
}

/** A period (default the latest) against the period just before it. */
export function periodOnPeriod(observations: readonly Observation[], period?: string, options?: RateTestOptions): PeriodComparison {
  return compareStretches(observations, period, () => ({ length: 1, lag: 1 }), options)
}

/**
 * The rolling twelve-month comparison: the year ending at `period` (default the latest) against
 * the year before it (12 months, or 52 weeks for a weekly series).
 */
export function rolling12(observations: readonly Observation[], period?: string, options?: RateTestOptions): PeriodComparison {
  return compareStretches(observations, period, (frequency) => ({ length: frequency, lag: frequency }), options)
}

const whole = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 })
const oneDecimal = new Intl.NumberFormat('en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 })
const twoDecimals = new Intl.NumberFormat('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 })

/** "less than 1 time in 1,000", "about 1 time in 14", "about 6 times in 10". */
export function chanceInWords(pValue: number): string {
  if (pValue < 0.001) return 'less than 1 time in 1,000'
  if (pValue < 0.5) return `about 1 time in ${whole.format(Math.round(1 / pValue))}`
  return `about ${Math.min(10, Math.round(pValue * 10))} times in 10`
}

export interface ExplainOptions {
  /** What is counted, to start the sentence ("Drug trafficking offences"); without it the sentence starts with the verb. */
  subject?: string
  /** p-value below which the change is called unlikely to be chance; default 0.05. */
  significance?: number
  /** Add a sentence with the confidence interval of the rate ratio; default true. */
  interval?: boolean
}

/**
 * The change in plain English with its statistical basis, e.g. "rose from 656 to 1,027 (+56.6%);
 * a rise this large would happen by chance less than 1 time in 1,000, so it is unlikely to be
 * chance (exact Poisson test, p < 0.001)."
 */
export function explainChange(test: RateTest, options: ExplainOptions = {}): string {
  const { subject, significance = 0.05, interval = true } = options
  const { previous, current, change, pValue } = test
  const from = whole.format(previous)
  const to = whole.format(current)
  let movement: string
  let kind: string
  if (current === previous) {
    movement = `stayed at ${to}`
    kind = 'change'
  } else {
    const verb = current > previous ? 'rose' : 'fell'
    kind = current > previous ? 'rise' : 'fall'
    const percent = change === null ? '' : ` (${change > 0 ? '+' : '\u2212'}${oneDecimal.format(Math.abs(change) * 100)}%)`
    movement = `${verb} from ${from} to ${to}${percent}`
  }
  const start = subject ? `${subject} ${movement}` : movement
  if (current === previous) return `${start}; no change to explain.`
  const p = pValue < 0.001 ? 'p < 0.001' : `p = ${pValue < 0.01 ? pValue.toFixed(3) : pValue.toFixed(2)}`
  const verdict = pValue < significance ? 'so it is unlikely to be chance' : 'so it could well be chance'
  let text = `${start}; a ${kind} this large would happen by chance ${chanceInWords(pValue)}, ${verdict} (exact Poisson test, ${p}).`
  if (interval && test.upper !== null) {
    const level = `${Math.round(test.confidenceLevel * 100)}%`
    text += ` With ${level} confidence the underlying rate is between ${twoDecimals.format(test.lower)} and ${twoDecimals.format(test.upper)} times what it was.`
  }
  return text
}
