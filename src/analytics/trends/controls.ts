import type { Frequency } from './periods.ts'

export type PowerTransform = '2/3' | '1/2' | 'none'
export type ThresholdMethod = 'delta' | 'nbPlugin' | 'muan'
export type FarringtonMethod = 'original' | 'improved'

/** The controls of R's `farringtonFlexible`, with the same names and meanings. */
export interface FarringtonControl {
  /** Years back in the baseline. */
  b: number
  /** Half-width of the window around the same period in past years. */
  w: number
  /** Down-weight past outbreaks by their Anscombe residuals. */
  reweight: boolean
  /** Anscombe residual above which a baseline count is down-weighted (1 original, 2.58 improved). */
  weightsThreshold: number
  /** One-sided: the threshold is the (1 - alpha) quantile of the predictive distribution. */
  alpha: number
  /** Fit a linear time trend (kept only when significant, not extrapolating, and b >= 3). */
  trend: boolean
  /** Keep the trend only if its p-value is below this (0.05 original, 1 improved). */
  pThresholdTrend: number
  /** No alarm, and no expected value, unless at least `cases` were counted in the last `periods` periods (this one included). */
  limit54: [cases: number, periods: number]
  /** Transformation of the count for the "delta" threshold. */
  powertrans: PowerTransform
  /** Levels of the seasonal factor: 1 uses only the windows (original), 10 the whole past (improved). */
  noPeriods: number
  /** Most recent periods left out of the baseline. */
  pastWeeksNotIncluded: number
  /** "delta" (Farrington 1996), "nbPlugin" (Noufaily 2013) or "muan" (negative binomial at the upper limit of the mean). */
  thresholdMethod: ThresholdMethod
}

/**
 * The controls of each paper. Weekly series take the papers' values (b = 5 years, a 7-week window,
 * and for the improved method the last 26 weeks left out). Monthly series use a 5-month window
 * and leave out the last 6 months (half a year, as the 26 weeks are) for the improved method.
 */
export function presetControl(method: FarringtonMethod, frequency: Frequency): FarringtonControl {
  const w = frequency === 52 ? 3 : 2
  const common = { b: 5, w, reweight: true, alpha: 0.05, trend: true, limit54: [5, 4] as [number, number], powertrans: '2/3' as const }
  if (method === 'original') {
    return { ...common, weightsThreshold: 1, pThresholdTrend: 0.05, noPeriods: 1, pastWeeksNotIncluded: w, thresholdMethod: 'delta' }
  }
  return {
    ...common,
    weightsThreshold: 2.58,
    pThresholdTrend: 1,
    noPeriods: 10,
    pastWeeksNotIncluded: frequency === 52 ? 26 : 6,
    thresholdMethod: 'nbPlugin',
  }
}

function requireInteger(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) throw new RangeError(`${name} must be a whole number of at least ${min} (got ${value})`)
}

/** Throws a RangeError naming the first control that makes no sense for this frequency. */
export function validateControl(control: FarringtonControl, frequency: Frequency): void {
  requireInteger('b', control.b, 1)
  requireInteger('w', control.w, 0)
  if (2 * control.w + 1 >= frequency) throw new RangeError(`w = ${control.w} leaves no room between windows in a year of ${frequency} periods`)
  requireInteger('noPeriods', control.noPeriods, 1)
  requireInteger('pastWeeksNotIncluded', control.pastWeeksNotIncluded, 0)
  requireInteger('limit54 cases', control.limit54[0], 0)
  requireInteger('limit54 periods', control.limit54[1], 1)
  if (!(control.alpha > 0 && control.alpha < 1)) throw new RangeError(`alpha must be between 0 and 1 (got ${control.alpha})`)
  if (!(control.weightsThreshold > 0)) throw new RangeError(`weightsThreshold must be positive (got ${control.weightsThreshold})`)
  if (!(control.pThresholdTrend >= 0 && control.pThresholdTrend <= 1)) {
    throw new RangeError(`pThresholdTrend must be between 0 and 1 (got ${control.pThresholdTrend})`)
  }
  if (!['2/3', '1/2', 'none'].includes(control.powertrans)) throw new RangeError(`powertrans must be "2/3", "1/2" or "none"`)
  if (!['delta', 'nbPlugin', 'muan'].includes(control.thresholdMethod)) throw new RangeError(`thresholdMethod must be delta, nbPlugin or muan`)
}
