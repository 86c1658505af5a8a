import { describe, expect, it } from 'vitest'
import {
  betaQuantile,
  logBeta,
  logGamma,
  negativeBinomialCdf,
  negativeBinomialQuantile,
  normalCdf,
  normalQuantile,
  poissonCdf,
  poissonQuantile,
  studentTwoSidedP,
} from './distributions.ts'

// Reference values printed by R 4.2 (qnorm, pt, ppois, pnbinom, qnbinom, qbeta, lgamma, lbeta).
describe('distributions agree with R', () => {
  it('normal', () => {
    expect(normalQuantile(0.95)).toBeCloseTo(1.64485362695147, 13)
    expect(normalQuantile(0.975)).toBeCloseTo(1.95996398454005, 13)
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.36134090240406, 12)
    expect(normalCdf(-9) / 1.12858840595384e-19).toBeCloseTo(1, 12)
  })

  it('Student t, including p-values just below 1', () => {
    expect(studentTwoSidedP(2.1, 17)).toBeCloseTo(0.050959847229134, 14)
    expect(studentTwoSidedP(-0.5, 3)).toBeCloseTo(0.65144796484815104, 14)
    // 2 * pt(-1e-12, 80): a trend kept when pThresholdTrend is 1 depends on this not being 1.
    expect(studentTwoSidedP(1e-12, 80)).toBeLessThan(1)
    expect(studentTwoSidedP(1e-12, 80)).toBeCloseTo(0.999999999999204636, 15)
  })

  it('Poisson and negative binomial', () => {
    expect(poissonCdf(600, 620.5)).toBeCloseTo(0.211699229982941, 12)
    expect(negativeBinomialCdf(100, 20.3, 80.2)).toBeCloseTo(0.846987112379287, 12)
    expect(poissonQuantile(0.95, 620.5)).toBe(662)
    expect(negativeBinomialQuantile(0.95, 20.3, 80.2)).toBe(115)
    expect(negativeBinomialQuantile(0.95, 1e7, 80.2)).toBe(95)
  })

  it('stays accurate for a barely overdispersed negative binomial (huge size)', () => {
    expect(negativeBinomialCdf(3, 1e9, 2.6667)).toBeCloseTo(0.721419623997352, 13)
    expect(negativeBinomialCdf(900, 1e6, 880.5)).toBeCloseTo(0.750729395253796, 12)
    expect(negativeBinomialCdf(3, 1e13, 2.6667)).toBeCloseTo(0.721419624094935, 13)
  })

  it('gamma, beta and the beta quantile', () => {
    expect(logGamma(1000.5)).toBeCloseTo(5908.67417584868, 9)
    expect(logGamma(20)).toBeCloseTo(39.3398841871995, 12)
    expect(logBeta(1e6, 2.5)).toBeCloseTo(-34.25409539943652, 12)
    expect(logBeta(300, 400)).toBeCloseTo(-479.688451037132, 10)
    expect(betaQuantile(0.025, 1027, 657)).toBeCloseTo(0.5864468215682, 12)
  })
})
