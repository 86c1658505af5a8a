import { describe, expect, it } from 'vitest'
import { clockFor, startingAt, systemClock } from './clock.ts'
import { fromLondon, londonDay, londonMonth, londonParts } from './london.ts'

describe('London time', () => {
  it('reads the day in England, not in UTC, on both sides of the clock change', () => {
    // 23:30 UTC is already the next day in summer time, and still the same day in winter.
    expect(londonDay(new Date('2026-07-01T23:30:00Z'))).toBe('2026-07-02')
    expect(londonDay(new Date('2026-12-01T23:30:00Z'))).toBe('2026-12-01')
    expect(londonMonth(new Date('2026-06-30T23:30:00Z'))).toBe('2026-07-01')
    expect(londonMonth(new Date('2026-12-31T23:30:00Z'))).toBe('2026-12-01')
  })

  it('turns a London wall-clock reading into the instant and back', () => {
    expect(fromLondon('2026-07-01', '09:15').toISOString()).toBe('2026-07-01T08:15:00.000Z')
    expect(fromLondon('2026-12-01', '09:15').toISOString()).toBe('2026-12-01T09:15:00.000Z')
    expect(londonParts(fromLondon('2026-03-29', '03:30'))).toEqual({ date: '2026-03-29', time: '03:30' })
  })
})

describe('the clock', () => {
  it('started on a chosen day reads that day, and runs on with the real time', async () => {
    const clock = startingAt(new Date('2026-11-23T10:00:00Z'))
    expect(clock.today()).toBe('2026-11-23')
    const first = clock.now().getTime()
    await new Promise((resolve) => setTimeout(resolve, 15))
    const later = clock.now().getTime() - first
    expect(later).toBeGreaterThanOrEqual(10)
    expect(later).toBeLessThan(5_000)
  })

  it('can be moved by the test that owns it', () => {
    const clock = startingAt(new Date('2026-11-23T10:00:00Z'))
    clock.set(new Date('2026-12-05T23:30:00Z'))
    expect(clock.today()).toBe('2026-12-05')
    clock.set(new Date('2027-06-30T23:30:00Z'))
    expect(clock.today()).toBe('2027-07-01')
  })

  it('is the real one unless a day is configured', () => {
    expect(clockFor(undefined)).toBe(systemClock)
    expect(Math.abs(systemClock.now().getTime() - Date.now())).toBeLessThan(1_000)
    expect(clockFor('2030-02-28').today()).toBe('2030-02-28')
  })
})
