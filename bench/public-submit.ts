/**
 * Load test of "Report a concern": the submission endpoint (POST /report/check) at a fixed rate,
 * every journey sent twice (a double click or a retry racing the first), then a check in the
 * database that no report was lost and none duplicated.
 *
 *   node --import tsx bench/public-submit.ts [--rate 200] [--seconds 30] [--connections 64]
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
import { sql } from 'kysely'

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

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? Number(process.argv[i + 1]) : fallback
}

/** In the child process: fire every journey twice, in order, at the given overall rate. */
async function drive({ url, journeys, rate, connections }: DriveOptions): Promise<DriveResult> {
  const statuses: Record<string, number> = {}
  let next = 0
  const total = journeys.length * 2
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
          // Requests 2k and 2k+1 carry the same journey: two submissions racing each other.
          const j = journeys[Math.floor(next++ / 2) % journeys.length]
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
  const { startTestApp } = await import('../test/support/app.ts')
  const { createPublicModule } = await import('../src/modules/public/module.ts')
  const rate = arg('rate', 200)
  const seconds = arg('seconds', 30)
  const connections = arg('connections', 64)
  const count = rate * seconds

  console.log(`Starting Lantern (${process.env.TEST_DATABASE_URL ? 'PostgreSQL server' : 'embedded PGlite'}) with the foundation's and the public module's demo data…`)
  // Only this capability: the other modules' pages play no part in a submission.
  const app = await startTestApp({ modules: [createPublicModule({ rateLimits: { journeyPosts: 1e9, submissions: 1e9, windowMinutes: 10 } })] })
  const db = app.database.db
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

    const run = (journeys: Journey[], r: number) =>
      new Promise<DriveResult>((resolve, reject) => {
        const child = fork(fileURLToPath(import.meta.url), ['--drive'], { execArgv: ['--import', 'tsx'] })
        child.once('message', (m) => resolve(m as DriveResult))
        child.once('error', reject)
        child.send({ url: app.baseUrl, journeys, rate: r, connections } satisfies DriveOptions)
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
    console.log(`Sending ${count} reports at ${rate}/s, each twice (${rate * 2} POST/s), over ${connections} connections…`)
    const result = await run(journeys, rate * 2)
    // autocannon's own clock: from its first request to its last response.
    const wall = result.durationSeconds
    const check = await verify('main', count)

    const figures = {
      database: app.database.kind,
      machine: `${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}), Node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`,
      target: { uniqueReportsPerSecond: rate, postsPerSecond: rate * 2, seconds },
      achieved: {
        postsPerSecond: Number((result.sent / wall).toFixed(1)),
        uniqueReportsPerSecond: Number((count / wall).toFixed(1)),
        wallSeconds: Number(wall.toFixed(1)),
      },
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
