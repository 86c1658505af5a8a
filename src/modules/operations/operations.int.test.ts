import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../../../test/support/app.ts'
import { TestClient } from '../../../test/support/http.ts'
import { conflictPage, keepMine, row } from '../../../test/support/conflict.ts'
import { testDatabaseKinds } from '../../../test/support/databases.ts'
import { addUsers } from '../../../test/support/leak-canary.ts'
import { addDays } from '../../kernel/elapsed.ts'
import { runAsRequest, setRequestViewer } from '../../db/scope.ts'

const section = (html: string, testId: string) => html.split(`data-testid="${testId}"`)[1].split('</table>')[0].split('</dl>')[0]
const count = (html: string, key: string) => {
  const row = section(html, 'outcome-counts').split('govuk-summary-list__row').find((r) => r.includes(`>${key}`) || r.includes(` ${key}`))!
  return row.split('govuk-summary-list__value">')[1].split('</dd>')[0].replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim()
}

describe.each(testDatabaseKinds())('joint operations carried to their end on $name', (kind) => {
  let app: TestApp
  let ids: Record<string, string>
  let harbour: string
  let police: string
  let county: string
  const as = async (email: string) => {
    const c = new TestClient(app.baseUrl)
    await c.signIn(email)
    return c
  }
  const db = () => app.database.db
  const newOperation = async (officer: TestClient, name: string, startedOn: string) => {
    const created = await officer.post('/operations/new', { name, leadAgencyId: police, partnerAgencyIds: [county], status: 'active', startedOn })
    expect(created.status).toBe(302)
    return created.headers.get('location')!.split('/').pop()!
  }
  const activityId = async (operationId: string, kind: string) =>
    (await db().selectFrom('operation_activities').select('id').where('operation_id', '=', operationId).where('kind', '=', kind as never).executeTakeFirstOrThrow()).id

  beforeAll(async () => {
    app = await startTestApp({ kind })
    const rows = await db().selectFrom('network_entities as e').leftJoin('people as p', 'p.id', 'e.person_id').select(['e.id', 'e.line_name', 'e.location_type', 'p.given_name']).execute()
    ids = Object.fromEntries(rows.map((r) => [r.line_name ?? r.location_type ?? r.given_name ?? r.id, r.id]))
    harbour = (await db().selectFrom('operations').select('id').where('name', '=', 'Operation Harbour').executeTakeFirstOrThrow()).id
    police = (await db().selectFrom('agencies').select('id').where('kind', '=', 'police').executeTakeFirstOrThrow()).id
    county = (await db().selectFrom('operation_partners').select('agency_id').where('operation_id', '=', harbour).executeTakeFirstOrThrow()).agency_id
  }, 120_000)
  afterAll(async () => app?.close())

  it('counts Operation Harbour’s outcomes in Home Office terms, from what was recorded', async () => {
    const page = await (await (await as('officer@lantern.test')).get(`/operations/${harbour}`)).text()
    // The JAY line was closed, and Jay and Reece, who both run it, were charged: a type 1 closure.
    expect(count(page, 'County lines closed')).toBe('1 (type 1: 1, type 2: 0)')
    expect(count(page, 'Line holders charged')).toBe('2')
    expect(count(page, 'Arrests')).toBe('1')
    expect(count(page, 'NRM referrals')).toBe('1')
    const list = await (await (await as('officer@lantern.test')).get('/operations')).text()
    expect(count(list, 'Arrests')).toBe('1')
  })

  it('keeps one NRM record: the operation’s NRM activity is the child’s referral', async () => {
    const kyle = (await db().selectFrom('network_entities').select('person_id').where('id', '=', ids.Kyle).executeTakeFirstOrThrow()).person_id!
    const referrals = await db().selectFrom('nrm_referrals').select('id').where('person_id', '=', kyle).where('voided_at', 'is', null).execute()
    expect(referrals).toHaveLength(1)
    const activity = await db().selectFrom('operation_activities').select('nrm_referral_id').where('operation_id', '=', harbour).where('kind', '=', 'nrm_referral').executeTakeFirstOrThrow()
    expect(activity.nrm_referral_id).toBe(referrals[0].id)

    // Recording one in an operation records it on the child's referrals tab, once.
    const practitioner = await as('practitioner@lantern.test')
    const mason = (await db().selectFrom('network_entities').select('person_id').where('id', '=', ids.Mason).executeTakeFirstOrThrow()).person_id!
    const before = await db().selectFrom('nrm_referrals').select('id').where('person_id', '=', mason).execute()
    const today = app.clock.today()
    const recorded = await practitioner.post(`/operations/${harbour}/activities/new`, { kind: 'nrm_referral', occurredOn: addDays(today, -2), entityId: ids.Mason, description: 'Referred after the warrant.' })
    expect(recorded.status).toBe(302)
    const after = await db().selectFrom('nrm_referrals').selectAll().where('person_id', '=', mason).execute()
    expect(after).toHaveLength(before.length + 1)
    const made = after.find((r) => !before.some((b) => b.id === r.id))!
    expect(made.referred_on).toBe(addDays(today, -2))
    expect(made.notes).toBe('Referred after the warrant.')
    expect((await practitioner.get(`/people/${mason}/referrals`)).status).toBe(200)
    const id = (await db().selectFrom('operation_activities').select('id').where('nrm_referral_id', '=', made.id).executeTakeFirstOrThrow()).id

    // Withdrawn in the operation, it is voided on the child's record with the same reason.
    const withdrawn = await practitioner.post(`/operations/${harbour}/activities/${id}/withdraw`, { reason: 'Recorded on the wrong child.' })
    expect(withdrawn.status).toBe(302)
    const voided = await db().selectFrom('nrm_referrals').select(['voided_at', 'void_reason']).where('id', '=', made.id).executeTakeFirstOrThrow()
    expect(voided.void_reason).toBe('Recorded on the wrong child.')
    expect(count(await (await practitioner.get(`/operations/${harbour}`)).text(), 'NRM referrals')).toBe('1')
  })

  it('corrects and withdraws an activity with a reason: kept in the history, struck through, counted in nothing', async () => {
    const officer = await as('officer@lantern.test')
    const op = await newOperation(officer, 'Operation Correction', '2026-03-01')
    expect((await officer.post(`/operations/${op}/activities/new`, { kind: 'arrest', occurredOn: '2026-03-02', entityId: ids.Reece, description: 'Arrested at home.' })).status).toBe(302)
    const arrest = await activityId(op, 'arrest')
    expect(count(await (await officer.get(`/operations/${op}`)).text(), 'Arrests')).toBe('1')

    const noReason = await officer.post(`/operations/${op}/activities/${arrest}/edit`, { kind: 'arrest', occurredOn: '2026-03-03', entityId: ids.Reece, version: '1' })
    expect(noReason.status).toBe(400)
    const noReasonHtml = await noReason.text()
    expect(noReasonHtml).toContain('Enter why the activity is corrected')
    expect(noReasonHtml).toContain('value="2026-03-03"')
    const corrected = await officer.post(`/operations/${op}/activities/${arrest}/edit`, { kind: 'arrest', occurredOn: '2026-03-03', entityId: ids.Reece, description: 'Arrested at home.', reason: 'Wrong date: the custody record says the 3rd.', version: '1' })
    expect(corrected.status).toBe(302)
    const stale = await officer.post(`/operations/${op}/activities/${arrest}/edit`, { kind: 'arrest', occurredOn: '2026-03-04', entityId: ids.Reece, reason: 'Late.', version: '1' })
    expect(stale.status).toBe(409)

    const bad = await officer.post(`/operations/${op}/activities/${arrest}/withdraw`, { reason: ' ' })
    expect(bad.status).toBe(400)
    expect(await bad.text()).toContain('Enter why it is withdrawn')
    expect((await officer.post(`/operations/${op}/activities/${arrest}/withdraw`, { reason: 'Recorded against the wrong operation.' })).status).toBe(302)

    const page = await (await officer.get(`/operations/${op}`)).text()
    expect(count(page, 'Arrests')).toBe('0')
    const row = section(page, 'activities').split('</tr>').find((r) => r.includes('Arrest'))!
    expect(row).toContain('data-withdrawn')
    expect(row).toContain('<s>')
    expect(row).toContain('Recorded against the wrong operation.')
    const history = section(page, 'history')
    expect(history).toContain('Wrong date: the custody record says the 3rd.')
    expect(history).toContain('Arrest on 2 March 2026')
    expect(history).toContain('Recorded against the wrong operation.')
    const audited = await db().selectFrom('audit_events').select('details').where('record_type', '=', 'operation').where('record_id', '=', op).where('action', '=', 'update').execute()
    expect(audited.map((a) => a.details)).toEqual(expect.arrayContaining([expect.objectContaining({ activityCorrected: arrest }), expect.objectContaining({ activityWithdrawn: arrest })]))
  })

  it('corrects and withdraws a charge with a reason: kept in the history, struck through, counted in nothing', async () => {
    const officer = await as('officer@lantern.test')
    const op = await newOperation(officer, 'Operation Charge', '2026-03-01')
    // Reece runs the JAY line: his charge makes its closure type 1, until the charge is withdrawn.
    expect((await officer.post(`/operations/${op}/activities/new`, { kind: 'line_closure', occurredOn: '2026-03-05', entityId: ids.JAY })).status).toBe(302)
    const charge = { entityId: ids.Reece, kind: 'charge', offence: 'Possession with intent to supply', modernSlavery: 'no', occurredOn: '2026-03-02' }
    expect((await officer.post(`/operations/${op}/outcomes/new`, charge)).status).toBe(302)
    const outcome = (await db().selectFrom('operation_outcomes').select('id').where('operation_id', '=', op).executeTakeFirstOrThrow()).id
    expect(count(await (await officer.get(`/operations/${op}`)).text(), 'Line holders charged')).toBe('1')

    const form = await (await officer.get(`/operations/${op}/outcomes/${outcome}/edit`)).text()
    expect(form).toContain('value="Possession with intent to supply"')
    const noReason = await officer.post(`/operations/${op}/outcomes/${outcome}/edit`, { ...charge, offence: 'Conspiracy to supply', version: '1' })
    expect(noReason.status).toBe(400)
    const noReasonHtml = await noReason.text()
    expect(noReasonHtml).toContain('Enter why the charge or conviction is corrected')
    expect(noReasonHtml).toContain('value="Conspiracy to supply"')
    const corrected = await officer.post(`/operations/${op}/outcomes/${outcome}/edit`, { ...charge, offence: 'Conspiracy to supply', reason: 'CPS charged conspiracy.', version: '1' })
    expect(corrected.status).toBe(302)
    expect((await officer.post(`/operations/${op}/outcomes/${outcome}/edit`, { ...charge, reason: 'Late.', version: '1' })).status).toBe(409)
    expect((await officer.post(`/operations/${op}/outcomes/${outcome}/withdraw`, { reason: 'Charge discontinued by the CPS.' })).status).toBe(302)

    const page = await (await officer.get(`/operations/${op}`)).text()
    expect(count(page, 'Line holders charged')).toBe('0')
    const row = section(page, 'outcomes').split('</tr>').find((r) => r.includes('Conspiracy to supply'))!
    expect(row).toContain('data-withdrawn')
    expect(row).toContain('Charge discontinued by the CPS.')
    const history = section(page, 'history')
    expect(history).toContain('Charge on 2 March 2026 (Reece')
    expect(history).toContain('Possession with intent to supply')
    expect(history).toContain('CPS charged conspiracy.')
    const audited = await db().selectFrom('audit_events').select('details').where('record_type', '=', 'operation').where('record_id', '=', op).where('action', '=', 'update').execute()
    expect(audited.map((a) => a.details)).toEqual(expect.arrayContaining([expect.objectContaining({ outcomeCorrected: outcome }), expect.objectContaining({ outcomeWithdrawn: outcome })]))
  })

  it('withdraws a target with a reason and edits the operation, keeping what it was', async () => {
    const officer = await as('officer@lantern.test')
    const op = await newOperation(officer, 'Operation Edit', '2026-04-01')
    expect((await officer.post(`/operations/${op}/targets`, { entityId: ids.Reece })).status).toBe(302)
    expect((await officer.post(`/operations/${op}/targets/${ids.Reece}/withdraw`, { reason: 'Not part of this line after all.' })).status).toBe(302)
    const version = (await db().selectFrom('operations').select('version').where('id', '=', op).executeTakeFirstOrThrow()).version
    const edited = await officer.post(`/operations/${op}/edit`, { name: 'Operation Edited', leadAgencyId: police, status: 'active', startedOn: '2026-04-02', summary: 'Now with a summary.', version: String(version) })
    expect(edited.status).toBe(302)
    const page = await (await officer.get(`/operations/${op}`)).text()
    expect(page).toContain('Operation Edited')
    expect(section(page, 'targets')).toMatch(/<s>Reece Holloway[\s\S]*Withdrawn[\s\S]*Not part of this line after all\./)
    expect(section(page, 'history')).toContain('Details edited')
  })

  it('answers two people editing an operation at once with the shared conflict page: both versions in words, and either choice', async () => {
    const officer = await as('officer@lantern.test')
    const op = await newOperation(officer, 'Operation Twice', '2026-04-01')
    // The colleague opened the edit form before the officer saved.
    const colleague = new TestClient(app.baseUrl, { referer: `${app.baseUrl}/operations/${op}/edit` })
    await colleague.signIn('officer@lantern.test')
    const version = String((await db().selectFrom('operations').select('version').where('id', '=', op).executeTakeFirstOrThrow()).version)
    const form = { name: 'Operation Twice', leadAgencyId: police, partnerAgencyIds: [county], status: 'active', startedOn: '2026-04-01', version }
    expect((await officer.post(`/operations/${op}/edit`, { ...form, summary: 'Their summary.' })).status).toBe(302)

    const page = await conflictPage(await colleague.post(`/operations/${op}/edit`, { ...form, status: 'planned', summary: 'My summary.' }))
    expect(row(page, 'Summary')).toEqual({ question: 'Summary', mine: 'My summary.', theirs: 'Their summary.', differs: true })
    expect(row(page, 'Status')).toEqual({ question: 'Status', mine: 'Planned', theirs: 'Active', differs: true })
    const partner = (await db().selectFrom('agencies').select('name').where('id', '=', county).executeTakeFirstOrThrow()).name
    expect(row(page, 'Partner agencies')).toEqual({ question: 'Partner agencies', mine: partner, theirs: partner, differs: false })
    expect(page.seeTheirs).toBe(`/operations/${op}/edit`)
    const saved = () => db().selectFrom('operations').select(['summary', 'status']).where('id', '=', op).executeTakeFirstOrThrow()
    expect(await saved()).toEqual({ summary: 'Their summary.', status: 'active' })

    // Keeping my changes saves them over theirs, having seen them.
    expect((await keepMine(colleague, page)).status).toBe(302)
    expect(await saved()).toEqual({ summary: 'My summary.', status: 'planned' })
    // The old page's button is stale once more: a save in between is refused, not overwritten unseen.
    expect((await keepMine(colleague, page)).status).toBe(409)
  })

  it('shows a stale correction of an activity on the shared conflict page, each answer in the form’s words', async () => {
    const officer = await as('officer@lantern.test')
    const op = await newOperation(officer, 'Operation Stale Correction', '2026-03-01')
    expect((await officer.post(`/operations/${op}/activities/new`, { kind: 'arrest', occurredOn: '2026-03-02', entityId: ids.Reece })).status).toBe(302)
    const arrest = await activityId(op, 'arrest')
    const correction = { kind: 'arrest', entityId: ids.Reece, version: '1' }
    expect((await officer.post(`/operations/${op}/activities/${arrest}/edit`, { ...correction, occurredOn: '2026-03-03', reason: 'The custody record says the 3rd.' })).status).toBe(302)
    const page = await conflictPage(await officer.post(`/operations/${op}/activities/${arrest}/edit`, { ...correction, occurredOn: '2026-03-04', reason: 'Late.' }))
    expect(row(page, 'Date')).toEqual({ question: 'Date', mine: '2026-03-04', theirs: '2026-03-03', differs: true })
    expect(row(page, 'What was done')).toEqual({ question: 'What was done', mine: 'Arrest', theirs: 'Arrest', differs: false })
    expect(row(page, 'Who or what it concerned').mine).toContain('Reece Holloway')
    expect(page.keepMine?.fields).toContainEqual(['reason', 'Late.'])
  })

  it('shows a charge corrected by someone else first beside mine, in the form’s words', async () => {
    const officer = await as('officer@lantern.test')
    const op = await newOperation(officer, 'Operation Charge Twice', '2026-03-01')
    const charge = { entityId: ids.Reece, kind: 'charge', offence: 'Possession with intent to supply', modernSlavery: 'no', occurredOn: '2026-03-02' }
    expect((await officer.post(`/operations/${op}/outcomes/new`, charge)).status).toBe(302)
    const outcome = (await db().selectFrom('operation_outcomes').select('id').where('operation_id', '=', op).executeTakeFirstOrThrow()).id
    expect((await officer.post(`/operations/${op}/outcomes/${outcome}/edit`, { ...charge, offence: 'Conspiracy to supply', reason: 'CPS charged conspiracy.', version: '1' })).status).toBe(302)
    const page = await conflictPage(await officer.post(`/operations/${op}/outcomes/${outcome}/edit`, { ...charge, offence: 'Supply of a controlled drug', reason: 'Late.', version: '1' }))
    expect(row(page, 'Offence')).toEqual({ question: 'Offence', mine: 'Supply of a controlled drug', theirs: 'Conspiracy to supply', differs: true })
    expect(row(page, 'Outcome')).toEqual({ question: 'Outcome', mine: 'Charge', theirs: 'Charge', differs: false })
    expect(row(page, 'Person').theirs).toContain('Reece Holloway')
    expect(page.keepMine?.fields).toContainEqual(['version', '2'])
  })

  it('shows an operation concluded by someone else first beside my conclusion', async () => {
    const officer = await as('officer@lantern.test')
    const op = await newOperation(officer, 'Operation Concluded Twice', '2026-05-01')
    const version = String((await db().selectFrom('operations').select('version').where('id', '=', op).executeTakeFirstOrThrow()).version)
    expect((await officer.post(`/operations/${op}/edit`, { name: 'Operation Concluded Twice', leadAgencyId: police, partnerAgencyIds: [county], status: 'active', startedOn: '2026-05-01', summary: 'Their summary.', version })).status).toBe(302)
    const page = await conflictPage(await officer.post(`/operations/${op}/conclude`, { endedOn: '2026-05-20', conclusion: 'My conclusion.', version }))
    expect(row(page, 'What the operation achieved')).toEqual({ question: 'What the operation achieved', mine: 'My conclusion.', theirs: '(blank)', differs: true })
    expect(row(page, 'Summary').theirs).toBe('Their summary.')
    expect((await keepMine(officer, page)).status).toBe(302)
    expect(await db().selectFrom('operations').select(['status', 'conclusion']).where('id', '=', op).executeTakeFirstOrThrow()).toEqual({ status: 'concluded', conclusion: 'My conclusion.' })
  })

  it('concludes with a summary; nothing more is recorded until a manager reopens it, saying why', async () => {
    const officer = await as('officer@lantern.test')
    const op = await newOperation(officer, 'Operation Conclude', '2026-05-01')
    expect((await officer.post(`/operations/${op}/activities/new`, { kind: 'warrant', occurredOn: '2026-05-10', entityId: ids.Reece })).status).toBe(302)
    const version = async () => String((await db().selectFrom('operations').select('version').where('id', '=', op).executeTakeFirstOrThrow()).version)
    const early = await officer.post(`/operations/${op}/conclude`, { endedOn: '2026-05-05', conclusion: 'Done.', version: await version() })
    expect(early.status).toBe(400)
    expect(await early.text()).toContain('End date must be on or after the last activity')
    const empty = await officer.post(`/operations/${op}/conclude`, { endedOn: '2026-05-20', conclusion: '', version: await version() })
    expect(empty.status).toBe(400)
    expect(await empty.text()).toContain('Enter what the operation achieved')
    expect((await officer.post(`/operations/${op}/conclude`, { endedOn: '2026-05-20', conclusion: 'Warrant executed; the address is closed.', version: await version() })).status).toBe(302)
    const page = await (await officer.get(`/operations/${op}`)).text()
    expect(page).toContain('Warrant executed; the address is closed.')
    expect(page).not.toContain('Record an activity')
    expect((await officer.post(`/operations/${op}/activities/new`, { kind: 'arrest', occurredOn: '2026-05-21', entityId: ids.Reece })).status).toBe(409)

    expect((await officer.post(`/operations/${op}/reopen`, { reason: 'More to do.', version: await version() })).status).toBe(403)
    const manager = await as('manager@lantern.test')
    const noReason = await manager.post(`/operations/${op}/reopen`, { reason: '', version: await version() })
    expect(noReason.status).toBe(400)
    expect((await manager.post(`/operations/${op}/reopen`, { reason: 'A second address came to light.', version: await version() })).status).toBe(302)
    const reopened = await (await officer.get(`/operations/${op}`)).text()
    expect(reopened).toContain('Record an activity')
    expect(section(reopened, 'history')).toContain('A second address came to light.')
  })

  it('totals the outcomes of the operations a viewer’s agency takes part in for a chosen period, with a CSV, audited', async () => {
    const officer = await as('officer@lantern.test')
    // Police-led with no partner: the council's practitioner may not see it.
    const created = await officer.post('/operations/new', { name: 'Operation Period', leadAgencyId: police, status: 'active', startedOn: '2019-05-01' })
    expect(created.status).toBe(302)
    const op = created.headers.get('location')!.split('/').pop()!
    for (const occurredOn of ['2019-06-10', '2019-06-20', '2019-07-05']) {
      expect((await officer.post(`/operations/${op}/activities/new`, { kind: 'arrest', occurredOn, entityId: ids.Reece })).status).toBe(302)
    }
    const june = '?from=2019-06-01&to=2019-06-30'
    const page = await officer.get(`/operations/outcomes${june}`)
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(count(html, 'Arrests')).toBe('2')
    expect(section(html, 'outcomes-by-operation')).toContain('Operation Period')
    expect(html).toContain(`href="/operations/outcomes.csv?from=2019-06-01&amp;to=2019-06-30"`)
    // With no period, every arrest counts, as on the operations list.
    expect(count(await (await officer.get('/operations/outcomes')).text(), 'Arrests')).toBe(count(await (await officer.get('/operations')).text(), 'Arrests'))

    const csv = await officer.get(`/operations/outcomes.csv${june}`)
    expect(csv.status).toBe(200)
    expect(csv.headers.get('content-type')).toContain('text/csv')
    const lines = (await csv.text()).trim().split('\n')
    expect(lines[0]).toBe('operation,lead_agency,status,county_lines_closed,type_1_closures,type_2_closures,line_holders_charged,arrests,nrm_referrals,safeguarding_referrals')
    expect(lines.find((l) => l.startsWith('Operation Period,'))).toMatch(/,active,0,0,0,0,2,0,0$/)
    expect(lines.at(-1)).toBe('All operations,,,0,0,0,0,2,0,0')
    const exported = await db().selectFrom('audit_events').select('details').where('record_type', '=', 'operation').where('action', '=', 'export').execute()
    expect(exported.map((e) => e.details)).toContainEqual(expect.objectContaining({ report: 'outcomes', from: '2019-06-01', to: '2019-06-30' }))

    // Need-to-know: another agency's figures leave out an operation it takes no part in.
    const practitioner = await as('practitioner@lantern.test')
    const theirs = await (await practitioner.get(`/operations/outcomes${june}`)).text()
    expect(count(theirs, 'Arrests')).toBe('0')
    expect(theirs).not.toContain('Operation Period')
    expect(await (await practitioner.get(`/operations/outcomes.csv${june}`)).text()).not.toContain('Operation Period')
    // A panel member may not see operations at all.
    expect((await (await as('panel@lantern.test')).get('/operations/outcomes')).status).toBe(403)

    // A period that is not one: the GOV.UK error summary, the answers kept.
    const bad = await officer.get('/operations/outcomes?from=2019-13-45&to=2019-06-30')
    expect(bad.status).toBe(400)
    const badHtml = await bad.text()
    expect(badHtml).toContain('The start of the period must be a real date')
    expect(badHtml).toContain('value="2019-13-45"')
    const backwards = await officer.get('/operations/outcomes?from=2019-07-01&to=2019-06-01')
    expect(backwards.status).toBe(400)
    expect(await backwards.text()).toContain('The end of the period must be the same as or after its start')
  })

  it('counts a closure as type 1 in its own period when the line holder is charged in the next, and the holder in the period of the charge', async () => {
    const officer = await as('officer@lantern.test')
    const op = await newOperation(officer, 'Operation Spanning', '2018-02-01')
    // Reece runs the JAY line. The line is closed in March; Reece is charged in April.
    expect((await officer.post(`/operations/${op}/activities/new`, { kind: 'line_closure', occurredOn: '2018-03-20', entityId: ids.JAY })).status).toBe(302)
    expect((await officer.post(`/operations/${op}/outcomes/new`, { entityId: ids.Reece, kind: 'charge', offence: 'Possession with intent to supply', modernSlavery: 'no', occurredOn: '2018-04-03' })).status).toBe(302)
    // county_lines_closed, type_1, type_2, line_holders_charged, arrests, nrm, safeguarding
    const counted = async (from: string, to: string) => {
      const lines = (await (await officer.get(`/operations/outcomes.csv?from=${from}&to=${to}`)).text()).trim().split('\n')
      return lines.find((l) => l.startsWith('Operation Spanning,'))!.split(',').slice(3).join(',')
    }
    expect(await counted('2018-03-01', '2018-03-31')).toBe('1,1,0,0,0,0,0')
    expect(await counted('2018-04-01', '2018-04-30')).toBe('0,0,0,1,0,0,0')
    // The two periods add up to the whole.
    expect(await counted('2018-03-01', '2018-04-30')).toBe('1,1,0,1,0,0,0')
  })

  it('compares each child’s risk either side of the activity that concerned them, not the newest rating since the start', async () => {
    const officer = await as('officer@lantern.test')
    const today = app.clock.today()
    // Mason: Amber 200 and 140 days ago, Green 60 days ago. An action 170 days ago was followed by
    // Amber, not the Green that came much later.
    const op = await newOperation(officer, 'Operation Anchor', addDays(today, -190))
    expect((await officer.post(`/operations/${op}/targets`, { entityId: ids.Mason })).status).toBe(302)
    expect((await officer.post(`/operations/${op}/activities/new`, { kind: 'safeguarding_visit', occurredOn: addDays(today, -170), entityId: ids.Mason })).status).toBe(302)
    const page = await (await officer.get(`/operations/${op}`)).text()
    const mason = section(page, 'children-risk').split('</tr>').find((r) => r.includes('>Mason Clarke</a>'))!
    expect(mason).toContain('an activity concerning them')
    expect(mason).not.toContain('Green')
    expect(mason).toContain('No change')
  })

  it('shows a partner an activity about a record it may not see without its details, its seizure or its history', async () => {
    const officer = await as('officer@lantern.test')
    const analyst = await as('analyst@lantern.test')
    const today = app.clock.today()
    const area = (await db().selectFrom('areas').select('id').where('name', '=', 'Havant').executeTakeFirstOrThrow()).id
    // A line the police hold alone: the county council takes part in the operation, not in the line.
    const made = await analyst.post('/network/entities/new', { kind: 'line', lineName: 'HIDDENLINE', areaId: area, description: 'police only line' })
    const line = made.headers.get('location')!.match(/entities\/([0-9a-f-]{36})/)![1]
    const op = await newOperation(officer, 'Operation Veil', addDays(today, -20))
    const record = (form: Record<string, string>) => officer.post(`/operations/${op}/activities/new`, { occurredOn: addDays(today, -10), entityId: line, ...form })
    expect((await record({ kind: 'seizure', seizedItem: 'cash', quantity: '900', itemDescription: 'Cash in Tyler Marsh’s sock', description: 'Stopped Tyler Marsh at the station' })).status).toBe(302)
    expect((await record({ kind: 'warrant', description: 'Warrant at Tyler Marsh’s mother’s flat' })).status).toBe(302)
    const warrant = await activityId(op, 'warrant')
    expect((await officer.post(`/operations/${op}/activities/${warrant}/withdraw`, { reason: 'Tyler Marsh was not there', version: '1' })).status).toBe(302)

    const own = await (await officer.get(`/operations/${op}`)).text()
    expect(own).toContain('Stopped Tyler Marsh at the station')
    const partner = await (await (await as('practitioner@lantern.test')).get(`/operations/${op}`)).text()
    expect(section(partner, 'activities')).toContain('A record you do not have a need to know for')
    expect(section(partner, 'activities')).toContain('an activity about a record you do not have a need to know for')
    expect(partner).not.toContain('Tyler Marsh')
    // The seizure still counts in the operation's totals, by item, without its description.
    expect(partner).toContain('£900')
  })

  it('refuses an operation to an agency not taking part as its lead would, and still records one led by another agency or refuses a name already taken', async () => {
    const health = (await db().selectFrom('agencies').select('id').where('kind', '=', 'health').executeTakeFirstOrThrow()).id
    const { health: email } = await addUsers(db(), health, 'ops', ['practitioner']).then((e) => ({ health: e.practitioner }))
    const outsider = await as(email)
    const refused = await outsider.get(`/operations/${harbour}`)
    expect(refused.status).toBe(403)
    expect(await refused.text()).not.toContain('Operation Harbour')
    // Names are unique across the partnership: a clash with an operation the recorder cannot see is a form error.
    const clash = await outsider.post('/operations/new', { name: 'Operation Harbour', leadAgencyId: health, status: 'active', startedOn: app.clock.today() })
    expect(clash.status).toBe(400)
    expect(await clash.text()).toContain('An operation with this name already exists')
    // Led by another agency, the recorder's own takes part as a partner and sees what it recorded.
    const led = await outsider.post('/operations/new', { name: 'Operation Ward', leadAgencyId: police, status: 'active', startedOn: app.clock.today() })
    expect(led.status).toBe(302)
    expect((await outsider.get(led.headers.get('location')!)).status).toBe(200)
  })

  it('holds an operation, its targets, activities and outcomes in the database for the agencies taking part only', async () => {
    const health = (await db().selectFrom('agencies').select('id').where('kind', '=', 'health').executeTakeFirstOrThrow()).id
    const tables = ['operation_targets', 'operation_activities', 'operation_outcomes'] as const
    // Through the application role, as a store that forgot the condition would read them.
    const rowsAs = (agencyId: string, agencyKind: string) =>
      runAsRequest(async () => {
        setRequestViewer({ id: crypto.randomUUID(), agencyId, agencyKind, permissions: ['network:view', 'person:view'] }, { breakGlass: false })
        return [
          (await db().selectFrom('operations').select('id').where('id', '=', harbour).execute()).length,
          ...(await Promise.all(tables.map(async (t) => (await db().selectFrom(t).select('operation_id').where('operation_id', '=', harbour).execute()).length))),
        ]
      })
    const all = await Promise.all(tables.map(async (t) => (await db().selectFrom(t).select('operation_id').where('operation_id', '=', harbour).execute()).length))
    expect(all.every((n) => n > 0)).toBe(true)
    expect(await rowsAs(county, 'county_council')).toEqual([1, ...all])
    expect(await rowsAs(health, 'health')).toEqual([0, 0, 0, 0])
  })
})
