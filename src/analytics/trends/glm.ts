/**
 * The log-link Poisson GLM of the Farrington method, fitted by iteratively reweighted least
 * squares, with the quasi-Poisson quantities the method reads from it (dispersion, variances of
 * the intercept and the trend, hat values).
 *
 * The design is always an intercept, optionally a linear time term, and optionally a seasonal
 * factor. Every row belongs to one level, so the level columns are orthogonal and X'WX is an
 * "arrowhead": a diagonal block for the levels bordered by the intercept and time. Eliminating
 * the levels (a Schur complement) leaves a 2 x 2 system, so an iteration costs time linear in the
 * rows and levels, which is what makes 225 series fast.
 */

export interface SeasonalDesign {
  /** Time of each row (used only when `withTrend`). */
  time: Float64Array
  /** Index (0-based) of each row's seasonal level among the non-reference levels, or -1 for the reference level. */
  level: Int32Array
  /** Number of non-reference levels. */
  levels: number
  withTrend: boolean
}

export interface PoissonFit {
  /** Log mean of the reference level at time 0. */
  intercept: number
  /** Change of the log mean per period (0 without trend). */
  slope: number
  /** Effect of each non-reference level. */
  levelEffects: Float64Array
  fitted: Float64Array
  /** Diagonal of the hat matrix W^1/2 X (X' W X)^-1 X' W^1/2. */
  hat: Float64Array
  /** Diagonal entries of (X' W X)^-1 for the intercept and the slope: variances before scaling by the dispersion. */
  interceptVariance: number
  slopeVariance: number
  /** Pearson estimate, about sum(w (y - mu)^2 / mu) / (n - p), not floored. */
  dispersion: number
  residualDf: number
  converged: boolean
}

const MAX_ITERATIONS = 25
const TOLERANCE = 1e-8
/** A pivot this much smaller than its diagonal means X'WX is singular to working precision. */
const SINGULAR = 1e-13

/**
 * The normal equations X'WX beta = X'Wz gathered by level, and their solution. The sums over the
 * reference level are kept apart, so eliminating the levels involves no subtraction of nearly
 * equal sums even when the reference level's weights are vanishingly small (a window of zeros).
 */
class ArrowheadSystem {
  /** Sums of w, w t, w t^2, w z, w t z: slot 0 for the reference level, slot L + 1 for level L. */
  readonly sums: Float64Array
  // Inverse of the Schur complement: the intercept and slope block of (X'WX)^-1.
  s00 = 0
  s01 = 0
  s11 = 0

  constructor(
    readonly levels: number,
    readonly withTrend: boolean,
  ) {
    this.sums = new Float64Array(5 * (levels + 1))
  }

  /** Solves for the coefficients; false when the system is singular. */
  solve(out: { intercept: number; slope: number; levelEffects: Float64Array }): boolean {
    const sums = this.sums
    const c00 = sums[0]
    const c01 = sums[1]
    const q0 = sums[3]
    let c11 = sums[2]
    let q1 = sums[4]
    for (let k = 5; k < sums.length; k += 5) {
      const d = sums[k]
      if (!(d > 0)) return false
      // Within-level parts: what is left of the level's sums once its own effect is fitted.
      c11 += sums[k + 2] - (sums[k + 1] * sums[k + 1]) / d
      q1 += sums[k + 4] - (sums[k + 1] * sums[k + 3]) / d
    }
    if (!(c00 > 0)) return false
    if (this.withTrend) {
      const det = c00 * c11 - c01 * c01
      if (!(det > SINGULAR * c00 * c11)) return false
      this.s00 = c11 / det
      this.s01 = -c01 / det
      this.s11 = c00 / det
      out.intercept = this.s00 * q0 + this.s01 * q1
      out.slope = this.s01 * q0 + this.s11 * q1
    } else {
      this.s00 = 1 / c00
      this.s01 = this.s11 = 0
      out.intercept = q0 / c00
      out.slope = 0
    }
    for (let l = 0, k = 5; l < this.levels; l++, k += 5) {
      out.levelEffects[l] = (sums[k + 3] - sums[k] * out.intercept - sums[k + 1] * out.slope) / sums[k]
    }
    return true
  }

  /**
   * x' (X'WX)^-1 x for a row at time t in `level` (-1: reference). By the block inverse, a level
   * row adds 1/d and shifts the bordered part by the level's weighted mean time: with
   * v = (0, t - e/d), the form is 1/d + v' S^-1 v.
   */
  quadraticForm(level: number, t: number): number {
    const time = this.withTrend ? t : 0
    if (level < 0) return this.s00 + 2 * this.s01 * time + this.s11 * time * time
    const k = 5 * (level + 1)
    const d = this.sums[k]
    const shifted = this.withTrend ? time - this.sums[k + 1] / d : 0
    return 1 / d + this.s11 * shifted * shifted
  }
}

/**
 * Fits log E[y] = X beta by IRLS, started from mu = y + 0.1 and stopped when the deviance changes
 * by less than 1e-8 relative (at most 25 iterations), the usual choices for Poisson GLMs, which
 * keep the estimates within rounding of R's `glm`. Returns null when X' W X is singular.
 */
export function fitPoissonGlm(design: SeasonalDesign, y: Float64Array, priorWeights?: Float64Array): PoissonFit | null {
  const n = y.length
  const { time, level, withTrend } = design
  const prior = priorWeights ?? new Float64Array(n).fill(1)
  const mu = new Float64Array(n)
  const eta = new Float64Array(n)
  // y log y once, so the deviance 2 sum w (y log(y / mu) - (y - mu)) takes no logarithm per iteration.
  const yLogY = new Float64Array(n)
  const workingWeights = new Float64Array(n)
  let dev = 0
  for (let i = 0; i < n; i++) {
    mu[i] = y[i] + 0.1
    eta[i] = Math.log(mu[i])
    yLogY[i] = y[i] > 0 ? y[i] * Math.log(y[i]) : 0
    dev += 2 * prior[i] * (yLogY[i] - y[i] * eta[i] - (y[i] - mu[i]))
  }
  const system = new ArrowheadSystem(design.levels, withTrend)
  const beta = { intercept: 0, slope: 0, levelEffects: new Float64Array(design.levels) }
  let converged = false

  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    const sums = system.sums
    sums.fill(0)
    for (let i = 0; i < n; i++) {
      const w = prior[i] * mu[i]
      workingWeights[i] = w
      const t = time[i]
      const wz = w * (eta[i] + (y[i] - mu[i]) / mu[i])
      const k = 5 * (level[i] + 1)
      sums[k] += w
      sums[k + 1] += w * t
      sums[k + 2] += w * t * t
      sums[k + 3] += wz
      sums[k + 4] += wz * t
    }
    if (!system.solve(beta)) return null
    const previous = dev
    dev = 0
    for (let i = 0; i < n; i++) {
      eta[i] = beta.intercept + beta.slope * time[i] + (level[i] >= 0 ? beta.levelEffects[level[i]] : 0)
      mu[i] = Math.exp(eta[i])
      dev += 2 * prior[i] * (yLogY[i] - y[i] * eta[i] - (y[i] - mu[i]))
    }
    if (Math.abs(dev - previous) / (Math.abs(dev) + 0.1) < TOLERANCE) {
      converged = true
      break
    }
  }

  // The variances and hat values use the last iteration's weights, as R's do.
  const hat = new Float64Array(n)
  let used = n
  let pearson = 0
  for (let i = 0; i < n; i++) {
    hat[i] = workingWeights[i] * system.quadraticForm(level[i], time[i])
    // Periods of weight 0 are left out, as R's glm leaves them out of the degrees of freedom.
    if (!(prior[i] > 0)) used--
    // R's Pearson sum: the last iteration's working weights times the final working residuals.
    pearson += workingWeights[i] * ((y[i] - mu[i]) / mu[i]) ** 2
  }
  const residualDf = used - (1 + (withTrend ? 1 : 0) + design.levels)
  return {
    intercept: beta.intercept,
    slope: beta.slope,
    levelEffects: beta.levelEffects,
    fitted: mu,
    hat,
    interceptVariance: system.s00,
    slopeVariance: system.s11,
    dispersion: residualDf > 0 ? pearson / residualDf : NaN,
    residualDf,
    converged,
  }
}
