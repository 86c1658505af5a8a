import { describe, expect, it } from 'vitest'
import { gapLevels, selectBaseline } from './baseline.ts'

// Level tables read off the data R 1.20.3's farringtonFlexible passes to glm (traced, not copied).
describe('gapLevels', () => {
  it('cuts the stretch between windows into consecutive parts, longer ones first', () => {
    expect(gapLevels(45, 9)).toEqual([...[1, 2, 3, 4, 5, 6, 7, 8, 9].flatMap((l) => Array(5).fill(l)), undefined])
    expect(gapLevels(7, 3)).toEqual([1, 1, 1, 2, 2, 3, 3, undefined])
    expect(gapLevels(11, 9)).toEqual([1, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9, undefined])
    expect(gapLevels(7, 7)).toEqual([1, 2, 3, 4, 5, 6, 7, undefined])
  })

  it('reproduces R when there are more parts than periods: the last part takes the next window start', () => {
    expect(gapLevels(7, 9)).toEqual([1, 2, 3, 4, 5, 6, 9, 9])
    expect(gapLevels(5, 5)).toEqual([1, 2, 3, 4, 5, undefined])
    expect(gapLevels(5, 6)).toEqual([1, 2, 3, 4, 6, 6])
    expect(gapLevels(3, 9)).toEqual([1, 2, 9, 9])
  })
})

describe('selectBaseline', () => {
  it('original: the windows of the b previous years, and of this year beyond the excluded weeks', () => {
    const spec = { frequency: 12, b: 2, w: 2, noPeriods: 1, pastWeeksNotIncluded: 1 }
    const { positions, levels } = selectBaseline(100, spec)
    expect(positions.map((k) => 100 - k)).toEqual([26, 25, 24, 23, 22, 14, 13, 12, 11, 10, 2])
    expect(levels.every((l) => l === 0)).toBe(true)
  })

  it('improved, monthly with 10 levels: the layout R uses (R numbers the windows 10, here 0)', () => {
    const { positions, levels } = selectBaseline(60, { frequency: 12, b: 4, w: 2, noPeriods: 10, pastWeeksNotIncluded: 2 })
    const byBack = positions.map((k, i) => `${60 - k}:${levels[i]}`)
    expect(byBack.join(' ')).toBe(
      '50:0 49:0 48:0 47:0 46:0 45:1 44:2 43:3 42:4 41:5 40:6 39:9 38:9 37:0 36:0 35:0 34:0 33:1 32:2 31:3 30:4 29:5 28:6 27:9 26:9 ' +
        '25:0 24:0 23:0 22:0 21:1 20:2 19:3 18:4 17:5 16:6 15:9 14:9 13:0 12:0 11:0 10:0 9:1 8:2 7:3 6:4 5:5 4:6 3:9',
    )
  })
})
