import { describe, expect, it } from 'vitest'
import { encodeTables, tableFromObjects } from './dataset.ts'
import { estimatePrior, estimateU, exactAgreementProbability, initialM, WeightHistogram } from './training.ts'
import { compileComparison } from './comparisons.ts'
import { createRandom } from './random.ts'
import { resolveComparison } from './settings.ts'

const kinds = new Map([['name', 'text']] as const)
const table = (names: (string | null)[], prefix = '') => tableFromObjects(names.map((name, i) => ({ id: `${prefix}${i}`, name })))

describe('u of an exact match, from value counts', () => {
  it('is the chance two different records share a value (deduplication)', () => {
    // 3 "ann" and 1 "bob" among 4 present values: 3·2 ordered agreeing pairs out of 4·3.
    const data = encodeTables(kinds, 'id', table(['ann', 'ann', 'bob', 'ann', null]))
    expect(exactAgreementProbability(data.column('name'), data)).toBeCloseTo(6 / 12, 12)
  })

  it('is the chance a left and a right record share a value (linkage)', () => {
    const data = encodeTables(kinds, 'id', table(['ann', 'bob']), table(['ann', 'ann', 'cy'], 'r'))
    expect(exactAgreementProbability(data.column('name'), data)).toBeCloseTo(2 / 6, 12)
  })
})

describe('the prior', () => {
  it('settles where the expected matches over all pairs equal the prior times the pairs', () => {
    const histogram = new WeightHistogram()
    for (let k = 0; k < 100; k++) histogram.add(40)
    for (let k = 0; k < 5000; k++) histogram.add(-25)
    const { prior, expectedMatches } = estimatePrior(histogram, 1e6)
    expect(expectedMatches).toBeCloseTo(100, 0)
    expect(prior).toBeCloseTo(1e-4, 6)
  })
})

describe('EM starting values', () => {
  it('sum to one over the levels other than "missing", best level first', () => {
    for (const n of [3, 4, 7]) {
      const m = initialM(n)
      expect(m[0]).toBe(0)
      expect(m.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12)
      expect(m[1]).toBeGreaterThan(m[n - 1])
    }
  })
})

describe('u of a level the random pairs never show', () => {
  it('is no smaller than half a pair of the pairs the data holds, however many samples were drawn', () => {
    // 20 records hold 190 pairs; 100,000 samples with replacement see nothing the 190 do not.
    const names = [...'bcdfghjklmnpqrstvwxz'].map((c) => c.repeat(5))
    const data = encodeTables(kinds, 'id', table(names))
    const spec = resolveComparison({ column: 'name', comparison: 'name' }, new Set(['name']), 0)
    const comparison = compileComparison(spec, data, { memo: false })
    const [u] = estimateU([comparison], data, 100_000, createRandom(1))
    // The fuzzy levels, between exact (worked out from the value counts) and "else".
    const unseen = u.slice(2, -1)
    expect(Math.min(...unseen)).toBeGreaterThanOrEqual(0.5 / data.totalPairs / 2)
  })
})
