import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../../../test/support/app.ts'
import { TestClient } from '../../../test/support/http.ts'
import { conflictPage, row } from '../../../test/support/conflict.ts'
import { testDatabaseKinds } from '../../../test/support/databases.ts'
import { moduleDeps } from '../../composition.ts'
import { loadConfig } from '../../config.ts'
import { createLogger } from '../../web/logger.ts'
import { LogSender } from '../../web/mail.ts'
import { addDays } from '../../kernel/elapsed.ts'
import { notificationsService } from '../notifications/index.ts'
import { extractText, getDocumentProxy } from 'unpdf'

const dateFields = (name: string, iso: string) => {
  const [y, m, d] = iso.split('-')
  return { [`${name}-day`]: String(Number(d)), [`${name}-month`]: String(Number(m)), [`${name}-year`]: y }
}

describe.each(testDatabaseKinds())('multi-agency plans and meetings on $name', (kind) => {
  let app: TestApp
  let practitioner: TestClient
  let manager: TestClient
  let officer: TestClient
  const ids: Record<string, string> = {}
  const today = () => app.clock.today()
  const db = () => app.database.db

  beforeAll(async () => {
    app = await startTestApp({ kind })
    ;[practitioner, manager, officer] = [new TestClient(app.baseUrl), new TestClient(app.baseUrl), new TestClient(app.baseUrl)]
    await practitioner.signIn('practitioner@lantern.test')
    await manager.signIn('manager@lantern.test')
    await officer.signIn('officer@lantern.test')
    for (const [key, given, family] of [['kyle', 'Kyle', 'Marsh'], ['ellie', 'Ellie', 'Turner'], ['aaliyah', 'Aaliyah', 'Brooks']]) {
      ids[key] = (await db().selectFrom('people').select('id').where('given_name', '=', given).where('family_name', '=', family).executeTakeFirstOrThrow()).id
    }
    for (const email of ['practitioner', 'manager', 'officer']) ids[email] = (await db().selectFrom('users').select('id').where('email', '=', `${email}@lantern.test`).executeTakeFirstOrThrow()).id
    ids.police = (await db().selectFrom('agencies').select('id').where('kind', '=', 'police').executeTakeFirstOrThrow()).id
    ids.county = (await db().selectFrom('agencies').select('id').where('short_name', '=', 'County council').executeTakeFirstOrThrow()).id
  })
  afterAll(async () => {
    await app?.close()
  })

  const strategy = (extra: Record<string, string> = {}) => ({
    kind: 'strategy',
    ...dateFields('held', addDays(today(), -3)),
    chair: 'Priya Natarajan',
    chairAgencyId: ids.county,
    'attendee-1-name': 'Sam Okafor',
    'attendee-1-role': 'Social worker',
    'attendee-1-agency': ids.county,
    'attendee-1-attended': 'yes',
    'attendee-2-name': 'DC Jo Harris',
    'attendee-2-agency': ids.police,
    'attendee-2-attended': 'apologies',
    decisions: 'Section 47 enquiry to start today.',
    ...extra,
  })

  it('refuses a meeting with no chair, no decisions and a date in the future, keeping what was typed', async () => {
    const before = await db().selectFrom('plan_meetings').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    const res = await practitioner.post(`/people/${ids.aaliyah}/plan/meetings/new`, strategy({ chair: '', decisions: '', ...dateFields('held', addDays(today(), 2)), 'attendee-3-role': 'Nurse' }))
    expect(res.status).toBe(400)
    const html = await res.text()
    expect(html).toContain('govuk-error-summary')
    expect(html).toContain('Enter who chaired the meeting')
    expect(html).toContain('Enter what the meeting decided')
    expect(html).toContain('Enter the name of attendee 3, or clear the row')
    expect(html).toContain('value="Sam Okafor"')
    const future = await practitioner.post(`/people/${ids.aaliyah}/plan/meetings/new`, strategy(dateFields('held', addDays(today(), 2))))
    expect(future.status).toBe(400)
    expect(await future.text()).toContain('The date of the meeting must be today or in the past')
    const after = await db().selectFrom('plan_meetings').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    expect(Number(after.n)).toBe(Number(before.n))
  })

  it('records a strategy discussion with attendees by agency, on the child’s timeline and in the audit trail', async () => {
    const res = await practitioner.post(`/people/${ids.aaliyah}/plan/meetings/new`, strategy())
    expect(res.status).toBe(302)
    const meetingId = res.headers.get('location')!.match(/\/plans\/meetings\/([0-9a-f-]{36})/)![1]
    ids.meeting = meetingId
    const page = await (await practitioner.get(`/plans/meetings/${meetingId}`)).text()
    expect(page).toContain('Strategy discussion')
    expect(page).toContain('Aaliyah Brooks')
    expect(page).toMatch(/Hampshire County Council[\s\S]*Sam Okafor, Social worker/)
    expect(page).toMatch(/DC Jo Harris \(apologies\)/)
    expect(page).toContain('Section 47 enquiry to start today.')
    const events = await db().selectFrom('person_events').select('kind').where('person_id', '=', ids.aaliyah).where('ref_id', '=', meetingId).execute()
    expect(events.map((e) => e.kind)).toEqual(['plan-meeting'])
    const audit = await db().selectFrom('audit_events').select('action').where('record_id', '=', meetingId).orderBy('id').execute()
    expect(audit.map((a) => a.action)).toEqual(['create', 'view'])
  })

  it('adds actions with owners and due dates; the overdue one is flagged on the child’s plan and on Home for the owner and her manager', async () => {
    const overdue = await practitioner.post(`/plans/meetings/${ids.meeting}/actions/new`, { description: 'Visit Aaliyah at school with her mother', ownerUserId: ids.practitioner, ...dateFields('due', addDays(today(), -1)) })
    expect(overdue.status).toBe(302)
    const byAgency = await practitioner.post(`/plans/meetings/${ids.meeting}/actions/new`, { description: 'Check Aaliyah’s phone contacts against the JAY line', ownerAgencyId: ids.police, ...dateFields('due', addDays(today(), 30)) })
    expect(byAgency.status).toBe(302)
    const bad = await practitioner.post(`/plans/meetings/${ids.meeting}/actions/new`, { description: '', ownerUserId: '', ...dateFields('due', addDays(today(), -30)) })
    expect(bad.status).toBe(400)
    const badHtml = await bad.text()
    expect(badHtml).toContain('Enter what is to be done')
    expect(badHtml).toContain('Select the person or the agency who owns the action')

    const plan = await (await practitioner.get(`/people/${ids.aaliyah}/plan`)).text()
    expect(plan).toContain('1 action is overdue.')
    expect(plan).toMatch(/Visit Aaliyah at school with her mother[\s\S]*Overdue/)
    expect(plan).toContain('Hampshire and Isle of Wight Constabulary')

    for (const who of [practitioner, manager]) {
      const home = await (await who.get('/dashboard')).text()
      const list = home.slice(home.indexOf('data-testid="worklist-plan-actions"'))
      expect(list).toContain('Plan action overdue: Visit Aaliyah at school with her mother')
      // Due in thirty days: not yet on Home.
      expect(list).not.toContain('phone contacts')
    }
  })

  it('tells the person an action is assigned to, and only them', async () => {
    const deps = moduleDeps({ db: db(), config: loadConfig({ NODE_ENV: 'test', LANTERN_MODE: 'demo', LOG_LEVEL: 'silent' }), logger: createLogger('silent'), clock: app.clock })
    const notifications = notificationsService(deps, { sender: new LogSender() })
    await notifications.scan()
    await practitioner.post(`/plans/meetings/${ids.meeting}/actions/new`, { description: 'Ask the school for attendance since September', ownerUserId: ids.manager, ...dateFields('due', addDays(today(), 5)) })
    await notifications.scan()
    const told = await db().selectFrom('notifications').select(['user_id', 'text', 'href']).where('kind', '=', 'plan-action-assigned').where('text', 'like', '%Aaliyah%').execute()
    expect(told).toHaveLength(1)
    expect(told[0].user_id).toBe(ids.manager)
    expect(told[0].text).toContain('A plan action for Aaliyah Brooks has been assigned to you')
    expect(told[0].href).toMatch(new RegExp(`^/plans/meetings/${ids.meeting}#action-`))
  })

  it('closes an action as done, or cancelled with a reason, and leaves it off the plan', async () => {
    const action = await db().selectFrom('plan_actions').select(['id', 'version']).where('description', '=', 'Visit Aaliyah at school with her mother').executeTakeFirstOrThrow()
    const noReason = await practitioner.post(`/plans/actions/${action.id}/close`, { status: 'cancelled', version: String(action.version) })
    expect(noReason.status).toBe(400)
    expect(await noReason.text()).toContain('Enter why the action is cancelled')
    const cancelled = await practitioner.post(`/plans/actions/${action.id}/close`, { status: 'cancelled', reason: 'Aaliyah moved school', version: String(action.version) })
    expect(cancelled.status).toBe(302)
    const plan = await (await practitioner.get(`/people/${ids.aaliyah}/plan`)).text()
    expect(plan).not.toContain('Visit Aaliyah at school')
    expect(plan).not.toContain('overdue.')
    const meeting = await (await practitioner.get(`/plans/meetings/${ids.meeting}`)).text()
    expect(meeting).toContain('Aaliyah moved school')
    const again = await practitioner.post(`/plans/actions/${action.id}/close`, { status: 'done', version: String(action.version) })
    expect(again.status).toBe(409)
  })

  it('corrects a meeting record with a reason, keeping the record as it was, and refuses a stale or empty correction', async () => {
    const form = await practitioner.get(`/plans/meetings/${ids.meeting}/edit`)
    expect(form.status).toBe(200)
    const formHtml = await form.text()
    expect(formHtml).toContain('value="Priya Natarajan"')
    expect(formHtml).toContain('value="Sam Okafor"')
    const { version } = await db().selectFrom('plan_meetings').select('version').where('id', '=', ids.meeting).executeTakeFirstOrThrow()
    const edit = (extra: Record<string, string>) => practitioner.post(`/plans/meetings/${ids.meeting}/edit`, { ...strategy(), version: String(version), ...extra })

    const noReason = await edit({ chair: 'Priya Natarajan (acting)' })
    expect(noReason.status).toBe(400)
    const noReasonHtml = await noReason.text()
    expect(noReasonHtml).toContain('Enter why the meeting record is being changed')
    expect(noReasonHtml).toContain('value="Priya Natarajan (acting)"')
    expect((await edit({ reason: 'Checked' })).status).toBe(400)

    const saved = await edit({ chair: 'Priya Natarajan (acting)', reason: 'Chair’s corrections to the minutes' })
    expect(saved.status).toBe(302)
    const page = await (await practitioner.get(`/plans/meetings/${ids.meeting}`)).text()
    expect(page).toContain('Priya Natarajan (acting)')
    expect(page).toMatch(/data-testid="meeting-changes"[\s\S]*Chair[\s\S]*Chair’s corrections to the minutes/)
    const change = await db().selectFrom('plan_meeting_changes').select(['before', 'changed_fields', 'changed_by']).where('meeting_id', '=', ids.meeting).executeTakeFirstOrThrow()
    expect([change.before.chair, change.changed_fields, change.changed_by]).toEqual(['Priya Natarajan', ['chair'], ids.practitioner])
    const audit = await db().selectFrom('audit_events').select('details').where('record_id', '=', ids.meeting).where('action', '=', 'update').execute()
    expect(audit.map((a) => a.details?.fields)).toEqual([['chair']])
    const events = await db().selectFrom('person_events').select('summary').where('person_id', '=', ids.aaliyah).where('ref_id', '=', ids.meeting).orderBy('at').execute()
    expect(events.at(-1)?.summary).toContain('corrected (chair): Chair’s corrections to the minutes')

    // Someone else saved first: both versions side by side, the kind as its option's text.
    const stale = await edit({ kind: 'mace', reason: 'It was a MACE' })
    const conflict = await conflictPage(stale)
    expect(row(conflict, 'Kind')).toEqual({ question: 'Kind', mine: 'MACE meeting (multi-agency child exploitation)', theirs: 'Strategy discussion', differs: true })
    expect(conflict.rows.some((r) => r.mine === 'Hampshire County Council' && r.theirs === 'Hampshire County Council')).toBe(true)
    expect(conflict.keepMine?.fields).toContainEqual(['reason', 'It was a MACE'])
  })

  it('exports the meeting record as a PDF, audited as an export', async () => {
    const res = await practitioner.get(`/plans/meetings/${ids.meeting}/record.pdf`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('application/pdf')
    expect(Buffer.from(await res.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-')
    const exported = await db().selectFrom('audit_events').select('details').where('record_id', '=', ids.meeting).where('action', '=', 'export').execute()
    expect(exported).toHaveLength(1)
  })

  it('prints the meeting’s corrections in its PDF, and offers no correction while a person discussed is closed', async () => {
    const res = await practitioner.get(`/plans/meetings/${ids.meeting}/record.pdf`)
    const pdf = await getDocumentProxy(new Uint8Array(await res.arrayBuffer()))
    const { text } = await extractText(pdf, { mergePages: true })
    expect(text).toContain('Corrections')
    expect(text).toContain('Chair’s corrections to the minutes')
    expect(text).toContain('Priya Natarajan')

    expect(await (await practitioner.get(`/plans/meetings/${ids.meeting}`)).text()).toContain('Correct the meeting record')
    const subjects = (await db().selectFrom('plan_meetings').select(sql<string[]>`to_jsonb(subject_ids)`.as('ids')).where('id', '=', ids.meeting).executeTakeFirstOrThrow()).ids
    await db().updateTable('people').set({ closed_at: new Date(), closed_reason: 'Work ended' }).where('id', '=', subjects[0]).execute()
    try {
      const page = await practitioner.get(`/plans/meetings/${ids.meeting}`)
      expect(page.status).toBe(200)
      expect(await page.text()).not.toContain('Correct the meeting record')
    } finally {
      await db().updateTable('people').set({ closed_at: null, closed_reason: null }).where('id', '=', subjects[0]).execute()
    }
  })

  it('never lets someone who may not see every child discussed learn that the meeting exists', async () => {
    // Ellie's record is the council's and is not shared with the police; Kyle's is.
    const res = await practitioner.post(`/people/${ids.kyle}/plan/meetings/new`, strategy({ others: `${app.baseUrl}/people/${ids.ellie}`, decisions: 'Both children seen together at the station.' }))
    expect(res.status).toBe(302)
    const meetingId = res.headers.get('location')!.match(/\/plans\/meetings\/([0-9a-f-]{36})/)![1]
    expect((await practitioner.get(`/plans/meetings/${meetingId}`)).status).toBe(200)
    expect((await officer.get(`/plans/meetings/${meetingId}`)).status).toBe(404)
    expect((await officer.get(`/plans/meetings/${meetingId}/record.pdf`)).status).toBe(404)
    expect((await officer.get(`/plans/meetings/${meetingId}/actions/new`)).status).toBe(404)
    const kylePlan = await (await officer.get(`/people/${ids.kyle}/plan`)).text()
    expect(kylePlan).not.toContain(meetingId)
    expect(kylePlan).not.toContain('Both children seen together')
    // And the officer cannot name Ellie on a meeting: told the same as for a record that does not exist.
    const hidden = await officer.post(`/people/${ids.kyle}/plan/meetings/new`, strategy({ others: ids.ellie }))
    const missing = await officer.post(`/people/${ids.kyle}/plan/meetings/new`, strategy({ others: '00000000-0000-4000-8000-000000000000' }))
    expect(hidden.status).toBe(400)
    expect(missing.status).toBe(400)
    const [a, b] = [await hidden.text(), await missing.text()]
    expect(a).toContain('No record you may add to is at the address on line 1 of the other people discussed')
    expect(b).toContain('No record you may add to is at the address on line 1 of the other people discussed')
  })

  it('shows the demo’s MACE meeting and strategy discussion on Kyle’s plan, one action overdue', async () => {
    const plan = await (await practitioner.get(`/people/${ids.kyle}/plan`)).text()
    expect(plan).toContain('MACE meeting (multi-agency child exploitation)')
    expect(plan).toContain('Serve a Child Abduction Warning Notice')
    expect(plan).toContain('JAY (07700 900461)')
    expect(plan).toMatch(/Agree Kyle’s safety plan with him and his mother at home[\s\S]*?Overdue/)
  })
})
