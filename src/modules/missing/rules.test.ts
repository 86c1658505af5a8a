import { describe, expect, it } from 'vitest'
import { episodeIssues, foundOutOfArea, reviewPromptedAt, rhiIssues, rhiStatus, seriousReasons, suggestFromEpisodes } from './rules.ts'
import { parseTime, readDateTimeInput } from './datetime.ts'
import { fromLondon, londonParts } from '../../kernel/london.ts'

const t = (iso: string) => new Date(iso)

describe('the return home interview', () => {
  const found = t('2026-11-10T14:00:00Z')
  it.each([
    ['still missing', { found_at: null, rhi_held_at: null, rhi_declined: false }, '2026-11-11T00:00:00Z', 'still_missing'],
    ['due within 72 hours of being found', { found_at: found, rhi_held_at: null, rhi_declined: false }, '2026-11-13T13:59:00Z', 'due'],
    ['overdue after 72 hours', { found_at: found, rhi_held_at: null, rhi_declined: false }, '2026-11-13T14:01:00Z', 'overdue'],
    ['held in time', { found_at: found, rhi_held_at: t('2026-11-13T14:00:00Z'), rhi_declined: false }, '2026-11-20T00:00:00Z', 'held'],
    ['held late', { found_at: found, rhi_held_at: t('2026-11-13T14:01:00Z'), rhi_declined: false }, '2026-11-20T00:00:00Z', 'held_late'],
    ['declined is not overdue', { found_at: found, rhi_held_at: null, rhi_declined: true }, '2026-11-20T00:00:00Z', 'declined'],
  ] as const)('%s', (_name, ep, now, status) => {
    expect(rhiStatus(ep, t(now)).status).toBe(status)
  })
  it('says when it is due', () => {
    expect(rhiStatus({ found_at: found, rhi_held_at: null, rhi_declined: false }, t('2026-11-11T14:00:00Z'))).toEqual({ status: 'due', dueAt: t('2026-11-13T14:00:00Z'), hoursLeft: 48 })
  })
})

describe('found out of area', () => {
  const person = { home_area_id: 'lambeth', current_area_id: 'southampton' }
  it.each([
    ['home authority', 'lambeth', false],
    ['where they are placed', 'southampton', false],
    ['anywhere else', 'havant', true],
    ['not recorded', null, false],
  ] as const)('%s', (_n, area, out) => {
    expect(foundOutOfArea(area, person)).toBe(out)
  })
})

describe('the order of events', () => {
  const missing = t('2026-11-10T20:00:00Z')
  it('refuses a found time before the missing time', () => {
    expect(episodeIssues({ reportedMissingAt: missing, foundAt: t('2026-11-10T19:00:00Z'), foundAreaId: 'a', foundBy: 'police' })).toEqual([
      { field: 'found-day', message: 'The date and time they were found must be after they were reported missing' },
    ])
  })
  it('asks where and by whom when found, and for the date when only those are given', () => {
    expect(episodeIssues({ reportedMissingAt: missing, foundAt: t('2026-11-11T08:00:00Z'), foundAreaId: null, foundBy: null }).map((i) => i.field)).toEqual(['foundAreaId', 'foundBy'])
    expect(episodeIssues({ reportedMissingAt: missing, foundAt: null, foundAreaId: 'a', foundBy: null }).map((i) => i.field)).toEqual(['found-day'])
  })
  it('keeps the interview after being found', () => {
    const found = t('2026-11-11T08:00:00Z')
    expect(rhiIssues({ offeredAt: t('2026-11-11T07:00:00Z'), heldAt: null, heldBy: null, declined: false }, found)).toEqual([{ field: 'offered-day', message: 'The interview must be offered after they were found' }])
    expect(rhiIssues({ offeredAt: null, heldAt: t('2026-11-12T10:00:00Z'), heldBy: null, declined: false }, found)).toEqual([{ field: 'heldBy', message: 'Enter who held the interview' }])
    expect(rhiIssues({ offeredAt: null, heldAt: null, heldBy: null, declined: false }, null)).toEqual([{ field: 'offered-day', message: 'Record when they were found before recording a return home interview' }])
    expect(rhiIssues({ offeredAt: found, heldAt: t('2026-11-12T10:00:00Z'), heldBy: 'Lee Grant', declined: false }, found)).toEqual([])
  })
})

describe('suggestions for the screening', () => {
  it.each([
    [{ last3Months: 2, months3to6: 0, outOfArea3: 0, outOfArea3to6: 0 }, 'current', 'not_present'],
    [{ last3Months: 1, months3to6: 1, outOfArea3: 0, outOfArea3to6: 1 }, 'recent', 'recent'],
    [{ last3Months: 1, months3to6: 0, outOfArea3: 1, outOfArea3to6: 0 }, 'not_present', 'current'],
  ] as const)('%o', (counts, repeat, outOfArea) => {
    expect(suggestFromEpisodes('missing_repeat', counts).status).toBe(repeat)
    expect(suggestFromEpisodes('missing_out_of_area', counts).status).toBe(outOfArea)
  })
})

describe('UK dates and times', () => {
  it.each([
    ['21:30', '21:30'],
    ['9:30pm', '21:30'],
    ['9pm', '21:00'],
    ['12am', '00:00'],
    ['12.15pm', '12:15'],
    ['0930', null],
    ['25:00', null],
    ['9', null],
  ])('%s', (raw, value) => {
    const r = parseTime(raw, 'they were found', true)
    if (value) expect(r).toEqual({ ok: true, value })
    else expect(r).toEqual({ ok: false, message: 'Time they were found must be a real time, like 21:30 or 9:30pm' })
  })
  it('reads wall-clock time in summer and winter', () => {
    expect(fromLondon('2026-07-01', '21:30').toISOString()).toBe('2026-07-01T20:30:00.000Z')
    expect(fromLondon('2026-12-01', '21:30').toISOString()).toBe('2026-12-01T21:30:00.000Z')
    expect(londonParts(t('2026-07-01T23:30:00Z'))).toEqual({ date: '2026-07-02', time: '00:30' })
  })
  it('refuses a moment in the future and asks for the missing parts', () => {
    const now = t('2026-11-23T12:00:00Z')
    const body = (d: string, time: string) => ({ 'missing-day': d, 'missing-month': '11', 'missing-year': '2026', 'missing-time': time })
    expect(readDateTimeInput(body('23', '13:00'), 'missing', 'they were reported missing', { required: true, now })).toEqual({ ok: false, field: 'missing-day', message: 'The date and time they were reported missing must be in the past' })
    expect(readDateTimeInput(body('23', ''), 'missing', 'they were reported missing', { required: true, now })).toEqual({ ok: false, field: 'missing-time', message: 'Enter the time they were reported missing' })
    expect(readDateTimeInput({}, 'missing', 'they were reported missing', { required: true, now })).toEqual({ ok: false, field: 'missing-day', message: 'Enter the date they were reported missing' })
    expect(readDateTimeInput({}, 'found', 'they were found', { required: false, now })).toEqual({ ok: true, value: null })
    expect(readDateTimeInput(body('22', '21:30'), 'missing', 'they were reported missing', { required: true, now })).toEqual({ ok: true, value: t('2026-11-22T21:30:00Z') })
  })
})

describe('a serious episode', () => {
  const reported = t('2026-11-10T20:00:00Z')
  const facts = { reportedMissingAt: reported, foundAt: t('2026-11-11T08:00:00Z'), outOfArea: false, concerns: [] as string[], ratedRed: false }
  it.each([
    ['an overnight absence, found at home with nothing of concern', facts, []],
    ['found out of area', { ...facts, outOfArea: true }, ['out_of_area']],
    ['found with drugs', { ...facts, concerns: ['drugs'] }, ['harm_or_exploitation']],
    ['travel alone is not harm', { ...facts, concerns: ['travel'] }, []],
    ['missing for more than 24 hours', { ...facts, foundAt: t('2026-11-11T20:01:00Z') }, ['long']],
    ['missing exactly 24 hours', { ...facts, foundAt: t('2026-11-11T20:00:00Z') }, []],
    ['still missing is not yet long', { ...facts, foundAt: null }, []],
    ['missing while rated Red', { ...facts, foundAt: null, ratedRed: true }, ['while_red']],
    ['found out of area with a knife after two days', { ...facts, foundAt: t('2026-11-12T21:00:00Z'), outOfArea: true, concerns: ['weapon'] }, ['out_of_area', 'harm_or_exploitation', 'long']],
  ])('%s', (_, e, reasons) => {
    expect(seriousReasons(e)).toEqual(reasons)
  })

  it('prompts a review when first serious or when a new reason appears, not when an edit adds nothing new', () => {
    const first = t('2026-11-11T09:00:00Z')
    const later = t('2026-11-12T09:00:00Z')
    expect(reviewPromptedAt([], null, first)).toBeNull()
    expect(reviewPromptedAt(['out_of_area'], null, first)).toEqual(first)
    expect(reviewPromptedAt(['out_of_area'], { reasons: ['out_of_area'], promptedAt: first }, later)).toEqual(first)
    expect(reviewPromptedAt(['out_of_area'], { reasons: ['out_of_area', 'long'], promptedAt: first }, later)).toEqual(first)
    expect(reviewPromptedAt(['out_of_area', 'harm_or_exploitation'], { reasons: ['out_of_area'], promptedAt: first }, later)).toEqual(later)
    expect(reviewPromptedAt([], { reasons: ['out_of_area'], promptedAt: first }, later)).toBeNull()
  })
})
