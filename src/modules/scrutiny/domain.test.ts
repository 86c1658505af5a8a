import { describe, expect, it } from 'vitest'
import {
  addDays,
  attendanceReport,
  attendedFrom,
  daysBetween,
  dueBasis,
  dueDate,
  effectiveRag,
  evidenceWording,
  formatReference,
  isIsoDate,
  isOverdue,
  municipalYear,
  planReminders,
  reminderMessage,
  slugify,
  statusesFor,
  timeliness,
  workTimeliness,
  type ReminderFacts,
  type TimelinessFacts,
} from './domain.ts'

const base: TimelinessFacts = { kind: 'recommendation', status: 'open', response_due: '2026-11-20', answered_on: null, first_response_on: null }

describe('municipal years and references', () => {
  it.each([
    ['2020-05-01', '2020/21'],
    ['2020-09-25', '2020/21'],
    ['2021-04-30', '2020/21'],
    ['2019-12-31', '2019/20'],
    ['2099-06-01', '2099/00'],
  ])('%s is in %s', (date, year) => expect(municipalYear(date)).toBe(year))

  it('cites body, year and number as the minutes do', () => {
    expect(formatReference('PCP', '2020/21', 'recommendation', 2)).toBe('PCP 2020/21 Rec 2')
    expect(formatReference('SC', '2019/20', 'resolution', 4)).toBe('SC 2019/20 Res 4')
    expect(formatReference('PCP', '2020/21', 'request', 1)).toBe('PCP 2020/21 Req 1')
  })
})

describe('dates', () => {
  it('checks calendar dates and counts days across month ends and leap years', () => {
    expect(isIsoDate('2024-02-29')).toBe(true)
    expect(isIsoDate('2026-02-29')).toBe(false)
    expect(isIsoDate('2026-13-01')).toBe(false)
    expect(addDays('2020-10-09', 28)).toBe('2020-11-06')
    expect(daysBetween('2020-10-09', '2020-11-06')).toBe(28)
    expect(daysBetween('2026-11-23', '2026-11-20')).toBe(-3)
  })
})

describe('overdue, computed from the due date', () => {
  it.each([
    ['due yesterday, no response', base, '2026-11-21', true],
    ['due today', base, '2026-11-20', false],
    ['no due date', { ...base, response_due: null }, '2027-01-01', false],
    ['a response came', { ...base, first_response_on: '2026-11-25' }, '2026-12-01', false],
    ['closed by the body', { ...base, status: 'closed' as const }, '2026-12-01', false],
    ['not accepted (a reason was given)', { ...base, status: 'not_accepted' as const }, '2026-12-01', false],
    ['accepted but nothing written yet', { ...base, status: 'accepted' as const }, '2026-12-01', true],
    ['a request with a partial reply but not answered', { ...base, kind: 'request' as const, first_response_on: '2026-11-10' }, '2026-12-01', true],
    ['a request answered', { ...base, kind: 'request' as const, answered_on: '2026-11-30' }, '2026-12-01', false],
  ])('%s', (_label, item, today, overdue) => {
    expect(isOverdue(item, today)).toBe(overdue)
    expect(effectiveRag({ ...item, rag: 'green' }, today)).toBe(overdue ? 'red' : 'green')
  })

  it('says how late an answer was, and how long until one is due', () => {
    const late = timeliness({ ...base, kind: 'request', sent_on: '2020-10-09', response_due: '2020-11-06', answered_on: '2020-11-27', rag: 'amber' } as never, '2026-11-23')
    expect(late).toMatchObject({ overdue: false, answeredLate: true, daysLate: 21, rag: 'amber', awaiting: false })
    const soon = timeliness({ ...base, response_due: '2026-12-01', rag: null }, '2026-11-23')
    expect(soon).toMatchObject({ overdue: false, dueIn: 8, dueSoon: true, rag: null })
    const over = timeliness({ ...base, rag: 'amber' }, '2026-11-23')
    expect(over).toMatchObject({ overdue: true, daysOverdue: 3, rag: 'red' })
  })

  it('gives each kind its own statuses', () => {
    expect(statusesFor('recommendation')).toContain('not_accepted')
    expect(statusesFor('request')).toEqual(['open', 'in_progress', 'answered', 'closed'])
  })
})

describe('reminders', () => {
  const item: ReminderFacts = { ...base, kind: 'request', response_due: '2026-11-20', addressee_email: 'opcc@example.org', reminder_days: 7 }
  it.each([
    ['2026-11-12', []],
    ['2026-11-13', [{ kind: 'reminder_before', scheduledFor: '2026-11-13' }]],
    ['2026-11-20', [{ kind: 'reminder_before', scheduledFor: '2026-11-13' }]],
    ['2026-11-21', [{ kind: 'reminder_overdue', scheduledFor: '2026-11-21' }]],
    ['2026-11-27', [{ kind: 'reminder_overdue', scheduledFor: '2026-11-21' }]],
    ['2026-11-28', [{ kind: 'reminder_overdue', scheduledFor: '2026-11-28' }]],
    ['2027-01-15', [{ kind: 'reminder_overdue', scheduledFor: '2027-01-09' }]],
    ['2027-01-16', []],
  ])('on %s', (today, expected) => expect(planReminders(item, today)).toEqual(expected))

  it('sends nothing once answered, without an address, or with no due date', () => {
    expect(planReminders({ ...item, answered_on: '2026-11-19' }, '2026-11-25')).toEqual([])
    expect(planReminders({ ...item, addressee_email: null }, '2026-11-25')).toEqual([])
    expect(planReminders({ ...item, response_due: null }, '2026-11-25')).toEqual([])
    expect(planReminders({ ...item, reminder_days: 0 }, '2026-11-19')).toEqual([])
  })

  it('words an overdue reminder with the dates that matter', () => {
    const message = reminderMessage(
      'reminder_overdue',
      { reference: 'PCP 2026/27 Req 1', title: 'County lines performance data', text: 'Provide the data.', addressee: 'Office of the Police and Crime Commissioner', response_due: '2026-11-06', sent_on: '2026-10-09', body_name: 'Police and Crime Panel' },
      '2026-11-09',
      'https://lantern.example/scrutiny/x',
    )
    expect(message.subject).toBe('Overdue: PCP 2026/27 Req 1 – response was due on 6 November 2026')
    expect(message.body).toContain('(3 days overdue)')
    expect(message.body).toContain('It was sent to you on 9 October 2026.')
    expect(message.body).toContain('https://lantern.example/scrutiny/x')
  })
})

describe('who attended, by organisation', () => {
  const attendance = [
    { organisation: 'Havant Borough Council', organisation_kind: 'district_council', service: 'Housing options', role: 'Housing officer', attendees: 2 },
    { organisation: 'Havant Borough Council', organisation_kind: 'district_council', service: 'Community safety', role: 'Community safety officer', attendees: 1 },
    { organisation: 'Basingstoke and Deane Borough Council', organisation_kind: 'district_council', service: 'Housing', role: 'Rough sleeper outreach worker', attendees: 1 },
    { organisation: 'Hampshire County Council', organisation_kind: 'county_council', service: 'Adults’ Health and Care', role: 'Social worker', attendees: 1 },
    { organisation: 'Harbour Night Shelter', organisation_kind: 'voluntary', service: '', role: 'Project worker', attendees: 3 },
  ]
  const invitations = [
    { organisation: 'Havant Borough Council', organisation_kind: 'district_council' },
    { organisation: 'Winchester City Council', organisation_kind: 'district_council' },
    { organisation: 'Hampshire County Council', organisation_kind: 'county_council' },
  ]

  it('groups by kind of organisation, counts people, and names invited organisations that sent nobody', () => {
    const report = attendanceReport(attendance, invitations)
    expect(report.total).toBe(8)
    expect(report.organisations).toBe(4)
    expect(report.byKind.map((k) => [k.kind, k.attendees])).toEqual([
      ['county_council', 1],
      ['district_council', 4],
      ['voluntary', 3],
    ])
    const districts = report.byKind[1]
    expect(districts.organisations.map((o) => [o.organisation, o.attendees])).toEqual([
      ['Basingstoke and Deane Borough Council', 1],
      ['Havant Borough Council', 3],
    ])
    expect(districts.invitedAbsent).toEqual(['Winchester City Council'])
  })

  it('answers "were district council officers there? were county children’s services officers there?"', () => {
    expect(attendedFrom(attendance, 'district_council')).toEqual({ attended: true, attendees: 4, organisations: ['Basingstoke and Deane Borough Council', 'Havant Borough Council'] })
    expect(attendedFrom(attendance, 'county_council', /children/i)).toEqual({ attended: false, attendees: 0, organisations: [] })
  })
})

describe('slugs', () => {
  it('makes public addresses from names', () => {
    expect(slugify('Hampshire & Isle of Wight Police and Crime Panel')).toBe('hampshire-and-isle-of-wight-police-and-crime-panel')
    expect(slugify('  County Strategy Group (Community Safety) ')).toBe('county-strategy-group-community-safety')
  })
})

describe('one due-date rule, so nothing escapes being overdue', () => {
  const unset: TimelinessFacts = { ...base, response_due: null, meeting_date: '2026-09-24', response_days: 28 }

  it('counts the body’s period from sending or, when nobody recorded sending, from the meeting', () => {
    expect(dueDate({ ...unset, sent_on: '2026-10-01' })).toBe('2026-10-29')
    expect(dueBasis({ ...unset, sent_on: '2026-10-01' })).toBe('from_sent')
    expect(dueDate(unset)).toBe('2026-10-22')
    expect(dueBasis(unset)).toBe('from_meeting')
    expect(dueDate({ ...unset, response_due: '2026-12-01' })).toBe('2026-12-01')
    expect(dueBasis({ ...unset, response_due: '2026-12-01' })).toBe('set')
  })

  it('makes a recommendation nobody sent overdue by that rule, flagged as not sent', () => {
    expect(isOverdue(unset, '2026-10-23')).toBe(true)
    expect(timeliness({ ...unset, rag: 'amber' }, '2026-10-23')).toMatchObject({ overdue: true, daysOverdue: 1, rag: 'red', notSent: true, due: '2026-10-22', dueBasis: 'from_meeting' })
  })

  it('plans reminders on the same date the tracker calls overdue', () => {
    expect(planReminders({ ...unset, addressee_email: 'opcc@example.org', reminder_days: 7 }, '2026-10-23')).toEqual([{ kind: 'reminder_overdue', scheduledFor: '2026-10-23' }])
  })

  it('turns an overdue work programme item red, as the tracker does', () => {
    expect(workTimeliness({ due_date: '2026-11-20', status: 'in_progress', rag: 'amber' }, '2026-11-23')).toEqual({ overdue: true, daysOverdue: 3, shownRag: 'red' })
    expect(workTimeliness({ due_date: '2026-11-20', status: 'complete', rag: 'green' }, '2026-11-23')).toEqual({ overdue: false, daysOverdue: 0, shownRag: 'green' })
    // The same day is not overdue for either.
    expect(workTimeliness({ due_date: '2026-11-23', status: 'planned', rag: 'amber' }, '2026-11-23').overdue).toBe(isOverdue({ ...base, response_due: '2026-11-23' }, '2026-11-23'))
  })
})

describe('the evidence log’s words', () => {
  it('says how only when someone recorded how, and "by e-mail" only for an e-mail', () => {
    expect(evidenceWording({ event: 'response_received', channel: null })).toEqual({ what: 'Response received', how: '', reason: null })
    expect(evidenceWording({ event: 'reminder_sent', channel: 'email' }).what).toBe('Reminder sent by e-mail')
    expect(evidenceWording({ event: 'reminder_queued', channel: null }).what).toBe('Reminder queued')
    expect(evidenceWording({ event: 'not_sent', channel: null }).what).toBe('Not sent: no e-mail server configured')
  })

  it('keeps the old date, the new one and the reason of a moved due date', () => {
    expect(evidenceWording({ event: 'due_set', channel: null, previous_date: '2026-11-20', new_date: '2027-01-08', reason: 'Agreed with the Commissioner' })).toEqual({
      what: 'Response date moved from 20 November 2026 to 8 January 2027',
      how: '',
      reason: 'Agreed with the Commissioner',
    })
  })
})
