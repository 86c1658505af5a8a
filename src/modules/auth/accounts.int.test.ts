import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import * as OTPAuth from 'otpauth'
import { startTestApp, type TestApp } from '../../../test/support/app.ts'
import { TestClient } from '../../../test/support/http.ts'
import { startFakeOidcProvider } from '../../../test/support/fake-oidc.ts'
import { secondInstance } from '../../../test/support/public.ts'
import { hashPassword, verifyPassword } from '../../auth/passwords.ts'
import { sessionKey } from '../../auth/devices.ts'
import { secretBox } from '../../auth/secret-box.ts'
import { totpSecrets } from '../../auth/totp-secrets.ts'
import { TEST_SECRETS } from '../../../test/support/secrets.ts'

/**
 * Accounts to ASVS level 2 (issue 15): each fault testers found has a test here. Clients stand at
 * different addresses through `x-forwarded-for` behind a trusted (loopback) proxy.
 */
let app: TestApp
beforeAll(async () => {
  app = await startTestApp({ env: { TRUST_PROXY: 'loopback' } })
})
afterAll(async () => {
  await app?.close()
})

/**
 * Holds every counted failure for an hour, as if each had just happened and the clock stood still:
 * the throttle's first delays are a second or two, shorter than a busy test machine takes between
 * two requests, so a test that expects a refusal holds the delays first.
 */
const hold = () =>
  db().updateTable('sign_in_throttle').set({ last_failure_at: sql`now() + interval '1 hour'` }).where('last_failure_at', 'is not', null).execute()
const HELD = /^429 Too many attempts to sign in\. Wait \d+ minutes and try again$/

const at = (address: string) => new TestClient(app.baseUrl, { 'x-forwarded-for': address })
const db = () => app.database.db
const userId = async (email: string) => (await db().selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id

/** The code an authenticator app shows now for `secret`. */
function code(secret: string, offsetSteps = 0) {
  return new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret) }).generate({ timestamp: Date.now() + offsetSteps * 30_000 })
}

/** Makes a local (non-demo) account, as a production installation has. */
async function localAccount(email: string, role: string, password = 'copper kettle orbit lanes') {
  const agency = await db().selectFrom('agencies').select('id').where('short_name', '=', 'County council').executeTakeFirstOrThrow()
  await db()
    .insertInto('users')
    .values({ email, name: 'Jo Local', agency_id: agency.id, team_id: null, role, password_hash: await hashPassword(password), updated_at: new Date() })
    .execute()
  return { email, password }
}

/** The session id inside a signed cookie (`s:<id>.<signature>`). */
const sid = (client: TestClient) => decodeURIComponent(client.cookie('lantern.sid')!).slice(2).split('.')[0]

function errorText(html: string) {
  return html.match(/govuk-error-summary__list[\s\S]*?<a[^>]*>([^<]*)</)?.[1]?.trim()
}

describe('failed sign-ins: throttled, never an account lock, never telling who has an account', () => {
  afterEach(async () => {
    await db().deleteFrom('sign_in_throttle').execute()
  })

  it('throttles wrong current passwords on the change-password page as at sign-in, checking nothing while a delay lasts', async () => {
    const { email, password } = await localAccount('change.throttle@council.example', 'practitioner')
    const person = at('203.0.113.77')
    expect((await person.signIn(email, password)).status).toBe(302)
    const form = (currentPassword: string) => ({ currentPassword, newPassword: 'amber falcon meadow river', confirmPassword: 'amber falcon meadow river' })
    const statuses: number[] = []
    for (let i = 0; i <= app.config.lockout.threshold; i++) {
      await hold()
      statuses.push((await person.post('/account/password', form(`wrong guess ${i}`))).status)
    }
    expect(statuses.slice(0, app.config.lockout.threshold)).toEqual(Array(app.config.lockout.threshold).fill(400))
    expect(statuses.at(-1)).toBe(429)

    // The right password is not even checked while the delay lasts, so nothing changes.
    await hold()
    const right = await person.post('/account/password', form(password))
    expect(right.status).toBe(429)
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(errorText(await right.text())).toMatch(/^Too many wrong passwords/)
    const stored = await db().selectFrom('users').select('password_hash').where('email', '=', email).executeTakeFirstOrThrow()
    expect(await verifyPassword(stored.password_hash!, password)).toBe(true)
  })

  it('answers a known and an unknown email alike after repeated failures (no "locked" message)', async () => {
    const attacker = at('203.0.113.10')
    const answers = async (email: string) => {
      const seen = []
      for (let i = 0; i < app.config.lockout.threshold + 1; i++) {
        await hold()
        const res = await attacker.signIn(email, 'wrong-password-guess')
        seen.push(`${res.status} ${errorText(await res.text())}`)
      }
      return seen
    }
    const known = await answers('h.evans@lantern.test')
    const unknown = await answers('nobody-by-this-name@lantern.test')
    expect(known).toEqual(unknown)
    expect(known.slice(0, -1).every((a) => a === '401 The email address or password is not correct')).toBe(true)
    expect(known.at(-1)).toMatch(HELD)
    expect(known.join()).not.toMatch(/locked/i)
  })

  it('never keeps the real person out because of others’ failures: they sign in from their usual address', async () => {
    expect((await at('198.51.100.7').signIn('m.doyle@lantern.test')).status).toBe(302)
    for (const address of ['203.0.113.21', '203.0.113.22', '203.0.113.23', '203.0.113.24']) {
      const attacker = at(address)
      for (let i = 0; i < 12; i++) await attacker.signIn('m.doyle@lantern.test', 'guess-number-' + i)
    }
    await hold()
    // The attackers are held, and so is the account from any address it has not signed in from …
    expect((await at('203.0.113.21').signIn('m.doyle@lantern.test')).status).toBe(429)
    expect((await at('192.0.2.99').signIn('m.doyle@lantern.test')).status).toBe(429)
    // … but not from the person's usual one.
    const res = await at('198.51.100.7').signIn('m.doyle@lantern.test')
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toBe('/')
  })

  it('delays grow with each further failure, and no password is checked during one, the right one included', async () => {
    const client = at('203.0.113.30')
    const email = 'r.patel@lantern.test'
    const failures = async () => (await db().selectFrom('sign_in_throttle').select('failures').where('key', 'like', 'pair:%').executeTakeFirstOrThrow()).failures
    for (let i = 0; i < app.config.lockout.threshold; i++) expect((await client.signIn(email, 'nope-' + i)).status).toBe(401)
    const waits: number[] = []
    for (let i = 0; i < 3; i++) {
      await hold()
      const refused = await client.signIn(email, 'nope-again')
      expect(refused.status).toBe(429)
      // Held an hour ahead: what is left of the delay itself is the rest.
      waits.push(Number(refused.headers.get('retry-after')) - 3600)
      // A refused try is not counted (it was never checked).
      expect(await failures()).toBe(app.config.lockout.threshold + i)
      // As if the delay had passed, by the database's clock that every instance reads.
      await db().updateTable('sign_in_throttle').set({ last_failure_at: sql`now() - interval '1 hour'` }).where('key', 'like', 'pair:%').execute()
      expect((await client.signIn(email, 'nope-after-wait')).status).toBe(401)
    }
    // 1 s, 2 s, 4 s; a second less when the request itself took more than a second of the hour.
    expect(waits.map((w, i) => w === 2 ** i || w === 2 ** i - 1)).toEqual([true, true, true])
    await hold()
    expect((await client.signIn(email)).status).toBe(429)
  })

  it('slows an address that tries one password on many accounts, known or not, and no other address', async () => {
    const sprayer = at('203.0.113.60')
    const accounts = Array.from({ length: app.config.lockout.threshold * 10 }, (_, i) => (i % 2 ? `sprayed-${i}@lantern.test` : `nobody-${i}@council.example`))
    for (const email of accounts) expect((await sprayer.signIn(email, 'Summer2026!Summer')).status).toBe(401)
    await hold()
    // Each account has failed once only: it is the address that is held, for any account.
    const next = await sprayer.signIn('h.evans@lantern.test', 'Summer2026!Summer')
    expect(`${next.status} ${errorText(await next.text())}`).toMatch(HELD)
    expect((await at('203.0.113.61').signIn('h.evans@lantern.test', 'Summer2026!Summer')).status).toBe(401)
    expect((await at('203.0.113.61').signIn('h.evans@lantern.test')).status).toBe(302)
  })

  it('does not count successful sign-ins: a whole training room behind one address signs in at 9am', async () => {
    const room = '192.0.2.50'
    for (let i = 0; i < 40; i++) expect((await at(room).signIn('practitioner@lantern.test')).status).toBe(302)
    expect((await at(room).signIn('manager@lantern.test')).status).toBe(302)
  })

  it('keeps the counters in the database, so a second instance throttles what the first one counted', async () => {
    const second = await secondInstance(app)
    try {
      const email = 'partnership@lantern.test'
      for (let i = 0; i < app.config.lockout.threshold; i++) await at('203.0.113.40').signIn(email, 'wrong-' + i)
      await hold()
      const there = new TestClient(second.baseUrl, { 'x-forwarded-for': '203.0.113.40' })
      expect((await there.signIn(email, 'wrong-again')).status).toBe(429)
    } finally {
      await second.close()
    }
  })

  it('lets an administrator clear the delays, audited', async () => {
    const email = 'analyst@lantern.test'
    for (let i = 0; i < app.config.lockout.threshold; i++) await at('203.0.113.50').signIn(email, 'wrong-' + i)
    await hold()
    expect((await at('203.0.113.50').signIn(email)).status).toBe(429)
    const admin = at('198.51.100.1')
    await admin.signIn('admin@lantern.test')
    expect((await admin.post(`/admin/users/${await userId(email)}/clear-sign-in-delays`, {})).status).toBe(302)
    expect((await at('203.0.113.50').signIn(email)).status).toBe(302)
    const events = await db().selectFrom('audit_events').select('action').where('action', '=', 'sign-in-delays-cleared').execute()
    expect(events).toHaveLength(1)
  })
})

describe('passwords', () => {
  const form = (agencyId: string, email: string, password: string) => ({ name: 'Lee Grant', email, agencyId, teamId: '', role: 'analyst', password })

  it('refuses the demo password, a repeated character, a breached password and the person’s own name wherever one is set', async () => {
    const admin = at('198.51.100.2')
    await admin.signIn('admin@lantern.test')
    const agency = await db().selectFrom('agencies').select('id').where('short_name', '=', 'County council').executeTakeFirstOrThrow()
    for (const [password, message] of [
      ['lantern-demo-2026', 'demo password'],
      ['aaaaaaaaaaaa', 'repeated'],
      ['password1234', 'too common'],
      ['leegrant-2026!', 'your name or email'],
    ]) {
      const res = await admin.post('/admin/users/new', form(agency.id, 'lee.grant@lantern.test', password))
      expect(res.status, password).toBe(400)
      expect(await res.text()).toContain(message)
    }
    expect(await db().selectFrom('users').select('id').where('email', '=', 'lee.grant@lantern.test').executeTakeFirst()).toBeUndefined()

    // An administrator's reset.
    const target = await userId('opcc@lantern.test')
    const reset = await admin.post(`/admin/users/${target}/password`, { password: 'aaaaaaaaaaaa' })
    expect(reset.status).toBe(400)
    expect(await reset.text()).toContain('repeated')

    // The person's own change.
    const person = at('198.51.100.3')
    await person.signIn('panel@lantern.test')
    const change = await person.post('/account/password', { currentPassword: 'lantern-demo-2026', newPassword: 'lantern-demo-2026', confirmPassword: 'lantern-demo-2026' })
    expect(change.status).toBe(400)
    expect(await change.text()).toContain('demo password')
  })

  it('changing your password signs you out everywhere else, and the new one works', async () => {
    const email = 'governance@lantern.test'
    const phone = at('198.51.100.4')
    const desk = at('198.51.100.5')
    await phone.signIn(email)
    await desk.signIn(email)
    const res = await desk.post('/account/password', { currentPassword: 'lantern-demo-2026', newPassword: 'winter copper lantern hills', confirmPassword: 'winter copper lantern hills' })
    expect(res.status).toBe(302)
    expect((await desk.get('/dashboard')).status).toBe(200)
    expect((await phone.get('/dashboard')).status).toBe(302)
    expect((await at('198.51.100.6').signIn(email, 'winter copper lantern hills')).status).toBe(302)
    expect((await at('198.51.100.6').signIn(email)).status).toBe(401)
  })

  it('an administrator’s reset signs the person out everywhere and is audited', async () => {
    const email = 'h.evans@lantern.test'
    const person = at('198.51.100.8')
    expect((await person.signIn(email)).status).toBe(302)
    const admin = at('198.51.100.2')
    await admin.signIn('admin@lantern.test')
    expect((await admin.post(`/admin/users/${await userId(email)}/password`, { password: 'river stone maple bright' })).status).toBe(302)
    expect((await person.get('/dashboard')).status).toBe(302)
    expect((await at('198.51.100.8').signIn(email, 'river stone maple bright')).status).toBe(302)
    expect(await db().selectFrom('audit_events').select('action').where('action', '=', 'password-reset').execute()).toHaveLength(1)
  })
})

describe('your sessions', () => {
  it('lists where you are signed in, and signs another one out', async () => {
    const email = 'manager@lantern.test'
    const other = at('198.51.100.20')
    await other.signIn(email)
    const me = at('198.51.100.21')
    await me.signIn(email)
    const page = await (await me.get('/account/sessions')).text()
    expect(page).toContain('198.51.100.20')
    expect(page).toContain('(this session)')
    // The page names sessions by a hash, never by the cookie's secret.
    expect(page).not.toContain(sid(other))
    expect(page).toContain(sessionKey(sid(other)))
    const key = page.match(/\/account\/sessions\/([0-9a-f]{32})\/sign-out/)![1]
    expect((await me.post(`/account/sessions/${key}/sign-out`, {})).status).toBe(302)
    expect((await other.get('/dashboard')).status).toBe(302)
    expect((await me.get('/dashboard')).status).toBe(200)
    // Someone else's session cannot be signed out from your page.
    const stranger = at('198.51.100.22')
    await stranger.signIn('analyst@lantern.test')
    expect((await me.post(`/account/sessions/${sessionKey(sid(stranger))}/sign-out`, {})).status).toBe(302)
    expect((await stranger.get('/dashboard')).status).toBe(200)
  })
})

describe('two-factor authentication', () => {
  it('sets up from Your account with a QR code, then asks for a code at every password sign-in; a code works once', async () => {
    const email = 'practitioner@lantern.test'
    const me = at('198.51.100.30')
    await me.signIn(email)
    const setUp = await (await me.get('/account/two-factor/set-up')).text()
    expect(setUp).toContain('<svg')
    const secret = setUp.match(/data-testid="totp-secret">([A-Z2-7]+)</)![1]
    const wrong = await me.post('/account/two-factor/set-up', { code: '000000' === code(secret) ? '111111' : '000000' })
    expect(wrong.status).toBe(400)
    const done = await me.post('/account/two-factor/set-up', { code: code(secret) })
    expect(done.status).toBe(200)
    const codes = [...(await done.text()).matchAll(/<li>([a-z0-9]{5}-[a-z0-9]{5})<\/li>/g)].map((m) => m[1])
    expect(codes).toHaveLength(10)
    const stored = await db().selectFrom('recovery_codes').select('code_hash').where('user_id', '=', await userId(email)).execute()
    expect(stored.map((r) => r.code_hash).some((h) => codes.some((c) => h.includes(c)))).toBe(false)

    // The password alone no longer signs in.
    const later = at('198.51.100.31')
    const step = await later.signIn(email)
    expect(step.headers.get('location')).toBe('/sign-in/code')
    expect((await later.get('/dashboard')).status).toBe(302)
    expect((await later.post('/sign-in/code', { code: '12345' })).status).toBe(401)
    // The code used to set up was spent; the next step's code signs in.
    const next = code(secret, 1)
    expect((await later.post('/sign-in/code', { code: next })).status).toBe(302)
    expect((await later.get('/dashboard')).status).toBe(200)
    // The same code again is refused (replay).
    const again = at('198.51.100.32')
    await again.signIn(email)
    expect((await again.post('/sign-in/code', { code: next })).status).toBe(401)

    // A recovery code works once.
    expect((await again.post('/sign-in/code', { code: codes[0] })).status).toBe(302)
    const once = at('198.51.100.33')
    await once.signIn(email)
    expect((await once.post('/sign-in/code', { code: codes[0] })).status).toBe(401)
    expect((await once.post('/sign-in/code', { code: codes[1].toUpperCase() })).status).toBe(302)
    expect(await (await once.get('/account/two-factor')).text()).toContain('You have 8 unused recovery codes')
  })

  it('in production requires it of roles that see personal data: set up at sign-in, with recovery codes shown once', async () => {
    const production = await secondInstance(app, { config: { mode: 'production' } })
    try {
      const { email, password } = await localAccount('jo.local@hants.example', 'practitioner')
      const client = new TestClient(production.baseUrl, { 'x-forwarded-for': '198.51.100.40' })
      const res = await client.signIn(email, password)
      expect(res.headers.get('location')).toBe('/sign-in/set-up-two-factor')
      expect((await client.get('/dashboard')).status).toBe(302)
      const page = await (await client.get('/sign-in/set-up-two-factor')).text()
      const secret = page.match(/data-testid="totp-secret">([A-Z2-7]+)</)![1]
      const done = await client.post('/sign-in/set-up-two-factor', { code: code(secret) })
      expect(done.status).toBe(200)
      expect(await done.text()).toContain('Your recovery codes')
      expect((await client.get('/dashboard')).status).toBe(200)

      // An administrator resets it (a lost phone): the person is signed out and sets it up again.
      const { email: adminEmail, password: adminPassword } = await localAccount('admin.local@hants.example', 'administrator')
      const admin = new TestClient(production.baseUrl, { 'x-forwarded-for': '198.51.100.41' })
      await admin.signIn(adminEmail, adminPassword)
      const adminPage = await (await admin.get('/sign-in/set-up-two-factor')).text()
      const adminSecret = adminPage.match(/data-testid="totp-secret">([A-Z2-7]+)</)![1]
      expect((await admin.post('/sign-in/set-up-two-factor', { code: code(adminSecret) })).status).toBe(200)
      expect((await admin.post(`/admin/users/${await userId(email)}/two-factor/reset`, {})).status).toBe(302)
      expect((await client.get('/dashboard')).status).toBe(302)
      const user = await db().selectFrom('users').select(['totp_secret', 'totp_enabled_at']).where('email', '=', email).executeTakeFirstOrThrow()
      expect(user).toEqual({ totp_secret: null, totp_enabled_at: null })
      expect((await new TestClient(production.baseUrl, { 'x-forwarded-for': '198.51.100.40' }).signIn(email, password)).headers.get('location')).toBe('/sign-in/set-up-two-factor')
      expect(await db().selectFrom('audit_events').select('action').where('action', '=', 'two-factor-reset').execute()).toHaveLength(1)
    } finally {
      await production.close()
    }
  })
})

describe('demo accounts in production', () => {
  it('refuses a demo account at sign-in and at reactivation, not only at start-up', async () => {
    const production = await secondInstance(app, { config: { mode: 'production' } })
    try {
      const demo = new TestClient(production.baseUrl, { 'x-forwarded-for': '198.51.100.50' })
      const res = await demo.signIn('opcc@lantern.test')
      expect(res.status).toBe(401)
      expect(errorText(await res.text())).toBe('The email address or password is not correct')
      // A demo session made before the switch is no one in production.
      const before = at('198.51.100.51')
      await before.signIn('opcc@lantern.test')
      const replay = await fetch(`${production.baseUrl}/dashboard`, { headers: { cookie: `lantern.sid=${before.cookie('lantern.sid')}` }, redirect: 'manual' })
      expect(replay.status).toBe(302)
      // Nor does a personal API token a demo account issued then.
      const officer = at('198.51.100.53')
      await officer.signIn('officer@lantern.test')
      const issued = await (await officer.post('/account/api-tokens', { name: 'Demo script', days: '90' })).text()
      const token = issued.match(/value="(lantern_pat_[A-Za-z0-9_-]+)"/)![1]
      expect((await fetch(`${app.baseUrl}/api/v1/people`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200)
      expect((await fetch(`${production.baseUrl}/api/v1/people`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401)

      await db().updateTable('users').set({ active: false }).where('email', '=', 'opcc@lantern.test').execute()
      const { email, password } = await localAccount('it.admin@hants.example', 'administrator')
      const sealed = totpSecrets(secretBox(TEST_SECRETS.secretKeys)).sealStored(await userId(email), 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP')
      await db().updateTable('users').set({ totp_secret: sealed, totp_enabled_at: new Date() }).where('email', '=', email).execute()
      const admin = new TestClient(production.baseUrl, { 'x-forwarded-for': '198.51.100.52' })
      expect((await admin.signIn(email, password, { code: () => code('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP') })).status).toBe(302)
      const reactivate = await admin.post(`/admin/users/${await userId('opcc@lantern.test')}/reactivate`, {})
      expect(reactivate.status).toBe(302)
      const after = await db().selectFrom('users').select('active').where('email', '=', 'opcc@lantern.test').executeTakeFirstOrThrow()
      expect(after.active).toBe(false)
      expect(await (await admin.get(reactivate.headers.get('location')!)).text()).toContain('demo account')
    } finally {
      await db().updateTable('users').set({ active: true }).where('email', '=', 'opcc@lantern.test').execute()
      await production.close()
    }
  })
})

describe('OpenID Connect', () => {
  const person: { sub: string; email: string; email_verified?: boolean } = { sub: '', email: '' }
  let provider: Awaited<ReturnType<typeof startFakeOidcProvider>>
  let oidcApp: Awaited<ReturnType<typeof secondInstance>>
  beforeAll(async () => {
    provider = await startFakeOidcProvider(person)
    oidcApp = await secondInstance(app, {
      config: { oidc: { issuer: provider.issuer, clientId: 'lantern', clientSecret: 'secret', redirectUri: 'http://127.0.0.1/auth/oidc/callback', buttonText: 'Sign in' } },
    })
  })
  afterAll(async () => {
    await oidcApp?.close()
    await provider?.close()
  })

  async function oidcSignIn(as: { sub: string; email: string; email_verified?: boolean }) {
    Object.assign(person, { email_verified: undefined }, as)
    const client = new TestClient(oidcApp.baseUrl)
    const start = await client.get('/auth/oidc/start')
    const atProvider = await fetch(start.headers.get('location')!, { redirect: 'manual' })
    const callback = new URL(atProvider.headers.get('location')!)
    return (await client.get(callback.pathname + callback.search)).status
  }
  const bound = () => db().selectFrom('users').select(['oidc_subject', 'oidc_issuer']).where('email', '=', 'officer@lantern.test').executeTakeFirstOrThrow()

  it('does not match an account by an email address the provider has not verified', async () => {
    expect(await oidcSignIn({ sub: 'idp-unverified', email: 'officer@lantern.test' })).toBe(403)
    expect(await oidcSignIn({ sub: 'idp-unverified', email: 'officer@lantern.test', email_verified: false })).toBe(403)
    expect((await bound()).oidc_subject).toBeNull()
  })

  it('binds by issuer and subject once the email is verified, then recognises the subject whatever the email says', async () => {
    expect(await oidcSignIn({ sub: 'idp-jo-harris', email: 'officer@lantern.test', email_verified: true })).toBe(302)
    expect(await bound()).toEqual({ oidc_subject: 'idp-jo-harris', oidc_issuer: provider.issuer })
    expect(await oidcSignIn({ sub: 'idp-jo-harris', email: 'jo.harris@elsewhere.example' })).toBe(302)
    // Another subject claiming the same verified email does not take the account over.
    expect(await oidcSignIn({ sub: 'idp-someone-else', email: 'officer@lantern.test', email_verified: true })).toBe(403)
  })
})
