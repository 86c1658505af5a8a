import { describe, expect, it } from 'vitest'
import { monthBounds, monthOfPartition, monthsAhead, monthsPastRetention } from './partitions.ts'

describe('the audit trail’s months', () => {
  it('makes the current month and three ahead, across a year’s end', () => {
    expect(monthsAhead(new Date('2026-11-30T23:59:59Z'))).toEqual(['2026-11', '2026-12', '2027-01', '2027-02'])
  })

  it('bounds a month in UTC, December to January', () => {
    expect(monthBounds('2026-12')).toEqual({ from: '2026-12-01 00:00:00+00', to: '2027-01-01 00:00:00+00' })
  })

  it('reads only the monthly partitions’ names', () => {
    expect(['audit_events_2026_01', 'audit_events_default', 'audit_archive_2025_01'].map(monthOfPartition)).toEqual(['2026-01', undefined, undefined])
  })

  it('lets go the months before the retention, never the current one', () => {
    const attached = ['2025-10', '2025-11', '2025-12', '2026-01', '2026-02']
    expect(monthsPastRetention(attached, new Date('2026-02-15T00:00:00Z'), 3)).toEqual(['2025-10'])
    expect(monthsPastRetention(attached, new Date('2026-02-15T00:00:00Z'), 0)).toEqual(['2025-10', '2025-11', '2025-12', '2026-01'])
  })
})
