/**
 * The scrutiny tracker at scale: 12 bodies with 1,000 items each (12,000 resolutions,
 * recommendations and requests, 9,000 responses, 24,000 status changes, 48,000 evidence rows, a
 * quarter of the items restricted), then times what the pages and the reminder job do: one body's
 * staff tracker and its public one, the counts on the overview, the whole open-data tracker with
 * every response and history row, the feed, queuing reminders across everything, and the PDF pack
 * of one body.
 *
 *   node --import tsx bench/scrutiny-tracker.ts                      # embedded PGlite
 *   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test node --import tsx bench/scrutiny-tracker.ts
 */
import { sql } from 'kysely'
import { openDatabase, type DatabaseHandle } from '../src/db/index.ts'
import { migrateToLatest } from '../src/db/migrate.ts'
import { scrutinyStore } from '../src/modules/scrutiny/store.ts'
import { publicScrutiny } from '../src/modules/scrutiny/public.ts'
import { decorate } from '../src/modules/scrutiny/service.ts'
import { trackerPdf, csvRow } from '../src/modules/scrutiny/exports.ts'
import { queueReminders } from '../src/modules/scrutiny/notifications.ts'
import { startingAt } from '../src/kernel/clock.ts'
import { benchDatabase } from './support/database.ts'

const BODIES = 12
const PER_BODY = 1000
const TODAY = '2026-11-23'
const clock = startingAt(new Date(`${TODAY}T10:00:00Z`))

const serverUrl = process.env.TEST_DATABASE_URL
let handle: DatabaseHandle
let drop: (() => Promise<void>) | undefined
if (serverUrl) {
  const bench = await benchDatabase(serverUrl, 'scrutiny')
  handle = await openDatabase({ url: bench.url, poolSize: 4 })
  drop = bench.drop
} else {
  handle = await openDatabase({})
}
const db = handle.db

async function time<T>(label: string, fn: () => Promise<T>, runs = 5): Promise<T> {
  let result!: T
  const ms: number[] = []
  for (let i = 0; i < runs; i++) {
    const t = performance.now()
    result = await fn()
    ms.push(performance.now() - t)
  }
  ms.sort((a, b) => a - b)
  console.log(`${label.padEnd(58)} median ${ms[Math.floor(ms.length / 2)].toFixed(1).padStart(8)} ms   best ${ms[0].toFixed(1).padStart(8)} ms`)
  return result
}

try {
  await migrateToLatest(db)
  const t0 = performance.now()
  await sql`insert into scrutiny_bodies (slug, code, name, kind, public)
            select 'body-' || b, 'B' || b, 'Body ' || b, 'panel', true from generate_series(1, ${BODIES}) b`.execute(db)
  await sql`insert into scrutiny_meetings (body_id, title, meeting_date, status)
            select b.id, 'Meeting ' || m, date '2025-06-01' + (m * 14), 'held' from scrutiny_bodies b, generate_series(1, 40) m`.execute(db)
  await sql`insert into scrutiny_agenda_items (meeting_id, position, title, restricted)
            select m.id, p, 'Item ' || p, p = 4 from scrutiny_meetings m, generate_series(1, 4) p`.execute(db)
  await sql`insert into scrutiny_items (body_id, meeting_id, agenda_item_id, kind, request_type, municipal_year, number, title, text, addressee,
              addressee_email, sent_on, response_due, status, rag, restricted, status_changed_at, created_at)
            select m.body_id, m.id, ai.id, k.kind, case when k.kind = 'request' then 'information' end, '2025/26',
                   row_number() over (partition by m.body_id, k.kind order by m.meeting_date, ai.position, n),
                   'Item title ' || n, repeat('The panel recommends that the commissioner acts. ', 6), 'Police and Crime Commissioner',
                   'opcc@example.org', m.meeting_date + 3, m.meeting_date + 28 + (n % 60),
                   (array['open','accepted','in_progress','implemented','closed'])[1 + n % 5], (array['green','amber','red'])[1 + n % 3],
                   n % 8 = 0, now(), now()
              from scrutiny_meetings m
              join scrutiny_agenda_items ai on ai.meeting_id = m.id and ai.position < 4
              cross join generate_series(1, ${Math.ceil(PER_BODY / 120)}) n
              cross join (values ('recommendation'), ('resolution'), ('request')) k(kind)`.execute(db)
  // Keep exactly PER_BODY items a body.
  await sql`delete from scrutiny_items i where i.id in (select id from (select id, row_number() over (partition by body_id order by created_at, id) r from scrutiny_items) x where r > ${PER_BODY})`.execute(db)
  await sql`insert into scrutiny_responses (item_id, responded_on, text, responder, answers, recorded_by_name)
            select id, response_due - 3, 'The commissioner has considered the recommendation and responds as follows.', 'Office of the PCC', kind = 'request', 'Bench'
              from scrutiny_items where number % 4 <> 0`.execute(db)
  await sql`insert into scrutiny_status_history (item_id, status, rag, changed_by_name) select id, 'open', null, 'Bench' from scrutiny_items`.execute(db)
  await sql`insert into scrutiny_status_history (item_id, status, rag, note, changed_by_name) select id, status, rag, 'Updated', 'Bench' from scrutiny_items`.execute(db)
  await sql`insert into scrutiny_evidence (item_id, event, occurred_on, channel, recorded_by_name)
            select i.id, e.event, i.sent_on, 'email', 'Bench' from scrutiny_items i cross join (values ('made'), ('sent'), ('due_set'), ('reminder_sent')) e(event)`.execute(db)
  await sql`analyze`.execute(db)
  const counts = await sql<{ items: number; responses: number; history: number; evidence: number }>`
    select (select count(*) from scrutiny_items) as items, (select count(*) from scrutiny_responses) as responses,
           (select count(*) from scrutiny_status_history) as history, (select count(*) from scrutiny_evidence) as evidence`.execute(db)
  console.log(`Lantern scrutiny tracker on ${handle.kind}, ${new Date().toISOString().slice(0, 10)}, Node ${process.version}`)
  console.log(`Generated ${JSON.stringify(counts.rows[0])} in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`)

  const store = scrutinyStore(db)
  const pub = publicScrutiny(db, clock)
  const body = (await db.selectFrom('scrutiny_bodies').select(['id', 'slug']).where('code', '=', 'B1').executeTakeFirstOrThrow())
  const visibility = { public: false as const, agencyId: '00000000-0000-0000-0000-000000000000' }

  const staffRows = await time(`staff tracker, one body (${PER_BODY} items, open only)`, () => store.tracker({ bodyIds: [body.id], openOnly: true }, visibility, TODAY))
  await time('staff tracker, one body, overdue only', () => store.tracker({ bodyIds: [body.id], overdueOnly: true }, visibility, TODAY))
  await time('public body page (tracker, meetings, counts, programme)', () => pub.body(body.slug, {}))
  await time(`overview counts, all ${BODIES} bodies`, () => store.bodyCounts(TODAY, visibility))
  const open = await time(`open data: whole tracker with responses and history`, () => pub.openData(), 3)
  await time('open data as CSV rows', async () => open.rows.map((r) => csvRow(r, `https://x/${r.id}`)), 3)
  await time('Atom feed: latest 50 changes', () => pub.activity(undefined, 50))
  const decorated = staffRows.map((r) => decorate(r, TODAY))
  const pdf = await time(`PDF pack of one body (${decorated.length} items)`, () => trackerPdf({ bodyName: 'Body 1', heading: 'Tracker', generatedOn: TODAY, rows: decorated, includesRestricted: true }), 3)
  const queued = await time('queue reminders across every item (first run)', () => queueReminders(db, TODAY), 1)
  await time('queue reminders again (nothing new to queue)', () => queueReminders(db, TODAY), 3)
  console.log(`\n${open.rows.length} public items in the open data; ${staffRows.length} open items in body 1; PDF ${(pdf.length / 1024).toFixed(0)} KB; ${queued} reminders queued.`)
} finally {
  await handle.close()
  await drop?.()
}
