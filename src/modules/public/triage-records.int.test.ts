import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { startTestApp, type TestApp } from '../../../test/support/app.ts'
import { TestClient } from '../../../test/support/http.ts'
import { testDatabaseKinds } from '../../../test/support/databases.ts'
import { systemContext } from '../../kernel/context.ts'
import { formatDate } from '../../web/nunjucks.ts'
import { computeDerived } from '../indicators/derived.ts'
import { modulesWithPublic, answerJourney, answersFor, postForm, TEST_RATE_LIMITS } from '../../../test/support/public.ts'
import { publicReportStats } from './service.ts'
import { retentionService } from './retention.ts'

/**
 * What triage officers do with a report beyond reading it: create the record it is about and come
 * back with it linked, export the queue, and what happens to a report at the end of its retention.
 */
describe.each(testDatabaseKinds())('triage records, export and retention on $name', (kind) => {
  let app: TestApp
  let havant: string

  beforeAll(async () => {
    app = await startTestApp({ kind, modules: modulesWithPublic({ rateLimits: TEST_RATE_LIMITS }) })
    havant = (await app.database.db.selectFrom('areas').select('id').where('code', '=', 'E07000090').executeTakeFirstOrThrow()).id
  }, 180_000)
  afterAll(async () => app?.close())

  const db = () => app.database.db
  const as = async (email: string) => {
    const client = new TestClient(app.baseUrl)
    await client.signIn(email)
    return client
  }

  async function newReport(what: string, overrides: Parameters<typeof answersFor>[1] = {}) {
    const reporter = new TestClient(app.baseUrl)
    const token = await answerJourney(reporter, answersFor(havant, { what, ...overrides }))
    expect((await postForm(reporter, '/report/check', { _csrf: token, homepage: '' })).status).toBe(303)
    const reference = (await (await reporter.get('/report/confirmation')).text()).match(/data-testid="reference">([A-Z0-9-]+)</)![1]
    return db().selectFrom('public_reports').selectAll().where('reference', '=', reference).executeTakeFirstOrThrow()
  }

  /** Starts "record a new one" from the report, returning the form's address and the return address. */
  async function startNewRecord(client: TestClient, reportId: string, entityType: string) {
    const res = await client.get(`/public-reports/${reportId}/links/new?entityType=${entityType}`)
    expect(res.status).toBe(303)
    const location = res.headers.get('location')!
    const returnTo = new URL(location, app.baseUrl).searchParams.get('returnTo')!
    expect(returnTo).toMatch(new RegExp(`^/public-reports/${reportId}/links/new/[A-Za-z0-9_-]{32}$`))
    return { form: location, returnTo }
  }

  const person = (given: string, family: string, returnTo?: string) => ({
    kind: 'child',
    givenName: given,
    familyName: family,
    'dob-day': '4',
    'dob-month': '5',
    'dob-year': '2011',
    gender: 'male',
    homeAreaId: havant,
    currentAreaId: havant,
    ...(returnTo ? { returnTo } : {}),
  })

  const linksOf = (reportId: string) =>
    db().selectFrom('public_report_links').select(['entity_type', 'entity_id', 'note']).where('report_id', '=', reportId).where('removed_at', 'is', null).execute()

  describe('record a new one and link it', () => {
    it('takes a manager from the report to a new person and back, with the person linked and both steps audited', async () => {
      const report = await newReport('Round trip probe: a boy of about 15 seen at the flat every night')
      const manager = await as('manager@lantern.test')
      const search = await (await manager.get(`/public-reports/${report.id}/link?entityType=person&q=Ashdown`)).text()
      expect(search).toContain(`href="/public-reports/${report.id}/links/new?entityType=person"`)

      const { form, returnTo } = await startNewRecord(manager, report.id, 'person')
      expect(form).toBe(`/people/new?returnTo=${encodeURIComponent(returnTo)}`)
      const page = await (await manager.get(form)).text()
      expect(page).toContain(`<input type="hidden" name="returnTo" value="${returnTo}">`)
      expect(page).toContain('data-testid="return-to-report"')

      // A mistake first: the form comes back with its errors and still knows where to return.
      const bad = await manager.post('/people/new', { ...person('Robin', 'Ashdown', returnTo), 'dob-year': '2099' })
      expect(bad.status).toBe(400)
      expect(await bad.text()).toContain(`name="returnTo" value="${returnTo}"`)

      const saved = await manager.post('/people/new', person('Robin', 'Ashdown', returnTo))
      expect(saved.status).toBe(302)
      const back = saved.headers.get('location')!
      const created = back.match(/\?created=([0-9a-f-]{36})$/)![1]
      expect(back).toBe(`${returnTo}?created=${created}`)
      const linked = await manager.get(back)
      expect(linked.status).toBe(303)
      expect(linked.headers.get('location')).toBe(`/public-reports/${report.id}`)
      const reportPage = await (await manager.get(`/public-reports/${report.id}`)).text()
      expect(reportPage).toContain(`href="/people/${created}"`)
      expect(reportPage).toContain('Person ‘Robin Ashdown’ recorded and linked to this report')
      expect(await linksOf(report.id)).toEqual([{ entity_type: 'person', entity_id: created, note: 'Recorded from this report' }])

      const audit = await db().selectFrom('audit_events').select(['action', 'record_type', 'record_id', 'details']).where('record_id', 'in', [created, report.id]).orderBy('id').execute()
      expect(audit.find((a) => a.action === 'create' && a.record_type === 'person' && a.record_id === created)).toBeTruthy()
      expect(audit.find((a) => a.action === 'link' && a.record_type === 'person' && a.record_id === created)?.details).toMatchObject({ publicReportId: report.id, newRecord: true })
      expect(audit.find((a) => a.action === 'update' && a.record_id === report.id)?.details).toMatchObject({ change: 'linked', entityType: 'person', entityId: created, newRecord: true })

      // The return address is single-use: followed again (or by anyone else), it links nothing.
      const again = await manager.get(back)
      expect(again.headers.get('location')).toBe(`/public-reports/${report.id}/link`)
      expect(await linksOf(report.id)).toHaveLength(1)
    })

    it('keeps the return address through "Is this one of these?", and back without saving links nothing', async () => {
      const report = await newReport('Round trip probe: the same boy again, with a friend')
      const manager = await as('manager@lantern.test')
      const cancelled = await startNewRecord(manager, report.id, 'person')
      // The back link on the form is the return address: followed without saving, it goes back to linking.
      expect(await (await manager.get(cancelled.form)).text()).toContain(`href="${cancelled.returnTo}"`)
      expect((await manager.get(cancelled.returnTo)).headers.get('location')).toBe(`/public-reports/${report.id}/link`)

      await db().insertInto('people').values({ kind: 'child', given_name: 'Jordan', family_name: 'Vesey', date_of_birth: '2011-05-04', owner_agency_id: (await db().selectFrom('users').select('agency_id').where('email', '=', 'manager@lantern.test').executeTakeFirstOrThrow()).agency_id, current_area_id: havant, updated_at: new Date() }).execute()
      const { returnTo } = await startNewRecord(manager, report.id, 'person')
      const check = await manager.post('/people/new', person('Jordan', 'Vesey', returnTo))
      expect(check.status).toBe(200)
      const html = await check.text()
      expect(html).toContain('Is this one of these?')
      expect(html).toContain(`name="returnTo" value="${returnTo}"`)
      const saved = await manager.post('/people/new', { ...person('Jordan', 'Vesey', returnTo), confirmedNoMatch: 'yes' })
      expect(saved.headers.get('location')).toMatch(new RegExp(`^${returnTo}\\?created=`))
      expect((await manager.get(saved.headers.get('location')!)).headers.get('location')).toBe(`/public-reports/${report.id}`)
      expect(await linksOf(report.id)).toHaveLength(1)
    })

    it('links the existing record instead when "Is this one of these?" shows the person is already recorded, saving no second one', async () => {
      const report = await newReport('Round trip probe: a girl the school already worries about')
      const manager = await as('manager@lantern.test')
      const agency = (await db().selectFrom('users').select('agency_id').where('email', '=', 'manager@lantern.test').executeTakeFirstOrThrow()).agency_id
      const existing = await db()
        .insertInto('people')
        .values({ kind: 'child', given_name: 'Talia', family_name: 'Brookwood', date_of_birth: '2011-05-04', owner_agency_id: agency, current_area_id: havant, updated_at: new Date() })
        .returning('id')
        .executeTakeFirstOrThrow()
      const { returnTo } = await startNewRecord(manager, report.id, 'person')
      const check = await manager.post('/people/new', person('Talia', 'Brookwood', returnTo))
      const html = await check.text()
      expect(html).toContain('Is this one of these?')
      const choose = `${returnTo}?existing=${existing.id}`
      expect(html).toContain(`href="${choose}">Yes, link this record to the report`)
      expect(html).not.toContain(`href="/people/${existing.id}">Yes, open this record`)

      const people = async () => Number((await db().selectFrom('people').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)
      const before = await people()
      expect((await manager.get(choose)).headers.get('location')).toBe(`/public-reports/${report.id}`)
      expect(await (await manager.get(`/public-reports/${report.id}`)).text()).toContain('Person ‘Talia Brookwood’ linked to this report')
      expect(await linksOf(report.id)).toEqual([{ entity_type: 'person', entity_id: existing.id, note: 'Found already recorded when recording from this report' }])
      expect(await people()).toBe(before)
      const audit = await db().selectFrom('audit_events').select('details').where('action', '=', 'link').where('record_id', '=', existing.id).executeTakeFirstOrThrow()
      expect(audit.details).toMatchObject({ publicReportId: report.id })
      expect((audit.details as Record<string, unknown>).newRecord).not.toBe(true)
    })

    it('takes an analyst to a new location in network intelligence and back, offering it only to those who may create one', async () => {
      const report = await newReport('Round trip probe: cars outside the garages behind Ridge Way')
      const manager = await as('manager@lantern.test')
      // The manager may link locations but not record them, so is not offered to.
      expect(await (await manager.get(`/public-reports/${report.id}/link?entityType=location&q=Ridge`)).text()).not.toContain('links/new?entityType=location')
      expect((await manager.get(`/public-reports/${report.id}/links/new?entityType=location`)).status).toBe(404)

      const analyst = await as('analyst@lantern.test')
      const { form, returnTo } = await startNewRecord(analyst, report.id, 'location')
      expect(form).toBe(`/network/entities/new?kind=location&returnTo=${encodeURIComponent(returnTo)}`)
      expect(await (await analyst.get(form)).text()).toContain(`<input type="hidden" name="returnTo" value="${returnTo}">`)
      const saved = await analyst.post('/network/entities/new', { kind: 'location', locationType: 'hotspot', address: 'Garages behind Ridge Way, Havant', areaId: havant, returnTo })
      expect(saved.status).toBe(302)
      const created = saved.headers.get('location')!.split('created=')[1]
      expect((await analyst.get(saved.headers.get('location')!)).headers.get('location')).toBe(`/public-reports/${report.id}`)
      expect(await linksOf(report.id)).toEqual([{ entity_type: 'location', entity_id: created, note: 'Recorded from this report' }])
      expect(await publicReportStats(db()).reportCountsFor('location', created)).toMatchObject({ count: 1 })
      expect(await db().selectFrom('audit_events').select('id').where('action', '=', 'create').where('record_type', '=', 'network_entity').where('record_id', '=', created).execute()).toHaveLength(1)

      // Saved as another kind than the one asked for, it is linked as what it is.
      const second = await startNewRecord(analyst, report.id, 'location')
      const vehicle = await analyst.post('/network/entities/new', { kind: 'vehicle', registration: 'GK19 XYZ', vehicleDescription: 'Black Audi A3', returnTo: second.returnTo })
      await analyst.get(vehicle.headers.get('location')!)
      expect((await linksOf(report.id)).map((l) => l.entity_type).sort()).toEqual(['location', 'vehicle'])
    })

    it('never follows a return address anywhere else, nor links from another session or to a closed report', async () => {
      const manager = await as('manager@lantern.test')
      for (const evil of ['https://evil.example/x', '//evil.example/x', '/\\evil.example/x', '/admin/users']) {
        expect(await (await manager.get(`/people/new?returnTo=${encodeURIComponent(evil)}`)).text()).not.toContain('name="returnTo"')
        const saved = await manager.post('/people/new', { ...person('Evil', `Redirect${evil.length}`), returnTo: evil, confirmedNoMatch: 'yes' })
        expect(saved.status).toBe(302)
        expect(saved.headers.get('location')).toMatch(/^\/people\/[0-9a-f-]{36}$/)
      }

      const report = await newReport('Round trip probe: someone else’s return address')
      const { returnTo } = await startNewRecord(manager, report.id, 'person')
      const saved = await manager.post('/people/new', { ...person('Sam', 'Other', returnTo), confirmedNoMatch: 'yes' })
      const back = saved.headers.get('location')!
      // The same officer signed in elsewhere has no such pending link in that session.
      const elsewhere = await as('manager@lantern.test')
      expect((await elsewhere.get(back)).headers.get('location')).toBe(`/public-reports/${report.id}/link`)
      expect(await (await elsewhere.get(`/public-reports/${report.id}/link`)).text()).toContain('The new record was saved but not linked to this report')
      expect(await linksOf(report.id)).toEqual([])

      // Closed while the officer was on the form: saved, not linked, and told so.
      const officer = await as('manager@lantern.test')
      await officer.post(`/public-reports/${report.id}/action`, { action: 'police_intelligence', actionNote: 'Log 1' })
      const trip = await startNewRecord(manager, report.id, 'person')
      await officer.post(`/public-reports/${report.id}/close`, { summary: 'Done' })
      const late = await manager.post('/people/new', { ...person('Sam', 'Later', trip.returnTo), confirmedNoMatch: 'yes' })
      expect((await manager.get(late.headers.get('location')!)).headers.get('location')).toBe(`/public-reports/${report.id}/link`)
      expect(await linksOf(report.id)).toEqual([])
    })
  })

  describe('exporting the queue', () => {
    it('downloads the list as filtered, without contact details, formula-safe, and audited', async () => {
      const spreadsheet = await newReport('=HYPERLINK("http://evil.example","click") export probe', { contact: 'contact', contactName: 'Export Probe Reporter', contactPhone: '07700 900999' })
      const officer = await as('manager@lantern.test')
      const res = await officer.get('/public-reports/export.csv?view=new&channel=online')
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toContain('text/csv')
      expect(res.headers.get('content-disposition')).toContain('lantern-public-reports-new.csv')
      const csv = await res.text()
      const lines = csv.trim().split('\n')
      expect(lines[0]).toBe('reference,received_on,received_by,external_reference,area,status,urgency,assigned_to,child_at_risk,when,when_detail,what_happened,where,who_involved,anything_else,anonymous,closed_at,legal_hold')
      expect(csv).toContain(spreadsheet.reference)
      expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"",""click"") export probe"`)
      expect(csv).not.toContain('Export Probe Reporter')
      expect(csv).not.toContain('07700 900999')
      // As the list: only new online reports (imports and closed ones left out).
      const queue = await (await officer.get('/public-reports?view=new&channel=online')).text()
      const total = Number(queue.match(/([\d,]+) reports?<\/caption>/)![1].replace(/,/g, ''))
      expect(lines.length - 1).toBe(total)
      expect(csv).not.toContain('Crimestoppers')
      expect(queue).toContain('href="/public-reports/export.csv?view=new&amp;channel=online"')

      const audit = await db().selectFrom('audit_events').select(['details']).where('action', '=', 'export').where('record_type', '=', 'public_report').orderBy('id', 'desc').executeTakeFirstOrThrow()
      expect(audit.details).toMatchObject({ view: 'new', channel: 'online', format: 'csv', rows: total })
      expect((await (await as('panel@lantern.test')).get('/public-reports/export.csv')).status).toBe(403)
    })
  })

  describe('retention', () => {
    async function closeLongAgo(officer: TestClient, reportId: string, monthsAgo: number) {
      expect((await officer.post(`/public-reports/${reportId}/action`, { action: 'no_further_action', actionNote: 'Nothing to act on' })).status).toBe(302)
      expect((await officer.post(`/public-reports/${reportId}/close`, { summary: 'Closed for the retention test' })).status).toBe(302)
      // As if closed that long ago: the triage state is staff's, and may be changed; the report may not.
      await sql`update public_report_triage set closed_at = now() - make_interval(months => ${monthsAgo}) where report_id = ${reportId}`.execute(db())
    }

    it('deletes closed reports past their period, keeps held and linked ones and every monthly count, and audits the run', async () => {
      const officer = await as('manager@lantern.test')
      const analyst = await as('analyst@lantern.test')
      const old = await newReport('Retention probe: old and closed, nothing keeps it', { contact: 'contact', contactName: 'Retention Probe Reporter', contactPhone: '07700 900888' })
      const held = await newReport('Retention probe: old, under a legal hold')
      const linkedPerson = await newReport('Retention probe: old, linked to a person')
      const linkedFlat = await newReport('Retention probe: old, linked to the flat with open intelligence')
      const linkedGone = await newReport('Retention probe: old, linked to a location with nothing open')
      const recent = await newReport('Retention probe: closed last month')
      const open = await newReport('Retention probe: still open')

      const gary = await db().selectFrom('people').select('id').where('given_name', '=', 'Gary').where('family_name', '=', 'Pike').executeTakeFirstOrThrow()
      const flat = (await sql<{ id: string }>`select id from network_entities where kind = 'location' and address like 'Flat 3, Dunsbury Way%'`.execute(db())).rows[0].id
      const quiet = await analyst.post('/network/entities/new', { kind: 'location', locationType: 'other', address: 'Bus shelter, Park Parade, Havant', areaId: havant })
      const quietId = quiet.headers.get('location')!.split('/').pop()!
      expect((await analyst.post(`/public-reports/${linkedPerson.id}/links`, { entityType: 'person', entityId: gary.id })).status).toBe(302)
      expect((await analyst.post(`/public-reports/${linkedFlat.id}/links`, { entityType: 'location', entityId: flat })).status).toBe(302)
      expect((await analyst.post(`/public-reports/${linkedGone.id}/links`, { entityType: 'location', entityId: quietId })).status).toBe(302)

      for (const r of [old, held, linkedPerson, linkedFlat, linkedGone]) await closeLongAgo(officer, r.id, 25)
      await closeLongAgo(officer, recent.id, 1)
      let res = await officer.post(`/public-reports/${held.id}/hold`, { reason: '' })
      expect(res.status).toBe(400)
      expect(await res.text()).toContain('Enter why the report must be kept')
      expect((await officer.post(`/public-reports/${held.id}/hold`, { reason: 'Subject access request SAR-2026-114' })).status).toBe(302)
      expect((await officer.post(`/public-reports/${held.id}/hold`, { reason: 'Twice' })).status).toBe(409)

      // The triage page says when each will go, or what keeps it.
      const closedAt = (await db().selectFrom('public_report_triage').select('closed_at').where('report_id', '=', old.id).executeTakeFirstOrThrow()).closed_at!
      const deleteAfter = (await sql<{ d: Date }>`select ${closedAt}::timestamptz + interval '24 months' as d`.execute(db())).rows[0].d
      const retentionOf = async (id: string) => (await (await officer.get(`/public-reports/${id}`)).text()).split('data-testid="retention"')[1].split('</div>')[0]
      expect(await retentionOf(old.id)).toContain(`To be deleted on or after <strong>${formatDate(deleteAfter)}</strong>, 24 months after it was closed.`)
      expect(await retentionOf(held.id)).toContain('Kept under a legal hold placed on')
      expect(await retentionOf(held.id)).toContain('Subject access request SAR-2026-114')
      expect(await retentionOf(linkedPerson.id)).toContain('kept for as long as it is linked to an open record')
      expect(await retentionOf(open.id)).toContain('Kept while the report is open. Once it is closed, it is kept for 24 months and then deleted.')

      const retention = retentionService(app.deps)
      const probes = [old, held, linkedPerson, linkedFlat, linkedGone, recent, open].map((r) => r.id)
      const plan = await retention.plan()
      expect(plan.due.map((r) => r.id).filter((id) => probes.includes(id)).sort()).toEqual([old.id, linkedGone.id].sort())

      const stats = publicReportStats(db())
      const countsBefore = await stats.monthlyReportCounts()
      const seriesBefore = await computeDerived(db(), 'public-reports', { from: '2020-01-01', to: '2030-12-01' })
      const auditBefore = Number((await db().selectFrom('audit_events').select(sql<number>`max(id)`.as('id')).executeTakeFirstOrThrow()).id)

      const result = await retention.apply({ ...systemContext('retention-test'), method: 'CLI', path: 'retention apply' })
      expect(result.deleted).toBe(plan.due.length)
      expect(result.keptLegalHold).toBeGreaterThanOrEqual(1)
      expect(result.keptOpenRecord).toBeGreaterThanOrEqual(2)

      const left = (await db().selectFrom('public_reports').select('id').where('id', 'in', probes).execute()).map((r) => r.id)
      expect(left.sort()).toEqual([held.id, linkedPerson.id, linkedFlat.id, recent.id, open.id].sort())
      // Everything staff added to a deleted report goes with it.
      for (const table of ['public_report_triage', 'public_report_events', 'public_report_links'] as const) {
        expect(await db().selectFrom(table).select('report_id').where('report_id', 'in', [old.id, linkedGone.id]).execute()).toEqual([])
      }
      expect((await officer.get(`/public-reports/${old.id}`)).status).toBe(404)
      // Nothing published changes: the monthly counts and the indicator series are as they were.
      expect(await stats.monthlyReportCounts()).toEqual(countsBefore)
      const seriesAfter = await computeDerived(db(), 'public-reports', { from: '2020-01-01', to: '2030-12-01' })
      const byKey = (rows: { area_id: string; period: string; value: number }[]) => Object.fromEntries(rows.map((r) => [`${r.area_id} ${r.period}`, r.value]))
      expect(byKey(seriesAfter)).toEqual(byKey(seriesBefore))
      const month = `${old.received_on.slice(0, 7)}-01`
      expect((await db().selectFrom('public_report_retained_counts').select('reports').where('month', '=', month).where('area_id', '=', havant).where('channel', '=', 'online').executeTakeFirstOrThrow()).reports).toBeGreaterThanOrEqual(2)
      await expect(sql`update public_report_retained_counts set reports = reports - 1`.execute(db())).rejects.toThrow(/only grow/)
      await expect(sql`delete from public_report_retained_counts`.execute(db())).rejects.toThrow(/only grow/)

      // One audit event for the run, with its counts, and nothing of what the reports said.
      const events = await db().selectFrom('audit_events').selectAll().where('id', '>', auditBefore).execute()
      expect(events).toHaveLength(1)
      expect(events[0]).toMatchObject({ action: 'delete', record_type: 'public_report', record_id: null, path: 'retention apply' })
      expect(events[0].details).toMatchObject({ purpose: 'retention', retentionMonths: 24, deleted: result.deleted, keptLegalHold: result.keptLegalHold, keptOpenRecord: result.keptOpenRecord })
      const logged = JSON.stringify(events[0])
      for (const text of ['Retention probe', 'Retention Probe Reporter', '07700 900888', old.reference]) expect(logged).not.toContain(text)

      // Run again: nothing more goes. Lift the hold: the held report goes next time.
      expect((await retention.apply(systemContext('again'))).deleted).toBe(0)
      res = await officer.post(`/public-reports/${held.id}/hold/lift`, { reason: 'Request answered' })
      expect(res.status).toBe(302)
      const history = await (await officer.get(`/public-reports/${held.id}`)).text()
      expect(history).toContain('Legal hold placed')
      expect(history).toContain('Legal hold lifted')
      expect((await retention.plan()).due.map((r) => r.id)).toContain(held.id)
    })

    it('lets an administrator set the period, refusing a bad one with the answer kept, and audits the change', async () => {
      const officer = await as('manager@lantern.test')
      expect((await officer.get('/admin/report-retention')).status).toBe(403)
      const admin = await as('admin@lantern.test')
      const page = await (await admin.get('/admin/report-retention')).text()
      expect(page).toContain('href="/admin/report-retention"')
      expect(page).toContain('The default is 24 months.')
      expect(page).toContain('data-testid="retention-plan"')
      for (const [value, message] of [['', 'Enter how many months to keep closed reports'], ['two years', 'Enter the number of months as a whole number, like 24'], ['0', 'Keep closed reports for at least 1 month'], ['121', 'Keep closed reports for at most 120 months (10 years)']]) {
        const res = await admin.post('/admin/report-retention', { months: value })
        expect(res.status).toBe(400)
        const html = await res.text()
        expect(html).toContain(message)
        expect(html).toContain('govuk-error-summary')
        if (value) expect(html).toContain(`value="${value}"`)
      }
      expect((await admin.post('/admin/report-retention', { months: '36' })).status).toBe(302)
      expect((await db().selectFrom('settings').select('value').where('key', '=', 'public_reports.retention_months').executeTakeFirstOrThrow()).value).toBe('36')
      const audit = await db().selectFrom('audit_events').select(['details', 'user_email']).where('record_type', '=', 'setting').where('record_id', '=', 'public_reports.retention_months').orderBy('id', 'desc').executeTakeFirstOrThrow()
      expect(audit).toMatchObject({ user_email: 'admin@lantern.test', details: { from: null, to: 36 } })
      const report = await newReport('Retention probe: an open report under the new period')
      expect(await (await officer.get(`/public-reports/${report.id}`)).text()).toContain('it is kept for 36 months and then deleted')
      // A value written into the settings by hand is shown as such, deletes nothing, and is set again here.
      await db().updateTable('settings').set({ value: 'forever' }).where('key', '=', 'public_reports.retention_months').execute()
      const invalid = await admin.get('/admin/report-retention')
      expect(invalid.status).toBe(200)
      expect(await invalid.text()).toContain('data-testid="invalid-setting"')
      expect(await (await officer.get(`/public-reports/${report.id}`)).text()).toContain('The retention period for reports is not set correctly')
      // Put back, so the order the tests run in does not matter.
      expect((await admin.post('/admin/report-retention', { months: '24' })).status).toBe(302)
      expect(await (await officer.get(`/public-reports/${report.id}`)).text()).toContain('it is kept for 24 months and then deleted')
    })
  })
})
