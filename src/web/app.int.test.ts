import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { startTestApp, type TestApp } from '../../test/support/app.ts'
import { TestClient } from '../../test/support/http.ts'
import { startFakeOidcProvider } from '../../test/support/fake-oidc.ts'
import { secondInstance } from '../../test/support/public.ts'

let app: TestApp
beforeAll(async () => {
  app = await startTestApp()
})
afterAll(async () => {
  await app?.close()
})

describe('signing in and out', () => {
  it('signs a demo user in, keeps the session in the database, and shows who they are', async () => {
    const client = new TestClient(app.baseUrl)
    const res = await client.signIn('practitioner@lantern.test')
    expect(res.status).toBe(302)
    const sid = client.cookie('lantern.sid')
    expect(sid).toBeTruthy()
    const sessions = await app.database.db.selectFrom('sessions').select('data').execute()
    expect(sessions.some((s) => (s.data as Record<string, unknown>).userId)).toBe(true)
    const home = await client.get('/dashboard')
    const html = await home.text()
    expect(html).toContain('Sam Okafor')
    expect(html).toContain('Practitioner, Hampshire County Council (Willow Team (child exploitation))')
  })

  it('rejects a wrong password with the GOV.UK error summary, keeping the email address', async () => {
    const client = new TestClient(app.baseUrl)
    const res = await client.signIn('analyst@lantern.test', 'not-the-password')
    expect(res.status).toBe(401)
    const html = await res.text()
    expect(html).toContain('<title>Error: Sign in – Lantern</title>')
    expect(html).toContain('govuk-error-summary')
    expect(html).toContain('href="#email"')
    expect(html).toContain('value="analyst@lantern.test"')
  })

  it('slows failed sign-ins and audits each, never saying an account is locked (src/modules/auth/accounts.int.test.ts has the rest)', async () => {
    const client = new TestClient(app.baseUrl)
    for (let i = 0; i < app.config.lockout.threshold; i++) await client.signIn('h.evans@lantern.test', 'wrong-password-guess')
    // The first delay is a second: hold it, so a slow machine cannot let the next try through.
    await app.database.db.updateTable('sign_in_throttle').set({ last_failure_at: sql`now() + interval '1 hour'` }).where('last_failure_at', 'is not', null).execute()
    try {
      const res = await client.signIn('h.evans@lantern.test')
      expect(res.status).toBe(429)
      expect(await res.text()).not.toMatch(/locked/i)
      const events = await app.database.db.selectFrom('audit_events').select('action').where('user_email', '=', 'h.evans@lantern.test').where('action', '=', 'sign-in-failed').execute()
      expect(events).toHaveLength(app.config.lockout.threshold)
    } finally {
      await app.database.db.deleteFrom('sign_in_throttle').execute()
    }
  })

  it('refuses a form posted without its CSRF token and signs nobody in', async () => {
    const client = new TestClient(app.baseUrl)
    await client.get('/sign-in')
    const res = await client.post('/sign-in', { email: 'admin@lantern.test', password: 'lantern-demo-2026' }, { csrf: false })
    expect(res.status).toBe(403)
    expect(await res.text()).toContain('Your form has expired')
    expect((await client.get('/dashboard')).status).toBe(302)
  })

  it('signs out, and the old session cookie no longer works', async () => {
    const client = new TestClient(app.baseUrl)
    await client.signIn('manager@lantern.test')
    const sid = client.cookie('lantern.sid')!
    await client.post('/sign-out', {})
    const replay = await fetch(`${app.baseUrl}/dashboard`, { headers: { cookie: `lantern.sid=${sid}` }, redirect: 'manual' })
    expect(replay.status).toBe(302)
    expect(replay.headers.get('location')).toBe('/sign-in')
  })

  it('ends a session after inactivity and after the absolute lifetime', async () => {
    const idle = new TestClient(app.baseUrl)
    await idle.signIn('partnership@lantern.test')
    await app.database.db.updateTable('sessions').set({ expires_at: sql`now() - interval '1 minute'` }).where(sql<boolean>`data->>'userId' is not null`).execute()
    expect((await idle.get('/dashboard')).status).toBe(302)

    const old = new TestClient(app.baseUrl)
    await old.signIn('partnership@lantern.test')
    await app.database.db
      .updateTable('sessions')
      .set({ data: sql`jsonb_set(data, '{signedInAt}', to_jsonb(1000))` })
      .where(sql<boolean>`data->>'userId' is not null`)
      .execute()
    expect((await old.get('/dashboard')).status).toBe(302)
  })

  it('shares sessions between two Lantern instances on the same database', async () => {
    const second = await secondInstance(app)
    try {
      const client = new TestClient(app.baseUrl)
      await client.signIn('analyst@lantern.test')
      const res = await fetch(`${second.baseUrl}/dashboard`, { headers: { cookie: `lantern.sid=${client.cookie('lantern.sid')}` } })
      expect(res.status).toBe(200)
      expect(await res.text()).toContain('Alex Morgan')
    } finally {
      await second.close()
    }
  })
})

describe('web security', () => {
  it('sends a strict CSP whose nonce is the one on the page’s inline script, and no-store', async () => {
    const res = await fetch(`${app.baseUrl}/sign-in`)
    const csp = res.headers.get('content-security-policy')!
    const nonce = csp.match(/'nonce-([^']+)'/)![1]
    expect(csp).toContain("default-src 'self'")
    expect(csp).toContain("frame-ancestors 'none'")
    expect(csp).not.toContain('unsafe-inline')
    expect(await res.text()).toContain(`nonce="${nonce}"`)
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
  })

  it('sets an HttpOnly, SameSite session cookie', async () => {
    const client = new TestClient(app.baseUrl)
    const token = await client.csrfToken()
    const res = await client.post('/sign-in', { email: 'admin@lantern.test', password: 'lantern-demo-2026', _csrf: token })
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('lantern.sid='))!
    expect(cookie).toMatch(/HttpOnly/)
    expect(cookie).toMatch(/SameSite=Lax/)
  })

  it('answers the health endpoints', async () => {
    expect(await (await fetch(`${app.baseUrl}/ping`)).json()).toEqual({ status: 'UP' })
    expect(await (await fetch(`${app.baseUrl}/health`)).json()).toMatchObject({ status: 'UP', components: { database: { status: 'UP' } } })
    expect(await (await fetch(`${app.baseUrl}/info`)).json()).toMatchObject({ name: 'lantern', mode: 'demo' })
  })

  it('serves Prometheus metrics only to a scraper with the bearer token: durations by route pattern, the pool, audit writes, and no id', async () => {
    // Without a token configured, /metrics is a path like any other that does not exist.
    expect((await fetch(`${app.baseUrl}/metrics`, { redirect: 'manual' })).status).not.toBe(200)
    const token = 'metrics-token-that-is-long-enough-for-the-rule'
    const instance = await secondInstance(app, { config: { metricsToken: token } })
    try {
      const practitioner = new TestClient(instance.baseUrl)
      await practitioner.signIn('practitioner@lantern.test')
      const kyle = await app.database.db.selectFrom('people').select('id').where('given_name', '=', 'Kyle').where('family_name', '=', 'Marsh').executeTakeFirstOrThrow()
      expect((await practitioner.get(`/people/${kyle.id}`)).status).toBe(200)

      for (const authorization of [undefined, 'Bearer wrong', `Basic ${token}`, `Bearer ${token}x`]) {
        const refused = await fetch(`${instance.baseUrl}/metrics`, { headers: authorization ? { authorization } : {} })
        expect(refused.status, authorization).toBe(401)
        expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer/)
        expect(refused.headers.get('set-cookie')).toBeNull()
      }
      const res = await fetch(`${instance.baseUrl}/metrics`, { headers: { authorization: `Bearer ${token}` } })
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toContain('text/plain')
      const text = await res.text()
      expect(text).toMatch(/lantern_http_request_duration_seconds_count\{method="GET",route="\/people\/:id",status="200"\} [1-9]/)
      expect(text).toMatch(/lantern_audit_write_seconds_count [1-9]/)
      expect(text).toContain('lantern_process_resident_memory_bytes')
      if (app.database.kind === 'postgres') expect(text).toMatch(/lantern_db_pool_connections\{state="total"\} \d/)
      expect(text).not.toContain(kyle.id)
      expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/)
    } finally {
      await instance.close()
    }
  })

  it('tells anyone asking /info in production no more than the name and version: not the Node.js version or the database', async () => {
    const production = await secondInstance(app, { config: { mode: 'production' } })
    try {
      const info = await (await fetch(`${production.baseUrl}/info`)).json()
      expect(info).toEqual({ name: 'lantern', version: expect.any(String) })
    } finally {
      await production.close()
    }
  })

  it('sets no cookie and stores no session for a visitor reading public pages; the report journey starts one and keeps CSRF', async () => {
    const sessions = async () => (await app.database.db.selectFrom('sessions').select('sid').execute()).length
    const before = await sessions()
    for (const page of ['/', '/report', '/signs', '/accessibility', '/privacy', '/scrutiny', '/cookies']) {
      const res = await fetch(`${app.baseUrl}${page}`, { redirect: 'manual' })
      await res.arrayBuffer()
      expect(res.status, page).toBe(200)
      expect(res.headers.getSetCookie(), page).toEqual([])
    }
    expect(await sessions()).toBe(before)

    const reporter = new TestClient(app.baseUrl)
    const question = await reporter.get('/report/what-you-saw')
    expect(question.status).toBe(200)
    expect(reporter.cookie('lantern.sid')).toBeTruthy()
    const token = (await question.text()).match(/name="_csrf" value="([^"]+)"/)![1]
    expect((await reporter.post('/report/what-you-saw', { what: 'Cars stopping outside a flat', _csrf: 'not-the-token' })).status).toBe(403)
    const answered = await reporter.post('/report/what-you-saw', { what: 'Cars stopping outside a flat', _csrf: token })
    expect(answered.status).toBe(303)
    expect(answered.headers.get('location')).toBe('/report/where')
  })
})

describe('roles decide the pages', () => {
  it('shows Administration only to administrators and answers 403 to others', async () => {
    const panel = new TestClient(app.baseUrl)
    await panel.signIn('panel@lantern.test')
    expect(await (await panel.get('/dashboard')).text()).not.toContain('href="/admin"')
    const res = await panel.get('/admin/users')
    expect(res.status).toBe(403)
    expect(await res.text()).toContain('Your role does not allow this')

    const admin = new TestClient(app.baseUrl)
    await admin.signIn('admin@lantern.test')
    expect(await (await admin.get('/dashboard')).text()).toContain('href="/admin"')
    expect((await admin.get('/admin/users')).status).toBe(200)
  })
})

describe('administration', () => {
  it('adds a user, keeping the answers and showing errors when the form is wrong', async () => {
    const admin = new TestClient(app.baseUrl)
    await admin.signIn('admin@lantern.test')
    const agency = await app.database.db.selectFrom('agencies').select('id').where('short_name', '=', 'Police').executeTakeFirstOrThrow()
    const bad = await admin.post('/admin/users/new', { name: 'Lee Grant', email: 'not-an-email', agencyId: agency.id, teamId: '', role: 'analyst', password: 'short' })
    expect(bad.status).toBe(400)
    const html = await bad.text()
    expect(html).toContain('Enter an email address in the correct format')
    expect(html).toContain('Password must be 12 characters or more')
    expect(html).toContain('value="Lee Grant"')

    const ok = await admin.post('/admin/users/new', { name: 'Lee Grant', email: 'lee.grant@lantern.test', agencyId: agency.id, teamId: '', role: 'analyst', password: 'a-long-enough-password' })
    expect(ok.status).toBe(302)
    const lee = new TestClient(app.baseUrl)
    expect((await lee.signIn('lee.grant@lantern.test', 'a-long-enough-password')).status).toBe(302)
    expect(await (await lee.get('/dashboard')).text()).toContain('Lee Grant')
  })

  it('deactivating a user signs them out everywhere at once', async () => {
    const officer = new TestClient(app.baseUrl)
    await officer.signIn('m.doyle@lantern.test')
    expect((await officer.get('/dashboard')).status).toBe(200)
    const admin = new TestClient(app.baseUrl)
    await admin.signIn('admin@lantern.test')
    const user = await app.database.db.selectFrom('users').select('id').where('email', '=', 'm.doyle@lantern.test').executeTakeFirstOrThrow()
    expect((await admin.post(`/admin/users/${user.id}/deactivate`, {})).status).toBe(302)
    expect((await officer.get('/dashboard')).status).toBe(302)
    expect((await new TestClient(app.baseUrl).signIn('m.doyle@lantern.test')).status).toBe(401)
  })

  it('applies a change of role on the user’s next request, though their account was loaded before', async () => {
    const worker = new TestClient(app.baseUrl)
    await worker.signIn('r.patel@lantern.test')
    expect((await worker.get('/register')).status).toBe(200)
    expect((await worker.get('/register')).status).toBe(200)
    const admin = new TestClient(app.baseUrl)
    await admin.signIn('admin@lantern.test')
    const user = await app.database.db.selectFrom('users').selectAll().where('email', '=', 'r.patel@lantern.test').executeTakeFirstOrThrow()
    const edit = (role: string) => admin.post(`/admin/users/${user.id}`, { name: user.name, agencyId: user.agency_id, teamId: user.team_id ?? '', role })
    expect((await edit('panel_member')).status).toBe(302)
    expect((await worker.get('/register')).status).toBe(403)
    expect((await edit('practitioner')).status).toBe(302)
    expect((await worker.get('/register')).status).toBe(200)
  })

  it('signs out, on the next request, a user switched off outside the web pages', async () => {
    const client = new TestClient(app.baseUrl)
    await client.signIn('opcc@lantern.test')
    expect((await client.get('/dashboard')).status).toBe(200)
    // As `lantern user deactivate-demo` does: the account only, its sessions left in place.
    await app.database.db.updateTable('users').set({ active: false }).where('email', '=', 'opcc@lantern.test').execute()
    try {
      expect((await client.get('/dashboard')).status).toBe(302)
    } finally {
      await app.database.db.updateTable('users').set({ active: true }).where('email', '=', 'opcc@lantern.test').execute()
    }
  })

  it('searches the audit trail and exports it as CSV, auditing the export itself', async () => {
    const admin = new TestClient(app.baseUrl)
    await admin.signIn('admin@lantern.test')
    const page = await admin.get('/admin/audit?action=sign-in')
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('practitioner@lantern.test')
    const csv = await admin.get('/admin/audit/export.csv?action=sign-in')
    expect(csv.headers.get('content-type')).toContain('text/csv')
    const lines = (await csv.text()).trim().split('\n')
    expect(lines[0]).toBe('id,at,user_email,agency_id,action,record_type,record_id,request_id,method,path,token_id,token_name')
    expect(lines.slice(1).every((l) => l.includes(',sign-in,'))).toBe(true)
    const exports = await app.database.db.selectFrom('audit_events').select('action').where('action', '=', 'export').where('record_type', '=', 'audit').execute()
    expect(exports.length).toBeGreaterThan(0)
  })
})

describe('single sign-on with OpenID Connect', () => {
  it('signs in a provisioned user through the identity provider and links their subject', async () => {
    const provider = await startFakeOidcProvider({ sub: 'idp-123', email: 'analyst@lantern.test', email_verified: true })
    const oidcApp = await startTestApp({
      env: { OIDC_ISSUER: provider.issuer, OIDC_CLIENT_ID: 'lantern', OIDC_CLIENT_SECRET: 'secret', OIDC_REDIRECT_URI: 'http://127.0.0.1/auth/oidc/callback' },
    })
    try {
      const client = new TestClient(oidcApp.baseUrl)
      expect(await (await client.get('/sign-in')).text()).toContain('Sign in with your organisation account')
      const start = await client.get('/auth/oidc/start')
      expect(start.status).toBe(302)
      const atProvider = await fetch(start.headers.get('location')!, { redirect: 'manual' })
      const callback = new URL(atProvider.headers.get('location')!)
      const finish = await client.get(callback.pathname + callback.search)
      expect(finish.status).toBe(302)
      expect(await (await client.get('/dashboard')).text()).toContain('Alex Morgan')
      const user = await oidcApp.database.db.selectFrom('users').select('oidc_subject').where('email', '=', 'analyst@lantern.test').executeTakeFirstOrThrow()
      expect(user.oidc_subject).toBe('idp-123')
    } finally {
      await oidcApp.close()
      await provider.close()
    }
  })
})
