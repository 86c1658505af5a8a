/**
 * The log-link Poisson GLM of the Farrington method, fitted by iteratively reweighted least
 * squares, with the quasi-Poisson quantities the method reads from it (dispersion, covariance, hat
 * values).
 *
 * The design is always an intercept, optionally a linear time term, and optionally a seasonal
 * factor: each row has at most three non-zero entries. Building X'WX row by row from those keeps
 * an iteration linear in the number of rows, which is what makes 225 series fast.
 */

export interface SeasonalDesign {
  /** Time of each row (used only when `withTrend`). */
  time: Float64Array
  /** Column of each row's seasonal level, or -1 for the reference level (the intercept alone). */
  levelColumn: Int32Array
  withTrend: boolean
  /** Number of columns: 1 (intercept) + 1 if trend + one per non-reference level present. */
  columns: number
}

export interface PoissonFit {
  coefficients: Float64Array
  fitted: Float64Array
  /** (X' W X)^-1 with W the final working weights: the covariance before scaling by the dispersion. */
  unscaledCovariance: Float64Array[]
  /** Diagonal of the hat matrix W^1/2 X (X' W X)^-1 X' W^1/2. */
  hat: Float64Array
  /** Pearson estimate sum(w (y - mu)^2 / mu) / (n - p), not floored. */
  dispersion: number
  residualDf: number
  converged: boolean
}

const MAX_ITERATIONS = 25
const TOLERANCE = 1e-8

/** In-place Cholesky factorisation (lower triangle) of a p x p matrix; false if not positive definite. */
function choleskyInPlace(a: Float64Array[], p: number): boolean {
  for (let j = 0; j < p; j++) {
    const scale = a[j][j]
    let diag = scale
    for (let k = 0; k < j; k++) diag -= a[j][k] * a[j][k]
    // Relative test: the column of a level whose counts are all zero has tiny but valid weights.
    if (!(diag > 1e-10 * scale)) return false
    const root = Math.sqrt(diag)
    a[j][j] = root
    for (let i = j + 1; i < p; i++) {
      let s = a[i][j]
      for (let k = 0; k < j; k++) s -= a[i][k] * a[j][k]
      a[i][j] = s / root
    }
  }
  return true
}

function solveWithCholesky(l: Float64Array[], p: number, rhs: Float64Array, out: Float64Array): void {
  for (let i = 0; i < p; i++) {
    let s = rhs[i]
    for (let k = 0; k < i; k++) s -= l[i][k] * out[k]
    out[i] = s / l[i][i]
  }
  for (let i = p - 1; i >= 0; i--) {
    let s = out[i]
    for (let k = i + 1; k < p; k++) s -= l[k][i] * out[k]
    out[i] = s / l[i][i]
  }
}

function inverseFromCholesky(l: Float64Array[], p: number): Float64Array[] {
  const inverse = Array.from({ length: p }, () => new Float64Array(p))
  const unit = new Float64Array(p)
  const column = new Float64Array(p)
  for (let j = 0; j < p; j++) {
    unit.fill(0)
    unit[j] = 1
    solveWithCholesky(l, p, unit, column)
    for (let i = 0; i < p; i++) inverse[i][j] = column[i]
  }
  return inverse
}

/** Adds row i's contribution weight * x_i x_i' and weight * z * x_i to the normal equations. */
function accumulateRow(design: SeasonalDesign, i: number, weight: number, z: number, xtwx: Float64Array[], xtwz: Float64Array): void {
  const level = design.levelColumn[i]
  xtwx[0][0] += weight
  xtwz[0] += weight * z
  if (design.withTrend) {
    const t = design.time[i]
    xtwx[1][0] += weight * t
    xtwx[1][1] += weight * t * t
    xtwz[1] += weight * t * z
    if (level >= 0) xtwx[level][1] += weight * t
  }
  if (level >= 0) {
    xtwx[level][0] += weight
    xtwx[level][level] += weight
    xtwz[level] += weight * z
  }
}

function linearPredictor(design: SeasonalDesign, beta: Float64Array, i: number): number {
  let eta = beta[0]
  if (design.withTrend) eta += beta[1] * design.time[i]
  const level = design.levelColumn[i]
  if (level >= 0) eta += beta[level]
  return eta
}

/** x_i' C x_i for the sparse row i. */
function rowQuadraticForm(design: SeasonalDesign, c: Float64Array[], i: number): number {
  const level = design.levelColumn[i]
  let q = c[0][0]
  if (design.withTrend) {
    const t = design.time[i]
    q += 2 * t * c[1][0] + t * t * c[1][1]
    if (level >= 0) q += 2 * t * c[level][1]
  }
  if (level >= 0) q += 2 * c[level][0] + c[level][level]
  return q
}

function poissonDeviance(y: ArrayLike<number>, mu: Float64Array, w: ArrayLike<number> | undefined): number {
  let dev = 0
  for (let i = 0; i < y.length; i++) {
    const term = y[i] > 0 ? y[i] * Math.log(y[i] / mu[i]) : 0
    dev += 2 * (w ? w[i] : 1) * (term - (y[i] - mu[i]))
  }
  return dev
}

/**
 * Fits log E[y] = X beta by IRLS, started from mu = y + 0.1 and stopped when the deviance changes
 * by less than 1e-8 relative (at most 25 iterations): the usual choices for Poisson GLMs, which
 * keep the estimates within rounding of R's `glm`. Returns null when X' W X is singular.
 */
export function fitPoissonGlm(design: SeasonalDesign, y: ArrayLike<number>, priorWeights?: ArrayLike<number>): PoissonFit | null {
  const n = y.length
  const p = design.columns
  const mu = new Float64Array(n)
  const eta = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    mu[i] = y[i] + 0.1
    eta[i] = Math.log(mu[i])
  }
  let deviance = poissonDeviance(y, mu, priorWeights)
  const beta = new Float64Array(p)
  const xtwx = Array.from({ length: p }, () => new Float64Array(p))
  const xtwz = new Float64Array(p)
  const workingWeights = new Float64Array(n)
  let converged = false

  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    for (const row of xtwx) row.fill(0)
    xtwz.fill(0)
    for (let i = 0; i < n; i++) {
      const weight = (priorWeights ? priorWeights[i] : 1) * mu[i]
      workingWeights[i] = weight
      accumulateRow(design, i, weight, eta[i] + (y[i] - mu[i]) / mu[i], xtwx, xtwz)
    }
    if (!choleskyInPlace(xtwx, p)) return null
    solveWithCholesky(xtwx, p, xtwz, beta)
    for (let i = 0; i < n; i++) {
      eta[i] = linearPredictor(design, beta, i)
      mu[i] = Math.exp(eta[i])
    }
    const previous = deviance
    deviance = poissonDeviance(y, mu, priorWeights)
    if (Math.abs(deviance - previous) / (Math.abs(deviance) + 0.1) < TOLERANCE) {
      converged = true
      break
    }
  }

  // xtwx now holds the Cholesky factor of the last iteration's X' W X.
  const covariance = inverseFromCholesky(xtwx, p)
  const hat = new Float64Array(n)
  let pearson = 0
  for (let i = 0; i < n; i++) {
    hat[i] = workingWeights[i] * rowQuadraticForm(design, covariance, i)
    pearson += ((priorWeights ? priorWeights[i] : 1) * (y[i] - mu[i]) ** 2) / mu[i]
  }
  // Periods of weight 0 are left out, as R's glm leaves them out of the degrees of freedom.
  let used = n
  if (priorWeights) for (let i = 0; i < n; i++) if (!(priorWeights[i] > 0)) used--
  const residualDf = used - p
  return {
    coefficients: beta,
    fitted: mu,
    unscaledCovariance: covariance,
    hat,
    dispersion: residualDf > 0 ? pearson / residualDf : NaN,
    residualDf,
    converged,
  }
}
