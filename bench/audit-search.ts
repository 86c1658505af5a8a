/**
 * The admin audit search at a region's scale: ROWS audit events spread over 24 monthly partitions
 * (10,000 users, 200,000 records), then the search by record, by user (whole address) and by a
 * week's date range, each with its capped count, as /admin/audit runs them (src/audit/store.ts).
 * The peer, in the same run on the same rows, is the search as it was before migration 0800: a
 * match anywhere in the address, newest by id, and an exact count.
 *
 *   TEST_DATABASE_URL=postgres://… node --import tsx bench/audit-search.ts [--rows 1000000] [--keep NAME]
 *
 * Rows are generated in SQL with triggers off (`session_replication_role = replica`): the chain's
 * places and hashes are stand-ins, so this measures search, not `lantern audit verify`.
 */
import { sql } from 'kysely'
import { openDatabase, type Db } from '../src/db/index.ts'
import { migrateToLatest } from '../src/db/migrate.ts'
import { auditStore } from '../src/audit/store.ts'
import { partitionStore } from '../src/audit/partition-store.ts'
import { benchArgs } from './support/args.ts'
import { benchDatabase } from './support/database.ts'
import { loadAverage, machineLine } from './support/machine.ts'

const args = benchArgs()
const ROWS = args.number('rows', 1_000_000)
const SAMPLES = args.number('samples', 40)
const serverUrl = process.env.TEST_DATABASE_URL
if (!serverUrl) throw new Error('set TEST_DATABASE_URL to a PostgreSQL server: the bench is about PostgreSQL at scale')

const MONTHS = 24
const FIRST_MONTH = '2025-01'
const DAY_MS = 86_400_000

async function generate(db: Db) {
  const partitions = partitionStore(db)
  for (let m = 0; m < MONTHS; m++) await partitions.addMonth(`${2025 + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`)
  const started = performance.now()
  const chunk = 500_000
  for (let done = 0; done < ROWS; done += chunk) {
    const n = Math.min(chunk, ROWS - done)
    await db.transaction().execute(async (trx) => {
      await sql`set local session_replication_role = replica`.execute(trx)
      await sql`
        insert into audit_events (id, at, user_id, user_email, agency_id, action, record_type, record_id, request_id, method, path, chain_seq, hash)
        select i, timestamptz '2025-01-01 00:00:00+00' + (i::float8 / ${ROWS} * interval '730 days'),
               null, 'user' || (hashint % 10000) || '@council.test', null,
               (array['view','search','view','view','update','export','sign-in','create'])[1 + hashint % 8],
               'person', 'p-' || (hashint2 % 200000), 'r' || i, 'GET', '/people/x', i, md5(i::text) || md5(i::text)
          from (select i, abs(hashtext(i::text)) as hashint, abs(hashtext('r' || i)) as hashint2
                  from generate_series(${done + 1}::bigint, ${done + n}::bigint) i) g`.execute(trx)
    })
    process.stdout.write(`  ${done + n} rows, ${((performance.now() - started) / 1000).toFixed(0)} s, load ${loadAverage()}\n`)
  }
  await sql`select setval('audit_events_id_seq', ${ROWS + 1}, false)`.execute(db)
  await sql`update audit_chain_head set seq = ${ROWS}`.execute(db)
  await sql`analyze audit_events`.execute(db)
  return (performance.now() - started) / 1000
}

function summary(times: number[]) {
  const sorted = [...times].sort((a, b) => a - b)
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]
  return { median: at(0.5), p95: at(0.95) }
}

async function time(run: () => Promise<unknown>) {
  const started = performance.now()
  await run()
  return performance.now() - started
}

/** The search as it was before migration 0800, for the peer figure. */
function oldSearch(db: Db, filter: { userEmail?: string; recordId?: string; from?: string; to?: string }) {
  let q = db.selectFrom('audit_events')
  if (filter.userEmail) q = q.where(sql<boolean>`lower(user_email) like ${'%' + filter.userEmail + '%'}`)
  if (filter.recordId) q = q.where('record_type', '=', 'person').where('record_id', '=', filter.recordId)
  if (filter.from) q = q.where('at', '>=', new Date(`${filter.from}T00:00:00Z`))
  if (filter.to) q = q.where('at', '<', sql<Date>`${filter.to}::date + 1`)
  return Promise.all([
    q.selectAll().orderBy('id', 'desc').limit(50).execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ])
}

async function main() {
  console.log(`audit search bench: ${ROWS.toLocaleString('en-GB')} rows over ${MONTHS} months; ${machineLine()}`)
  const bench = await benchDatabase(serverUrl!, 'audit_search', args.option('keep', ''))
  const handle = await openDatabase({ url: bench.url, poolSize: 4 })
  try {
    await migrateToLatest(handle.db)
    const db = handle.db
    const existing = Number((await sql<{ n: string }>`select count(*) as n from audit_events`.execute(db)).rows[0].n)
    if (existing < ROWS) console.log(`generated in ${(await generate(db)).toFixed(0)} s`)
    const store = auditStore(db)
    const first = Date.parse(`${FIRST_MONTH}-01T00:00:00Z`)
    const filters = Array.from({ length: SAMPLES }, (_, i) => {
      const day = new Date(first + ((i * 37) % 700) * DAY_MS).toISOString().slice(0, 10)
      const weekLater = new Date(Date.parse(day) + 6 * DAY_MS).toISOString().slice(0, 10)
      return {
        record: { recordType: 'person', recordId: `p-${(i * 7919) % 200000}` },
        user: { userEmail: `user${(i * 131) % 10000}@council.test` },
        range: { from: day, to: weekLater },
      }
    })
    for (const kind of ['record', 'user', 'range'] as const) {
      const times: number[] = []
      const peer: number[] = []
      for (const f of filters) {
        times.push(await time(() => store.search(f[kind], 50, 0)))
        peer.push(await time(() => oldSearch(db, f[kind])))
      }
      const now = summary(times)
      const before = summary(peer)
      console.log(
        `search by ${kind}: median ${now.median.toFixed(1)} ms, p95 ${now.p95.toFixed(1)} ms; ` +
          `before migration 0800 median ${before.median.toFixed(1)} ms, p95 ${before.p95.toFixed(1)} ms (ratio of medians ${(before.median / now.median).toFixed(1)}); load ${loadAverage()}`,
      )
    }
    const actions = summary(await Promise.all(Array.from({ length: 5 }, () => time(() => store.actions()))))
    const firstPage = summary([await time(() => store.search({}, 50, 0)), await time(() => store.search({}, 50, 0)), await time(() => store.search({}, 50, 0))])
    console.log(`actions list: median ${actions.median.toFixed(1)} ms; unfiltered first page with count: median ${firstPage.median.toFixed(1)} ms; load ${loadAverage()}`)
  } finally {
    await handle.close()
    await bench.drop()
  }
}

await main()
