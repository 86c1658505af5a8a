/**
 * The few distribution functions the trend methods need (normal, Student t, Poisson, negative
 * binomial, binomial, beta), written from the textbook definitions: regularised incomplete gamma
 * and beta functions by series and continued fraction, and quantiles by search on the CDF.
 * Accuracy is around 1e-12 relative, far below the 0.1% the Farrington thresholds must match.
 */

const EPS = 1e-15
const TINY = 1e-300
const MAX_ITERATIONS = 100_000

// Lanczos approximation (g = 7, 9 terms): about 15 significant digits for x > 0.
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
]

/** Natural logarithm of the gamma function, for x > 0. */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x)
  const z = x - 1
  let sum = LANCZOS[0]
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i] / (z + i)
  const t = z + 7.5
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum)
}

/** Stirling's correction: logGamma(x) - [(x - 1/2) log x - x + log(2 pi) / 2], for x >= 20. */
function stirlingCorrection(x: number): number {
  const x2 = x * x
  return (1 / 12 - (1 / 360 - (1 / 1260 - 1 / (1680 * x2)) / x2) / x2) / x
}

export function logBeta(a: number, b: number): number {
  const big = Math.max(a, b)
  const small = Math.min(a, b)
  if (big < 20) return logGamma(a) + logGamma(b) - logGamma(a + b)
  // logGamma(big + small) - logGamma(big) written so that nothing large cancels: the negative
  // binomial of a barely overdispersed series has size in the millions.
  const difference =
    (big - 0.5) * Math.log1p(small / big) + small * Math.log(big + small) - small + stirlingCorrection(big + small) - stirlingCorrection(big)
  return logGamma(small) - difference
}

/** log of n choose k. */
export function logChoose(n: number, k: number): number {
  return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1)
}

/** Regularised lower incomplete gamma P(a, x) and its complement Q(a, x), computed without cancellation. */
function incompleteGamma(a: number, x: number): { lower: number; upper: number } {
  if (x <= 0) return { lower: 0, upper: 1 }
  const logFront = a * Math.log(x) - x - logGamma(a)
  if (x < a + 1) {
    let term = 1 / a
    let sum = term
    for (let n = 1; n < MAX_ITERATIONS; n++) {
      term *= x / (a + n)
      sum += term
      if (Math.abs(term) < Math.abs(sum) * EPS) break
    }
    const lower = Math.exp(logFront) * sum
    return { lower, upper: 1 - lower }
  }
  // Continued fraction for Q (modified Lentz).
  let b = x + 1 - a
  let c = 1 / TINY
  let d = 1 / b
  let h = d
  for (let i = 1; i < MAX_ITERATIONS; i++) {
    const an = -i * (i - a)
    b += 2
    d = an * d + b
    if (Math.abs(d) < TINY) d = TINY
    c = b + an / c
    if (Math.abs(c) < TINY) c = TINY
    d = 1 / d
    const delta = d * c
    h *= delta
    if (Math.abs(delta - 1) < EPS) break
  }
  const upper = Math.exp(logFront) * h
  return { lower: 1 - upper, upper }
}

function betaContinuedFraction(a: number, b: number, x: number): number {
  const qab = a + b
  const qap = a + 1
  const qam = a - 1
  let c = 1
  let d = 1 - (qab * x) / qap
  if (Math.abs(d) < TINY) d = TINY
  d = 1 / d
  let h = d
  for (let m = 1; m < MAX_ITERATIONS; m++) {
    const m2 = 2 * m
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2))
    d = 1 + aa * d
    if (Math.abs(d) < TINY) d = TINY
    c = 1 + aa / c
    if (Math.abs(c) < TINY) c = TINY
    d = 1 / d
    h *= d * c
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2))
    d = 1 + aa * d
    if (Math.abs(d) < TINY) d = TINY
    c = 1 + aa / c
    if (Math.abs(c) < TINY) c = TINY
    d = 1 / d
    const delta = d * c
    h *= delta
    if (Math.abs(delta - 1) < EPS) break
  }
  return h
}

/**
 * Regularised incomplete beta I_x(a, b) and its complement 1 - I_x(a, b), each accurate in its own
 * tail (the complement is not formed by subtraction when it is the small one).
 */
export function incompleteBeta(x: number, a: number, b: number, complement = 1 - x): { lower: number; upper: number } {
  if (x <= 0) return { lower: 0, upper: 1 }
  if (complement <= 0) return { lower: 1, upper: 0 }
  // `complement` (1 - x) may be passed exactly: when x is within 1e-9 of 1 and a is huge, log(x)
  // from a rounded x would be wrong in the seventh digit.
  const logX = x > 0.5 ? Math.log1p(-complement) : Math.log(x)
  const logComplement = complement > 0.5 ? Math.log1p(-x) : Math.log(complement)
  const logFront = a * logX + b * logComplement - logBeta(a, b)
  if (x < (a + 1) / (a + b + 2)) {
    const lower = (Math.exp(logFront) * betaContinuedFraction(a, b, x)) / a
    return { lower, upper: 1 - lower }
  }
  const upper = (Math.exp(logFront) * betaContinuedFraction(b, a, complement)) / b
  return { lower: 1 - upper, upper }
}

/** Standard normal CDF. */
export function normalCdf(x: number): number {
  // Phi(x) = Q(1/2, x^2/2) / 2 for x < 0, which keeps the lower tail exact.
  const q = incompleteGamma(0.5, (x * x) / 2).upper / 2
  return x < 0 ? q : 1 - q
}

function normalDensity(x: number): number {
  return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI)
}

/** Standard normal quantile: a rational first guess (Abramowitz and Stegun 26.2.23) polished by Newton steps. */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) {
    if (p === 0) return -Infinity
    if (p === 1) return Infinity
    return NaN
  }
  const tail = p < 0.5 ? p : 1 - p
  const t = Math.sqrt(-2 * Math.log(tail))
  let x = t - (2.515517 + 0.802853 * t + 0.010328 * t * t) / (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t)
  if (p < 0.5) x = -x
  for (let i = 0; i < 8; i++) {
    // Work in the smaller tail so the residual is not lost to rounding.
    const residual = p < 0.5 ? normalCdf(x) - p : 1 - p - (1 - normalCdf(x))
    const step = residual / normalDensity(x)
    x -= step
    if (Math.abs(step) < 1e-15 * Math.max(1, Math.abs(x))) break
  }
  return x
}

/** Two-sided p-value of a Student t statistic with `df` degrees of freedom: P(|T| >= |t|). */
export function studentTwoSidedP(t: number, df: number): number {
  if (!Number.isFinite(t)) return 0
  const t2 = t * t
  // For a small |t| the p-value is 1 minus something tiny: compute that tiny part directly, so
  // that a p-value just below 1 is not rounded to 1 (it decides whether a trend is kept when the
  // threshold is 1).
  if (t2 < df) return incompleteBeta(t2 / (df + t2), 0.5, df / 2, df / (df + t2)).upper
  return incompleteBeta(df / (df + t2), df / 2, 0.5, t2 / (df + t2)).lower
}

/** P(X <= k) for X ~ Poisson(mu). */
export function poissonCdf(k: number, mu: number): number {
  if (k < 0) return 0
  return incompleteGamma(Math.floor(k) + 1, mu).upper
}

/** P(X <= k) for X ~ negative binomial with mean `mu` and size (dispersion) `size`: variance mu + mu^2/size. */
export function negativeBinomialCdf(k: number, size: number, mu: number): number {
  if (k < 0) return 0
  // With an enormous size the distribution is Poisson to double precision, and the beta
  // continued fraction would need millions of terms.
  if (mu < 1e-10 * size) return poissonCdf(k, mu)
  return incompleteBeta(size / (size + mu), size, Math.floor(k) + 1, mu / (size + mu)).lower
}

// The search starts from the normal approximation; thresholds use one p many times over.
let lastP = NaN
let lastZ = NaN
function startingQuantile(p: number): number {
  if (p !== lastP) {
    lastP = p
    lastZ = normalQuantile(p)
  }
  return lastZ
}

/**
 * Smallest integer k with cdf(k) >= p, searching from a normal-approximation start. The small
 * relative fuzz keeps a CDF that equals p up to rounding from skipping to the next integer.
 */
function discreteQuantile(p: number, mean: number, variance: number, cdf: (k: number) => number): number {
  const target = p * (1 - 64 * Number.EPSILON)
  let k = Math.max(0, Math.floor(mean + startingQuantile(p) * Math.sqrt(variance)))
  if (cdf(k) >= target) {
    while (k > 0 && cdf(k - 1) >= target) k--
    return k
  }
  while (cdf(k) < target) k++
  return k
}

/** Quantile of Poisson(mu). */
export function poissonQuantile(p: number, mu: number): number {
  if (mu === 0) return 0
  return discreteQuantile(p, mu, mu, (k) => poissonCdf(k, mu))
}

/** Quantile of the negative binomial with mean `mu` and size `size`. */
export function negativeBinomialQuantile(p: number, size: number, mu: number): number {
  if (mu === 0) return 0
  return discreteQuantile(p, mu, mu + (mu * mu) / size, (k) => negativeBinomialCdf(k, size, mu))
}

/** log P(X = k) for X ~ Binomial(n, p). */
export function binomialLogDensity(k: number, n: number, p: number): number {
  if (p === 0) return k === 0 ? 0 : -Infinity
  if (p === 1) return k === n ? 0 : -Infinity
  return logChoose(n, k) + k * Math.log(p) + (n - k) * Math.log1p(-p)
}

/** P(X <= k) and P(X >= k) for X ~ Binomial(n, p), each accurate in its own tail. */
export function binomialTails(k: number, n: number, p: number): { atMost: number; atLeast: number } {
  const atMost = k >= n ? 1 : k < 0 ? 0 : incompleteBeta(p, k + 1, n - k).upper
  const atLeast = k <= 0 ? 1 : k > n ? 0 : incompleteBeta(p, k, n - k + 1).lower
  return { atMost, atLeast }
}

/** Quantile of Beta(a, b): the x with I_x(a, b) = p, by bisection (monotone, so it cannot fail). */
export function betaQuantile(p: number, a: number, b: number): number {
  if (p <= 0) return 0
  if (p >= 1) return 1
  let lo = 0
  let hi = 1
  for (let i = 0; i < 200 && hi - lo > 1e-17; i++) {
    const mid = (lo + hi) / 2
    const { lower, upper } = incompleteBeta(mid, a, b)
    // Compare in the smaller tail so tiny probabilities keep their precision.
    const below = p < 0.5 ? lower < p : upper > 1 - p
    if (below) lo = mid
    else hi = mid
  }
  return (lo + hi) / 2
}
