/**
 * One person's two-step network at national scale: 1,000,000 entities and 5,000,000 graded links
 * in PostgreSQL, read through the same service function the explorer's "person within N steps"
 * scope and the entity page's "See the network" link use (`networkService(...).scoped`), timed
 * over many random people. Target: p95 under 100 ms.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node --import tsx bench/network-scale.ts
 *
 * By default it creates a throwaway database on the server DATABASE_URL names, migrates it, loads
 * the demo partnership (agencies, users, areas), generates the graph in the server (INSERT … SELECT
 * from generate_series), measures, and drops the database. Options:
 *   --entities <n>     entities to generate (default 1,000,000; rounded to a multiple of 200)
 *   --links <n>        links to generate (default five per entity)
 *   --samples <n>      people timed (default 1,000) after --warmup <n> (default 200)
 *   --keep             keep the database and print its URL (measure it again with --reuse)
 *   --generate-only    stop after generating (with --keep: prepare outside the benchmark lock)
 *   --reuse            measure the database DATABASE_URL names, generated earlier with --keep
 *   --http             also time the explorer page for a person's two-step network with
 *                      autocannon against the real server (src/server.ts)
 *   --explain          print the query plans of one person's traversal
 *
 * The graph: entities in clusters of 200 (a local network: its people, lines, places, vehicles
 * and groups, in one local authority), 90% of links within a cluster and 10% across clusters (the
 * cross-border part). Within a cluster an endpoint is drawn by a power law over a popularity rank,
 * so most entities have a few links and each cluster has a local hub; across clusters the far end
 * is drawn by a steeper power law over the whole graph, which makes a few national hubs with
 * thousands of links. Links carry the 3x5x2 grade (3% E, 5% handled under C), statuses (open,
 * closed, wrong), dates and source agencies; entities belong to several agencies and a third of
 * those owned by another agency are shared with the viewer's, so need-to-know filters for real.
 * The viewer is the demo's police analyst.
 */
import { sql } from 'kysely'
import autocannon from 'autocannon'
import { openDatabase, type Db } from '../src/db/index.ts'
import { migrateToLatest } from '../src/db/migrate.ts'
import { seedDemo } from '../src/demo/seed.ts'
import { modules } from '../src/modules/index.ts'
import { loadConfig } from '../src/config.ts'
import { createLogger } from '../src/web/logger.ts'
import { moduleDeps } from '../src/composition.ts'
import { usersStore } from '../src/auth/users-store.ts'
import { networkService, SCOPE_LIMITS } from '../src/modules/network/service.ts'
import { entityVisibleRow } from '../src/modules/network/store.ts'
import { scopeSchema } from '../src/modules/network/schemas.ts'
import type { RequestContext } from '../src/kernel/context.ts'
import { benchArgs } from './support/args.ts'
import { benchDatabase, postgresCpu } from './support/database.ts'
import { loadAverage as load, machineLine } from './support/machine.ts'
import { signInCookie, startLantern } from './support/server.ts'
import { ms, summary as stats } from './support/stats.ts'

const { number: option, flag } = benchArgs()
const CLUSTER = 200
const ENTITIES = Math.max(CLUSTER, Math.round(option('entities', 1_000_000) / CLUSTER) * CLUSTER)
const LINKS = option('links', ENTITIES * 5)
const SAMPLES = option('samples', 1000)
const WARMUP = option('warmup', 200)
const TARGET_MS = 100

let url = process.env.DATABASE_URL
if (!url?.startsWith('postgres')) {
  console.error('Set DATABASE_URL to the PostgreSQL server (a throwaway database is created on it), or to a database kept with --keep together with --reuse.')
  process.exit(1)
}
const started = Date.now()
console.log(`Machine: ${machineLine()} at the start`)

let drop: (() => Promise<void>) | null = null
if (!flag('reuse')) {
  const fresh = await benchDatabase(url, 'network')
  url = fresh.url
  drop = fresh.drop
  console.log(`Created the throwaway database ${fresh.name}`)
}

const handle = await openDatabase({ url, poolSize: 4 })
const db = handle.db
const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`

async function generate() {
  console.log(`Migrating and loading the demo partnership…`)
  await migrateToLatest(db)
  await seedDemo(db, modules, { today: new Date('2026-11-23T10:00:00Z') })
  const viewer = await db.selectFrom('users').select(['id', 'agency_id']).where('email', '=', 'analyst@lantern.test').executeTakeFirstOrThrow()
  const others = (await db.selectFrom('agencies').select('id').where('id', '<>', viewer.agency_id).orderBy('name').execute()).map((a) => a.id)
  const areas = (await db.selectFrom('areas').select('id').orderBy('code').execute()).map((a) => a.id)
  const me = viewer.agency_id
  const clusters = ENTITIES / CLUSTER
  console.log(`Generating ${ENTITIES.toLocaleString('en-GB')} entities in ${clusters.toLocaleString('en-GB')} clusters and ${LINKS.toLocaleString('en-GB')} links (viewer's agency and ${others.length} others, ${areas.length} areas)…`)
  const t0 = Date.now()

  // A single session, so the session settings below hold for every statement.
  await db.connection().execute(async (c) => {
    const run = async (label: string, statement: ReturnType<typeof sql>) => {
      const t = Date.now()
      await statement.execute(c)
      console.log(`  ${label}: ${seconds(t)}`)
    }
    await sql`set synchronous_commit = off`.execute(c)
    await sql`set maintenance_work_mem = '1GB'`.execute(c)
    await sql`set work_mem = '256MB'`.execute(c)
    await sql`select setseed(0.42)`.execute(c)
    // Bulk load: every index but the primary keys is dropped and rebuilt afterwards from its own
    // definition (the migrations' indexes, exactly), and foreign-key triggers are off (the rows
    // are consistent by construction; checking 10 million references one by one takes longer
    // than the whole load).
    const { rows: indexes } = await sql<{ name: string; def: string }>`
      select i.indexname as name, i.indexdef as def from pg_indexes i
       where i.schemaname = 'public' and i.tablename in ('people', 'network_entities', 'network_links', 'record_shares', 'network_link_agencies')
         and not exists (select 1 from pg_constraint k where k.conname = i.indexname)`.execute(c)
    for (const i of indexes) await sql.raw(`drop index ${i.name}`).execute(c)
    await sql`set session_replication_role = replica`.execute(c)

    // The kind of entity n is fixed by its place in its cluster (4 groups, 12 lines, 40 places, 20
    // vehicles and 124 people in each 200); which of them is popular differs from cluster to cluster.
    await run(
      'helper functions',
      sql.raw(`create or replace function pg_temp.kind_of(n bigint) returns text language sql immutable as $$
        select case when (n - 1) % ${CLUSTER} < 4 then 'group' when (n - 1) % ${CLUSTER} < 16 then 'line' when (n - 1) % ${CLUSTER} < 56 then 'location'
                    when (n - 1) % ${CLUSTER} < 76 then 'vehicle' else 'person' end $$`),
    )
    // Ids that look like gen_random_uuid()'s (version 4), derived from n so links can name their ends.
    // (One expression, so PostgreSQL inlines it: a function call per id would double the load time.)
    await sql.raw(`create or replace function pg_temp.v4(t text) returns uuid language sql immutable as $$
      select overlay(overlay(md5(t) placing '4' from 13) placing '8' from 17)::uuid $$`).execute(c)
    await sql.raw(`create or replace function pg_temp.eid(n bigint) returns uuid language sql immutable as $$ select pg_temp.v4('bench-entity-' || n) $$`).execute(c)
    await sql.raw(`create or replace function pg_temp.pid(n bigint) returns uuid language sql immutable as $$ select pg_temp.v4('bench-person-' || n) $$`).execute(c)

    // 70% the viewer's agency, the rest spread over the others.
    const agency = () => sql`case when random() < 0.7 then ${me}::uuid else (${others}::uuid[])[1 + floor(random() * ${others.length})::int] end`
    await run(
      'people (the register rows behind person entities)',
      sql`insert into people (id, kind, given_name, family_name, date_of_birth, gender, home_area_id, current_area_id, owner_agency_id, current_rag, current_rag_at, created_at, updated_at)
        select pg_temp.pid(n), case when child then 'child' else 'adult' end,
               (array['Kyle','Mason','Jayden','Aaliyah','Reece','Tyler','Leah','Kai','Ellie','Jordan','Amir','Chloe','Liam','Zara','Connor','Maya','Tyrese','Holly','Deon','Ruby'])[1 + floor(random() * 20)::int],
               (array['Marsh','Clarke','Okoro','Pike','Holloway','Fletcher','Bennett','Ahmed','Walsh','Murphy','Campbell','Hughes','Reid','Patel','Owusu','Doyle','Shaw','Grant','Lewis','Nolan'])[1 + floor(random() * 20)::int],
               date '2026-11-23' - ((case when child then 10 else 18 end) * 365 + floor(random() * (case when child then 7 else 30 end) * 365))::int,
               case when random() < 0.7 then 'male' else 'female' end,
               (${areas}::uuid[])[1 + ((n - 1) / ${CLUSTER}) % ${areas.length}], (${areas}::uuid[])[1 + ((n - 1) / ${CLUSTER}) % ${areas.length}],
               ${agency()},
               case when not child then null when r < 0.15 then 'red' when r < 0.5 then 'amber' else 'green' end,
               case when child then now() - random() * interval '300 days' end, now(), now()
          from (select n, random() < 0.25 as child, random() as r from generate_series(1, ${ENTITIES}::bigint) n where pg_temp.kind_of(n) = 'person') g`,
    )
    await run(
      'entities',
      sql`insert into network_entities (id, kind, person_id, label, phone_number, line_name, location_type, address, postcode, registration, vehicle_description, group_type, area_id, owner_agency_id, created_at, updated_at)
        select pg_temp.eid(n), k, case when k = 'person' then pg_temp.pid(n) end,
               case k when 'person' then ''
                      when 'line' then upper((array['jay','tommy','king','blade','ace','rico','dee','marley','zeus','bando'])[1 + (n % 10)::int]) || '-' || n || ' (07700 ' || lpad((n % 1000000)::text, 6, '0') || ')'
                      when 'location' then n || ' ' || (array['Station Road','High Street','Dunsbury Way','Arundel Street','Church Lane','Victoria Road','Park Avenue','Mill Lane'])[1 + (n % 8)::int]
                      when 'vehicle' then 'BN' || lpad((n % 100)::text, 2, '0') || ' ' || chr(65 + (n % 26)::int) || chr(65 + ((n / 26) % 26)::int) || chr(65 + ((n / 676) % 26)::int)
                      else (array['Stockwell Park','Grove Street','Southside','Northern Boys','Eastfield'])[1 + (n % 5)::int] || ' ' || n end,
               case when k = 'line' then '07700 ' || lpad((n % 1000000)::text, 6, '0') end,
               case when k = 'line' then upper((array['jay','tommy','king','blade','ace','rico','dee','marley','zeus','bando'])[1 + (n % 10)::int]) || '-' || n end,
               case when k = 'location' then (array['home','home','home','cuckooed_address','trap_house','hotspot','school','hotel'])[1 + (n % 8)::int] end,
               case when k = 'location' then n || ' ' || (array['Station Road','High Street','Dunsbury Way','Arundel Street','Church Lane','Victoria Road','Park Avenue','Mill Lane'])[1 + (n % 8)::int] end,
               null,
               case when k = 'vehicle' then 'BN' || lpad((n % 100)::text, 2, '0') || ' ' || chr(65 + (n % 26)::int) || chr(65 + ((n / 26) % 26)::int) || chr(65 + ((n / 676) % 26)::int) end,
               null,
               case when k = 'group' then (case when n % 3 = 0 then 'ocg' else 'gang' end) end,
               case when k <> 'person' then (${areas}::uuid[])[1 + ((n - 1) / ${CLUSTER}) % ${areas.length}] end,
               case when k = 'person' then (select p.owner_agency_id from people p where p.id = pg_temp.pid(n)) else ${agency()} end,
               now(), now()
          from (select n, pg_temp.kind_of(n) as k from generate_series(1, ${ENTITIES}::bigint) n) g`,
    )
    await run(
      'shares (a third of what other agencies own, with the viewer’s agency)',
      sql`insert into record_shares (record_type, record_id, agency_id)
        select 'person', p.id, ${me}::uuid from people p where p.owner_agency_id <> ${me}::uuid and p.given_name <> '' and random() < 0.34
        union all
        select 'network_entity', e.id, ${me}::uuid from network_entities e where e.kind <> 'person' and e.owner_agency_id <> ${me}::uuid and random() < 0.34`,
    )
    const chunk = 1_000_000
    for (let from = 1; from <= LINKS; from += chunk) {
      const to = Math.min(LINKS, from + chunk - 1)
      await run(
        `links ${from.toLocaleString('en-GB')}–${to.toLocaleString('en-GB')}`,
        sql`insert into network_links (source_id, target_id, type, directed, first_seen, last_seen, source_agency_id, basis, grade_source, grade_assessment, grade_handling, handling_conditions, status, status_reason, status_changed_at)
          select pg_temp.eid(case when swap then b else a end), pg_temp.eid(case when swap then a else b end), type, type <> 'associates_with',
                 first_seen, case when open_ended then null else first_seen + floor(random() * 400)::int end,
                 ${agency()}, 'Generated intelligence for the scale benchmark',
                 case when rs < 0.3 then 1 when rs < 0.8 then 2 else 3 end,
                 case when ra < 0.15 then 'A' when ra < 0.45 then 'B' when ra < 0.75 then 'C' when ra < 0.97 then 'D' else 'E' end,
                 case when rh < 0.05 then 'C' else 'P' end, case when rh < 0.05 then 'Police only: protects a covert source' end,
                 case when rt < 0.85 then 'open' when rt < 0.97 then 'closed' else 'wrong' end,
                 case when rt < 0.85 then null when rt < 0.97 then 'No contact seen since' else 'Misidentified: a different person' end,
                 case when rt >= 0.85 then now() end
            from (
              select a, b, ka, kb, rs, ra, rh, rt, first_seen, open_ended,
                     -- directed links start from the person (or the group running a line)
                     (kb = 'person' and ka <> 'person') or (ka = 'line' and kb = 'group') as swap,
                     case when ka = 'person' and kb = 'person' then (case when rk < 0.6 then 'associates_with' when rk < 0.75 then 'exploits' else 'supplies' end)
                          when 'line' in (ka, kb) and 'person' in (ka, kb) then (case when rk < 0.5 then 'holds_phone' else 'runs' end)
                          when 'location' in (ka, kb) and 'person' in (ka, kb) then (case when rk < 0.4 then 'lives_at' else 'found_at' end)
                          when 'vehicle' in (ka, kb) and 'person' in (ka, kb) then 'uses_vehicle'
                          when 'group' in (ka, kb) and 'person' in (ka, kb) then 'member_of'
                          when 'line' in (ka, kb) and 'location' in (ka, kb) then 'operates_in'
                          when 'line' in (ka, kb) and 'group' in (ka, kb) then 'runs'
                          else 'associates_with' end as type
                from (
                  select a, b, pg_temp.kind_of(a) as ka, pg_temp.kind_of(b) as kb, random() as rk, random() as rs, random() as ra, random() as rh, random() as rt,
                         date '2019-01-01' + floor(random() * 2500)::int as first_seen, random() < 0.3 as open_ended
                    from (
                      select a, case when b = a then (case when cross_cluster then b % ${ENTITIES} + 1 else c * ${CLUSTER} + ((b - c * ${CLUSTER}) % ${CLUSTER}) + 1 end) else b end as b
                        from (
                          select c, cross_cluster,
                                 c * ${CLUSTER} + ((floor(${CLUSTER} * power(random(), 2.2))::bigint * 73 + c * 11) % ${CLUSTER}) + 1 as a,
                                 case when cross_cluster then floor(${ENTITIES} * power(random(), 4))::bigint + 1
                                      else c * ${CLUSTER} + ((floor(${CLUSTER} * power(random(), 2.2))::bigint * 73 + c * 11) % ${CLUSTER}) + 1 end as b
                            from (select floor(random() * ${clusters})::bigint as c, random() < 0.1 as cross_cluster from generate_series(${from}::bigint, ${to}::bigint)) s
                        ) e
                    ) f
                ) g
            ) h`,
      )
    }
    await run(
      'condition agencies (half of the C-handled links from another agency clear the viewer’s)',
      sql`insert into network_link_agencies (link_id, agency_id)
        select l.id, ${me}::uuid from network_links l where l.grade_handling = 'C' and l.source_agency_id <> ${me}::uuid and random() < 0.5`,
    )
    await sql`set session_replication_role = origin`.execute(c)
    for (const i of indexes) {
      const t = Date.now()
      await sql.raw(i.def).execute(c)
      console.log(`  index ${i.name}: ${seconds(t)}`)
    }
    await run('vacuum analyze', sql`vacuum analyze people, network_entities, network_links, record_shares, network_link_agencies`)
  })
  await db
    .insertInto('settings')
    .values({ key: 'network_scale_bench', value: JSON.stringify({ entities: ENTITIES, links: LINKS, generatedAt: new Date().toISOString() }) })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: (eb) => eb.ref('excluded.value') }))
    .execute()
  console.log(`Generated in ${seconds(t0)}`)
}

if (!flag('reuse')) await generate()
else {
  // A database kept from an earlier run takes any migration added since (an index, say).
  const applied = await migrateToLatest(db)
  if (applied.length) console.log(`Applied ${applied.join(', ')} to the kept database`)
  await sql`vacuum analyze network_links, network_entities`.execute(db)
}
const generated = await db.selectFrom('settings').select('value').where('key', '=', 'network_scale_bench').executeTakeFirst()
if (!generated) {
  console.error('This database holds no generated network: run without --reuse (and with --keep to keep it).')
  process.exit(1)
}

/** The data: sizes, kinds, the degree distribution, grades and visibility. */
async function describe(db: Db, viewer: { id: string; agencyId: string }) {
  const { rows: kinds } = await sql<{ kind: string; n: number }>`select kind, count(*)::int as n from network_entities group by kind order by kind`.execute(db)
  const { rows: grades } = await sql<{ links: number; e: number; c: number; closed: number; wrong: number }>`
    select count(*)::int as links, count(*) filter (where grade_assessment = 'E')::int as e, count(*) filter (where grade_handling = 'C')::int as c,
           count(*) filter (where status = 'closed')::int as closed, count(*) filter (where status = 'wrong')::int as wrong from network_links`.execute(db)
  const { rows: degree } = await sql<{ p50: number; p90: number; p99: number; p999: number; max: number; people_p50: number; people_p99: number; hubs1000: number }>`
    with d as (select id, count(*)::int as n from (select source_id as id from network_links union all select target_id from network_links) x group by id)
    select percentile_disc(0.5) within group (order by d.n) as p50, percentile_disc(0.9) within group (order by d.n) as p90,
           percentile_disc(0.99) within group (order by d.n) as p99, percentile_disc(0.999) within group (order by d.n) as p999, max(d.n) as max,
           percentile_disc(0.5) within group (order by d.n) filter (where e.kind = 'person') as people_p50,
           percentile_disc(0.99) within group (order by d.n) filter (where e.kind = 'person') as people_p99,
           count(*) filter (where d.n >= 1000)::int as hubs1000
      from d join network_entities e on e.id = d.id`.execute(db)
  const { rows: vis } = await sql<{ visible: number; agencies: number }>`
    select count(*) filter (where case when e.person_id is null then e.owner_agency_id = ${viewer.agencyId}::uuid
             or exists (select 1 from record_shares rs where rs.record_type = 'network_entity' and rs.record_id = e.id and rs.agency_id = ${viewer.agencyId}::uuid)
           else exists (select 1 from people p where p.id = e.person_id and (p.owner_agency_id = ${viewer.agencyId}::uuid
             or exists (select 1 from record_shares rs where rs.record_type = 'person' and rs.record_id = p.id and rs.agency_id = ${viewer.agencyId}::uuid))) end)::int as visible,
           (select count(*)::int from agencies) as agencies
      from network_entities e`.execute(db)
  const { rows: size } = await sql<{ bytes: string }>`select pg_size_pretty(pg_database_size(current_database())) as bytes`.execute(db)
  return { kinds, grades: grades[0], degree: degree[0], visible: vis[0].visible, agencies: vis[0].agencies, size: size[0].bytes }
}

const config = loadConfig({ NODE_ENV: 'production', LANTERN_MODE: 'demo', LOG_LEVEL: 'silent', DATABASE_URL: url })
const deps = moduleDeps({ db, config, logger: createLogger('silent') })
const service = networkService(deps)
const analystId = (await db.selectFrom('users').select('id').where('email', '=', 'analyst@lantern.test').executeTakeFirstOrThrow()).id
const user = (await usersStore(db).currentUser(analystId))!
const ctx: RequestContext = { user, requestId: 'bench-network-scale', method: 'GET', path: '/network' }

const facts = await describe(db, user)
const total = facts.kinds.reduce((t, k) => t + k.n, 0)
console.log(`\nData (${generated.value}): ${total.toLocaleString('en-GB')} entities (${facts.kinds.map((k) => `${k.kind} ${k.n.toLocaleString('en-GB')}`).join(', ')}), ${facts.grades.links.toLocaleString('en-GB')} links`)
console.log(`  links: ${facts.grades.e.toLocaleString('en-GB')} graded E, ${facts.grades.c.toLocaleString('en-GB')} handled under C, ${facts.grades.closed.toLocaleString('en-GB')} closed, ${facts.grades.wrong.toLocaleString('en-GB')} marked wrong`)
console.log(`  degree (links per entity): median ${facts.degree.p50}, p90 ${facts.degree.p90}, p99 ${facts.degree.p99}, p99.9 ${facts.degree.p999}, max ${facts.degree.max}; people: median ${facts.degree.people_p50}, p99 ${facts.degree.people_p99}; ${facts.degree.hubs1000} entities with 1,000 links or more`)
console.log(`  ${facts.agencies} agencies; the viewer (${user.name}, ${user.agencyName}) may see ${facts.visible.toLocaleString('en-GB')} entities (${((100 * facts.visible) / total).toFixed(0)}%); database ${facts.size}`)

if (flag('generate-only')) {
  await handle.close()
  if (flag('keep') || !drop) console.log(`\nKept: DATABASE_URL=${url}`)
  else await drop()
  process.exit(0)
}

// People to ask about: random people the viewer may see (need-to-know decides what a page shows;
// asking about someone outside it is a 404, not a network).
const { rows: people } = await sql<{ id: string }>`
  select e.id from network_entities e join people p on p.id = e.person_id
   where p.owner_agency_id = ${user.agencyId}::uuid or exists (select 1 from record_shares rs where rs.record_type = 'person' and rs.record_id = p.id and rs.agency_id = ${user.agencyId}::uuid)
   order by md5(e.id::text || 'sample') limit ${SAMPLES + WARMUP}`.execute(db)
const input = (id: string) => {
  const parsed = scopeSchema.safeParse({ scope: 'entity', entityId: id, steps: '2' })
  if (!parsed.success) throw new Error(parsed.error.message)
  return parsed.data
}

if (flag('explain')) {
  const id = people[0].id
  const { rows } = await sql<{ 'QUERY PLAN': string }>`explain (analyze, buffers) select c.id from (
      select l.target_id as id from network_links l where l.source_id = any(${[id]}::uuid[]) union select l.source_id from network_links l where l.target_id = any(${[id]}::uuid[])) c`.execute(db)
  console.log(rows.map((r) => r['QUERY PLAN']).join('\n'))
}

const cpuNow = async (pids: number[] = []) => {
  const db = await postgresCpu(url!, pids)
  return { node: process.cpuUsage(), db: db.ms, pids: db.pids }
}

// Warm up (PostgreSQL's caches, the query plans, the JIT of Node), then time one at a time.
for (const p of people.slice(0, WARMUP)) await service.scoped(ctx, input(p.id))
const loadBefore = load()
// The bench's own pool: its backends do the PostgreSQL side of every traversal.
const cpu0 = await cpuNow()
const times: number[] = []
const nodes: number[] = []
const links: number[] = []
let limited = 0
for (const p of people.slice(WARMUP)) {
  const t = performance.now()
  const result = await service.scoped(ctx, input(p.id))
  times.push(performance.now() - t)
  nodes.push(result.network.order)
  links.push(result.rows.links.length)
  if (result.limited) limited++
}
const cpu1 = await cpuNow(cpu0.pids)
const nodeCpu = (cpu1.node.user - cpu0.node.user + cpu1.node.system - cpu0.node.system) / 1000 / SAMPLES
const dbCpu = (cpu1.db - cpu0.db) / SAMPLES
const data = stats(times)
const n = stats(nodes)
const l = stats(links)

// The whole explorer's work for the same people: the scoped network, then degree, betweenness,
// closeness, Louvain and the brokers (what the page renders), with its audit event.
const explore: number[] = []
for (const p of people.slice(WARMUP)) {
  const t = performance.now()
  await service.explore(ctx, input(p.id))
  explore.push(performance.now() - t)
}
const ex = stats(explore)
const loadAfter = load()

// The busiest entities: what a two-step network through a national hub gives.
const { rows: hubs } = await sql<{ id: string; kind: string; degree: number }>`
  select e.id, e.kind, d.n as degree from (select id, count(*)::int as n from (select source_id as id from network_links union all select target_id from network_links) x group by id order by n desc limit 20) d
  join network_entities e on e.id = d.id
  where ${entityVisibleRow(user, 'e')}
  order by d.n desc limit 3`.execute(db)
// …and a person one link from the busiest, whose second step runs through it.
const { rows: nextToHub } = await sql<{ id: string }>`
  select e.id from network_links l join network_entities e on e.id = case when l.source_id = ${hubs[0].id}::uuid then l.target_id else l.source_id end
   where (l.source_id = ${hubs[0].id}::uuid or l.target_id = ${hubs[0].id}::uuid) and e.kind = 'person' and l.status = 'open' and l.grade_assessment <> 'E' and l.grade_handling = 'P'
     and ${entityVisibleRow(user, 'e')}
   order by e.id limit 1`.execute(db)
hubs.push(...nextToHub.map((p) => ({ id: p.id, kind: `person linked to the ${hubs[0].kind}`, degree: -1 })))
const hubRows: string[] = []
for (const hub of hubs) {
  const t = performance.now()
  const result = await service.scoped(ctx, input(hub.id))
  hubRows.push(`| ${hub.kind}${hub.degree >= 0 ? ` with ${hub.degree.toLocaleString('en-GB')} links` : ''} | ${ms(performance.now() - t)} | ${result.network.order} | ${result.rows.links.length} | ${result.limited ?? 'not limited'} |`)
}

console.log(`\nOne person's two-step network (service.scoped, the explorer's "person within 2 steps" scope), ${SAMPLES.toLocaleString('en-GB')} random people after ${WARMUP} warm-up, one at a time:`)
console.log(`  load average before measuring ${loadBefore}, after ${loadAfter}`)
console.log('\n| measure | p50 ms | p95 ms | p99 ms | max ms |')
console.log('| --- | ---: | ---: | ---: | ---: |')
console.log(`| scoped network (SQL traversal, entities, links, graph) | ${ms(data.p50)} | **${ms(data.p95)}** | ${ms(data.p99)} | ${ms(data.max)} |`)
console.log(`| whole explorer work (+ metrics, communities, brokers, audit) | ${ms(ex.p50)} | ${ms(ex.p95)} | ${ms(ex.p99)} | ${ms(ex.max)} |`)
console.log(`\nCPU per scoped network (mean): Node ${ms(nodeCpu)} ms, PostgreSQL ${ms(dbCpu)} ms (wall-clock time above this is waiting: for the other process, or for the machine's other work)`)
console.log(`\nReturned networks: entities median ${n.p50}, p95 ${n.p95}, max ${n.max}; links median ${l.p50}, p95 ${l.p95}, max ${l.max}; ${limited} of ${SAMPLES} over the limit of ${SCOPE_LIMITS.entities.toLocaleString('en-GB')} entities (shown one step fewer, and said so)`)
console.log('\nThe busiest entities (two steps asked for):\n\n| entity | ms | entities shown | links shown | what the page says |\n| --- | ---: | ---: | ---: | --- |')
console.log(hubRows.join('\n'))
console.log(data.p95 < TARGET_MS ? `\np95 ${ms(data.p95)} ms: under the ${TARGET_MS} ms target.` : `\np95 ${ms(data.p95)} ms: NOT under the ${TARGET_MS} ms target.`)

// The page itself, through HTTP: the explorer for a person's two-step network.
if (flag('http')) {
  await http(people.slice(WARMUP).map((p) => p.id))
}

await handle.close()
if (flag('keep') || !drop) console.log(`\nKept: DATABASE_URL=${url}`)
else await drop()
console.log(`Finished in ${seconds(started)}; load average at the end ${load()}`)
process.exit(0)

async function http(ids: string[]) {
  const server = await startLantern(url!)
  try {
    const base = server.base
    const headers = { cookie: await signInCookie(base, 'analyst@lantern.test') }
    const pathFor = (id: string) => `/network?scope=entity&entityId=${id}&steps=2`
    const probe = await fetch(base + pathFor(ids[0]), { headers })
    const body = await probe.text()
    if (probe.status !== 200) throw new Error(`the explorer answered ${probe.status}`)
    let next = 0
    const requests: autocannon.Request[] = [{ setupRequest: (req) => ({ ...req, path: pathFor(ids[next++ % ids.length]) }) }]
    await autocannon({ url: base, connections: 2, duration: 5, headers, requests })
    const times: number[] = []
    const duration = 30
    const connections = 2
    const result = await new Promise<autocannon.Result>((resolve, reject) => {
      const instance = autocannon({ url: base, connections, duration, headers, requests }, (err, res) => (err ? reject(err) : resolve(res)))
      instance.on('response', (_c, _s, _b, responseTime) => times.push(responseTime))
    })
    const s = stats(times)
    console.log(`\nThe explorer page over HTTP (GET /network?scope=entity&entityId=…&steps=2, a different person each request; autocannon ${connections} connections, ${duration} s after a 5 s warm-up; page ${(body.length / 1024).toFixed(0)} KiB for the first person; load average ${load()}):`)
    console.log(`\n| requests | requests/s | p50 ms | p95 ms | p99 ms | max ms | non-2xx |\n| ---: | ---: | ---: | ---: | ---: | ---: | ---: |`)
    console.log(`| ${times.length} | ${result.requests.average.toFixed(1)} | ${ms(s.p50)} | ${ms(s.p95)} | ${ms(s.p99)} | ${ms(s.max)} | ${result.non2xx + result.errors + result.timeouts} |`)
  } finally {
    await server.stop()
  }
}
