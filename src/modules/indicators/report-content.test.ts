import { describe, expect, it } from 'vitest'
import { NOT_SHOWN, show } from './report-content.ts'
import { WITHHELD } from './disclosure.ts'

describe('figures as a report prints them', () => {
  it('prints a withheld figure as the one marker, and every other figure as it is', () => {
    // Which figures are withheld is decided once, over the whole series (disclosure.ts): a
    // separate "fewer than 5" marker would itself narrow a count to 1 to 4.
    expect(show(WITHHELD, 'count')).toBe(NOT_SHOWN)
    expect(show(WITHHELD, 'percent')).toBe(NOT_SHOWN)
    expect(show(0, 'count')).toBe('0')
    expect(show(1027, 'count')).toBe('1,027')
    expect(show(null, 'count')).toBe('No data')
  })
})
