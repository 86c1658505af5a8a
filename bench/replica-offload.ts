/**
 * What a streaming replica takes off the primary: the read-only analytics pages (the indicators
 * dashboard, the cross-border lines, the counts by area) driven with autocannon at two Lantern
 * servers on one demo database in the same run, one reading only the primary (the peer) and one
 * with REPLICA_DATABASE_URL on a pg_basebackup replica of the server (test/support/replica-cluster.ts).
 *
 *   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test node --import tsx bench/replica-offload.ts [--duration 15] [--connections 4]
 *
 * For each page and server: pages a second, p95, and per page the primary's rows read
 * (pg_stat_database's tup_returned + tup_fetched for the database) and the CPU time of its
 * backends, and the replica's CPU time. Sessions, the signed-in user and the audit trail stay on
 * the primary, so the primary's share never falls to nothing. The server needs a replication line
 * in pg_hba.conf (.ci/run adds it; docs/deploy.md, "Testing a replica").
 */
import autocannon from 'autocannon'
import pg from 'pg'
import { execFileSync, type ChildProcess } from 'node:child_process'
import { openDatabase } from '../src/db/index.ts'
import { migrateToLatest } from '../src/db/migrate.ts'
import { seedDemo } from '../src/demo/seed.ts'
import { modules } from '../src/modules/index.ts'
import { indicatorsService } from '../src/modules/indicators/service.ts'
import { moduleDeps } from '../src/composition.ts'
import { loadConfig } from '../src/config.ts'
import { clockFor } from '../src/kernel/clock.ts'
import { replicationRefused, serverTools, startReplica, type ReplicaCluster } from '../test/support/replica-cluster.ts'
import { benchArgs } from './support/args.ts'
import { benchDatabase } from './support/database.ts'
import { machineLine, processCpuMs } from './support/machine.ts'
import { freePort, signInCookie, startNode, stopProcess } from './support/server.ts'
import { ms, summary } from './support/stats.ts'

const { number } = benchArgs()
const DURATION = number('duration', 15)
const CONNECTIONS = number('connections', 4)
const TODAY = '2026-11-23'
const PAGES = [
  { path: '/indicators', as: 'analyst@lantern.test' },
  { path: '/network/cross-border', as: 'analyst@lantern.test' },
  { path: '/dashboards/risk', as: 'partnership@lantern.test' },
]

const serverUrl = process.env.TEST_DATABASE_URL
if (!serverUrl) throw new Error('set TEST_DATABASE_URL to a PostgreSQL server: the replica is a copy of it')
const bindir = await serverTools(serverUrl)
if (!bindir) throw new Error('PostgreSQL server tools (pg_basebackup, postgres) are not installed for this server’s version; set PG_BINDIR')
const refused = await replicationRefused(serverUrl)
if (refused) throw new Error(`the server refuses a replication connection: ${refused}`)

const uptime = () => execFileSync('uptime').toString().trim()
console.log(machineLine())
console.log(`uptime at start: ${uptime()}`)

async function statsOf(url: string): Promise<{ rows: number; cpuMs: number }> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const { rows } = await client.query<{ rows: string; pids: number[] }>(
      `select (select tup_returned + tup_fetched from pg_stat_database where datname = current_database())::text as rows,
              (select coalesce(array_agg(pid), '{}') from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()) as pids`,
    )
    return { rows: Number(rows[0].rows), cpuMs: rows[0].pids.reduce((t, p) => t + processCpuMs(p), 0) }
  } finally {
    await client.end()
  }
}

const bench = await benchDatabase(serverUrl, 'replica')
let replica: ReplicaCluster | undefined
const servers: ChildProcess[] = []
try {
  const handle = await openDatabase({ url: bench.url })
  await migrateToLatest(handle.db)
  await seedDemo(handle.db, modules, { today: new Date(`${TODAY}T10:00:00Z`) })
  // The servers run no jobs (one would write while the other reads): the Lantern counts the
  // indicators dashboard reads are kept here, as a running server's job would keep them.
  await indicatorsService(moduleDeps({ db: handle.db, config: loadConfig({ LOG_LEVEL: 'silent' }), clock: clockFor(TODAY) })).refreshDerivedSeries()
  await handle.close()
  replica = await startReplica(serverUrl, bindir)
  await replica.caughtUp()
  const replicaUrl = replica.urlFor(bench.url)

  async function start(withReplica: boolean) {
    const port = await freePort()
    const env: Record<string, string> = { DATABASE_URL: bench.url, PORT: String(port), HOST: '127.0.0.1', LANTERN_MODE: 'demo', LANTERN_TODAY: TODAY, LOG_LEVEL: 'info', LANTERN_JOBS: 'off' }
    if (withReplica) env.REPLICA_DATABASE_URL = replicaUrl
    servers.push(await startNode(['--import', 'tsx', 'src/server.ts'], env, (s) => s.includes('Lantern is running')))
    return `http://127.0.0.1:${port}`
  }
  const targets = [
    { name: 'primary only', base: await start(false) },
    { name: 'with the replica', base: await start(true) },
  ]

  const rows: string[] = []
  for (const page of PAGES) {
    for (const target of targets) {
      const cookie = await signInCookie(target.base, page.as)
      // A warm-up, so both servers have built their caches and pools before the measurement.
      for (let i = 0; i < 3; i++) await fetch(target.base + page.path, { headers: { cookie } })
      const [p0, r0] = await Promise.all([statsOf(bench.url), statsOf(replicaUrl)])
      const times: number[] = []
      const result = await new Promise<autocannon.Result>((resolve, reject) => {
        const instance = autocannon({ url: target.base + page.path, connections: CONNECTIONS, duration: DURATION, headers: { cookie } }, (err, res) => (err ? reject(err) : resolve(res)))
        instance.on('response', (_c: unknown, _s: number, _b: number, t: number) => times.push(t))
      })
      const [p1, r1] = await Promise.all([statsOf(bench.url), statsOf(replicaUrl)])
      const pages = result.requests.total
      if (result.non2xx) throw new Error(`${page.path} on ${target.name}: ${result.non2xx} answers were not 2xx`)
      if (!pages || !times.length) throw new Error(`${page.path} on ${target.name}: no page answered within ${DURATION} s (errors ${result.errors}, timeouts ${result.timeouts}); try a longer --duration`)
      rows.push(
        `| \`${page.path}\` | ${target.name} | ${(pages / DURATION).toFixed(1)} | ${ms(summary(times).p95)} | ${Math.round((p1.rows - p0.rows) / pages)} | ${ms((p1.cpuMs - p0.cpuMs) / pages)} | ${ms((r1.cpuMs - r0.cpuMs) / pages)} |`,
      )
      console.log(rows[rows.length - 1])
    }
  }
  console.log(`\n${CONNECTIONS} connections, no think time, ${DURATION} s a page and server, the demo partnership on PostgreSQL 15.`)
  console.log('| page | server | pages/s | p95 ms | primary rows read a page | primary CPU ms a page | replica CPU ms a page |')
  console.log('|---|---|---:|---:|---:|---:|---:|')
  for (const row of rows) console.log(row)
  console.log(`uptime at end: ${uptime()}`)
} finally {
  await Promise.all(servers.map(stopProcess))
  await replica?.dispose()
  await bench.drop()
}
