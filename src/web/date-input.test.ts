import { describe, expect, it } from 'vitest'
import { ageOn, readDateInput } from './date-input.ts'

const body = (day: string, month: string, year: string) => ({ 'dob-day': day, 'dob-month': month, 'dob-year': year })

describe('readDateInput', () => {
  it.each([
    [body('', '', ''), { ok: true, value: null }],
    [body('4', '3', '2011'), { ok: true, value: '2011-03-04' }],
    [body('4', '', '2011'), { ok: false, message: 'Date of birth must include a month' }],
    [body('', '', '2011'), { ok: false, message: 'Date of birth must include a day and month' }],
    [body('31', '2', '2011'), { ok: false, message: 'Date of birth must be a real date' }],
    [body('1', '1', '11'), { ok: false, message: 'Date of birth must be a real date' }],
    [body('x', '1', '2011'), { ok: false, message: 'Date of birth must be a real date' }],
    [body('1', '1', '2030'), { ok: false, message: 'Date of birth must be in the past' }],
  ])('%o → %o', (input, expected) => {
    expect(readDateInput(input, 'dob', 'Date of birth', { notAfter: '2026-11-23', notAfterMessage: 'Date of birth must be in the past' })).toEqual(expected)
  })

  it('asks for a required date', () => {
    expect(readDateInput({}, 'dob', 'Date of birth', { required: true })).toEqual({ ok: false, message: 'Enter date of birth' })
  })

  it('counts whole years of age', () => {
    expect(ageOn('2011-11-24', '2026-11-23')).toBe(14)
    expect(ageOn('2011-11-23', '2026-11-23')).toBe(15)
  })
})
