import { describe, expect, it } from 'vitest'
import { fitPoissonGlm, type SeasonalDesign } from './glm.ts'

// R 4.2: glm(y ~ t + lv, family = quasipoisson()) with lv a factor whose reference level is "r".
const y = Float64Array.from([3, 5, 2, 8, 6, 9, 4, 7, 0, 5])
const levelOf: Record<string, number> = { r: -1, a: 0, b: 1 }
const design: SeasonalDesign = {
  time: Float64Array.from({ length: 10 }, (_, i) => i - 10),
  level: Int32Array.from('rarbarbabr'.split(''), (l) => levelOf[l]),
  levels: 2,
  withTrend: true,
}

describe('fitPoissonGlm', () => {
  it('matches R: coefficients, hat values, unscaled variances, dispersion', () => {
    const fit = fitPoissonGlm(design, y)!
    expect(fit.converged).toBe(true)
    expect(fit.intercept).toBeCloseTo(1.6209400565801866, 9)
    expect(fit.slope).toBeCloseTo(0.0105734746725248, 9)
    expect(Array.from(fit.levelEffects)).toEqual([expect.closeTo(0.2339248937014604, 9), expect.closeTo(-0.1890629014266993, 9)])
    const hat = [0.443327487117364, 0.466563854484726, 0.299793224648451, 0.399323181391014, 0.333285175992401, 0.262236057633247, 0.335313855478531, 0.484699709610937, 0.398183251735482, 0.577274201907846]
    hat.forEach((h, i) => expect(fit.hat[i]).toBeCloseTo(h, 8))
    expect(fit.interceptVariance).toBeCloseTo(0.143699168575841, 8)
    expect(fit.slopeVariance).toBeCloseTo(0.00263603620476, 10)
    expect(fit.dispersion).toBeCloseTo(2.397534239519442, 8)
    expect(fit.residualDf).toBe(6)
  })

  it('matches R with prior weights', () => {
    const fit = fitPoissonGlm(design, y, Float64Array.from([1, 1, 0.5, 1, 1, 2, 1, 1, 1, 1.5]))!
    expect(fit.intercept).toBeCloseTo(1.78515591520266415, 9)
    expect(fit.slope).toBeCloseTo(0.00200491023555671, 9)
    expect(fit.interceptVariance).toBeCloseTo(0.0883520984049624, 8)
    expect(fit.dispersion).toBeCloseTo(2.4218789864966639, 8)
  })

  it('refuses a design whose time column is constant within the reference level and levels', () => {
    const flat: SeasonalDesign = { ...design, time: new Float64Array(10).fill(-1) }
    expect(fitPoissonGlm(flat, y)).toBeNull()
  })
})
