/**
 * Is a change between two counts more than chance? The exact test of two Poisson counts:
 * conditional on their total N, the current count is binomial with success probability
 * p0 = E_current / (E_current + E_previous) when the underlying rate has not changed (E being the
 * exposures, e.g. the lengths of the two periods). The same test as R's `poisson.test(c(x1, x2), T)`.
 */
import { betaQuantile, binomialLogDensity, binomialTails } from './distributions.ts'

export interface RateTestOptions {
  /** Exposure of the current count (e.g. days, or population); default 1. */
  currentExposure?: number
  /** Exposure of the previous count; default 1. */
  previousExposure?: number
  /** Confidence level of the interval; default 0.95. */
  confidenceLevel?: number
}

export interface RateTest {
  current: number
  previous: number
  /** Rate ratio, current over previous (per unit of exposure); null when previous is 0. */
  ratio: number | null
  /** Relative change, ratio - 1 (0.566 for +56.6%); null when previous is 0. */
  change: number | null
  /** Exact two-sided p-value of "the underlying rate did not change". */
  pValue: number
  confidenceLevel: number
  /** Exact (Clopper-Pearson) confidence interval of the rate ratio; `upper` is null when unbounded. */
  lower: number
  upper: number | null
}

function requireCount(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative whole number (got ${value})`)
}

/**
 * Two-sided exact binomial p-value by the minimum-likelihood rule: the probability of every
 * outcome no more likely than the one observed (with a relative tolerance of 1e-7 for ties, as
 * R's `binom.test`). The probabilities fall monotonically away from the mean n p, so the edge of
 * the far tail is found by bisection and the tails come from the incomplete beta function: the
 * cost does not grow with the counts.
 */
export function binomialTwoSidedP(x: number, n: number, p: number): number {
  const mean = n * p
  if (n === 0 || x === mean) return 1
  const bound = binomialLogDensity(x, n, p) + Math.log1p(1e-7)
  const asLikely = (k: number) => binomialLogDensity(k, n, p) > bound
  if (x < mean) {
    // First k above the mean that is no more likely than x (n + 1 if none).
    let inside = Math.ceil(mean) - 1
    let outside = n + 1
    while (outside - inside > 1) {
      const mid = Math.floor((inside + outside) / 2)
      if (asLikely(mid)) inside = mid
      else outside = mid
    }
    const far = outside <= n ? binomialTails(outside, n, p).atLeast : 0
    return Math.min(1, binomialTails(x, n, p).atMost + far)
  }
  // Last k below the mean that is no more likely than x (-1 if none).
  let outside = -1
  let inside = Math.floor(mean) + 1
  while (inside - outside > 1) {
    const mid = Math.floor((inside + outside) / 2)
    if (asLikely(mid)) inside = mid
    else outside = mid
  }
  const far = outside >= 0 ? binomialTails(outside, n, p).atMost : 0
  return Math.min(1, binomialTails(x, n, p).atLeast + far)
}

/**
 * Exact test and confidence interval for the ratio of two Poisson rates.
 *
 * @example poissonRateTest(1027, 656) // ratio 1.566, p about 1.4e-19, 95% CI 1.418 to 1.729
 */
export function poissonRateTest(current: number, previous: number, options: RateTestOptions = {}): RateTest {
  const { currentExposure = 1, previousExposure = 1, confidenceLevel = 0.95 } = options
  requireCount('current', current)
  requireCount('previous', previous)
  if (!(currentExposure > 0 && previousExposure > 0)) throw new RangeError('exposures must be positive')
  if (!(confidenceLevel > 0 && confidenceLevel < 1)) throw new RangeError('confidenceLevel must be between 0 and 1')
  const n = current + previous
  const share = currentExposure / (currentExposure + previousExposure)
  const alpha = 1 - confidenceLevel
  // Clopper-Pearson interval for the current count's share of the total, then turned into a ratio of rates.
  const shareLow = current === 0 ? 0 : betaQuantile(alpha / 2, current, n - current + 1)
  const shareHigh = current === n ? 1 : betaQuantile(1 - alpha / 2, current + 1, n - current)
  const toRatio = (s: number) => (s / (1 - s)) * (previousExposure / currentExposure)
  const ratio = previous === 0 ? null : current / currentExposure / (previous / previousExposure)
  return {
    current,
    previous,
    ratio,
    change: ratio === null ? null : ratio - 1,
    pValue: binomialTwoSidedP(current, n, share),
    confidenceLevel,
    lower: toRatio(shareLow),
    upper: shareHigh >= 1 ? null : toRatio(shareHigh),
  }
}
