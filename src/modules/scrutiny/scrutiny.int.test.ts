import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { sql } from 'kysely'
import { startTestApp, type TestApp } from '../../../test/support/app.ts'
import { TestClient } from '../../../test/support/http.ts'
import { testDatabaseKinds } from '../../../test/support/databases.ts'
import { scrutinyModule } from './module.ts'
import { deliverPending, LogSender, queueReminders } from './notifications.ts'

const fixture = readFileSync('test/fixtures/moderngov/getmeeting-police-and-crime-panel.xml')

/** Multipart posts carry the CSRF token in the address, as Lantern's upload forms do. */
async function upload(client: TestClient, baseUrl: string, path: string, fields: Record<string, string>, file?: { name: string; type: string; content: Buffer }) {
  const token = await client.csrfToken('/scrutiny/manage')
  const form = new FormData()
  for (const [k, v] of Object.entries(fields)) form.append(k, v)
  if (file) form.append('file', new Blob([new Uint8Array(file.content)], { type: file.type }), file.name)
  return fetch(`${baseUrl}${path}?_csrf=${encodeURIComponent(token)}`, { method: 'POST', body: form, headers: { cookie: `lantern.sid=${client.cookie('lantern.sid')}` }, redirect: 'manual' })
}

describe.each(testDatabaseKinds())('scrutiny on $name', (kind) => {
  let app: TestApp
  let clerk: TestClient
  const ids: Record<string, string> = {}

  beforeAll(async () => {
    // Scrutiny on the foundation alone: its story needs no other capability's data.
    app = await startTestApp({ kind, modules: [scrutinyModule] })
    clerk = new TestClient(app.baseUrl)
    await clerk.signIn('partnership@lantern.test')
    const db = app.database.db
    for (const b of await db.selectFrom('scrutiny_bodies').select(['id', 'code']).execute()) ids[b.code] = b.id
    for (const i of await db.selectFrom('scrutiny_items').select(['id', 'title']).execute()) ids[i.title] = i.id
    ids.novMeeting = (await db.selectFrom('scrutiny_meetings').select('id').where('body_id', '=', ids.PCP).orderBy('meeting_date', 'desc').offset(1).limit(1).executeTakeFirstOrThrow()).id
  })
  afterAll(async () => {
    await app?.close()
  })

  const count = async (table: 'scrutiny_items' | 'scrutiny_status_history' | 'scrutiny_meetings' | 'scrutiny_agenda_items' | 'scrutiny_responses') =>
    Number((await app.database.db.selectFrom(table).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n)

  describe('the public tracker', () => {
    it('shows each body’s published items, and never a restricted one, on any page or in any format', async () => {
      const restricted = ids['Exempt: review of the handling of a complaint']
      const pub = new TestClient(app.baseUrl)
      const page = await (await pub.get('/scrutiny/police-and-crime-panel')).text()
      expect(page).toContain('Publish a county lines strategy with key indicators')
      expect(page).toContain('101 call-answering figures by month')
      const feed = await (await pub.get('/scrutiny/feed.atom')).text()
      const json = await (await pub.get('/scrutiny/tracker.json')).json()
      const csv = await (await pub.get('/scrutiny/police-and-crime-panel/tracker.csv')).text()
      const meeting = await (await pub.get(`/scrutiny/police-and-crime-panel/meetings/${ids.novMeeting}`)).text()
      for (const body of [page, feed, JSON.stringify(json), csv, meeting]) {
        expect(body).not.toContain('review of the handling of a complaint')
        expect(body).not.toContain(restricted)
      }
      expect(meeting).toContain('County Lines')
      expect(meeting).not.toContain('Exempt item')
      expect(feed).toContain('<feed xmlns="http://www.w3.org/2005/Atom"')
      expect(feed).toContain('Publish a county lines strategy with key indicators')
      expect((await pub.get(`/scrutiny/police-and-crime-panel/items/${restricted}`)).status).toBe(404)
      const exemptFile = await app.database.db.selectFrom('scrutiny_files').select('id').where('title', '=', 'Complaint summary (exempt)').executeTakeFirstOrThrow()
      expect((await pub.get(`/scrutiny/files/${exemptFile.id}`)).status).toBe(404)
      expect(json.items.length).toBeGreaterThan(10)
      expect(json.items.every((i: { reference: string }) => /^(PCP|SC|CSG) \d{4}\/\d{2} (Res|Rec|Req) \d+$/.test(i.reference))).toBe(true)
    })

    it('shows a recommendation’s history of responses and when it was sent and answered', async () => {
      const res = await new TestClient(app.baseUrl).get(`/scrutiny/police-and-crime-panel/items/${ids['County lines performance data']}`)
      const html = await res.text()
      expect(res.status).toBe(200)
      expect(html).toContain('Answered on')
      expect(html).toContain('21 days late')
      expect(html).toContain('In the last twelve months the force identified 46 county lines')
      expect(html).toContain('Sent to the addressee')
      // Addresses stay with staff.
      expect(html).not.toContain('opcc.correspondence@lantern.test')
    })

    it('says overdue in the open data, red whatever the body last rated it', async () => {
      const json = await (await new TestClient(app.baseUrl).get('/scrutiny/police-and-crime-panel/tracker.json')).json()
      const monthly = json.items.find((i: { title: string }) => i.title === '101 call-answering figures by month')
      expect(monthly).toMatchObject({ overdue: true, days_overdue: 23, rag_shown: 'red', answered_on: null, sent_on: '2026-10-03', response_due: '2026-10-31' })
      const strategy = json.items.find((i: { title: string }) => i.title === 'Publish a county lines strategy with key indicators')
      expect(strategy).toMatchObject({ overdue: false, rag_shown: 'amber', proposed_by: 'Cllr Gareth Lindqvist' })
    })
  })

  describe('recording at a meeting', () => {
    it('refuses a response date before the meeting and a malformed date, keeps the answers, and saves nothing', async () => {
      const before = await count('scrutiny_items')
      const res = await clerk.post(`/scrutiny/manage/meetings/${ids.novMeeting}/items/new`, {
        kind: 'recommendation',
        title: 'Too early',
        text: 'A recommendation due before it was made.',
        addressee: 'Police and Crime Commissioner',
        'responseDue-day': '1',
        'responseDue-month': '11',
        'responseDue-year': '2026',
        'sentOn-day': '31',
        'sentOn-month': '2',
        'sentOn-year': '2026',
      })
      expect(res.status).toBe(400)
      const html = await res.text()
      expect(html).toContain('<title>Error: Add to the tracker')
      expect(html).toContain('The date it was sent must be a real date')
      const again = await clerk.post(`/scrutiny/manage/meetings/${ids.novMeeting}/items/new`, {
        kind: 'recommendation',
        title: 'Too early',
        text: 'A recommendation due before it was made.',
        addressee: 'Police and Crime Commissioner',
        'responseDue-day': '1',
        'responseDue-month': '11',
        'responseDue-year': '2026',
      })
      const againHtml = await again.text()
      expect(again.status).toBe(400)
      expect(againHtml).toContain('The date the response is due must be after the meeting, 18 November 2026')
      expect(againHtml).toContain('value="Too early"')
      expect(await count('scrutiny_items')).toBe(before)
    })

    it('records a request with the body’s response period, the next number, and the evidence of when it was made and sent', async () => {
      const res = await clerk.post(`/scrutiny/manage/meetings/${ids.novMeeting}/items/new`, {
        kind: 'request',
        requestType: 'information',
        title: 'Weapons offences by district',
        text: 'Possession of weapons offences by district for the last three years.',
        addressee: 'Police and Crime Commissioner',
        addresseeAgencyId: (await app.database.db.selectFrom('agencies').select('id').where('short_name', '=', 'OPCC').executeTakeFirstOrThrow()).id,
        addresseeEmail: 'opcc.correspondence@lantern.test',
        'sentOn-day': '20',
        'sentOn-month': '11',
        'sentOn-year': '2026',
      })
      expect(res.status).toBe(302)
      const id = res.headers.get('location')!.split('/').pop()!
      const item = await app.database.db.selectFrom('scrutiny_items').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
      expect(item).toMatchObject({ kind: 'request', number: 5, municipal_year: '2026/27', sent_on: '2026-11-20', response_due: '2026-12-18', status: 'open' })
      const evidence = await app.database.db.selectFrom('scrutiny_evidence').select(['event', 'occurred_on', 'channel', 'recorded_by_name']).where('item_id', '=', id).orderBy('id').execute()
      // How it was sent is not asked here, so the log does not say: no "Email" nobody recorded.
      expect(evidence.map((e) => [e.event, e.occurred_on, e.channel])).toEqual([
        ['made', '2026-11-18', 'meeting'],
        ['sent', '2026-11-20', null],
        ['due_set', '2026-11-23', null],
      ])
      expect(evidence[0].recorded_by_name).toBe('Chris Bell')
      const page = await (await clerk.get(`/scrutiny/manage/items/${id}`)).text()
      expect(page).toContain('PCP 2026/27 Req 5')
      ids.newRequest = id
    })

    it('with no mail server configured, says the request was not sent and leaves its sent date empty', async () => {
      const res = await clerk.post(`/scrutiny/manage/meetings/${ids.novMeeting}/items/new`, {
        kind: 'request',
        requestType: 'action',
        title: 'Send the county lines report to district community safety leads',
        text: 'To share the report with each district’s community safety lead.',
        addressee: 'Police and Crime Commissioner',
        addresseeEmail: 'opcc.correspondence@lantern.test',
        sendNow: 'yes',
      })
      const id = res.headers.get('location')!.split('/').pop()!
      const item = await app.database.db.selectFrom('scrutiny_items').select(['sent_on', 'response_due']).where('id', '=', id).executeTakeFirstOrThrow()
      // Nothing left Lantern (the test app has no SMTP server): it was not sent. The body's 28 days run from the meeting.
      expect(item).toEqual({ sent_on: null, response_due: '2026-12-16' })
      const n = await app.database.db.selectFrom('scrutiny_notifications').select(['kind', 'status', 'transport', 'subject']).where('item_id', '=', id).executeTakeFirstOrThrow()
      expect(n).toEqual({ kind: 'request', status: 'sent', transport: 'log', subject: expect.stringMatching(/^Hampshire and Isle of Wight Police and Crime Panel: PCP 2026\/27 Req \d+ – response due by 16 December 2026$/) })
      const log = await app.database.db.selectFrom('scrutiny_evidence').select(['event', 'channel', 'occurred_on', 'recorded_by_name', 'detail']).where('item_id', '=', id).where('event', 'in', ['sent', 'not_sent']).execute()
      expect(log).toEqual([{ event: 'not_sent', channel: null, occurred_on: '2026-11-23', recorded_by_name: 'Lantern', detail: expect.stringContaining('no e-mail server is configured') }])
      const page = await (await new TestClient(app.baseUrl).get(`/scrutiny/police-and-crime-panel/items/${id}`)).text()
      expect(page).toContain('Not sent: no e-mail server configured')
      expect(page).not.toContain('Sent to the addressee')
      expect(page).not.toContain('By e-mail')
      expect(page).not.toMatch(/>\s*Email\s*</)
      const missing = await clerk.post(`/scrutiny/manage/meetings/${ids.novMeeting}/items/new`, { kind: 'request', requestType: 'action', title: 'x', text: 'y', addressee: 'z', sendNow: 'yes' })
      expect(await missing.text()).toContain('Enter the email address to send it to, or do not send it now')
    })

    it('makes anything recorded under a restricted agenda item restricted', async () => {
      const exempt = await app.database.db.selectFrom('scrutiny_agenda_items').select('id').where('title', 'like', 'Exempt item%').executeTakeFirstOrThrow()
      const res = await clerk.post(`/scrutiny/manage/meetings/${ids.novMeeting}/items/new`, {
        kind: 'resolution',
        title: 'Private resolution',
        text: 'Resolved in private session.',
        addressee: 'Police and Crime Commissioner',
        agendaItemId: exempt.id,
      })
      const id = res.headers.get('location')!.split('/').pop()!
      expect((await app.database.db.selectFrom('scrutiny_items').select('restricted').where('id', '=', id).executeTakeFirstOrThrow()).restricted).toBe(true)
      expect(await (await new TestClient(app.baseUrl).get('/scrutiny/tracker.csv')).text()).not.toContain('Private resolution')
    })
  })

  describe('status, set by people', () => {
    it('refuses "not accepted" without a reason and saves nothing; with one it records who and when', async () => {
      const id = ids['Publish a county lines strategy with key indicators']
      const before = await count('scrutiny_status_history')
      const { version } = await app.database.db.selectFrom('scrutiny_items').select('version').where('id', '=', id).executeTakeFirstOrThrow()
      const bad = await clerk.post(`/scrutiny/manage/items/${id}/status`, { version: String(version), status: 'not_accepted', rag: 'red' })
      expect(bad.status).toBe(400)
      expect(await bad.text()).toContain('Enter the reason it was not accepted')
      expect(await count('scrutiny_status_history')).toBe(before)
      expect((await app.database.db.selectFrom('scrutiny_items').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status).toBe('open')

      const ok = await clerk.post(`/scrutiny/manage/items/${id}/status`, { version: String(version), status: 'in_progress', rag: 'amber', note: 'Draft strategy seen by the chair.' })
      expect(ok.status).toBe(302)
      const last = await app.database.db.selectFrom('scrutiny_status_history').selectAll().where('item_id', '=', id).orderBy('id', 'desc').executeTakeFirstOrThrow()
      expect(last).toMatchObject({ status: 'in_progress', rag: 'amber', changed_by_name: 'Chris Bell', changed_by_agency: 'Hampshire County Council', note: 'Draft strategy seen by the chair.' })
      // A second officer working from the old page is told, not silently overwritten.
      const stale = await clerk.post(`/scrutiny/manage/items/${id}/status`, { version: String(version), status: 'closed', rag: 'green' })
      expect(stale.status).toBe(409)
      expect((await app.database.db.selectFrom('scrutiny_items').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status).toBe('in_progress')
    })

    it('corrects an item’s details with a reason, logging a moved due date, and refuses what cannot be', async () => {
      const id = ids['Publish a county lines strategy with key indicators']
      const { version } = await app.database.db.selectFrom('scrutiny_items').select('version').where('id', '=', id).executeTakeFirstOrThrow()
      const form = {
        version: String(version),
        title: 'Publish a county lines strategy with key indicators',
        text: 'That the Commissioner publishes a clear county lines strategy with key indicators.',
        addressee: 'Police and Crime Commissioner',
        addresseeAgencyId: (await app.database.db.selectFrom('agencies').select('id').where('short_name', '=', 'OPCC').executeTakeFirstOrThrow()).id,
        addresseeEmail: 'opcc.correspondence@lantern.test',
        proposedBy: 'Cllr Gareth Lindqvist',
        secondedBy: 'Cllr Sunita Rao',
        'responseDue-day': '8',
        'responseDue-month': '1',
        'responseDue-year': '2027',
      }
      const noReason = await clerk.post(`/scrutiny/manage/items/${id}/edit`, form)
      expect(noReason.status).toBe(400)
      expect(await noReason.text()).toContain('Enter why it is being changed, for the record')
      const early = await clerk.post(`/scrutiny/manage/items/${id}/edit`, { ...form, 'responseDue-day': '1', 'responseDue-month': '11', 'responseDue-year': '2026', reason: 'Typo' })
      expect(await early.text()).toContain('The date the response is due must be after the meeting, 18 November 2026')
      const ok = await clerk.post(`/scrutiny/manage/items/${id}/edit`, { ...form, reason: 'The Panel agreed a later date with the Commissioner.' })
      expect(ok.status).toBe(302)
      // A second correction from the old page: refused, with both versions side by side, the
      // organisation by its name rather than its id.
      const stale = await clerk.post(`/scrutiny/manage/items/${id}/edit`, { ...form, text: 'Typed on the old page.', reason: 'Late' })
      expect(stale.status).toBe(409)
      const table = (await stale.text()).replace(/\s+/g, ' ')
      const opcc = await app.database.db.selectFrom('agencies').select(['id', 'name']).where('short_name', '=', 'OPCC').executeTakeFirstOrThrow()
      expect(table).toMatch(/data-field="Text" data-differs>.*?<td[^>]*>Typed on the old page.<\/td>/)
      expect(table).toMatch(new RegExp(`data-field="Addressee agency id">.*?<td[^>]*>${opcc.name}</td> <td[^>]*>${opcc.name}</td>`))
      expect(table).not.toContain(`>${opcc.id}<`)
      const log = await app.database.db.selectFrom('scrutiny_evidence').select(['event', 'detail']).where('item_id', '=', id).orderBy('id', 'desc').limit(2).execute()
      expect(log.map((l) => l.detail)).toEqual(['Response date changed from 23 December 2026 to 8 January 2027', 'Details corrected (wording, due date): The Panel agreed a later date with the Commissioner.'])
      const exempt = ids['Exempt: review of the handling of a complaint']
      const v2 = (await app.database.db.selectFrom('scrutiny_items').select('version').where('id', '=', exempt).executeTakeFirstOrThrow()).version
      const publish = await clerk.post(`/scrutiny/manage/items/${exempt}/edit`, { version: String(v2), title: 'Exempt: review of the handling of a complaint', text: 'x', addressee: 'Police and Crime Commissioner', reason: 'Publish it' })
      expect(await publish.text()).toContain('It was made under a restricted agenda item, so it must stay restricted')
    })

    it('refuses to move a meeting after the date something made at it was sent', async () => {
      const res = await clerk.post(`/scrutiny/manage/meetings/${ids.novMeeting}/details`, { title: 'Police and Crime Panel', 'meetingDate-day': '21', 'meetingDate-month': '11', 'meetingDate-year': '2026', status: 'held' })
      expect(res.status).toBe(400)
      expect(await res.text()).toContain('The date of the meeting must be on or before 20 November 2026')
      const ok = await clerk.post(`/scrutiny/manage/meetings/${ids.novMeeting}/details`, { title: 'Police and Crime Panel', 'meetingDate-day': '18', 'meetingDate-month': '11', 'meetingDate-year': '2026', meetingTime: '10:30', status: 'held', minutes: 'Minutes.', minutesPublished: 'yes' })
      expect(ok.status).toBe(302)
      expect((await app.database.db.selectFrom('scrutiny_meetings').select('meeting_time').where('id', '=', ids.novMeeting).executeTakeFirstOrThrow()).meeting_time).toBe('10:30')
    })

    it('keeps the history, the responses and the evidence log append-only in the database', async () => {
      const db = app.database.db
      await expect(sql`update scrutiny_evidence set occurred_on = '2020-01-01'`.execute(db)).rejects.toThrow(/append-only/)
      await expect(sql`delete from scrutiny_status_history`.execute(db)).rejects.toThrow(/append-only/)
      await expect(sql`update scrutiny_responses set text = 'rewritten'`.execute(db)).rejects.toThrow(/append-only/)
    })

    it('lets a panel member read the tracker but not change it', async () => {
      const member = new TestClient(app.baseUrl)
      await member.signIn('panel@lantern.test')
      const id = ids['Publish a county lines strategy with key indicators']
      expect((await member.get(`/scrutiny/manage/items/${id}`)).status).toBe(200)
      expect((await member.post(`/scrutiny/manage/items/${id}/status`, { version: '99', status: 'closed' })).status).toBe(403)
    })
  })

  describe('the commissioner’s office responds', () => {
    it('records its response to an item addressed to it, and marks a request answered with the date', async () => {
      const opcc = new TestClient(app.baseUrl)
      await opcc.signIn('opcc@lantern.test')
      const overview = await (await opcc.get('/scrutiny/manage')).text()
      expect(overview).toContain('Waiting for a response from Office of the Police and Crime Commissioner')
      const id = ids['101 call-answering figures by month']
      const res = await opcc.post(`/scrutiny/manage/items/${id}/responses`, {
        'respondedOn-day': '23',
        'respondedOn-month': '11',
        'respondedOn-year': '2026',
        responder: 'Office of the Police and Crime Commissioner',
        text: 'The monthly figures for the last two years are attached.',
        answers: 'yes',
      })
      expect(res.status).toBe(302)
      const item = await app.database.db.selectFrom('scrutiny_items').select(['status', 'answered_on']).where('id', '=', id).executeTakeFirstOrThrow()
      expect(item).toEqual({ status: 'answered', answered_on: '2026-11-23' })
      const history = await app.database.db.selectFrom('scrutiny_status_history').select(['status', 'changed_by_name']).where('item_id', '=', id).orderBy('id', 'desc').executeTakeFirstOrThrow()
      expect(history).toEqual({ status: 'answered', changed_by_name: 'Dana Clarke' })
      const json = await (await new TestClient(app.baseUrl).get('/scrutiny/police-and-crime-panel/tracker.json')).json()
      expect(json.items.find((i: { title: string }) => i.title === '101 call-answering figures by month')).toMatchObject({ overdue: false, days_late: 23, answered_on: '2026-11-23' })
      // The office may not set the panel's status or RAG, nor answer for another organisation.
      expect((await opcc.post(`/scrutiny/manage/items/${id}/status`, { version: '1', status: 'closed' })).status).toBe(403)
      const notTheirs = ids['A further update on the County Strategy Group, earlier than the next annual update']
      const other = await opcc.post(`/scrutiny/manage/items/${notTheirs}/responses`, { 'respondedOn-day': '23', 'respondedOn-month': '11', 'respondedOn-year': '2026', text: 'Not ours to answer.' })
      expect(other.status).toBe(403)
    })

    it('refuses a response dated in the future, or before the meeting, and a position "not accepted" without a reason', async () => {
      const opcc = new TestClient(app.baseUrl)
      await opcc.signIn('opcc@lantern.test')
      const id = ids['Publish a county lines strategy with key indicators']
      const before = await count('scrutiny_responses')
      const future = await opcc.post(`/scrutiny/manage/items/${id}/responses`, { 'respondedOn-day': '1', 'respondedOn-month': '12', 'respondedOn-year': '2026', text: 'Later.' })
      expect(await future.text()).toContain('The date of the response must be today or in the past')
      const early = await opcc.post(`/scrutiny/manage/items/${id}/responses`, { 'respondedOn-day': '1', 'respondedOn-month': '11', 'respondedOn-year': '2026', text: 'Before.' })
      expect(await early.text()).toContain('must be the same as or after the meeting, 18 November 2026')
      const noReason = await opcc.post(`/scrutiny/manage/items/${id}/responses`, { 'respondedOn-day': '23', 'respondedOn-month': '11', 'respondedOn-year': '2026', text: 'No.', position: 'not_accepted' })
      expect(noReason.status).toBe(400)
      expect(await noReason.text()).toContain('Enter the reason it is not accepted')
      expect(await count('scrutiny_responses')).toBe(before)
    })
  })

  describe('exports', () => {
    it('exports the staff tracker as CSV with restricted items marked, and the pack as HTML and PDF without them unless asked', async () => {
      const csv = await (await clerk.get(`/scrutiny/manage/bodies/${ids.PCP}/tracker.csv?show=all`)).text()
      const header = csv.split('\n')[0]
      expect(header).toContain('reference,body,kind,title')
      expect(header.endsWith('restricted')).toBe(true)
      expect(csv).toMatch(/Exempt: review of the handling of a complaint.*,yes\r?\n/)
      const pack = await (await clerk.get(`/scrutiny/manage/bodies/${ids.PCP}/pack`)).text()
      expect(pack).toContain('Resolutions and recommendations tracker')
      expect(pack).not.toContain('review of the handling of a complaint')
      expect(await (await clerk.get(`/scrutiny/manage/bodies/${ids.PCP}/pack?restricted=yes`)).text()).toContain('review of the handling of a complaint')
      const pdf = await clerk.get(`/scrutiny/manage/bodies/${ids.PCP}/pack.pdf?overdue=yes`)
      expect(pdf.headers.get('content-type')).toBe('application/pdf')
      const bytes = Buffer.from(await pdf.arrayBuffer())
      expect(bytes.subarray(0, 5).toString()).toBe('%PDF-')
      const audit = await app.database.db.selectFrom('audit_events').select('details').where('action', '=', 'export').where('record_type', '=', 'scrutiny_tracker').execute()
      expect(audit.map((a) => (a.details as { format: string }).format)).toEqual(expect.arrayContaining(['csv', 'print', 'pdf']))
    })
  })

  describe('importing from ModernGov', () => {
    it('imports a GetMeeting document: agenda items in order, the restricted one kept from the public, reports linked', async () => {
      const before = await count('scrutiny_meetings')
      const res = await upload(clerk, app.baseUrl, '/scrutiny/manage/import', { bodyId: ids.PCP }, { name: 'meeting.xml', type: 'application/xml', content: fixture })
      expect(res.status).toBe(302)
      const meetingId = res.headers.get('location')!.split('/').pop()!
      expect(await count('scrutiny_meetings')).toBe(before + 1)
      const agenda = await app.database.db.selectFrom('scrutiny_agenda_items').select(['number', 'title', 'restricted']).where('meeting_id', '=', meetingId).orderBy('position').execute()
      expect(agenda.map((a) => [a.number, a.restricted])).toEqual([
        ['1', false],
        ['5', false],
        ['6', false],
        ['9', true],
      ])
      const page = await (await new TestClient(app.baseUrl).get(`/scrutiny/police-and-crime-panel/meetings/${meetingId}`)).text()
      expect(page).toContain('County Lines report of the Chief Executive')
      expect(page).not.toContain('Exempt: complaint against')
      expect(page).not.toContain('s55004')
      // Importing it again updates the same meeting and adds nothing twice.
      const again = await upload(clerk, app.baseUrl, '/scrutiny/manage/import', { bodyId: ids.PCP }, { name: 'meeting.xml', type: 'application/xml', content: fixture })
      expect(again.headers.get('location')).toBe(res.headers.get('location'))
      expect(await count('scrutiny_meetings')).toBe(before + 1)
      expect((await app.database.db.selectFrom('scrutiny_files').select('id').where('url', 'like', 'https://democracy.example.gov.uk/%').execute()).length).toBe(4)
      // A file over the import's limit is an error on the form, with nothing imported.
      const huge = await upload(clerk, app.baseUrl, '/scrutiny/manage/import', { bodyId: ids.PCP }, { name: 'meeting.xml', type: 'application/xml', content: Buffer.alloc(5 * 1024 * 1024 + 1) })
      expect(huge.status).toBe(400)
      expect(await huge.text()).toContain('The selected file must be smaller than 5MB')
      expect(await count('scrutiny_meetings')).toBe(before + 1)
    })

    it('refuses malformed XML with a clear error and saves nothing', async () => {
      const meetings = await count('scrutiny_meetings')
      const items = await count('scrutiny_agenda_items')
      const broken = Buffer.from(fixture.toString().replace('</agendaitems>', '</agendaitem>'))
      const res = await upload(clerk, app.baseUrl, '/scrutiny/manage/import', { bodyId: ids.PCP }, { name: 'broken.xml', type: 'application/xml', content: broken })
      expect(res.status).toBe(400)
      const html = await res.text()
      expect(html).toContain('The selected file could not be imported. The file is not well-formed XML')
      expect(html).toMatch(/line \d+, column \d+/)
      expect(await count('scrutiny_meetings')).toBe(meetings)
      expect(await count('scrutiny_agenda_items')).toBe(items)
    })
  })

  describe('reports attached as files', () => {
    it('stores an uploaded report, refuses a file that is not what its name says, and serves public reports to anyone', async () => {
      const agendaItem = await app.database.db.selectFrom('scrutiny_agenda_items').select('id').where('meeting_id', '=', ids.novMeeting).where('title', '=', 'County Lines').executeTakeFirstOrThrow()
      const path = `/scrutiny/manage/meetings/${ids.novMeeting}/agenda/${agendaItem.id}/files`
      const fake = await upload(clerk, app.baseUrl, path, { title: 'Appendix' }, { name: 'appendix.pdf', type: 'application/pdf', content: Buffer.from('not a pdf at all') })
      expect(fake.status).toBe(400)
      expect(await fake.text()).toContain('The selected file is not a real PDF file')
      const big = await upload(clerk, app.baseUrl, path, { title: 'Too big' }, { name: 'big.pdf', type: 'application/pdf', content: Buffer.alloc(10 * 1024 * 1024 + 1) })
      expect(big.status).toBe(400)
      expect(await big.text()).toContain('The selected file must be smaller than 10MB')
      const pdf = Buffer.from('%PDF-1.4\n% a tiny test document\n')
      const ok = await upload(clerk, app.baseUrl, path, { title: 'Appendix: indicators' }, { name: 'appendix.pdf', type: 'application/pdf', content: pdf })
      expect(ok.status).toBe(302)
      const file = await app.database.db.selectFrom('scrutiny_files').select(['id', 'size_bytes']).where('title', '=', 'Appendix: indicators').executeTakeFirstOrThrow()
      expect(file.size_bytes).toBe(pdf.length)
      const download = await new TestClient(app.baseUrl).get(`/scrutiny/files/${file.id}`)
      expect(download.headers.get('content-disposition')).toContain('attachment; filename="appendix.pdf"')
      expect(Buffer.from(await download.arrayBuffer()).equals(pdf)).toBe(true)
    })
  })

  describe('reminders', () => {
    it('cancels a reminder whose item was answered before it went', async () => {
      const db = app.database.db
      const id = ids['Awareness workshops for agencies working with homeless people: who attended?']
      expect(await queueReminders(db, '2026-12-11')).toBeGreaterThanOrEqual(2)
      const opcc = new TestClient(app.baseUrl)
      await opcc.signIn('opcc@lantern.test')
      await opcc.post(`/scrutiny/manage/items/${id}/responses`, {
        'respondedOn-day': '23',
        'respondedOn-month': '11',
        'respondedOn-year': '2026',
        text: 'Two workshops: Havant and Basingstoke. District council officers attended both; county children’s services attended Basingstoke only.',
        answers: 'yes',
      })
      const n = await db.selectFrom('scrutiny_notifications').select(['id', 'status']).where('item_id', '=', id).executeTakeFirstOrThrow()
      const sender = new LogSender()
      expect(await deliverPending(db, sender, '2026-12-11', { ids: [n.id] })).toEqual({ sent: 0, failed: 0, retrying: 0, cancelled: 1 })
      expect(sender.sent).toEqual([])
    })

    it('queues each reminder once, delivers it through the sender, and writes when it went to the evidence log', async () => {
      const db = app.database.db
      const sender = new LogSender()
      // Already queued by the run before: running again queues nothing.
      expect(await queueReminders(db, '2026-12-11')).toBe(0)
      const reminder = await db.selectFrom('scrutiny_notifications').selectAll().where('item_id', '=', ids.newRequest).executeTakeFirstOrThrow()
      expect(reminder).toMatchObject({ kind: 'reminder_before', scheduled_for: '2026-12-11', to_address: 'opcc.correspondence@lantern.test', status: 'pending' })
      const delivered = await deliverPending(db, sender, '2026-12-11')
      expect(delivered).toMatchObject({ failed: 0, retrying: 0, cancelled: 0 })
      expect(delivered.sent).toBe(sender.sent.length)
      expect(sender.sent.map((m) => m.subject)).toContain('Reminder: PCP 2026/27 Req 5 – response due by 18 December 2026')
      expect(sender.sent.every((m) => m.to === 'opcc.correspondence@lantern.test')).toBe(true)
      // Queued, then not sent (no mail server): the log says exactly that, and never "sent".
      const evidence = await db
        .selectFrom('scrutiny_evidence')
        .select(['event', 'channel', 'occurred_on', 'recorded_by_name', 'detail'])
        .where('item_id', '=', ids.newRequest)
        .where('event', 'in', ['reminder_queued', 'reminder_sent', 'not_sent'])
        .orderBy('id')
        .execute()
      expect(evidence).toEqual([
        { event: 'reminder_queued', channel: null, occurred_on: '2026-12-11', recorded_by_name: 'Lantern', detail: 'A reminder before the due date was queued for 11 December 2026' },
        { event: 'not_sent', channel: null, occurred_on: '2026-12-11', recorded_by_name: 'Lantern', detail: expect.stringContaining('development log only') },
      ])
      // The public log says the same: never "Reminder sent ... Email" for a message that went nowhere.
      const log = await (await new TestClient(app.baseUrl).get(`/scrutiny/police-and-crime-panel/items/${ids.newRequest}`)).text()
      expect(log).toContain('Reminder queued')
      expect(log).toContain('Not sent: no e-mail server configured')
      expect(log).not.toContain('Reminder sent')
      expect(log).not.toMatch(/>\s*(Email|By e-mail)\s*</)
      // The day after a due date passes with no answer, an overdue reminder.
      expect(await queueReminders(db, '2027-01-09')).toBeGreaterThan(0)
      await deliverPending(db, sender, '2027-01-09')
      expect(sender.sent.map((m) => m.subject)).toContain('Overdue: PCP 2026/27 Rec 2 – response was due on 8 January 2027')
      expect(await deliverPending(db, sender, '2027-01-09')).toEqual({ sent: 0, failed: 0, retrying: 0, cancelled: 0 })
    })

    it('retries a failed delivery and gives up after five attempts', async () => {
      const db = app.database.db
      await queueReminders(db, '2027-01-16')
      const failing = { transport: 'smtp', delivers: true, send: async () => Promise.reject(new Error('connection refused')) }
      const first = await deliverPending(db, failing, '2027-01-16')
      expect(first.retrying).toBeGreaterThan(0)
      for (let i = 0; i < 4; i++) await deliverPending(db, failing, '2027-01-16')
      const rows = await db.selectFrom('scrutiny_notifications').select(['status', 'attempts', 'last_error']).where('scheduled_for', '=', '2027-01-16').execute()
      expect(rows.length).toBeGreaterThan(0)
      expect(rows.every((r) => r.status === 'failed' && r.attempts === 5 && r.last_error === 'connection refused')).toBe(true)
    })
  })

  describe('awareness events', () => {
    it('answers who attended by organisation, and refuses attendance for an event still to come', async () => {
      const events = await app.database.db.selectFrom('scrutiny_events').select(['id', 'title']).execute()
      const havant = events.find((e) => e.title.endsWith('(Havant)'))!
      const future = events.find((e) => e.title.startsWith('Cuckooing'))!
      const officer = new TestClient(app.baseUrl)
      await officer.signIn('events@lantern.test')
      const page = await (await officer.get(`/scrutiny/manage/events/${havant.id}`)).text()
      expect(page).toMatch(/Were district council officers attending\?<\/h3>\s*<p class="govuk-body" data-testid="districts-answer"><strong>Yes<\/strong>: 3 people from Havant Borough Council/)
      expect(page).toMatch(/data-testid="childrens-answer"><strong>No<\/strong>/)
      expect(page).toContain('Invited but did not attend: Winchester City Council')
      const all = await (await officer.get('/scrutiny/manage/events')).text()
      expect(all).toMatch(/data-testid="childrens-answer"><strong>Yes<\/strong>: 1 person from Hampshire County Council/)
      const res = await officer.post(`/scrutiny/manage/events/${future.id}/attendance`, { organisation: 'Harbour Night Shelter', organisationKind: 'voluntary', role: 'Project worker', attendees: '2' })
      expect(res.status).toBe(400)
      expect(await res.text()).toContain('The event has not happened yet')
      const missing = await officer.post(`/scrutiny/manage/events/${havant.id}/attendance`, { role: 'Housing officer', attendees: '0' })
      const html = await missing.text()
      expect(html).toContain('Select an organisation, or enter the name of one that is not listed')
      expect(html).toContain('The number of people must be 1 or more')
      const practitioner = new TestClient(app.baseUrl)
      await practitioner.signIn('practitioner@lantern.test')
      expect((await practitioner.post(`/scrutiny/manage/events/${havant.id}/attendance`, { organisation: 'X', organisationKind: 'other', role: 'Y', attendees: '1' })).status).toBe(403)
    })
  })

  describe('the strategy group', () => {
    it('shows an overdue work programme item red, by the tracker’s own rule, whatever it was last rated', async () => {
      // Due ten days ago, in progress, rated amber: overdue, so red, as a tracker item would be.
      const page = await (await clerk.get(`/scrutiny/manage/bodies/${ids.CSG}/work-programme`)).text()
      const row = page.slice(page.indexOf('Joint protocol for children found out of area'))
      const cells = row.slice(0, row.indexOf('</tr>'))
      expect(cells).toContain('Overdue by 10 days')
      expect(cells).toMatch(/govuk-tag--red[^>]*>\s*Red/)
      expect(cells).not.toMatch(/>\s*Amber\s*</)
    })

    it('shows its priorities, work programme and the update the committee asked for, and refuses a stale update', async () => {
      const page = await (await clerk.get(`/scrutiny/manage/bodies/${ids.CSG}/work-programme`)).text()
      expect(page).toContain('Serious and organised crime')
      expect(page).toContain('Child exploitation')
      expect(page).toContain('Further update on the work of the County Strategy Group (earlier than the annual update)')
      expect(page).toContain('asked for by SC 2025/26 Res 4')
      const work = await app.database.db.selectFrom('scrutiny_work_items').select(['id', 'version']).where('title', '=', 'Joint protocol for children found out of area').executeTakeFirstOrThrow()
      const ok = await clerk.post(`/scrutiny/manage/bodies/${ids.CSG}/work/${work.id}`, { version: String(work.version), status: 'complete', rag: 'green', progressNote: 'Agreed by the Group.' })
      expect(ok.status).toBe(302)
      const stale = await clerk.post(`/scrutiny/manage/bodies/${ids.CSG}/work/${work.id}`, { version: String(work.version), status: 'delayed', rag: 'red' })
      expect(stale.status).toBe(409)
      // The conflict page sets the answers beside the saved ones, each choice by its text.
      const both = (await stale.text()).replace(/\s+/g, ' ')
      expect(both).toContain('data-testid="what-you-typed"')
      expect(both).toMatch(/data-field="Status" data-differs>.*?<td[^>]*>Delayed<\/td> <td[^>]*>Complete<\/td>/)
      expect(both).toMatch(/data-field="Rag" data-differs>.*?<td[^>]*>Red<\/td> <td[^>]*>Green<\/td>/)
      expect(both).toMatch(/data-field="Progress note" data-differs>.*?<td[^>]*>\(blank\)<\/td> <td[^>]*>Agreed by the Group.<\/td>/)
      const committee = await (await new TestClient(app.baseUrl).get('/scrutiny/crime-and-disorder-select-committee')).text()
      expect(committee).toContain('Updates this committee expects')
    })
  })

  describe('a truthful evidence log', () => {
    const evidenceOf = (id: string) =>
      app.database.db.selectFrom('scrutiny_evidence').select(['event', 'channel', 'occurred_on', 'previous_date', 'new_date', 'reason', 'detail']).where('item_id', '=', id).orderBy('id').execute()

    it('records how only when someone said how', async () => {
      const id = ids['Publish a county lines strategy with key indicators']
      const before = (await evidenceOf(id)).length
      const opcc = new TestClient(app.baseUrl)
      await opcc.signIn('opcc@lantern.test')
      const answered = await opcc.post(`/scrutiny/manage/items/${id}/responses`, { 'respondedOn-day': '23', 'respondedOn-month': '11', 'respondedOn-year': '2026', text: 'A draft strategy will come to the January meeting.' })
      expect(answered.status).toBe(302)
      const chased = await clerk.post(`/scrutiny/manage/items/${id}/evidence`, { event: 'chased', 'occurredOn-day': '23', 'occurredOn-month': '11', 'occurredOn-year': '2026', detail: 'Asked for the draft' })
      expect(chased.status).toBe(302)
      const phoned = await clerk.post(`/scrutiny/manage/items/${id}/evidence`, { event: 'chased', 'occurredOn-day': '23', 'occurredOn-month': '11', 'occurredOn-year': '2026', channel: 'phone' })
      expect(phoned.status).toBe(302)
      const added = (await evidenceOf(id)).slice(before)
      expect(added.map((e) => [e.event, e.channel])).toEqual([
        ['response_received', null],
        ['chased', null],
        ['chased', 'phone'],
      ])
      const page = await (await new TestClient(app.baseUrl).get(`/scrutiny/police-and-crime-panel/items/${id}`)).text()
      expect(page).toContain('By phone')
    })

    it('says "sent by e-mail" when a mail server took the message, and only then sets the sent date', async () => {
      const res = await clerk.post(`/scrutiny/manage/meetings/${ids.novMeeting}/items/new`, {
        kind: 'request',
        requestType: 'information',
        title: 'Cuckooing closure orders by district',
        text: 'The number of closure orders on cuckooed addresses by district.',
        addressee: 'Police and Crime Commissioner',
        addresseeEmail: 'opcc.correspondence@lantern.test',
      })
      const id = res.headers.get('location')!.split('/').pop()!
      const db = app.database.db
      const sent: string[] = []
      const smtp = { transport: 'smtp', delivers: true, send: async (m: { subject: string }) => void sent.push(m.subject) }
      const { queueRequest } = await import('./notifications.ts')
      const nid = await queueRequest(db, id, '2026-11-23')
      expect(await deliverPending(db, smtp, '2026-11-23', { ids: [nid!] })).toMatchObject({ sent: 1 })
      expect(sent).toHaveLength(1)
      expect((await db.selectFrom('scrutiny_items').select('sent_on').where('id', '=', id).executeTakeFirstOrThrow()).sent_on).toBe('2026-11-23')
      expect((await evidenceOf(id)).filter((e) => e.event === 'sent')).toEqual([expect.objectContaining({ channel: 'email', occurred_on: '2026-11-23', detail: expect.stringContaining('was e-mailed by Lantern') })])
      // Its reminder, queued and then sent by the same server.
      expect(await queueReminders(db, '2026-12-14')).toBeGreaterThan(0)
      await deliverPending(db, smtp, '2026-12-14')
      const page = await (await new TestClient(app.baseUrl).get(`/scrutiny/police-and-crime-panel/items/${id}`)).text()
      expect(page).toContain('Reminder queued')
      expect(page).toContain('Reminder sent by e-mail')
      expect(page).toContain('By e-mail')
    })

    it('keeps an overdue item’s red spell, the old date and the reason when its due date is moved, in public and in the feed', async () => {
      const db = app.database.db
      const old = await db.selectFrom('scrutiny_meetings').select(['id', 'meeting_date']).where('body_id', '=', ids.PCP).where('meeting_date', '<', '2026-10-01').orderBy('meeting_date', 'desc').executeTakeFirstOrThrow()
      const plus = (iso: string, days: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10)
      const long = (iso: string) => new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${iso}T12:00:00Z`))
      const due = plus(old.meeting_date, 14)
      const lateBy = Math.round((Date.parse('2026-11-23T00:00:00Z') - Date.parse(`${due}T00:00:00Z`)) / 86_400_000)
      const [dd, mm, yyyy] = [due.slice(8), due.slice(5, 7), due.slice(0, 4)]
      const made = await clerk.post(`/scrutiny/manage/meetings/${old.id}/items/new`, {
        kind: 'request',
        requestType: 'information',
        title: 'Missing-from-home returns by district',
        text: 'The number of return home interviews offered and completed, by district.',
        addressee: 'Police and Crime Commissioner',
        'sentOn-day': String(Number(plus(old.meeting_date, 1).slice(8))),
        'sentOn-month': String(Number(plus(old.meeting_date, 1).slice(5, 7))),
        'sentOn-year': plus(old.meeting_date, 1).slice(0, 4),
        'responseDue-day': String(Number(dd)),
        'responseDue-month': String(Number(mm)),
        'responseDue-year': yyyy,
      })
      expect(made.status).toBe(302)
      const id = made.headers.get('location')!.split('/').pop()!
      const pub = new TestClient(app.baseUrl)
      const feedBefore = await (await pub.get('/scrutiny/police-and-crime-panel/feed.atom')).text()
      expect(feedBefore).toMatch(/<title>PCP \d{4}\/\d{2} Req \d+ became overdue<\/title>/)
      const row = await db.selectFrom('scrutiny_items').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
      const moved = await clerk.post(`/scrutiny/manage/items/${id}/edit`, {
        version: String(row.version),
        title: row.title,
        text: row.text,
        addressee: row.addressee,
        'responseDue-day': '31',
        'responseDue-month': '1',
        'responseDue-year': '2027',
        reason: 'The force’s new records system delays the figures.',
      })
      expect(moved.status).toBe(302)
      const log = await evidenceOf(id)
      expect(log.filter((e) => e.event === 'became_overdue')).toEqual([expect.objectContaining({ occurred_on: plus(due, 1), previous_date: due })])
      expect(log.filter((e) => e.event === 'due_set').at(-1)).toMatchObject({ previous_date: due, new_date: '2027-01-31', reason: 'The force’s new records system delays the figures.' })
      const history = await db.selectFrom('scrutiny_status_history').select(['rag', 'note', 'reason']).where('item_id', '=', id).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow()
      expect(history).toMatchObject({ rag: 'red', reason: 'The force’s new records system delays the figures.', note: expect.stringContaining(`overdue by ${lateBy} days`) })

      const page = await (await pub.get(`/scrutiny/police-and-crime-panel/items/${id}`)).text()
      expect(page).toContain(`Response date moved from ${long(due)} to 31 January 2027`)
      expect(page).toContain('Reason: The force’s new records system delays the figures.')
      expect(page).toContain(`Became overdue (the response was due on ${long(due)})`)
      expect(page).toContain('rated Red')
      // No longer overdue now, but the spell stays in the feed.
      const json = await (await pub.get('/scrutiny/police-and-crime-panel/tracker.json')).json()
      expect(json.items.find((i: { title: string }) => i.title === 'Missing-from-home returns by district')).toMatchObject({ overdue: false, response_due: '2027-01-31' })
      const feed = await (await pub.get('/scrutiny/police-and-crime-panel/feed.atom')).text()
      expect(feed).toContain(`Overdue from ${long(plus(due, 1))}: the response was due on ${long(due)} (${lateBy} days overdue when the date was moved)`)
    })

    it('flags an item nobody sent and with no addressee e-mail, and still makes it overdue by the stated rule', async () => {
      const db = app.database.db
      const first = await db.selectFrom('scrutiny_meetings').select(['id', 'meeting_date']).where('body_id', '=', ids.PCP).where('meeting_date', '<', '2026-10-01').orderBy('meeting_date', 'desc').executeTakeFirstOrThrow()
      const res = await clerk.post(`/scrutiny/manage/meetings/${first.id}/items/new`, {
        kind: 'recommendation',
        title: 'Publish the 101 abandonment rate',
        text: 'That the Commissioner publishes the 101 abandonment rate monthly.',
        addressee: 'Police and Crime Commissioner',
      })
      expect(res.status).toBe(302)
      const id = res.headers.get('location')!.split('/').pop()!
      const due = new Date(Date.parse(`${first.meeting_date}T00:00:00Z`) + 28 * 86_400_000).toISOString().slice(0, 10)
      const json = await (await new TestClient(app.baseUrl).get('/scrutiny/police-and-crime-panel/tracker.json')).json()
      expect(json.items.find((i: { title: string }) => i.title === 'Publish the 101 abandonment rate')).toMatchObject({ overdue: true, rag_shown: 'red', sent_on: null, response_due: due, due_basis: 'from_meeting' })
      const tracker = await (await clerk.get(`/scrutiny/manage/bodies/${ids.PCP}`)).text()
      const cells = tracker.slice(tracker.indexOf('Publish the 101 abandonment rate'))
      const row = cells.slice(0, cells.indexOf('</tr>'))
      expect(row).toContain('No sent date recorded')
      expect(row).toContain('No addressee e-mail: no reminders')
      expect(row).toContain('counted from the meeting')
      const page = await (await clerk.get(`/scrutiny/manage/items/${id}`)).text()
      expect(page).toContain('data-testid="no-email-warning"')
      expect(page).toContain('data-testid="not-sent-warning"')
      // The public tracker flags it too, but never says anything about addresses.
      const publicPage = await (await new TestClient(app.baseUrl).get('/scrutiny/police-and-crime-panel?show=open')).text()
      expect(publicPage).not.toContain('No addressee e-mail')
    })
  })

  describe('following an item by e-mail', () => {
    it('asks for an address on its own page, confirms it (double opt-in), tells of changes with an unsubscribe link, and deletes the address on unsubscribe', async () => {
      const db = app.database.db
      const id = ids['Publish a county lines strategy with key indicators']
      const path = `/scrutiny/police-and-crime-panel/items/${id}/follow`
      const pub = new TestClient(app.baseUrl)
      expect(await (await pub.get(`/scrutiny/police-and-crime-panel/items/${id}`)).text()).toContain(`href="${path}"`)
      expect(pub.cookie('lantern.sid')).toBeUndefined()
      const bad = await pub.post(path, { email: 'not an address' }, { csrf: false })
      expect(bad.status).toBe(403)
      const form = await (await pub.get(path)).text()
      const csrf = form.match(/name="_csrf" value="([^"]+)"/)![1]
      const invalid = await pub.post(path, { _csrf: csrf, email: 'not an address' })
      expect(invalid.status).toBe(400)
      expect(await invalid.text()).toContain('Enter an e-mail address in the correct format')
      // The test app has no mail server: the page says nothing could be sent, rather than "check your e-mail".
      const asked = await pub.post(path, { _csrf: csrf, email: 'Neighbour@Example.org' })
      expect(asked.status).toBe(200)
      expect(await asked.text()).toContain('E-mail is not set up on this site')

      // With a mail server: the confirmation message, and nothing else until it is opened.
      const { followService, runFollowerUpdates } = await import('./follow.ts')
      const mail: { to: string; subject: string; text: string }[] = []
      const smtp = { transport: 'smtp', delivers: true, send: async (m: { to: string; subject: string; text: string }) => void mail.push(m) }
      const follows = followService(db, smtp, { baseUrl: 'https://lantern.example', today: () => app.clock.today() })
      const item = (await db.selectFrom('scrutiny_items').select(['id', 'title', 'municipal_year', 'number']).where('id', '=', id).executeTakeFirstOrThrow())
      const ref = { id, title: item.title, reference: `PCP ${item.municipal_year} Rec ${item.number}` }
      await follows.request(ref, 'resident@example.org')
      await follows.request(ref, 'RESIDENT@example.org')
      expect(mail).toHaveLength(1)
      expect(mail[0]).toMatchObject({ to: 'resident@example.org', subject: `Confirm you want to follow ${ref.reference}` })
      const token = mail[0].text.match(/\/scrutiny\/follow\/([A-Za-z0-9_-]+)\/confirm/)![1]
      expect((await runFollowerUpdates(db, smtp, app.clock.today(), 'https://lantern.example')).queued).toBe(0)

      const confirmed = await pub.get(`/scrutiny/follow/${token}/confirm`)
      expect(confirmed.status).toBe(200)
      expect(await confirmed.text()).toContain(`You are following ${ref.reference}`)
      expect((await runFollowerUpdates(db, smtp, app.clock.today(), 'https://lantern.example')).queued).toBe(0)

      // A change on the public page: one message, with the change and the unsubscribe link.
      const { version } = await db.selectFrom('scrutiny_items').select('version').where('id', '=', id).executeTakeFirstOrThrow()
      expect((await clerk.post(`/scrutiny/manage/items/${id}/status`, { version: String(version), status: 'in_progress', rag: 'amber', note: 'Work started' })).status).toBe(302)
      expect(await runFollowerUpdates(db, smtp, app.clock.today(), 'https://lantern.example')).toEqual({ queued: 1, sent: 1 })
      const update = mail.at(-1)!
      expect(update).toMatchObject({ to: 'resident@example.org', subject: `${ref.reference} has changed` })
      expect(update.text).toContain('- Status: In progress, rated amber')
      expect(update.text).toContain(`Stop these e-mails: https://lantern.example/scrutiny/follow/${token}/unsubscribe`)
      expect((await runFollowerUpdates(db, smtp, app.clock.today(), 'https://lantern.example')).queued).toBe(0)

      const gone = await pub.get(`/scrutiny/follow/${token}/unsubscribe`)
      expect(gone.status).toBe(200)
      expect(await db.selectFrom('scrutiny_followers').select('id').where('email', '=', 'resident@example.org').executeTakeFirst()).toBeUndefined()
      expect((await pub.get(`/scrutiny/follow/${token}/unsubscribe`)).status).toBe(404)
      // The address that was never confirmed is forgotten after 7 days.
      await runFollowerUpdates(db, smtp, '2026-12-01', 'https://lantern.example')
      expect(await db.selectFrom('scrutiny_followers').select('id').execute()).toEqual([])
    })

    it('the scheduled reminders job tells followers and forgets unconfirmed addresses, as `lantern scrutiny reminders` and "Send due reminders now" do', async () => {
      const db = app.database.db
      const id = ids['Publish a county lines strategy with key indicators']
      const requested = (await db.insertInto('scrutiny_followers').values({ item_id: id, email: 'never-confirmed@example.org', token: 'u'.repeat(43), requested_on: '2020-01-01' }).returning('id').executeTakeFirstOrThrow()).id
      const [job] = scrutinyModule.jobs!({ ...app.deps, config: { ...app.deps.config, publicBaseUrl: 'https://lantern.example' } })
      await job.run({}, { id: 'test', attempt: 1 })
      expect(await db.selectFrom('scrutiny_followers').select('id').where('id', '=', requested).executeTakeFirst()).toBeUndefined()
    })
  })
})
