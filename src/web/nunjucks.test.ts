import { describe, expect, it } from 'vitest'
import { formatDate, formatDateTime, formatLikelihood } from './nunjucks.ts'

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

describe('match likelihoods', () => {
  it('reads the same on every page and never rounds up to a certainty', () => {
    expect(formatLikelihood(0.9624)).toBe('96.2%')
    expect(formatLikelihood(0.9994)).toBe('more than 99.9%')
    expect(formatLikelihood(0.99999)).toBe('more than 99.9%')
    expect(formatLikelihood(1)).toBe('100%')
    expect(formatLikelihood(0.0004)).toBe('less than 0.1%')
    expect(formatLikelihood(0.5)).toBe('50.0%')
  })
})
