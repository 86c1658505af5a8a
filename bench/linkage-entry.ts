/**
 * "Is this one of these?" at county scale on the PostgreSQL server: the duplicate check on entry
 * (sync with the database, index lookup, need-to-know SQL, explanation and audit) against the demo
 * plus the county-scale seed (25,000 generated people), on a steady register and just after a
 * person was recorded or changed (the index updated in place), beside a full rebuild; then an
 * analyst's deduplication run over the people they may see ("Find duplicates among Lantern's people").
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node --import tsx bench/linkage-entry.ts [--queries 300] [--changes 60]
 *
 * DATABASE_URL names the server (any database on it). By default a throwaway database is made,
 * seeded and dropped. With --keep NAME the database NAME is used (made and seeded when missing) and
 * kept, so seeding can be done once outside the measurement: `--keep NAME --seed-only` seeds and
 * stops; a later run with `--keep NAME` only measures. (TEST_DATABASE_URL is read when
 * DATABASE_URL is not set.)
 */
import os from 'node:os'
import { openDatabase, type DatabaseHandle } from '../src/db/index.ts'
import { migrateToLatest } from '../src/db/migrate.ts'
import { seedDemo } from '../src/demo/seed.ts'
import { modules } from '../src/modules/index.ts'
import { SCALES, seedScale } from '../src/modules/register/scale-seed.ts'
import { moduleDeps } from '../src/composition.ts'
import { usersStore } from '../src/auth/users-store.ts'
import { loadConfig } from '../src/config.ts'
import { entryIndex, entryService } from '../src/modules/linkage/entry.ts'
import { runsService } from '../src/modules/linkage/runs.ts'
import { benchDatabase } from './support/database.ts'
import { benchArgs } from './support/args.ts'

const { option, flag } = benchArgs()
const queries = Number(option('queries', '300'))
const changes = Number(option('changes', '60'))
const keep = option('keep', '')
const server = process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL
if (!server?.startsWith('postgres')) {
  console.error('Set DATABASE_URL to the PostgreSQL server, e.g. postgres://postgres@127.0.0.1:5432/postgres')
  process.exit(1)
}

const bench = await benchDatabase(server, 'entry', keep || undefined)
const name = bench.name
const open = () => openDatabase({ url: bench.url, poolSize: 5 })
const database: DatabaseHandle = await open()
const db = database.db
const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]
const ms = (x: number) => `${x.toFixed(1)} ms`

try {
  await migrateToLatest(db)
  const today = new Date('2026-11-23T10:00:00Z')
  const empty = !(await db.selectFrom('people').select('id').limit(1).executeTakeFirst())
  if (empty) {
    const t = performance.now()
    await seedDemo(db, modules, { today })
    await seedScale(db, SCALES.county, { seed: 1, today })
    console.log(`seeded ${name} in ${((performance.now() - t) / 1000).toFixed(1)} s`)
  }
  if (flag('seed-only')) {
    console.log(`${name} is ready`)
  } else {
    console.log(`load average before: ${os.loadavg().map((l) => l.toFixed(2)).join(', ')}`)
    const deps = moduleDeps({ db, config: loadConfig({ NODE_ENV: 'test', LANTERN_MODE: 'demo', LOG_LEVEL: 'silent' }) })
    const service = entryService(deps)
    const users = usersStore(db)
    const officer = (await users.findByEmail('officer@lantern.test'))!
    const ctx = { user: (await users.currentUser(officer.id))!, requestId: 'bench' }
    const trained = !(await db.selectFrom('linkage_entry_model').select('id').executeTakeFirst())
    let t = performance.now()
    const built = await entryIndex(db)
    console.log(`first index build${trained ? ' (training the model)' : ' (model already stored)'}: ${(performance.now() - t).toFixed(0)} ms over ${built.size.toLocaleString('en-GB')} people`)

    // A steady register: half typed as recorded, half with a spelling change, as a practitioner might.
    const sample = await db.selectFrom('people').select(['given_name', 'family_name', 'date_of_birth', 'gender']).orderBy('id').limit(queries).execute()
    const times: number[] = []
    let withMatches = 0
    for (const [i, p] of sample.entries()) {
      const given = i % 2 ? p.given_name : p.given_name.replace(/a/, 'e')
      const start = performance.now()
      const found = await service.check(ctx, { givenName: given, familyName: p.family_name, dateOfBirth: p.date_of_birth, gender: p.gender, postcode: null, nhsNumber: null })
      times.push(performance.now() - start)
      if (found.length) withMatches++
    }
    times.sort((a, b) => a - b)
    console.log(`steady: ${times.length} checks: p50 ${ms(quantile(times, 0.5))}, p95 ${ms(quantile(times, 0.95))}, p99 ${ms(quantile(times, 0.99))}, max ${ms(times[times.length - 1])}; ${withMatches} showed matches`)

    // Each check right after one change to people committed (as another instance would): a person
    // recorded, renamed, or given a new address, in turn. The change is not timed; the check is.
    const police = officer.agency_id
    const made: string[] = []
    const after: number[] = []
    const before = built.builds
    for (let k = 0; k < changes; k++) {
      const p = sample[k % sample.length]
      if (k % 3 === 0) {
        const row = await db
          .insertInto('people')
          .values({ kind: 'child', given_name: p.given_name, family_name: `${p.family_name}-${k}`, date_of_birth: p.date_of_birth, gender: p.gender, owner_agency_id: police, created_by: officer.id })
          .returning('id')
          .executeTakeFirstOrThrow()
        made.push(row.id)
      } else if (k % 3 === 1 && made.length) {
        await db.updateTable('people').set({ given_name: `${p.given_name}e` }).where('id', '=', made[made.length - 1]).execute()
      } else if (made.length) {
        await db.insertInto('person_addresses').values({ person_id: made[made.length - 1], address: 'Bench address', postcode: `SO18 ${k % 10}AB`, kind: 'home' }).execute()
      }
      const start = performance.now()
      await service.check(ctx, { givenName: p.given_name, familyName: p.family_name, dateOfBirth: p.date_of_birth, gender: p.gender, postcode: null, nhsNumber: null })
      after.push(performance.now() - start)
    }
    after.sort((a, b) => a - b)
    const now = await entryIndex(db)
    console.log(`after a change: ${after.length} checks: p50 ${ms(quantile(after, 0.5))}, p95 ${ms(quantile(after, 0.95))}, max ${ms(after[after.length - 1])}; full rebuilds meanwhile: ${now.builds - before}`)

    // What every change cost before: a full build from the database (a second instance starting).
    const rebuilds: number[] = []
    for (let k = 0; k < 3; k++) {
      const other = await open()
      t = performance.now()
      await entryIndex(other.db)
      rebuilds.push(performance.now() - t)
      await other.close()
    }
    console.log(`full build by another instance (model stored): ${rebuilds.map((x) => x.toFixed(0)).join(', ')} ms`)

    await db.deleteFrom('person_addresses').where('person_id', 'in', made.length ? made : ['00000000-0000-0000-0000-000000000000']).execute()
    await db.deleteFrom('people').where('id', 'in', made.length ? made : ['00000000-0000-0000-0000-000000000000']).execute()

    // Deduplicating the register as a run (an analyst's "Find duplicates among Lantern's people"),
    // all inside one request: load the people the analyst may see, train, score, store the pairs.
    const runs = runsService(deps)
    const analystRow = (await users.findByEmail('analyst@lantern.test'))!
    const analyst = { user: (await users.currentUser(analystRow.id))!, requestId: 'bench' }
    t = performance.now()
    const created = await runs.peopleRun(analyst, { name: `Bench ${new Date().toISOString()}`, reviewFrom: 0.1, matchFrom: 0.9 })
    const wall = performance.now() - t
    if (!created.ok) throw new Error(JSON.stringify(created.errors))
    const run = await db.selectFrom('linkage_runs').selectAll().where('id', '=', created.value).executeTakeFirstOrThrow()
    console.log(
      `people run (analyst): ${run.left_rows.toLocaleString('en-GB')} people, ${Number(run.candidate_pairs).toLocaleString('en-GB')} candidate pairs, ` +
        `${run.match_pairs} matches and ${run.review_pairs} to review (m ${(run.mapping as { mSource?: string }).mSource}); matching ${Number(run.seconds).toFixed(1)} s, whole request ${(wall / 1000).toFixed(1)} s`,
    )
    await db.deleteFrom('linkage_run_pairs').where('run_id', '=', run.id).execute()
    await db.deleteFrom('linkage_runs').where('id', '=', run.id).execute()
    console.log(`load average after: ${os.loadavg().map((l) => l.toFixed(2)).join(', ')}`)
  }
} finally {
  await database.close()
  await bench.drop()
}
