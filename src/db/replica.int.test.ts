import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import pg from 'pg'
import { sql } from 'kysely'
import { startTestApp, type TestApp } from '../../test/support/app.ts'
import { testDatabaseKinds } from '../../test/support/databases.ts'
import { replicationRefused, serverTools, startReplica, type ReplicaCluster } from '../../test/support/replica-cluster.ts'
import { signInCookie } from '../../bench/support/server.ts'
import { runAsRequest, setRequestViewer } from './scope.ts'

/**
 * The read-only analytics pages on a PostgreSQL streaming replica (REPLICA_DATABASE_URL): a second
 * cluster copied from the test server with pg_basebackup, on its own port, for this file only.
 */
const serverUrl = process.env.TEST_DATABASE_URL
const bindir = serverUrl ? await serverTools(serverUrl) : undefined
if (serverUrl && !bindir) {
  console.warn('replica tests skipped: PostgreSQL server tools (pg_basebackup, postgres) are not installed for the test server’s version; install postgresql-15 or set PG_BINDIR')
}

const METRICS_TOKEN = 'metrics-token-for-the-replica-test-0123456789'
// Generous, so that a loaded machine's replica is within it except while replay is paused.
const MAX_LAG_SECONDS = 5

describe.runIf(serverUrl && bindir)('the analytics pages on a streaming replica', () => {
  let replica: ReplicaCluster | undefined
  let app: TestApp | undefined
  let primary: pg.Client
  let analyst: string

  beforeAll(async () => {
    const refused = await replicationRefused(serverUrl!)
    if (refused) throw new Error(`the test server refuses a replication connection (${refused}): add "host replication postgres 127.0.0.1/32 trust" to its pg_hba.conf and reload, as .ci/run does (docs/deploy.md, "Testing a replica")`)
    const database = await testDatabaseKinds()
      .find((k) => k.name === 'postgres')!
      .create({ demo: true })
    try {
      // Made after the database, so the copy holds it.
      replica = await startReplica(serverUrl!, bindir!)
      app = await startTestApp({
        database,
        env: { DATABASE_URL: database.url!, REPLICA_DATABASE_URL: replica.urlFor(database.url!), REPLICA_MAX_LAG_SECONDS: String(MAX_LAG_SECONDS), METRICS_TOKEN },
      })
    } catch (err) {
      await database.dispose()
      throw err
    }
    primary = new pg.Client({ connectionString: database.url })
    await primary.connect()
    analyst = await signInCookie(app.baseUrl, 'analyst@lantern.test')
  }, 120_000)

  afterAll(async () => {
    await primary?.end()
    await app?.close()
    await replica?.dispose()
  })

  async function reads(): Promise<{ replica: number; primary: number }> {
    const text = await (await fetch(`${app!.baseUrl}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text()
    const count = (source: string) => Number(text.match(new RegExp(`^lantern_analytics_reads_total\\{source="${source}"\\} (\\d+)`, 'm'))?.[1] ?? 0)
    return { replica: count('replica'), primary: count('primary') }
  }

  async function dashboard(): Promise<string> {
    const res = await fetch(`${app!.baseUrl}/indicators`, { headers: { cookie: analyst } })
    expect(res.status).toBe(200)
    return res.text()
  }

  async function renameAnIndicator(name: string): Promise<void> {
    await primary.query(`update indicators set name = $1 where id = (select id from indicators where active order by slug limit 1)`, [name])
  }

  it('answers the indicators dashboard, the cross-border lines and the counts by area from the replica, auditing on the primary', async () => {
    await replica!.caughtUp()
    const before = await reads()
    expect(await dashboard()).toContain('Indicators')
    const crossBorder = await fetch(`${app!.baseUrl}/network/cross-border`, { headers: { cookie: analyst } })
    expect(crossBorder.status).toBe(200)
    const counts = await fetch(`${app!.baseUrl}/dashboards/risk`, { headers: { cookie: await signInCookie(app!.baseUrl, 'partnership@lantern.test') } })
    expect(counts.status).toBe(200)
    expect(await reads()).toEqual({ replica: before.replica + 3, primary: before.primary })
    // Viewing the cross-border report is audited: written to the primary, the replica being read-only.
    const audited = await primary.query(`select count(*)::int as n from audit_events where details->>'report' = 'cross-border'`)
    expect(audited.rows[0].n).toBe(1)
  })

  it('reads the replica as the same application role, under the same row-level security, as the primary', async () => {
    const viewer = app!.deps
    const user = await viewer.db.selectFrom('users').select(['id', 'agency_id']).where('email', '=', 'practitioner@lantern.test').executeTakeFirstOrThrow()
    const agency = await viewer.db.selectFrom('agencies').select('kind').where('id', '=', user.agency_id).executeTakeFirstOrThrow()
    const asPractitioner = (db: typeof viewer.db) =>
      runAsRequest(async () => {
        setRequestViewer({ id: user.id, agencyId: user.agency_id, agencyKind: agency.kind, permissions: ['register:view'] }, { breakGlass: false })
        return (await sql<{ role: string; people: number }>`select current_user as role, (select count(*)::int from people) as people`.execute(db)).rows[0]
      })
    const onPrimary = await asPractitioner(viewer.db)
    const onReplica = await asPractitioner(viewer.replica!.db)
    const everyone = (await primary.query(`select count(*)::int as n from people`)).rows[0].n
    expect(onReplica).toEqual(onPrimary)
    expect(onReplica.role).toBe('lantern_app')
    expect(onReplica.people).toBeLessThan(everyone)
  })

  it('falls back to the primary while the replica’s replay is paused beyond the bound, and goes back once it catches up', async () => {
    await replica!.query('select pg_wal_replay_pause()')
    try {
      await renameAnIndicator('Renamed while the replica waits')
      // Past the bound: the replica has not replayed the rename and knows it is behind.
      await new Promise((resolve) => setTimeout(resolve, MAX_LAG_SECONDS * 1000 + 500))
      const before = await reads()
      expect(await dashboard()).toContain('Renamed while the replica waits')
      expect(await reads()).toEqual({ replica: before.replica, primary: before.primary + 1 })
    } finally {
      await replica!.query('select pg_wal_replay_resume()')
    }
    // Caught up, it answers again: within a few tries, as the test server's other databases keep
    // writing and a loaded machine's replica can fall behind the bound for a moment.
    let answeredBy = ''
    for (let i = 0; i < 5 && answeredBy !== 'replica'; i++) {
      await replica!.caughtUp()
      const before = await reads()
      expect(await dashboard()).toContain('Renamed while the replica waits')
      answeredBy = (await reads()).replica > before.replica ? 'replica' : 'primary'
    }
    expect(answeredBy).toBe('replica')
  })

  it('still answers from the primary when the replica is away', async () => {
    await renameAnIndicator('Renamed with the replica stopped')
    await replica!.stop()
    const before = await reads()
    const started = Date.now()
    expect(await dashboard()).toContain('Renamed with the replica stopped')
    expect(Date.now() - started).toBeLessThan(5_000)
    expect(await reads()).toEqual({ replica: before.replica, primary: before.primary + 1 })
  })
})
