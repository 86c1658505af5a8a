import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import pg from 'pg'
import type { ChildProcess } from 'node:child_process'
import { freePort, LANTERN_SERVER, startNode, stopProcess } from '../bench/support/server.ts'
import { testDatabaseKinds, type TestDatabase } from '../test/support/databases.ts'
import { haproxyBinary, startHaproxy, type LoadBalancer } from '../test/support/haproxy.ts'
import { TestClient } from '../test/support/http.ts'
import { TEST_TODAY } from '../test/support/templates.ts'

/**
 * Two Lantern servers on one PostgreSQL database behind HAProxy, as docs/deploy.md runs a region:
 * what one instance knows, the other must know too.
 */
const serverUrl = process.env.TEST_DATABASE_URL
const haproxy = haproxyBinary()
if (serverUrl && !haproxy) console.warn('two-instance tests skipped: HAProxy is not installed (apt-get install haproxy, or set HAPROXY_PATH)')

const LOCKOUT_THRESHOLD = 3

describe.runIf(serverUrl && haproxy)('two Lantern instances behind HAProxy on one PostgreSQL database', () => {
  let database: TestDatabase
  let balancer: LoadBalancer | undefined
  let db: pg.Client
  const servers: ChildProcess[] = []

  beforeAll(async () => {
    database = await testDatabaseKinds()
      .find((k) => k.name === 'postgres')!
      .create({ demo: true })
    db = new pg.Client({ connectionString: database.url })
    await db.connect()
    const ports = { a: await freePort(), b: await freePort() }
    const start = (port: number) =>
      startNode(
        LANTERN_SERVER,
        {
          DATABASE_URL: database.url!,
          PORT: String(port),
          HOST: '127.0.0.1',
          LANTERN_MODE: 'demo',
          LANTERN_TODAY: TEST_TODAY.toISOString().slice(0, 10),
          LOG_LEVEL: 'info',
          // Both read the demo's session secret from the database, as instances of one region share one.
          SESSION_SECRET: '',
          TRUST_PROXY: 'loopback',
          LOCKOUT_THRESHOLD: String(LOCKOUT_THRESHOLD),
        },
        (s) => s.includes('Lantern is running'),
      ).then((child) => servers.push(child))
    await Promise.all([start(ports.a), start(ports.b)])
    balancer = await startHaproxy(haproxy!, ports)
  }, 180_000)

  afterAll(async () => {
    await balancer?.stop()
    await Promise.all(servers.map(stopProcess))
    await db?.end()
    await database?.dispose()
  })

  /** A browser behind the balancer; `via` chooses the instance its next requests go to. */
  function browser() {
    const route: Record<string, string> = {}
    const client = new TestClient(balancer!.base, route)
    return {
      client,
      via(instance: 'a' | 'b') {
        Object.assign(route, balancer!.to(instance))
        return client
      },
    }
  }

  it('keeps a session signed in through one instance on the other, and round robin serves it from both', async () => {
    const sam = browser()
    const signedIn = await sam.via('a').signIn('practitioner@lantern.test')
    expect(signedIn.status).toBe(302)
    expect(balancer!.instanceOf(signedIn)).toBe('a')
    const onB = await sam.via('b').get('/dashboard')
    expect(balancer!.instanceOf(onB)).toBe('b')
    expect(onB.status).toBe(200)
    expect(await onB.text()).toContain('Sam Okafor')

    // Without a choice, HAProxy takes turns, and either instance knows the session.
    const plain = new TestClient(balancer!.base)
    expect((await plain.signIn('practitioner@lantern.test')).status).toBe(302)
    const served = new Set<string>()
    for (let i = 0; i < 4; i++) {
      const res = await plain.get('/dashboard')
      expect(res.status).toBe(200)
      served.add(balancer!.instanceOf(res)!)
    }
    expect([...served].sort()).toEqual(['a', 'b'])
  })

  it('throttles sign-in by the failures counted on both instances together', async () => {
    // Wrong passwords for one account, taking turns between the instances. Counted by each
    // instance alone, none would refuse before the seventh try (after its own three failures);
    // counted together, a delay starts after the third try and doubles with each failure after
    // it, so a refusal comes within the first six whatever the machine's speed.
    const guesser = browser()
    const statuses: number[] = []
    for (let i = 0; i < 2 * LOCKOUT_THRESHOLD; i++) {
      const res = await guesser.via(i % 2 ? 'b' : 'a').post('/sign-in', { email: 'manager@lantern.test', password: `not the password ${i}` })
      statuses.push(res.status)
      if (res.status === 429) {
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0)
        break
      }
    }
    const first = statuses.indexOf(429)
    expect(first).toBeGreaterThanOrEqual(LOCKOUT_THRESHOLD)
    expect(first).toBeLessThan(2 * LOCKOUT_THRESHOLD)
    expect(statuses.slice(0, first).every((s) => s === 401)).toBe(true)
  })

  it('takes a change of role made on one instance at the next request on the other, whose copy of the user is stale', async () => {
    const sam = browser()
    await sam.via('b').signIn('practitioner@lantern.test')
    // Instance b now holds Sam, a practitioner, in its copy of the signed-in user.
    expect((await sam.via('b').get('/register')).status).toBe(200)

    const admin = browser()
    await admin.via('a').signIn('admin@lantern.test')
    const user = (await db.query(`select u.id, u.name, u.agency_id, u.team_id from users u where u.email = 'practitioner@lantern.test'`)).rows[0]
    const changed = await admin.via('a').post(`/admin/users/${user.id}`, { name: user.name, agencyId: user.agency_id, teamId: user.team_id ?? '', role: 'partnership_officer' })
    expect(changed.status).toBe(302)

    // A partnership officer sees counts, never the register of names.
    expect((await sam.via('b').get('/register')).status).toBe(403)
  })

  it('runs each background job once, though both instances run the job runner', async () => {
    // Queued while both poll: each must be taken by exactly one of them.
    await db.query(`insert into jobs (name, payload, run_after, max_attempts) select 'notifications.scan', '{}', now(), 1 from generate_series(1, 6)`)
    const deadline = Date.now() + 30_000
    let rows: { status: string; attempts: number; locked_by: string | null; singleton_key: string | null }[] = []
    for (;;) {
      rows = (await db.query(`select status, attempts, locked_by, singleton_key from jobs where name = 'notifications.scan'`)).rows
      if (rows.every((r) => r.status !== 'queued' && r.status !== 'running') || Date.now() > deadline) break
      await new Promise((r) => setTimeout(r, 250))
    }
    expect(rows.length).toBeGreaterThanOrEqual(6)
    expect(rows.filter((r) => r.status !== 'done')).toEqual([])
    expect(rows.filter((r) => r.attempts !== 1)).toEqual([])
    // The scheduled runs: both runners queue the period's run, one row each, run once.
    const scheduled = (await db.query(`select singleton_key, count(*)::int as n from jobs where singleton_key is not null group by singleton_key having count(*) > 1`)).rows
    expect(scheduled).toEqual([])
  })
})
