import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import pg from 'pg'
import { startTestApp, type TestApp } from '../../test/support/app.ts'
import { TestClient } from '../../test/support/http.ts'
import { DatabaseBusyError, isDatabaseBusy } from '../db/limits.ts'
import { openDatabase } from '../db/index.ts'

/**
 * A held lock, a slow statement or a full pool must make a request fail fast with "service busy,
 * try again" (503 with Retry-After), never queue it for as long as the lock is held, and must not
 * stall pages that need none of the locked rows. PostgreSQL only: the embedded database has one
 * session, so nothing else can hold a lock.
 */
const LIMITS = { poolSize: 3, queueLimit: 50, queueTimeoutMs: 2_000, statementTimeoutMs: 2_000, lockTimeoutMs: 300 }

describe.skipIf(!process.env.TEST_DATABASE_URL)('when the database is busy (PostgreSQL)', () => {
  let app: TestApp
  let holder: pg.Client
  let personId: string
  beforeAll(async () => {
    app = await startTestApp({ databaseLimits: LIMITS })
    holder = new pg.Client({ connectionString: app.database.url })
    await holder.connect()
    const practitioner = await app.database.db.selectFrom('users').select('agency_id').where('email', '=', 'practitioner@lantern.test').executeTakeFirstOrThrow()
    personId = (await app.database.db.selectFrom('people').select('id').where('owner_agency_id', '=', practitioner.agency_id).where('merged_into', 'is', null).orderBy('id').executeTakeFirstOrThrow()).id
  })
  afterAll(async () => {
    await holder?.end()
    await app?.close()
  })

  const note = (client: TestClient) => client.post(`/people/${personId}/notes/new`, { kind: 'contact', body: 'Phoned the school', 'occurred-day': '2', 'occurred-month': '1', 'occurred-year': '2025' })

  it('answers a write behind a held lock with a 503 busy page and Retry-After within the lock timeout, while other pages answer', async () => {
    const writer = new TestClient(app.baseUrl)
    await writer.signIn('practitioner@lantern.test')
    const reader = new TestClient(app.baseUrl)
    await reader.signIn('analyst@lantern.test')
    await holder.query('begin')
    await holder.query('select id from people where id = $1 for update', [personId])
    try {
      const started = performance.now()
      const busy = await note(writer)
      expect(busy.status).toBe(503)
      expect(performance.now() - started).toBeLessThan(1_500)
      expect(busy.headers.get('retry-after')).toBe('10')
      const html = await busy.text()
      expect(html).toContain('Sorry, the service is busy')
      expect(html).toContain('Try again in 10 seconds')

      // More writers than the pool and its queue hold: every one is told "busy", none hangs, and
      // the dashboard, which needs none of those rows, still answers.
      const crowdStarted = performance.now()
      const crowd = Array.from({ length: 8 }, () => note(writer))
      const [page, ...answers] = await Promise.all([reader.get('/dashboard'), ...crowd])
      expect(page.status).toBe(200)
      expect(performance.now() - crowdStarted).toBeLessThan(4_000)
      expect(answers.map((a) => a.status)).toEqual(Array(8).fill(503))
    } finally {
      await holder.query('rollback')
    }
    expect((await note(writer)).status).toBe(302)
  })

  it('cancels a statement that runs past the statement timeout, as busy', async () => {
    const started = performance.now()
    const error = await sql`select pg_sleep(5)`.execute(app.database.db).then(() => null, (err: unknown) => err)
    expect(isDatabaseBusy(error)).toBe(true)
    expect(performance.now() - started).toBeLessThan(4_000)
  })

  it('refuses at once, as busy, a request for a connection past the queue limit', async () => {
    const small = await openDatabase({ url: app.database.url, limits: { ...LIMITS, poolSize: 1, queueLimit: 1 } })
    await holder.query('begin')
    await holder.query('lock table people in access exclusive mode')
    try {
      const started = performance.now()
      const errors = await Promise.all(Array.from({ length: 3 }, () => sql`select count(*) from people`.execute(small.db).then(() => null, (err: unknown) => err)))
      expect(errors.every((e) => isDatabaseBusy(e))).toBe(true)
      expect(errors.filter((e) => e instanceof DatabaseBusyError)).toHaveLength(1)
      expect(performance.now() - started).toBeLessThan(2_000)
    } finally {
      await holder.query('rollback')
      await small.close()
    }
  })
})
