/**
 * Are the months more variable than chance alone would make them? The exact Poisson test assumes
 * each month's count varies only as a Poisson count does; crime counts usually vary more
 * (overdispersion), which makes that test too ready to call a change real. The quasi-Poisson
 * model, as R's `glm(count ~ period, family = quasipoisson)` with a term for each of the two
 * periods compared, estimates the dispersion from the months themselves (Pearson's statistic
 * over its degrees of freedom) and widens the interval of the rate ratio by its square root.
 */
import { studentTwoSidedP } from './distributions.ts'

export interface QuasiPoissonComparison {
  /** Pearson dispersion: 1 for Poisson variation, above 1 when the months vary more. */
  dispersion: number
  degreesOfFreedom: number
  /** Rate ratio per month, current over previous. */
  ratio: number
  /** Standard error of log(ratio), widened by sqrt(dispersion). */
  standardError: number
  /** Two-sided p-value of the t statistic (as R's summary of a quasi-Poisson fit). */
  pValue: number
  /** 95% interval of the ratio: log(ratio) ± t(0.975, df) × standard error. */
  lower: number
  upper: number
}

/** The t quantile by bisection on the two-sided p-value (only the 95% point is needed). */
function studentQuantile975(df: number): number {
  let lo = 0
  let hi = 1000
  for (let k = 0; k < 200; k++) {
    const mid = (lo + hi) / 2
    if (studentTwoSidedP(mid, df) > 0.05) lo = mid
    else hi = mid
  }
  return (lo + hi) / 2
}

/**
 * Compares the months of `current` with those of `previous` (each a list of monthly counts).
 * Null when either period has no cases or there are too few months to estimate the dispersion.
 */
export function quasiPoissonComparison(current: readonly number[], previous: readonly number[]): QuasiPoissonComparison | null {
  const df = current.length + previous.length - 2
  if (df < 1 || !current.length || !previous.length) return null
  const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length
  const m1 = mean(current)
  const m0 = mean(previous)
  if (m1 <= 0 || m0 <= 0) return null
  let pearson = 0
  for (const y of current) pearson += (y - m1) ** 2 / m1
  for (const y of previous) pearson += (y - m0) ** 2 / m0
  const dispersion = pearson / df
  const estimate = Math.log(m1 / m0)
  const standardError = Math.sqrt(dispersion * (1 / (m1 * current.length) + 1 / (m0 * previous.length)))
  const t = estimate / standardError
  const q = studentQuantile975(df)
  return {
    dispersion,
    degreesOfFreedom: df,
    ratio: m1 / m0,
    standardError,
    pValue: studentTwoSidedP(t, df),
    lower: Math.exp(estimate - q * standardError),
    upper: Math.exp(estimate + q * standardError),
  }
}
