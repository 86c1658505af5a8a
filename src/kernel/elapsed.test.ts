import { describe, expect, it } from 'vitest'
import { daysBetween, elapsedText } from './elapsed.ts'

describe('how long something has waited', () => {
  const now = new Date('2026-12-01T12:00:00Z')
  it.each([
    ['2026-12-01T11:30:00Z', 'less than an hour'],
    ['2026-12-01T11:00:00Z', '1 hour'],
    ['2026-11-29T13:00:00Z', '47 hours'],
    ['2026-11-29T12:00:00Z', '2 days'],
    ['2026-11-12T12:00:00Z', '19 days'],
  ])('since %s is %s', (from, text) => {
    expect(elapsedText(new Date(from), now)).toBe(text)
  })
  it('counts days between dates, either way', () => {
    expect(daysBetween('2026-12-01', '2026-12-29')).toBe(28)
    expect(daysBetween('2026-12-01', '2026-11-30')).toBe(-1)
  })
})
