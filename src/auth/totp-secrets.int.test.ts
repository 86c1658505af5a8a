import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import * as OTPAuth from 'otpauth'
import { startTestApp, type TestApp } from '../../test/support/app.ts'
import { TestClient } from '../../test/support/http.ts'
import { testDatabaseKinds } from '../../test/support/databases.ts'
import { TEST_SECRETS } from '../../test/support/secrets.ts'
import { createLogger } from '../web/logger.ts'
import { prepareDatabase } from '../bootstrap.ts'
import { isSealed, keyIdOf, secretBox, secretKeysFrom } from './secret-box.ts'
import { resealTotpSecrets, totpSecrets } from './totp-secrets.ts'

/**
 * TOTP secrets are kept sealed (issue 15): neither the users table nor a session row holds one an
 * authenticator could be cloned from; secrets kept in clear by an older Lantern are sealed at
 * start-up; a new key takes over from an old one with `lantern secrets reseal`. Both databases.
 */
const TEST_KEY = 'test-secret-key-that-is-long-enough-for-lantern'
const NEW_KEY = 'the-next-secret-key-after-rotation-for-lantern'
const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'

function code(secret: string, offsetSteps = 0) {
  return new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret) }).generate({ timestamp: Date.now() + offsetSteps * 30_000 })
}

describe.each(testDatabaseKinds().map((kind) => [kind.name, kind] as const))('TOTP secrets sealed at rest (%s)', (_name, kind) => {
  let app: TestApp
  beforeAll(async () => {
    app = await startTestApp({ kind, env: { TRUST_PROXY: 'loopback' } })
  })
  afterAll(async () => {
    await app?.close()
  })
  const db = () => app.database.db
  const stored = async (email: string) => (await db().selectFrom('users').select(['id', 'totp_secret']).where('email', '=', email).executeTakeFirstOrThrow()) as { id: string; totp_secret: string | null }
  const sessionRows = async () => (await db().selectFrom('sessions').select('data').execute()).map((r) => JSON.stringify(r.data)).join('\n')
  const at = (address: string) => new TestClient(app.baseUrl, { 'x-forwarded-for': address })

  it('keeps no TOTP secret in the users table or in a session row, and signs in with the code', async () => {
    const email = 'manager@lantern.test'
    const me = at('198.51.100.70')
    await me.signIn(email)
    const page = await (await me.get('/account/two-factor/set-up')).text()
    const secret = page.match(/data-testid="totp-secret">([A-Z2-7]+)</)![1]
    // Waiting for its code, the secret sits in the session row sealed, not in clear.
    expect(await sessionRows()).not.toContain(secret)
    // The page shown again keeps the same secret (the one the person's app has scanned).
    expect(await (await me.get('/account/two-factor/set-up')).text()).toContain(secret)
    expect((await me.post('/account/two-factor/set-up', { code: code(secret) })).status).toBe(200)

    const row = await stored(email)
    expect(row.totp_secret).not.toBeNull()
    expect(row.totp_secret).not.toContain(secret)
    expect(isSealed(row.totp_secret!)).toBe(true)
    expect(keyIdOf(row.totp_secret!)).toBe(TEST_SECRETS.secretKeys.current.id)
    expect(await sessionRows()).not.toContain(secret)

    const later = at('198.51.100.71')
    expect((await later.signIn(email, undefined, { code: code(secret, 1) })).status).toBe(302)
    expect((await later.get('/dashboard')).status).toBe(200)
  })

  it('refuses a sealed secret copied onto another account', async () => {
    const from = await stored('manager@lantern.test')
    await db().updateTable('users').set({ totp_secret: from.totp_secret, totp_enabled_at: new Date(), totp_last_step: null }).where('email', '=', 'analyst@lantern.test').execute()
    try {
      const client = at('198.51.100.72')
      const secret = totpSecrets(secretBox(TEST_SECRETS.secretKeys)).openStored(from.id, from.totp_secret!)!
      const res = await client.signIn('analyst@lantern.test', undefined, { code: code(secret) })
      expect(res.status).toBe(401)
    } finally {
      await db().updateTable('users').set({ totp_secret: null, totp_enabled_at: null }).where('email', '=', 'analyst@lantern.test').execute()
    }
  })

  it('seals at start-up the secrets an older Lantern kept in clear, and they still sign in', async () => {
    const email = 'officer@lantern.test'
    await db().updateTable('users').set({ totp_secret: SECRET, totp_enabled_at: new Date(), totp_last_step: null }).where('email', '=', email).execute()
    // In clear, a secret is not believed: the code is refused until it is sealed.
    expect((await at('198.51.100.73').signIn(email, undefined, { code: code(SECRET) })).status).toBe(401)

    const { secretKeys } = await prepareDatabase({ ...app.config, secretKey: TEST_KEY }, db(), createLogger('silent'))
    expect(secretKeys.current.id).toBe(TEST_SECRETS.secretKeys.current.id)
    const row = await stored(email)
    expect(isSealed(row.totp_secret!)).toBe(true)
    expect(row.totp_secret).not.toContain(SECRET)
    const client = at('198.51.100.74')
    expect((await client.signIn(email, undefined, { code: code(SECRET) })).status).toBe(302)
    expect((await client.get('/dashboard')).status).toBe(200)
  })

  it('moves every secret to a new key, after which the old key is no longer needed', async () => {
    const before = await stored('officer@lantern.test')
    const rotated = secretBox(secretKeysFrom(NEW_KEY, [TEST_KEY]))
    const report = await resealTotpSecrets(db(), rotated)
    expect(report).toMatchObject({ resealed: 2, sealed: 0, unopenable: 0 })
    const after = await stored('officer@lantern.test')
    expect(keyIdOf(after.totp_secret!)).toBe(rotated.currentKeyId)
    const newOnly = totpSecrets(secretBox(secretKeysFrom(NEW_KEY)))
    expect(newOnly.openStored(after.id, after.totp_secret!)).toBe(SECRET)
    expect(newOnly.openStored(before.id, before.totp_secret!)).toBeUndefined()
    // Back to the test key for the app still running with it.
    expect(await resealTotpSecrets(db(), secretBox(secretKeysFrom(TEST_KEY, [NEW_KEY])))).toMatchObject({ resealed: 2 })
  })
})

const run = promisify(execFile)

describe.skipIf(!process.env.TEST_DATABASE_URL)('lantern secrets reseal (PostgreSQL)', () => {
  it('moves every secret to LANTERN_SECRET_KEY, says so, and fails while one does not open', async () => {
    const database = await testDatabaseKinds()
      .find((k) => k.name === 'postgres')!
      .create({ demo: true })
    try {
      const old = totpSecrets(secretBox(secretKeysFrom(TEST_KEY)))
      const users = await database.db.selectFrom('users').select('id').where('email', 'in', ['officer@lantern.test', 'manager@lantern.test']).orderBy('email').execute()
      await database.db.updateTable('users').set({ totp_secret: old.sealStored(users[0].id, SECRET) }).where('id', '=', users[0].id).execute()
      await database.db.updateTable('users').set({ totp_secret: SECRET }).where('id', '=', users[1].id).execute()
      const env = { ...process.env, DATABASE_URL: database.url!, LANTERN_MODE: 'demo', LOG_LEVEL: 'silent', LANTERN_SECRET_KEY: NEW_KEY, LANTERN_PREVIOUS_SECRET_KEYS: TEST_KEY }
      const { stdout } = await run(process.execPath, ['bin/lantern.js', 'secrets', 'reseal'], { env })
      const newKey = secretKeysFrom(NEW_KEY).current.id
      expect(stdout).toContain(`TOTP secrets under key ${newKey}: 2 (1 moved from a previous key, 1 sealed from clear).`)
      expect(stdout).toContain('LANTERN_PREVIOUS_SECRET_KEYS may be removed')
      const rows = await database.db.selectFrom('users').select(['id', 'totp_secret']).where('totp_secret', 'is not', null).execute()
      expect(rows.map((r) => keyIdOf(r.totp_secret!))).toEqual([newKey, newKey])
      expect(await database.db.selectFrom('audit_events').select('action').where('action', '=', 'secrets-resealed').execute()).toHaveLength(1)

      // Without the key that sealed them, nothing opens: the command says so and exits 1.
      const failed = await run(process.execPath, ['bin/lantern.js', 'secrets', 'reseal'], { env: { ...env, LANTERN_SECRET_KEY: TEST_KEY, LANTERN_PREVIOUS_SECRET_KEYS: '' } }).then(
        () => undefined,
        (err: { code: number; stderr: string }) => err,
      )
      expect(failed?.code).toBe(1)
      expect(failed?.stderr).toMatch(/^lantern: 2 TOTP secret\(s\) did not open/)
    } finally {
      await database.dispose()
    }
  }, 120_000)
})
