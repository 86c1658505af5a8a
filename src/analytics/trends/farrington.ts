/**
 * The Farrington outbreak-detection method (Farrington et al. 1996) and its improved form
 * (Noufaily et al. 2013), as R's `surveillance::farringtonFlexible` runs it. Implemented from the
 * papers; R 1.20.3 served only as the oracle the tests compare with. Where R departs from the
 * papers, the comments say so and the code follows R, because users compare the two.
 */
import { baselineStart, selectBaseline, type BaselineSpec } from './baseline.ts'
import { validateControl, type FarringtonControl } from './controls.ts'
import { negativeBinomialQuantile, normalQuantile, poissonQuantile, studentTwoSidedP } from './distributions.ts'
import { fitPoissonGlm, type PoissonFit, type SeasonalDesign } from './glm.ts'
import type { Frequency } from './periods.ts'

/** The outcome for one period; `expected` and `upperbound` are null where R gives NA. */
export interface FarringtonPoint {
  /** Position in the series. */
  position: number
  count: number
  /** Expected count: the model's prediction for this period. */
  expected: number | null
  /** Threshold: a count above it raises an alarm. */
  upperbound: number | null
  alarm: boolean
  /** Whether the linear trend was kept in the model for this period. */
  trend: boolean
  /** Overdispersion (at least 1) of the model used for the threshold. */
  dispersion: number | null
}

interface ModelResult {
  fit: PoissonFit
  withTrend: boolean
  /** Dispersion floored at 1: the one used for the sampling variance of the new count. */
  dispersion: number
  /**
   * Dispersion that scales the estimation variance of the prediction and the trend's t-test.
   * Without reweighting it is the model's own Pearson estimate (not floored). After reweighting,
   * R 1.20.3 uses sum(w ((y - mu) / mu)^2) / (n - p) instead: matching that is what makes the
   * "delta" and "muan" thresholds, and the decision to keep a trend, agree with R.
   */
  estimationDispersion: number
}

/**
 * Intercept, optional time, and one column per seasonal level present besides the windows' (level
 * 0, the reference), so the prediction for t is the intercept. A level with no baseline period
 * gets no column, as R drops such an aliased column.
 */
function buildDesign(positions: readonly number[], levels: readonly number[], t: number, withTrend: boolean): SeasonalDesign {
  const indexOf = new Map<number, number>()
  for (const level of [...new Set(levels)].sort((a, b) => a - b)) if (level !== 0) indexOf.set(level, indexOf.size)
  const n = positions.length
  const time = new Float64Array(n)
  const level = new Int32Array(n)
  for (let i = 0; i < n; i++) {
    // Time is counted from t, so the prediction has time 0 and the columns stay well scaled.
    time[i] = positions[i] - t
    level[i] = indexOf.get(levels[i]) ?? -1
  }
  return { time, level, levels: indexOf.size, withTrend }
}

/**
 * Anscombe residuals of a quasi-Poisson fit (Farrington et al. 1996, section 3.3). A period that
 * is the only one of its seasonal level is fitted exactly (hat value 1): its residual is taken as
 * 0, so it keeps full weight. (R computes 0/0 there, and whether that gives NaN, and drops the
 * period, depends on rounding; Lantern keeps the period, which only matters for a baseline of
 * one year with a one-period window.)
 */
function anscombeResiduals(fit: PoissonFit, y: Float64Array, dispersion: number): Float64Array {
  const residuals = new Float64Array(y.length)
  for (let i = 0; i < y.length; i++) {
    const mu = fit.fitted[i]
    const leverage = 1 - fit.hat[i]
    if (leverage < 1e-8) continue
    const numerator = 1.5 * (Math.cbrt(y[i] * y[i]) * mu ** (-1 / 6) - Math.sqrt(mu))
    residuals[i] = numerator / Math.sqrt(dispersion * leverage)
  }
  return residuals
}

/** Weights s^-2 for residuals s above the threshold, 1 otherwise, scaled to sum to n. */
function outbreakWeights(residuals: Float64Array, threshold: number): Float64Array {
  const weights = residuals.map((s) => (s > threshold ? 1 / (s * s) : 1))
  const total = weights.reduce((a, b) => a + b, 0)
  return weights.map((v) => (v * weights.length) / total)
}

function fitModel(y: Float64Array, positions: readonly number[], levels: readonly number[], t: number, withTrend: boolean, control: FarringtonControl): ModelResult | null {
  const design = buildDesign(positions, levels, t, withTrend)
  const fit = fitPoissonGlm(design, y)
  if (!fit) return null
  if (!control.reweight) {
    return { fit, withTrend, dispersion: Math.max(1, fit.dispersion), estimationDispersion: fit.dispersion }
  }
  const weights = outbreakWeights(anscombeResiduals(fit, y, Math.max(1, fit.dispersion)), control.weightsThreshold)
  const refit = fitPoissonGlm(design, y, weights)
  if (!refit) return null
  let relative = 0
  for (let i = 0; i < y.length; i++) relative += weights[i] * ((y[i] - refit.fitted[i]) / refit.fitted[i]) ** 2
  return { fit: refit, withTrend, dispersion: Math.max(1, refit.dispersion), estimationDispersion: relative / refit.residualDf }
}

function trendPValue(model: ModelResult): number {
  const { fit } = model
  const se = Math.sqrt(model.estimationDispersion * fit.slopeVariance)
  return studentTwoSidedP(fit.slope / se, fit.residualDf)
}

/**
 * Whether the trend passes the significance test. A threshold of 1 (the improved method) keeps
 * every trend: p < 1 fails only for a slope that is zero to rounding, and whether R's p-value then
 * prints as 1 depends on that rounding, so R keeps such a trend more often than not.
 */
function isSignificant(model: ModelResult, pThresholdTrend: number): boolean {
  return pThresholdTrend >= 1 || trendPValue(model) < pThresholdTrend
}

/** The prediction at t is the intercept alone: time 0, reference (window) level. */
function predictAtT(model: ModelResult): { mu: number; etaVariance: number } {
  const { fit } = model
  return { mu: Math.exp(fit.intercept), etaVariance: model.estimationDispersion * fit.interceptVariance }
}

/** Quantile of the negative binomial with mean mu and variance phi * mu (Poisson when phi is 1). */
function countQuantile(p: number, mu: number, dispersion: number): number {
  if (!Number.isFinite(mu)) return NaN
  return dispersion > 1 ? negativeBinomialQuantile(p, mu / (dispersion - 1), mu) : poissonQuantile(p, mu)
}

function threshold(mu: number, etaVariance: number, dispersion: number, control: FarringtonControl, z: number): number {
  switch (control.thresholdMethod) {
    case 'delta': {
      // Variance of y0 - mu0 by the delta method: phi mu0 (the new count) + mu0^2 var(eta0) (the estimate).
      const tau = Math.sqrt(dispersion * mu + mu * mu * etaVariance)
      if (control.powertrans === '2/3') return mu * (1 + ((2 / 3) * z * tau) / mu) ** 1.5
      if (control.powertrans === '1/2') return mu * (1 + (z * tau) / (2 * mu)) ** 2
      return mu + z * tau
    }
    case 'nbPlugin':
      return countQuantile(1 - control.alpha, mu, dispersion)
    case 'muan':
      return countQuantile(1 - control.alpha, Math.exp(Math.log(mu) + z * Math.sqrt(etaVariance)), dispersion)
  }
}

function largest(values: Float64Array): number {
  let max = -Infinity
  for (const v of values) if (v > max) max = v
  return max
}

function sumOfRecent(counts: readonly number[], t: number, periods: number): number {
  let sum = 0
  for (let k = Math.max(0, t - periods + 1); k <= t; k++) sum += counts[k]
  return sum
}

/**
 * Assesses position t of a series (0-based). The series must reach back b * frequency + w
 * periods before t; `z` may be passed to save recomputing the normal quantile of 1 - alpha.
 */
export function farringtonAt(
  counts: readonly number[],
  frequency: Frequency,
  t: number,
  control: FarringtonControl,
  z = normalQuantile(1 - control.alpha),
): FarringtonPoint {
  const spec: BaselineSpec = { frequency, ...control }
  if (baselineStart(t, spec) < 0) throw new RangeError(`position ${t} has less than b = ${control.b} years of history before it`)
  const count = counts[t]
  const none: FarringtonPoint = { position: t, count, expected: null, upperbound: null, alarm: false, trend: false, dispersion: null }
  // Farrington et al. 3.8, counting this period as R does: too few recent cases, no assessment.
  if (sumOfRecent(counts, t, control.limit54[1]) < control.limit54[0]) return none

  const { positions, levels } = selectBaseline(t, spec)
  const y = Float64Array.from(positions, (k) => counts[k])

  let model: ModelResult | null = null
  // Farrington et al.: a trend needs at least three years of baseline, and is kept only if
  // significant and if it does not predict beyond the largest baseline count.
  if (control.trend && control.b >= 3) {
    const withTrend = fitModel(y, positions, levels, t, true, control)
    if (withTrend && isSignificant(withTrend, control.pThresholdTrend) && predictAtT(withTrend).mu <= largest(y)) {
      model = withTrend
    }
  }
  model ??= fitModel(y, positions, levels, t, false, control)
  if (!model) return none

  const { mu, etaVariance } = predictAtT(model)
  const upperbound = threshold(mu, etaVariance, model.dispersion, control, z)
  // R reports neither value when the threshold cannot be computed (an all-zero window makes the
  // "muan" mean infinite).
  if (!Number.isFinite(upperbound)) return none
  return { position: t, count, expected: mu, upperbound, alarm: count > upperbound, trend: model.withTrend, dispersion: model.dispersion }
}

/** The first position of a series that has enough history for these controls. */
export function firstAssessablePosition(frequency: Frequency, control: Pick<FarringtonControl, 'b' | 'w'>): number {
  return control.b * frequency + control.w
}

/** Assesses positions `from` to `to` (inclusive, 0-based) of a series of counts. */
export function farringtonCounts(
  counts: readonly number[],
  frequency: Frequency,
  control: FarringtonControl,
  from = firstAssessablePosition(frequency, control),
  to = counts.length - 1,
): FarringtonPoint[] {
  validateControl(control, frequency)
  const z = normalQuantile(1 - control.alpha)
  const points: FarringtonPoint[] = []
  for (let t = from; t <= to; t++) points.push(farringtonAt(counts, frequency, t, control, z))
  return points
}
