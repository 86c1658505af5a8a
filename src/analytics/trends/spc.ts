/**
 * Statistical process control for short series: the XmR (individuals and moving range) chart with
 * the rules of NHS England's "Making Data Count". It needs no seasonal history, so any series of
 * 12 or more points gets a judgement where Farrington (five years) cannot give one.
 *
 * Centre line: the mean of the baseline points. Process limits: the mean ± 2.66 times the mean
 * moving range (2.66 = 3 / d2, d2 = 1.128 for ranges of two points). Rules, as Making Data Count
 * states them: a point outside the limits; a run of 7 or more points on one side of the mean (a
 * shift); 7 or more points each higher (or each lower) than the one before (a trend); two of three
 * points in a row beyond two-thirds of the way to a limit on the same side.
 */

export const XMR_MINIMUM_POINTS = 12
const SIGMA_FACTOR = 2.66
const RUN = 7

export type SpcRule = 'outside-limits' | 'shift' | 'trend' | 'two-of-three'
export type SpcDirection = 'high' | 'low'

export interface SpcSignal {
  rule: SpcRule
  direction: SpcDirection
  /** Positions (0-based) of the points that make the signal. */
  positions: number[]
}

export interface XmrResult {
  mean: number
  /** Mean moving range of the baseline. */
  movingRange: number
  upper: number
  lower: number
  signals: SpcSignal[]
}

export interface XmrOptions {
  /** Points at the start used for the centre line and limits; default all. */
  baseline?: number
}

export function xmr(values: readonly number[], options: XmrOptions = {}): XmrResult {
  if (values.length < 2) throw new RangeError('an XmR chart needs at least 2 points')
  if (values.some((v) => !Number.isFinite(v))) throw new RangeError('values must be finite numbers')
  const base = values.slice(0, Math.max(2, Math.min(values.length, options.baseline ?? values.length)))
  const mean = base.reduce((s, v) => s + v, 0) / base.length
  let ranges = 0
  for (let i = 1; i < base.length; i++) ranges += Math.abs(base[i] - base[i - 1])
  const movingRange = ranges / (base.length - 1)
  const upper = mean + SIGMA_FACTOR * movingRange
  const lower = mean - SIGMA_FACTOR * movingRange
  const signals: SpcSignal[] = []

  values.forEach((v, i) => {
    if (v > upper) signals.push({ rule: 'outside-limits', direction: 'high', positions: [i] })
    else if (v < lower) signals.push({ rule: 'outside-limits', direction: 'low', positions: [i] })
  })

  // Runs on one side of the mean (a point on the mean breaks the run).
  runsOf(values.map((v) => (v > mean ? 'high' : v < mean ? 'low' : null)), RUN, (direction, positions) => signals.push({ rule: 'shift', direction, positions }))

  // Runs of consecutive rises or falls: 7 points means 6 steps in one direction (a tie breaks it).
  const steps = values.map((v, i) => (i === 0 ? null : v > values[i - 1] ? 'high' : v < values[i - 1] ? 'low' : null))
  runsOf(steps, RUN - 1, (direction, positions) => signals.push({ rule: 'trend', direction, positions: [positions[0] - 1, ...positions] }))

  // Two of three beyond two-thirds of the way to a limit (2 sigma), on the same side.
  const nearHigh = mean + (2 / 3) * (upper - mean)
  const nearLow = mean - (2 / 3) * (mean - lower)
  const marked = new Set<string>()
  for (let i = 0; i + 2 < values.length; i++) {
    for (const direction of ['high', 'low'] as const) {
      const near = [i, i + 1, i + 2].filter((k) => (direction === 'high' ? values[k] > nearHigh : values[k] < nearLow))
      if (near.length >= 2) {
        // Each pair or triple once, though two windows of three may share it.
        const key = `${direction}${near.join()}`
        if (!marked.has(key)) signals.push({ rule: 'two-of-three', direction, positions: near })
        marked.add(key)
      }
    }
  }
  return { mean, movingRange, upper, lower, signals }
}

function runsOf(sides: (SpcDirection | null)[], length: number, found: (direction: SpcDirection, positions: number[]) => void): void {
  let start = 0
  for (let i = 1; i <= sides.length; i++) {
    if (i < sides.length && sides[i] !== null && sides[i] === sides[start]) continue
    if (sides[start] !== null && i - start >= length) found(sides[start]!, Array.from({ length: i - start }, (_, k) => start + k))
    start = i
  }
}

/** "a shift: 8 points in a row above the average", for the plain-English judgement. */
export function describeSignal(signal: SpcSignal): string {
  const side = signal.direction === 'high' ? 'above' : 'below'
  const n = signal.positions.length
  if (signal.rule === 'outside-limits') return `a point ${side} the ${signal.direction === 'high' ? 'upper' : 'lower'} process limit`
  if (signal.rule === 'shift') return `a shift: ${n} points in a row ${side} the average`
  if (signal.rule === 'trend') return `a trend: ${n} points in a row each ${signal.direction === 'high' ? 'higher' : 'lower'} than the one before`
  return `2 of 3 points in a row close to the ${signal.direction === 'high' ? 'upper' : 'lower'} process limit`
}
