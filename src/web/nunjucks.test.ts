import { describe, expect, it } from 'vitest'
import { formatDate, formatDateTime } from './nunjucks.ts'

describe('date filters', () => {
  it('writes dates the GOV.UK way, in UK time', () => {
    expect(formatDate('2026-03-04')).toBe('4 March 2026')
    expect(formatDateTime(new Date('2026-11-23T12:15:00Z'))).toBe('23 November 2026, 12:15pm')
    expect(formatDateTime(new Date('2026-11-23T15:05:00Z'))).toBe('23 November 2026, 3:05pm')
    // British Summer Time: 00:05 UTC on 1 July is 1:05am in London.
    expect(formatDateTime(new Date('2026-07-01T00:05:00Z'))).toBe('1 July 2026, 1:05am')
    expect(formatDate(null)).toBe('')
  })
})
