/**
 * Load test of "Report a concern": the submission endpoint (POST /report/check) at a fixed rate,
 * every journey sent twice (a double click or a retry racing the first), then a check in the
 * database that no report was lost and none duplicated.
 *
 *   node --import tsx bench/public-submit.ts [--rate 200] [--seconds 30] [--copies 2] [--connections N]
 *
 * --rate is new reports per second; --copies how many times each is sent (2: every submission has
 * a twin racing it, as with a double click).
 *
 * With TEST_DATABASE_URL set (postgres://…) Lantern runs on that PostgreSQL server, otherwise on
 * the embedded PGlite. The journeys (answers in a session, each with its own journey token and
 * CSRF token) are prepared in the sessions table beforehand, exactly as the question pages leave
 * them, so the load falls on the submission alone. autocannon runs in a child process so it does
 * not share the server's event loop. All traffic comes from one address, so the bench raises the
 * per-address rate limits (in production they stay at 5 reports per 10 minutes per address).
 */
import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { createHmac, randomBytes, randomUUID } from 'node:crypto'
import { createRequire } from 'node:module'
import os from 'node:os'
import { readFileSync } from 'node:fs'
import { sql } from 'kysely'
import { benchDatabase } from './support/database.ts'
import { benchArgs } from './support/args.ts'

/** The part of autocannon's programmatic API used here (it ships no types). */
interface AutocannonRequest {
  method?: string
  path?: string
  headers?: Record<string, string>
  body?: string
  setupRequest?: (req: AutocannonRequest) => AutocannonRequest
  onResponse?: (status: number) => void
}
interface AutocannonResult {
  requests: { total: number; average: number }
  latency: { p50: number; p90: number; p99: number; max: number; mean: number }
  duration: number
  errors: number
  timeouts: number
}
const autocannon = createRequire(import.meta.url)('autocannon') as (options: {
  url: string
  connections: number
  overallRate: number
  amount: number
  timeout: number
  requests: AutocannonRequest[]
}) => Promise<AutocannonResult>

/** express-session's signed cookie value, as cookie-signature makes it. */
const signCookie = (value: string, secret: string) => `${value}.${createHmac('sha256', secret).update(value).digest('base64').replace(/=+$/, '')}`

interface Journey {
  cookie: string
  csrf: string
}

interface DriveOptions {
  url: string
  journeys: Journey[]
  rate: number
  connections: number
  copies: number
}

interface DriveResult {
  statuses: Record<string, number>
  sent: number
  latency: { p50: number; p90: number; p99: number; max: number; mean: number }
  requestsPerSecond: number
  durationSeconds: number
  errors: number
  timeouts: number
}

const SECRET = 'test-session-secret-that-is-long-enough-123'

const { number: arg } = benchArgs()

/** In the child process: fire every journey twice, in order, at the given overall rate. */
async function drive({ url, journeys, rate, connections, copies }: DriveOptions): Promise<DriveResult> {
  const statuses: Record<string, number> = {}
  let next = 0
  const total = journeys.length * copies
  const result = await autocannon({
    url,
    connections,
    overallRate: rate,
    amount: total,
    timeout: 30,
    requests: [
      {
        method: 'POST',
        path: '/report/check',
        setupRequest: (req) => {
          // Consecutive requests carry the same journey: its copies race each other.
          const j = journeys[Math.floor(next++ / copies) % journeys.length]
          return {
            ...req,
            headers: { cookie: `lantern.sid=${j.cookie}`, 'content-type': 'application/x-www-form-urlencoded' },
            body: `_csrf=${j.csrf}&homepage=`,
          }
        },
        onResponse: (status) => {
          statuses[status] = (statuses[status] ?? 0) + 1
        },
      },
    ],
  })
  return {
    statuses,
    sent: result.requests.total,
    latency: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max, mean: result.latency.mean },
    requestsPerSecond: result.requests.average,
    durationSeconds: result.duration,
    errors: result.errors,
    timeouts: result.timeouts,
  }
}

const POOL = 10

/** The PostgreSQL backends serving this database (the pool's connections). */
async function backendPids(db: import('../src/db/index.ts').Db): Promise<number[]> {
  const { rows } = await sql<{ pid: number }>`select pid from pg_stat_activity where datname = current_database() and backend_type = 'client backend'`.execute(db)
  return rows.map((r) => r.pid)
}

/** Their CPU time so far, in ms, from /proc (utime + stime); 0 where /proc is not readable. */
function backendCpuMs(pids: number[]): number {
  let ticks = 0
  for (const pid of pids) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
      ticks += Number(fields[11]) + Number(fields[12])
    } catch {
      // The server runs elsewhere, or the backend has gone.
    }
  }
  return (ticks * 1000) / 100
}

/**
 * Lantern as `npm start` builds it (the production pool size of 10 on a server; PGlite in memory
 * otherwise), on a throwaway database with the foundation's and the given modules' demo data.
 */
async function startBenchApp(list: import('../src/modules/types.ts').LanternModule[]) {
  const { openDatabase } = await import('../src/db/index.ts')
  const { migrateToLatest } = await import('../src/db/migrate.ts')
  const { seedDemo } = await import('../src/demo/seed.ts')
  const { loadConfig } = await import('../src/config.ts')
  const { createApp } = await import('../src/app.ts')
  const { createLogger } = await import('../src/web/logger.ts')
  const { secretKeysFrom } = await import('../src/auth/secret-box.ts')
  const server = process.env.TEST_DATABASE_URL
  const bench = server ? await benchDatabase(server, 'public') : undefined
  const handle = await openDatabase(bench ? { url: bench.url, poolSize: POOL } : {})
  await migrateToLatest(handle.db)
  await seedDemo(handle.db, list, { today: new Date() })
  const config = loadConfig({ NODE_ENV: 'test', LANTERN_MODE: 'demo', LOG_LEVEL: 'silent' })
  const built = createApp({ config, db: handle.db, databaseKind: handle.kind, logger: createLogger('silent'), sessionSecret: SECRET, secretKeys: secretKeysFrom(SECRET), modules: list })
  const listener = built.app.listen(0, '127.0.0.1')
  await new Promise((resolve) => listener.once('listening', resolve))
  return {
    db: handle.db,
    kind: handle.kind,
    baseUrl: `http://127.0.0.1:${(listener.address() as import('node:net').AddressInfo).port}`,
    async close() {
      listener.closeAllConnections()
      await new Promise((resolve) => listener.close(resolve))
      await handle.close()
      await bench?.drop()
    },
  }
}

if (process.argv.includes('--drive')) {
  // The load generator: a child process of its own, so it never shares the server's CPU time slice.
  process.once('message', (options) => {
    drive(options as DriveOptions).then((r) => {
      process.send!(r, () => process.exit(0))
    })
  })
} else {
  await main()
}

async function main() {
  const { createPublicModule } = await import('../src/modules/public/module.ts')
  const rate = arg('rate', 200)
  const seconds = arg('seconds', 30)
  const copies = arg('copies', 2)
  // autocannon gives each connection an equal share of the requests but a whole-number rate, so the
  // connections must divide the rate evenly or the slower ones stretch the run: 2 requests per
  // second per connection by default (a 500 ms budget per request).
  const connections = arg('connections', Math.max(1, Math.round((rate * copies) / 2)))
  if ((rate * copies) % connections !== 0) throw new Error(`--connections must divide the POST rate (${rate * copies}/s) evenly`)
  const count = rate * seconds

  console.log(`Starting Lantern (${process.env.TEST_DATABASE_URL ? 'PostgreSQL server' : 'embedded PGlite'}) with the foundation's and the public module's demo data…`)
  // Only this capability: the other modules' pages play no part in a submission.
  const app = await startBenchApp([createPublicModule({ rateLimits: { journeyPosts: 1e9, submissions: 1e9, windowMinutes: 10 } })])
  const db = app.db
  try {
    const area = (await db.selectFrom('areas').select('id').where('code', '=', 'E07000090').executeTakeFirstOrThrow()).id
    const runId = randomBytes(4).toString('hex')

    const makeJourneys = async (n: number, label: string): Promise<Journey[]> => {
      const journeys: Journey[] = []
      const rows: { sid: string; data: string; expires_at: Date }[] = []
      const expires = new Date(Date.now() + 3600_000)
      for (let i = 0; i < n; i++) {
        const sid = randomUUID()
        const csrf = randomBytes(128).toString('hex')
        const data = {
          cookie: { originalMaxAge: 1_800_000, expires: expires.toISOString(), secure: false, httpOnly: true, path: '/', sameSite: 'lax' },
          csrfToken: csrf,
          publicReport: {
            token: randomBytes(24).toString('base64url'),
            answers: {
              what: `bench-${runId}-${label}-${i}: many visitors to the flat opposite, a few minutes each, all night`,
              where: 'Linden Court, Leigh Park',
              area,
              when: 'ongoing',
              child: 'not_sure',
              contact: 'anonymous',
            },
            answered: ['what-you-saw', 'where', 'when', 'who', 'child', 'anything-else', 'contact'],
          },
        }
        rows.push({ sid, data: JSON.stringify(data), expires_at: expires })
        journeys.push({ cookie: encodeURIComponent(`s:${signCookie(sid, SECRET)}`), csrf })
      }
      for (let i = 0; i < rows.length; i += 1000) await db.insertInto('sessions').values(rows.slice(i, i + 1000)).execute()
      return journeys
    }

    const run = (journeys: Journey[], r: number, c = copies) =>
      new Promise<DriveResult>((resolve, reject) => {
        const child = fork(fileURLToPath(import.meta.url), ['--drive'], { execArgv: ['--import', 'tsx'] })
        child.once('message', (m) => resolve(m as DriveResult))
        child.once('error', reject)
        child.send({ url: app.baseUrl, journeys, rate: r, connections, copies: c } satisfies DriveOptions)
      })

    const verify = async (label: string, n: number) => {
      const rows = await sql<{ reports: number; journeys: number; tokens: number; texts: number }>`
        select count(*)::int as reports,
               count(distinct what_happened)::int as journeys,
               count(distinct journey_token)::int as tokens,
               count(*) filter (where anonymous and channel = 'online')::int as texts
        from public_reports where what_happened like ${`bench-${runId}-${label}-%`}`.execute(db)
      const v = rows.rows[0]
      return { expected: n, reports: v.reports, lost: n - v.journeys, duplicated: v.reports - v.journeys, distinctTokens: v.tokens }
    }

    // Warm up (JIT, caches, pool), not measured.
    const warm = await makeJourneys(200, 'warm')
    await run(warm, 100)

    console.log(`Preparing ${count} journeys…`)
    const journeys = await makeJourneys(count, 'main')
    console.log(`Sending ${count} reports at ${rate}/s, each ${copies} time(s) (${rate * copies} POST/s), over ${connections} connections…`)
    const backends = app.kind === 'postgres' ? await backendPids(db) : []
    const pgBefore = backendCpuMs(backends)
    const cpuBefore = process.cpuUsage()
    const result = await run(journeys, rate * copies)
    const cpu = process.cpuUsage(cpuBefore)
    const pgCpuMs = backendCpuMs(backends) - pgBefore
    // autocannon's own clock: from its first request to its last response.
    const wall = result.durationSeconds
    const check = await verify('main', count)

    const figures = {
      database: app.kind === 'postgres' ? `PostgreSQL server, pool of ${POOL} connections (the production default)` : 'embedded PGlite',
      machine: `${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}), Node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`,
      target: { uniqueReportsPerSecond: rate, copies, postsPerSecond: rate * copies, seconds },
      achieved: {
        postsPerSecond: Number((result.sent / wall).toFixed(1)),
        uniqueReportsPerSecond: Number((count / wall).toFixed(1)),
        // The rate is held when autocannon's run lasts no longer than planned (10% slack).
        rateHeld: wall <= seconds * 1.1,
        wallSeconds: Number(wall.toFixed(1)),
      },
      // CPU time of the Lantern process (with PGlite, the database runs inside it too) per POST.
      serverCpuMsPerPost: Number(((cpu.user + cpu.system) / 1000 / result.sent).toFixed(2)),
      // CPU time of this database's PostgreSQL backends (the pool's connections) per POST.
      ...(app.kind === 'postgres' ? { postgresCpuMsPerPost: Number((pgCpuMs / result.sent).toFixed(2)), postgresBackends: backends.length } : {}),
      responses: result.statuses,
      latencyMs: result.latency,
      errors: result.errors,
      timeouts: result.timeouts,
      check,
    }
    console.log(JSON.stringify(figures, null, 2))
    const ok = check.lost === 0 && check.duplicated === 0 && check.reports === count && Object.keys(result.statuses).every((s) => s === '303')
    console.log(ok ? 'PASS: every report saved exactly once, every submission answered 303' : 'FAIL: see the figures above')
    process.exitCode = ok ? 0 : 1
  } finally {
    await app.close()
  }
}
