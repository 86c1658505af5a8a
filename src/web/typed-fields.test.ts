import { describe, expect, it } from 'vitest'
import { typedFields } from './typed-fields.ts'

describe('what the user typed, kept on a conflict', () => {
  it('keeps text in form order, joins a date input, and drops the form machinery and secrets', () => {
    expect(
      typedFields({ _csrf: 'x', version: '3', 'held-day': '5', 'held-month': '12', 'held-year': '2026', 'held-time': '14:00', heldBy: 'Lee Grant', rhiNotes: 'Stayed with a friend', concerns: ['drugs', 'cash'], empty: '', password: 'p' }),
    ).toEqual([
      { label: 'Held', text: '5/12/2026 14:00' },
      { label: 'Held by', text: 'Lee Grant' },
      { label: 'Rhi notes', text: 'Stayed with a friend' },
      { label: 'Concerns', text: 'drugs, cash' },
    ])
    expect(typedFields(undefined)).toEqual([])
  })
})
