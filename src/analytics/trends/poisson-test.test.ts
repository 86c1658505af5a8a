import { describe, expect, it } from 'vitest'
import { binomialLogDensity } from './distributions.ts'
import { binomialTwoSidedP, poissonRateTest } from './poisson-test.ts'

/** a / b for BigInts of any size, as a double. */
function bigRatio(a: bigint, b: bigint): number {
  if (a === 0n) return 0
  const shift = BigInt(b.toString(2).length - a.toString(2).length + 64)
  const scaled = shift >= 0n ? (a << shift) / b : a / (b << -shift)
  return Number(scaled) * 2 ** -Number(shift)
}

/**
 * The exact two-sided p-value for equal exposures computed a second way: every binomial
 * coefficient of row n in exact integer arithmetic, summing those no larger than C(n, x).
 */
function exactSymmetricP(x: number, n: number): number {
  const row: bigint[] = [1n]
  for (let k = 1; k <= n; k++) row.push((row[k - 1] * BigInt(n - k + 1)) / BigInt(k))
  const observed = row[x]
  const total = row.filter((c) => c <= observed).reduce((a, b) => a + b, 0n)
  return bigRatio(total, 1n << BigInt(n))
}

/** P(X >= k) and P(X <= k) by summing probabilities term by term (no incomplete beta). */
function summedTails(k: number, n: number, p: number): { atLeast: number; atMost: number } {
  let atLeast = 0
  let atMost = 0
  for (let j = 0; j <= n; j++) {
    const d = Math.exp(binomialLogDensity(j, n, p))
    if (j >= k) atLeast += d
    if (j <= k) atMost += d
  }
  return { atLeast, atMost }
}

describe('poissonRateTest', () => {
  it('drug trafficking offences 656 -> 1,027: clearly more than chance', () => {
    const test = poissonRateTest(1027, 656)
    expect(test.ratio).toBeCloseTo(1027 / 656, 12)
    expect(test.change).toBeCloseTo(0.5655, 4)
    const exact = exactSymmetricP(656, 1683)
    expect(exact).toBeGreaterThan(1e-20)
    expect(test.pValue / exact).toBeCloseTo(1, 9)
    expect(test.pValue).toBeLessThan(0.001)
    // R 4.2: poisson.test(c(1027, 656)) gives p-value 1.35887e-19 and interval 1.418069 1.729315.
    expect(test.pValue / 1.35887e-19).toBeCloseTo(1, 4)
    expect(test.lower).toBeCloseTo(1.418069, 5)
    expect(test.upper).toBeCloseTo(1.729315, 5)
  })

  it('a 13% rise on a small count (46 -> 52) is not significant', () => {
    const test = poissonRateTest(52, 46)
    expect(test.change).toBeCloseTo(0.1304, 4)
    expect(test.pValue).toBeCloseTo(exactSymmetricP(46, 98), 12)
    expect(test.pValue).toBeGreaterThan(0.5)
    // R: poisson.test(c(52, 46)): p-value 0.6137345, interval 0.7455344 1.7189835.
    expect(test.pValue).toBeCloseTo(0.6137345, 6)
    expect(test.lower).toBeCloseTo(0.7455344, 6)
    expect(test.upper).toBeCloseTo(1.7189835, 6)
  })

  it('a 13% rise on a larger count (412 -> 466) is still not significant at 5%', () => {
    const test = poissonRateTest(466, 412)
    expect(test.pValue).toBeCloseTo(exactSymmetricP(412, 878), 12)
    expect(test.pValue).toBeGreaterThan(0.05)
    expect(test.pValue).toBeCloseTo(0.07360885, 7) // R: poisson.test(c(466, 412))
  })

  it('puts each end of the interval where its tail has probability alpha / 2', () => {
    for (const [current, previous] of [
      [1027, 656],
      [52, 46],
      [7, 20],
    ]) {
      const test = poissonRateTest(current, previous)
      const n = current + previous
      const shareLow = test.lower / (1 + test.lower)
      const shareHigh = test.upper! / (1 + test.upper!)
      expect(summedTails(current, n, shareLow).atLeast).toBeCloseTo(0.025, 10)
      expect(summedTails(current, n, shareHigh).atMost).toBeCloseTo(0.025, 10)
    }
  })

  it('matches closed forms at the edges', () => {
    // 3 against 0: p = 2 (1/2)^3; the lower share solves s^3 = 0.025.
    const allNew = poissonRateTest(3, 0)
    expect(allNew.pValue).toBeCloseTo(0.25, 14)
    const s = 0.025 ** (1 / 3)
    expect(allNew.lower).toBeCloseTo(s / (1 - s), 10)
    expect(allNew.upper).toBeNull()
    expect(allNew.ratio).toBeNull()
    // 0 against 5: p = 2 (1/2)^5; the upper share solves (1 - s)^5 = 0.025.
    const noneNew = poissonRateTest(0, 5)
    expect(noneNew.pValue).toBeCloseTo(0.0625, 14)
    const u = 1 - 0.025 ** (1 / 5)
    expect(noneNew.upper).toBeCloseTo(u / (1 - u), 10)
    expect(noneNew.lower).toBe(0)
    expect(poissonRateTest(0, 0).pValue).toBe(1)
    expect(poissonRateTest(10, 10).pValue).toBe(1)
  })

  it('weighs unequal exposures (31 days against 28) as R does', () => {
    // R: poisson.test(c(30, 12), T = c(31, 28)): p 0.01936765, interval 1.122676 4.842797.
    const test = poissonRateTest(30, 12, { currentExposure: 31, previousExposure: 28 })
    expect(test.ratio).toBeCloseTo(30 / 31 / (12 / 28), 12)
    expect(test.pValue).toBeCloseTo(0.01936765, 8)
    expect(test.lower).toBeCloseTo(1.122676, 6)
    expect(test.upper).toBeCloseTo(4.842797, 6)
  })

  it('stays fast and exact on large counts', () => {
    const started = performance.now()
    const test = poissonRateTest(100_000, 99_000)
    expect(performance.now() - started).toBeLessThan(200)
    expect(test.pValue).toBeCloseTo(0.02512722, 7) // R: poisson.test(c(100000, 99000))
  })

  it('rejects counts that are not counts', () => {
    expect(() => poissonRateTest(-1, 3)).toThrow(/non-negative whole number/)
    expect(() => poissonRateTest(2.5, 3)).toThrow(/non-negative whole number/)
    expect(() => poissonRateTest(2, 3, { confidenceLevel: 95 })).toThrow(/confidenceLevel/)
  })
})

describe('binomialTwoSidedP', () => {
  it('agrees with brute-force summation for an asymmetric p', () => {
    for (const [x, n, p] of [
      [2, 20, 0.3],
      [11, 20, 0.3],
      [6, 20, 0.3],
      [0, 9, 0.7],
    ]) {
      const d = binomialLogDensity(x, n, p)
      let brute = 0
      for (let k = 0; k <= n; k++) if (binomialLogDensity(k, n, p) <= d + Math.log1p(1e-7)) brute += Math.exp(binomialLogDensity(k, n, p))
      expect(binomialTwoSidedP(x, n, p)).toBeCloseTo(Math.min(1, brute), 12)
    }
  })
})
