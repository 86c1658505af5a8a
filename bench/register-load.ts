/**
 * Load test of the register and the person page against the real server on PostgreSQL, with the
 * generated county, beside a bare Express + Nunjucks page measured the same way in the same run.
 *
 *   createdb lantern_bench_register     # a throwaway database
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/lantern_bench_register npx lantern seed --demo --scale county
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/lantern_bench_register node --import tsx bench/register-load.ts
 *
 * Options: --duration <s> (default 20 per page, closed loop), --connections <n> (default 20: the
 * number of users), --think-rate <r> (requests a second per user with think time, default 1),
 * --think-duration <s> (default 30), --only <text> (pages whose name contains it, with the bare
 * page), --seed-if-empty (load the demo and the county into an empty database first), --fresh
 * (create a throwaway database on the server DATABASE_URL names, load the demo and the county,
 * and drop it afterwards).
 *
 * It starts Lantern (`src/server.ts`) and the bare app each in their own process, signs in through
 * the real sign-in form, and drives each page with autocannon in two ways, recording every
 * response time to give the 95th percentile:
 * - worst case: 20 connections each sending its next request the moment the last one is answered
 *   (no think time), so the server is saturated and a request mostly waits for the others;
 * - 20 users with think time: each user is one autocannon connection limited to `--think-rate`
 *   requests a second, the users started at spread-out moments within the first second so they
 *   do not click in step (one autocannon with `connectionRate` starts every connection's clock
 *   together, which makes 20 simultaneous requests every second: the worst case again).
 * The indicators dashboard is measured once the job runner has kept the Lantern counts (it counts
 * them when the server starts), as a server that has been running reads them.
 * Target: p95 under 50 ms for the filtered register page and the person page. The figure we track
 * is the ratio of each to the bare page's p95 in the same mode. CPU time per request of the web
 * process and of its PostgreSQL backends is read from /proc, with the CPU steal of the machine
 * (time the hypervisor gave to other machines) over each measurement.
 */
import autocannon from 'autocannon'
import { sql } from 'kysely'
import { openDatabase } from '../src/db/index.ts'
import { benchArgs } from './support/args.ts'
import { benchDatabase, postgresCpu } from './support/database.ts'
import { loadAverage, machineLine, machineTicks, processCpuMs } from './support/machine.ts'
import { freePort, runNode, signInCookie, startLantern, startNode, stopProcess } from './support/server.ts'
import { percentile } from './support/stats.ts'

const { option, number, flag } = benchArgs()
const DURATION = number('duration', 20)
const CONNECTIONS = number('connections', 20)
const THINK_RATE = number('think-rate', 1)
const THINK_DURATION = number('think-duration', 30)
const ONLY = option('only', '')
const TARGET_MS = 50

let url = process.env.DATABASE_URL
if (!url?.startsWith('postgres')) {
  console.error('Set DATABASE_URL to a throwaway database on the PostgreSQL server, seeded with `lantern seed --demo --scale county`.')
  process.exit(1)
}
let dropAfterwards: (() => Promise<void>) | null = null
let seedIfEmpty = flag('seed-if-empty')
if (flag('fresh')) {
  const fresh = await benchDatabase(url, 'register')
  url = fresh.url
  seedIfEmpty = true
  dropAfterwards = fresh.drop
  console.log(`Created the throwaway database ${fresh.name}`)
}

// The database: seeded with the county, or seeded now when asked.
const handle = await openDatabase({ url, poolSize: 2 })
let scale = await sql<{ value: string }>`select value from settings where key = 'scale_seed'`.execute(handle.db).catch(() => ({ rows: [] as { value: string }[] }))
if (!scale.rows.length) {
  if (!seedIfEmpty) {
    console.error('This database holds no generated county. Run `lantern seed --demo --scale county` on it first, or pass --seed-if-empty.')
    process.exit(1)
  }
  const started = Date.now()
  await runNode(['--import', 'tsx', 'src/cli/index.ts', 'seed', '--demo', '--scale', 'county'], { DATABASE_URL: url, LOG_LEVEL: 'warn' })
  console.log(`Seeded in ${((Date.now() - started) / 1000).toFixed(0)} s`)
  scale = await sql<{ value: string }>`select value from settings where key = 'scale_seed'`.execute(handle.db)
}
const counts = await sql<{ people: number; assessments: number; episodes: number; audit: number }>`
  select (select count(*) from people) as people, (select count(*) from risk_assessments) as assessments,
         (select count(*) from missing_episodes) as episodes, (select count(*) from audit_events) as audit`.execute(handle.db)
const before = counts.rows[0]

// What to ask for: the practitioner's filtered register, and a person on their caseload with a
// full history (the most assessments and missing episodes).
const ids = await sql<{ practitioner: string; area: string; person: string }>`
  select u.id as practitioner,
         (select id from areas where code = 'E07000090') as area,
         (select p.id from people p
            where p.allocated_worker_id = u.id
            order by (select count(*) from risk_assessments r where r.person_id = p.id) + (select count(*) from missing_episodes m where m.person_id = p.id) desc, p.id
            limit 1) as person
    from users u where u.email = 'practitioner@lantern.test'`.execute(handle.db)
const { area, person } = ids.rows[0]
await handle.close()

const barePort = await freePort()
const lanternServer = await startLantern(url)
const lantern = lanternServer.child
const base = lanternServer.base
console.log(`Started Lantern at ${base} (PostgreSQL, LOG_LEVEL=info, drained) and the bare app on :${barePort}`)
const bare = await startNode(['--import', 'tsx', 'bench/register-bare-app.ts', String(barePort)], {}, (s) => s.includes('ready'))
const signIn = (email: string) => signInCookie(base, email)

interface Figures {
  name: string
  mode: 'closed' | 'think'
  url: string
  requests: number
  rps: number
  p50: number
  p95: number
  p99: number
  max: number
  errors: number
  bytes: number
  /** CPU per request: the web server's process, and the PostgreSQL backends of its pool. */
  appCpu: number
  dbCpu: number
  /** Share of the machine's CPU time stolen by the hypervisor during the measurement. */
  steal: number
  load: number
}

/** A deterministic spread of start moments, so two runs put the users at the same phases. */
function phases(count: number, periodMs: number): number[] {
  let x = 20261123
  return Array.from({ length: count }, () => {
    x = (x * 1103515245 + 12345) % 2 ** 31
    return (x / 2 ** 31) * periodMs
  })
}

/**
 * Measures one page in one mode: `closed` (every connection busy all the time) or `think` (each
 * user at most THINK_RATE requests a second, not in step with the others).
 */
async function measure(name: string, mode: 'closed' | 'think', target: string, cookie: string | undefined, pid: number | undefined, body: string): Promise<Figures> {
  const headers = cookie ? { cookie } : {}
  const times: number[] = []
  const lanternPage = pid === lantern.pid
  const db0 = lanternPage ? await postgresCpu(url!) : { pids: [], ms: 0 }
  const app0 = processCpuMs(pid)
  const ticks0 = machineTicks()
  const started = Date.now()
  const results: autocannon.Result[] = []
  const onResponse = (_client: unknown, _status: number, _bytes: number, responseTime: number) => times.push(responseTime)
  if (mode === 'closed') {
    results.push(
      await new Promise<autocannon.Result>((resolve, reject) => {
        const instance = autocannon({ url: target, connections: CONNECTIONS, duration: DURATION, headers }, (err, res) => (err ? reject(err) : resolve(res)))
        instance.on('response', onResponse)
      }),
    )
  } else {
    results.push(
      ...(await Promise.all(
        phases(CONNECTIONS, 1000 / THINK_RATE).map(
          (delay) =>
            new Promise<autocannon.Result>((resolve, reject) =>
              setTimeout(() => {
                const instance = autocannon({ url: target, connections: 1, connectionRate: THINK_RATE, duration: THINK_DURATION, headers }, (err, res) => (err ? reject(err) : resolve(res)))
                instance.on('response', onResponse)
              }, delay),
            ),
        ),
      )),
    )
  }
  const seconds = (Date.now() - started) / 1000
  const appCpu = processCpuMs(pid) - app0
  const dbCpu = lanternPage ? (await postgresCpu(url!, db0.pids)).ms - db0.ms : 0
  const ticks = machineTicks()
  times.sort((a, b) => a - b)
  return {
    name,
    mode,
    url: target.replace(base, '').replace(`http://127.0.0.1:${barePort}`, ''),
    requests: times.length,
    rps: times.length / seconds,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    p99: percentile(times, 99),
    max: times[times.length - 1],
    errors: results.reduce((t, r) => t + r.non2xx + r.errors + r.timeouts, 0),
    bytes: body.length,
    appCpu: appCpu / times.length,
    dbCpu: dbCpu / times.length,
    steal: ticks.total > ticks0.total ? (ticks.steal - ticks0.steal) / (ticks.total - ticks0.total) : 0,
    load: Number(loadAverage().split(' ')[0]),
  }
}

/** One page in both modes, after checking it answers 200 and a 3 s warm-up. */
async function load(name: string, target: string, cookie?: string, pid?: number): Promise<Figures[]> {
  // Check it answers 200 first: a benchmark of an error page is worthless.
  const probe = await fetch(target, { headers: cookie ? { cookie } : {}, redirect: 'manual' })
  const body = await probe.text()
  if (probe.status !== 200) throw new Error(`${name}: ${target} answered ${probe.status}`)
  // Warm up (template compilation, connection pool, PostgreSQL's caches), then measure.
  await autocannon({ url: target, connections: CONNECTIONS, duration: 3, headers: cookie ? { cookie } : {} })
  const closed = await measure(name, 'closed', target, cookie, pid, body)
  console.log(`  ${name}: worst case p95 ${closed.p95.toFixed(1)} ms, ${closed.rps.toFixed(0)}/s`)
  const think = await measure(name, 'think', target, cookie, pid, body)
  console.log(`  ${name}: with think time p95 ${think.p95.toFixed(1)} ms, ${think.rps.toFixed(1)}/s`)
  return [closed, think]
}

const figures: Figures[] = []
try {
  const practitioner = await signIn('practitioner@lantern.test')
  const manager = await signIn('manager@lantern.test')
  const analyst = await signIn('analyst@lantern.test')
  const admin = await signIn('admin@lantern.test')
  // The indicators dashboard reads the counts the job runner keeps (counted when the server starts):
  // wait for them, or the figures would be of the page counting as it is read.
  for (let waited = 0; !(await (await fetch(`${base}/indicators`, { headers: { cookie: analyst } })).text()).includes('counts as at'); waited++) {
    if (waited > 300) throw new Error('the job runner kept no Lantern counts within 5 minutes')
    await new Promise((resolve) => setTimeout(resolve, 1000))
  }
  const register = `${base}/register?rag=red&rag=amber&area=${area}&review=due_or_overdue&sort=review`
  const pages: [string, string, string | undefined, number | undefined][] = [
    ['Register, filtered (practitioner)', register, practitioner, lantern.pid],
    ['Register, filtered (manager)', `${base}/register?rag=red&area=${area}&missing=yes`, manager, lantern.pid],
    ['Register, unfiltered (practitioner)', `${base}/register`, practitioner, lantern.pid],
    ['Person page (practitioner)', `${base}/people/${person}`, practitioner, lantern.pid],
    ['Indicators dashboard (analyst)', `${base}/indicators`, analyst, lantern.pid],
    ['Team register (manager)', `${base}/register/team`, manager, lantern.pid],
    ['Network (analyst)', `${base}/network`, analyst, lantern.pid],
    ['Audit trail (administrator)', `${base}/admin/audit`, admin, lantern.pid],
    ['Home dashboard (practitioner)', `${base}/dashboard`, practitioner, lantern.pid],
  ]
  const bareUrl = `http://127.0.0.1:${barePort}/`
  figures.push(...(await load('Bare Express + Nunjucks page', bareUrl, undefined, bare.pid)))
  for (const [name, url, cookie, pid] of pages.filter(([name]) => name.includes(ONLY))) figures.push(...(await load(name, url, cookie, pid)))
  figures.push(...(await load('Bare Express + Nunjucks page, again', bareUrl, undefined, bare.pid)))
} finally {
  await Promise.all([lanternServer.stop(), stopProcess(bare)])
}

const after = await openDatabase({ url, poolSize: 1 })
const audited = Number((await sql<{ n: number }>`select count(*) as n from audit_events`.execute(after.db)).rows[0].n) - Number(before.audit)
await after.close()
await dropAfterwards?.()

const fmt = (n: number) => n.toFixed(n < 10 ? 1 : 0)
console.log(`\nData: ${Number(before.people).toLocaleString('en-GB')} people, ${Number(before.assessments).toLocaleString('en-GB')} assessments, ${Number(before.episodes).toLocaleString('en-GB')} missing episodes (${scale.rows[0].value})`)
console.log(`Machine at the end: ${machineLine()}`)
const modes = [
  ['closed', `Worst case: ${CONNECTIONS} connections, no think time, ${DURATION} s a page after a 3 s warm-up`],
  ['think', `${CONNECTIONS} users with think time: each at most ${THINK_RATE} request(s) a second, not in step, ${THINK_DURATION} s a page`],
] as const
for (const [mode, title] of modes) {
  const rows = figures.filter((f) => f.mode === mode)
  const bareP95 = Math.max(...rows.filter((f) => f.name.startsWith('Bare')).map((f) => f.p95))
  console.log(`\n${title}\n`)
  console.log('| Page | Requests | Requests/s | p50 ms | p95 ms | p99 ms | max ms | Non-2xx | p95 / bare p95 | Node CPU ms/request | PostgreSQL CPU ms/request | CPU steal | Load (1 min) |')
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |')
  for (const f of rows) {
    const bareFigure = f.name.startsWith('Bare')
    console.log(
      `| ${f.name} | ${f.requests.toLocaleString('en-GB')} | ${fmt(f.rps)} | ${fmt(f.p50)} | ${fmt(f.p95)} | ${fmt(f.p99)} | ${fmt(f.max)} | ${f.errors} | ${bareFigure ? '' : `${(f.p95 / bareP95).toFixed(1)}×`} | ${f.appCpu.toFixed(2)} | ${bareFigure ? '' : f.dbCpu.toFixed(2)} | ${(100 * f.steal).toFixed(0)}% | ${f.load.toFixed(1)} |`,
    )
  }
}
console.log(`\n${audited.toLocaleString('en-GB')} audit events written during the run (every register search and person view is audited).`)
for (const [mode, title] of modes) {
  const failed = figures.filter((f) => f.mode === mode && !f.name.startsWith('Bare') && (f.p95 >= TARGET_MS || f.errors > 0))
  console.log(`${title.split(':')[0]}: ${failed.length ? `over the ${TARGET_MS} ms p95 target (or with errors): ${failed.map((f) => f.name).join(', ')}` : `every page under the ${TARGET_MS} ms p95 target`}`)
}
process.exit(0)
