import { describe, expect, it } from 'vitest'
import { actionState, idsIn, readAttendees, ATTENDEE_ROWS } from './rules.ts'

describe('an action’s state on a given day', () => {
  const open = { status: 'open' as const, due_on: '2026-03-10' }
  it('is overdue only once its due day has passed, and never when done or cancelled', () => {
    expect(actionState(open, '2026-03-10')).toBe('due')
    expect(actionState(open, '2026-03-11')).toBe('overdue')
    expect(actionState(open, '2026-02-01')).toBe('open')
    expect(actionState({ ...open, status: 'done' }, '2026-04-01')).toBe('done')
    expect(actionState({ ...open, status: 'cancelled' }, '2026-04-01')).toBe('cancelled')
  })
  it('is due from fourteen days before its due day', () => {
    expect(actionState(open, '2026-02-24')).toBe('due')
    expect(actionState(open, '2026-02-23')).toBe('open')
  })
})

describe('people named on a form by the address of their record', () => {
  it('takes each record’s id, from an address or on its own, once, in the order given', () => {
    const a = '0f8fad5b-d9cb-469f-a165-70867728950e'
    const b = '7c9e6679-7425-40de-944b-e07fc1f90ae7'
    expect(idsIn(`https://lantern.example/people/${a}/risk\n\n${b}\n${a.toUpperCase()}`)).toEqual({ ids: [a, b], unreadable: [] })
  })
  it('says which lines name no record', () => {
    expect(idsIn('Kyle Marsh\n')).toEqual({ ids: [], unreadable: [1] })
  })
})

describe('attendees from the rows of the meeting form', () => {
  const agency = '7c9e6679-7425-40de-944b-e07fc1f90ae7'
  it('keeps the rows with a name, as attended or apologies, and skips empty rows', () => {
    const body = { 'attendee-1-name': ' Sam Okafor ', 'attendee-1-role': 'Social worker', 'attendee-1-agency': agency, 'attendee-1-attended': 'yes', 'attendee-3-name': 'Dr Lee', 'attendee-3-attended': 'apologies' }
    expect(readAttendees(body)).toEqual({
      attendees: [
        { name: 'Sam Okafor', role: 'Social worker', agencyId: agency, attended: true },
        { name: 'Dr Lee', role: null, agencyId: null, attended: false },
      ],
      issues: [],
    })
  })
  it('refuses a row with a role or an agency but no name, naming the row', () => {
    expect(readAttendees({ 'attendee-2-role': 'Nurse' }).issues).toEqual([{ field: 'attendee-2-name', message: 'Enter the name of attendee 2, or clear the row' }])
  })
  it('offers enough rows for a typical meeting', () => {
    expect(ATTENDEE_ROWS).toBeGreaterThanOrEqual(6)
  })
})
