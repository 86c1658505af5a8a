import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../../../test/support/app.ts'
import { TestClient } from '../../../test/support/http.ts'

let app: TestApp
let admin: TestClient
let governance: TestClient
/** A search term and a reason no other page or seed holds, so their absence means they were withheld. */
const TERM = 'Zebedee-Marker'
const REASON = 'Reason-Marker for the audit readers test'

beforeAll(async () => {
  app = await startTestApp()
  const practitioner = new TestClient(app.baseUrl)
  await practitioner.signIn('practitioner@lantern.test')
  expect((await practitioner.get(`/register?q=${TERM}`)).status).toBe(200)
  await app.services.audit.record({ user: null, requestId: 'test', method: 'POST', path: '/people/x/break-glass' }, { action: 'break-glass', recordType: 'person', reason: REASON })
  admin = new TestClient(app.baseUrl)
  await admin.signIn('admin@lantern.test')
  governance = new TestClient(app.baseUrl)
  await governance.signIn('governance@lantern.test')
})
afterAll(async () => {
  await app?.close()
})

describe('who reads what in the audit trail', () => {
  it('shows administrators who, when, what and which record, never search terms or reasons', async () => {
    const page = await (await admin.get('/admin/audit')).text()
    expect(page).toContain('practitioner@lantern.test')
    expect(page).toContain('/register')
    expect(page).not.toContain(TERM)
    expect(page).not.toContain(REASON)
    const csv = await (await admin.get('/admin/audit/export.csv')).text()
    const [header, ...lines] = csv.trim().split('\n')
    expect(header).toBe('id,at,user_email,agency_id,action,record_type,record_id,request_id,method,path,token_id,token_name')
    expect(lines.some((l) => l.includes(',break-glass,'))).toBe(true)
    expect(csv).not.toContain(TERM)
    expect(csv).not.toContain(REASON)
  })

  it('shows the information governance officer everything, search terms and reasons included', async () => {
    const page = await governance.get('/admin/audit')
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toContain(TERM)
    expect(html).toContain(REASON)
    const csv = await (await governance.get('/admin/audit/export.csv')).text()
    expect(csv.split('\n')[0]).toBe('id,at,user_email,agency_id,action,record_type,record_id,request_id,method,path,token_id,token_name,reason,details')
    expect(csv).toContain(TERM)
    expect(csv).toContain(REASON)
  })

  it('keeps the query string out of the recorded path', async () => {
    const rows = await app.database.db.selectFrom('audit_events').select('path').where('path', 'like', '/register%').execute()
    expect(rows.length).toBeGreaterThan(0)
    expect(rows.every((r) => !r.path!.includes('?'))).toBe(true)
  })
})
