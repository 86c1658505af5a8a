import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { startTestApp, type TestApp } from '../../../test/support/app.ts'
import { TestClient } from '../../../test/support/http.ts'

let app: TestApp
beforeAll(async () => {
  app = await startTestApp()
})
afterAll(async () => {
  await app?.close()
})

const db = () => app.database.db

async function agencyId(kind: 'police' | 'health' | 'county_council') {
  return (await db().selectFrom('agencies').select('id').where('kind', '=', kind).orderBy('name').executeTakeFirstOrThrow()).id
}
async function client(email: string) {
  const c = new TestClient(app.baseUrl)
  await c.signIn(email)
  return c
}
/** A review date `months` after the app's today, as the date input posts it. */
function reviewIn(months: number) {
  const [y, m, d] = app.clock.today().split('-').map(Number)
  const on = new Date(Date.UTC(y, m - 1 + months, Math.min(d, 28)))
  return { 'reviewOn-day': String(on.getUTCDate()), 'reviewOn-month': String(on.getUTCMonth() + 1), 'reviewOn-year': String(on.getUTCFullYear()) }
}
const terms = { purpose: 'Joint safety plan after a missing episode', legalBasis: 'children_act_1989_s47' }

/** A fresh council child, so each test starts from its own record. */
async function councilChild(family: string) {
  const owner = (await db().selectFrom('users').select(['id', 'agency_id']).where('email', '=', 'practitioner@lantern.test').executeTakeFirstOrThrow())
  const row = await db()
    .insertInto('people')
    .values({ kind: 'child', given_name: 'Robin', family_name: family, approximate_age: 14, owner_agency_id: owner.agency_id, allocated_worker_id: owner.id, updated_at: new Date() })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

describe('break glass is read-only, time-limited and visible', () => {
  it('lets the reader read every tab with a banner and its expiry, and refuses edit, share, notes and export', async () => {
    const id = await councilChild('Glass')
    const nurse = await client('h.evans@lantern.test')
    expect((await nurse.post('/access/break-glass', { recordType: 'person', recordId: id, reason: 'Brought into A&E tonight with an older male', returnTo: `/people/${id}` })).status).toBe(302)
    for (const tab of ['', '/risk', '/missing', '/referrals', '/notes', '/history', '/sharing']) {
      const res = await nurse.get(`/people/${id}${tab}`)
      expect(res.status, tab).toBe(200)
      expect(await res.text(), tab).toContain('data-testid="break-glass-banner"')
    }
    const edit = await nurse.get(`/people/${id}/edit`)
    expect(edit.status).toBe(403)
    expect(await edit.text()).toContain('not change, share or export')
    expect((await nurse.post(`/people/${id}/sharing`, { recipient: 'agency', agencyId: await agencyId('health'), ...terms, ...reviewIn(1) })).status).toBe(403)
    expect((await nurse.post(`/people/${id}/notes/new`, { kind: 'visit', body: 'Seen at A&E', sensitivity: 'standard', 'occurred-day': '1', 'occurred-month': '1', 'occurred-year': '2025' })).status).toBe(403)
    expect((await nurse.get(`/people/${id}/notes.csv`)).status).toBe(403)
    expect(await db().selectFrom('record_shares').select('id').where('record_id', '=', id).execute()).toEqual([])
  })

  it('tells the owning agency: its manager sees it on the home page and the sharing page, and the audit event names the owner', async () => {
    const id = await councilChild('Told')
    const officer = await client('m.doyle@lantern.test')
    await officer.post('/access/break-glass', { recordType: 'person', recordId: id, reason: 'Found at a trap house in Fratton during a warrant', returnTo: `/people/${id}` })
    const manager = await client('manager@lantern.test')
    expect(await (await manager.get('/dashboard')).text()).toContain('opened outside need-to-know')
    const inbox = await (await manager.get('/sharing')).text()
    expect(inbox).toContain('Found at a trap house in Fratton during a warrant')
    expect(inbox).toContain('Robin Told')
    const event = await db().selectFrom('audit_events').select(['details']).where('record_id', '=', id).where('action', '=', 'break-glass').executeTakeFirstOrThrow()
    expect(event.details).toMatchObject({ ownerAgencyId: await agencyId('county_council') })
  })

  it('is reviewed by information governance: the list names the record’s owner, the user and the reason, and the outcome is audited', async () => {
    const id = await councilChild('Reviewed')
    const officer = await client('m.doyle@lantern.test')
    await officer.post('/access/break-glass', { recordType: 'person', recordId: id, reason: 'Stopped in a car with a known dealer on the A27', returnTo: `/people/${id}` })
    const row = await db().selectFrom('break_glass').select('id').where('record_id', '=', id).executeTakeFirstOrThrow()
    const governance = await client('governance@lantern.test')
    const list = await (await governance.get('/sharing/break-glass')).text()
    expect(list).toContain('Stopped in a car with a known dealer on the A27')
    expect(list).toContain('PC Mark Doyle')
    expect(list).toContain('held by Hampshire County Council')
    expect(list).not.toContain('Robin')
    const missing = await governance.post(`/sharing/break-glass/${row.id}`, { outcome: 'not_appropriate', note: '' })
    expect(missing.status).toBe(400)
    expect(await missing.text()).toContain('Enter what was not appropriate')
    expect((await governance.post(`/sharing/break-glass/${row.id}`, { outcome: 'not_appropriate', note: 'No missing report; spoken to his sergeant' })).status).toBe(302)
    const reviewed = await db().selectFrom('break_glass').select(['review_outcome', 'review_note']).where('id', '=', row.id).executeTakeFirstOrThrow()
    expect(reviewed).toEqual({ review_outcome: 'not_appropriate', review_note: 'No missing report; spoken to his sergeant' })
    expect(await db().selectFrom('audit_events').select('id').where('action', '=', 'break-glass-reviewed').where('record_id', '=', id).execute()).toHaveLength(1)
    // The administrator reviews too; a practitioner may not.
    expect((await (await client('admin@lantern.test')).get('/sharing/break-glass?show=all')).status).toBe(200)
    expect((await (await client('practitioner@lantern.test')).get('/sharing/break-glass')).status).toBe(403)
  })
})

describe('lawful sharing', () => {
  it('lets only the owning agency share: not an agency it was shared with', async () => {
    const id = await councilChild('Onward')
    const practitioner = await client('practitioner@lantern.test')
    expect((await practitioner.post(`/people/${id}/sharing`, { recipient: 'agency', agencyId: await agencyId('police'), ...terms, ...reviewIn(2) })).status).toBe(302)
    const officer = await client('officer@lantern.test')
    expect((await officer.get(`/people/${id}`)).status).toBe(200)
    expect((await officer.post(`/people/${id}/sharing`, { recipient: 'agency', agencyId: await agencyId('health'), ...terms, ...reviewIn(2) })).status).toBe(403)
    const share = await db().selectFrom('record_shares').selectAll().where('record_id', '=', id).execute()
    expect(share).toHaveLength(1)
    expect(share[0]).toMatchObject({ purpose: terms.purpose, legal_basis: 'children_act_1989_s47', expires_at: null })
    expect(share[0].review_on).toBeTruthy()
  })

  it('asks for purpose, legal basis and a review date, keeps the answers, and offers no oversight body', async () => {
    const id = await councilChild('Terms')
    const practitioner = await client('practitioner@lantern.test')
    const page = await (await practitioner.get(`/people/${id}/sharing`)).text()
    expect(page).not.toContain('Police and Crime Panel')
    expect(page).not.toContain('Office of the Police and Crime Commissioner')
    const res = await practitioner.post(`/people/${id}/sharing`, { recipient: 'agency', agencyId: await agencyId('health'), purpose: 'Follow-up at the clinic', legalBasis: '', 'reviewOn-day': '31', 'reviewOn-month': '2', 'reviewOn-year': '2027' })
    expect(res.status).toBe(400)
    const html = await res.text()
    expect(html).toContain('There is a problem')
    expect(html).toContain('Select the legal basis for sharing')
    expect(html).toContain('The review date must be a real date')
    expect(html).toContain('Follow-up at the clinic')
    const panel = (await db().selectFrom('agencies').select('id').where('short_name', '=', 'Police and Crime Panel').executeTakeFirstOrThrow()).id
    const refused = await practitioner.post(`/people/${id}/sharing`, { recipient: 'agency', agencyId: panel, ...terms, ...reviewIn(2) })
    expect(refused.status).toBe(400)
    expect(await refused.text()).toContain('Select an agency that holds personal data')
    const bad = await practitioner.post(`/people/${id}/sharing`, { recipient: 'somebody', agencyId: 'not-a-uuid', purpose: 'x'.repeat(5000), legalBasis: 'because' })
    expect(bad.status).toBe(400)
    expect(await db().selectFrom('record_shares').select('id').where('record_id', '=', id).execute()).toEqual([])
  })

  it('stops an expired share giving access, and revokes a share from the sharing page with a reason', async () => {
    const id = await councilChild('Ending')
    const practitioner = await client('practitioner@lantern.test')
    await practitioner.post(`/people/${id}/sharing`, { recipient: 'agency', agencyId: await agencyId('police'), ...terms, ...reviewIn(1), endsOnReview: 'yes' })
    const share = await db().selectFrom('record_shares').select(['id', 'expires_at']).where('record_id', '=', id).executeTakeFirstOrThrow()
    expect(share.expires_at).not.toBeNull()
    const officer = await client('officer@lantern.test')
    expect((await officer.get(`/people/${id}`)).status).toBe(200)
    await db().updateTable('record_shares').set({ expires_at: sql<Date>`now() - interval '1 minute'` }).where('id', '=', share.id).execute()
    expect((await officer.get(`/people/${id}`)).status).toBe(403)
    expect(await (await officer.get('/register?kind=all&q=Ending')).text()).not.toContain('Robin')

    await db().updateTable('record_shares').set({ expires_at: null }).where('id', '=', share.id).execute()
    expect((await officer.get(`/people/${id}`)).status).toBe(200)
    expect(await (await practitioner.get(`/people/${id}/sharing`)).text()).toContain(`/people/${id}/sharing/${share.id}/revoke`)
    const empty = await practitioner.post(`/people/${id}/sharing/${share.id}/revoke`, { reason: '' })
    expect(empty.status).toBe(400)
    expect((await practitioner.post(`/people/${id}/sharing/${share.id}/revoke`, { reason: 'Joint plan closed' })).status).toBe(302)
    expect((await officer.get(`/people/${id}`)).status).toBe(403)
    expect(await db().selectFrom('audit_events').select('reason').where('record_id', '=', id).where('action', '=', 'share-revoked').execute()).toEqual([{ reason: 'Joint plan closed' }])
  })

  it('runs a request for access: the requester asks, the owner accepts with a review date or declines with a reason, the requester sees the answer', async () => {
    const accepted = await councilChild('Asked')
    const declined = await councilChild('Refused')
    const nurse = await client('h.evans@lantern.test')
    const denied = await nurse.get(`/people/${accepted}`)
    expect(await denied.text()).toContain(`/people/${accepted}/request-access`)
    const form = await (await nurse.get(`/people/${accepted}/request-access`)).text()
    expect(form).toContain('Hampshire County Council')
    expect(form).not.toContain('Robin')
    expect((await nurse.post(`/people/${accepted}/request-access`, { purpose: '', legalBasis: '' })).status).toBe(400)
    expect((await nurse.post(`/people/${accepted}/request-access`, { purpose: 'Seen at A&E with bruising; planning follow-up', legalBasis: 'dpa_2018_sch8_safeguarding' })).status).toBe(302)
    expect((await nurse.post(`/people/${declined}/request-access`, { purpose: 'Seen at A&E with bruising; planning follow-up', legalBasis: 'consent' })).status).toBe(302)

    const manager = await client('manager@lantern.test')
    const inbox = await (await manager.get('/sharing')).text()
    expect(inbox).toContain('Robin Asked')
    const [a, d] = await Promise.all([accepted, declined].map((r) => db().selectFrom('access_requests').select('id').where('record_id', '=', r).executeTakeFirstOrThrow()))
    // Home's worklist: each request a link to its answer page, with how long it has waited.
    const home = await (await manager.get('/dashboard')).text()
    const requests = home.slice(home.indexOf('data-testid="worklist-access-requests"'))
    expect(requests).toContain(`href="/sharing/requests/${a.id}"`)
    expect(requests).toContain(`href="/sharing/requests/${d.id}"`)
    expect(requests).toMatch(/Asked by Hannah Evans, [^<]+<\/span>\s*<span class="lantern-worklist__when">Waiting (less than an hour|\d+ hours?)/)
    expect((await manager.post(`/sharing/requests/${a.id}`, { decision: 'accept' })).status).toBe(400)
    expect((await manager.post(`/sharing/requests/${a.id}`, { decision: 'accept', ...reviewIn(3) })).status).toBe(302)
    expect((await manager.post(`/sharing/requests/${d.id}`, { decision: 'decline', reason: '' })).status).toBe(400)
    expect((await manager.post(`/sharing/requests/${d.id}`, { decision: 'decline', reason: 'Health already has what it needs through the strategy meeting' })).status).toBe(302)

    expect((await nurse.get(`/people/${accepted}`)).status).toBe(200)
    expect((await nurse.get(`/people/${declined}`)).status).toBe(403)
    const mine = await (await nurse.get('/sharing')).text()
    expect(mine).toContain('Health already has what it needs through the strategy meeting')
    const share = await db().selectFrom('record_shares').select(['purpose', 'legal_basis', 'user_id']).where('record_id', '=', accepted).executeTakeFirstOrThrow()
    expect(share).toMatchObject({ purpose: 'Seen at A&E with bruising; planning follow-up', legal_basis: 'dpa_2018_sch8_safeguarding' })
    const actions = await db().selectFrom('audit_events').select('action').where('record_id', 'in', [accepted, declined]).where('action', 'like', 'access-request%').orderBy('id').execute()
    expect(actions.map((e) => e.action).sort()).toEqual(['access-request-accepted', 'access-request-declined', 'access-requested', 'access-requested'].sort())
  })

  it('lists every share for information governance, filterable and as CSV, and to no one else', async () => {
    const id = await councilChild('Register')
    const practitioner = await client('practitioner@lantern.test')
    await practitioner.post(`/people/${id}/sharing`, { recipient: 'agency', agencyId: await agencyId('police'), ...terms, ...reviewIn(2) })
    const share = await db().selectFrom('record_shares').select('id').where('record_id', '=', id).executeTakeFirstOrThrow()
    await practitioner.post(`/people/${id}/sharing/${share.id}/revoke`, { reason: 'Plan closed at the strategy meeting' })
    const governance = await client('governance@lantern.test')
    const revoked = await (await governance.get('/sharing/register?status=revoked')).text()
    expect(revoked).toContain('Plan closed at the strategy meeting')
    expect(revoked).not.toContain('Robin')
    expect(await (await governance.get('/sharing/register?status=live')).text()).not.toContain('Plan closed at the strategy meeting')
    expect((await governance.get('/sharing/register?status=nonsense&agencyId=x&page=-4')).status).toBe(200)
    const csv = await governance.get('/sharing/register.csv?status=revoked')
    expect(csv.headers.get('content-type')).toContain('text/csv')
    expect(await csv.text()).toContain('Plan closed at the strategy meeting')
    expect((await practitioner.get('/sharing/register')).status).toBe(403)
    expect((await (await client('admin@lantern.test')).get('/sharing/register')).status).toBe(403)
  })
})
