/**
 * The risk module's queries at county scale, on the real PostgreSQL server: the monthly counts the
 * indicators read, the register's "missing in the last 30 days" condition, a person's assessment
 * history and missing episodes, and the pure scoring engine.
 *
 *   createdb lantern_bench_risk
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/lantern_bench_risk node --import tsx bench/risk-queries.ts --seed-if-empty
 *
 * Prints each figure (median and 95th percentile of repeated runs) and the data it ran on.
 */
import os from 'node:os'
import { sql } from 'kysely'
import { openDatabase } from '../src/db/index.ts'
import { migrateToLatest } from '../src/db/migrate.ts'
import { seedDemo } from '../src/demo/seed.ts'
import { modules } from '../src/modules/index.ts'
import { SCALES, seedScale } from '../src/modules/register/scale-seed.ts'
import { DEFAULT_TOOL_V1 } from '../src/modules/risk/default-tool.ts'
import { scoreAssessment, type Answers } from '../src/modules/risk/scoring.ts'
import { assessmentsForPerson, ragCountsByAreaMonth } from '../src/modules/risk/store.ts'
import { missingEpisodesByAreaMonth, missingEpisodesForPerson, missingInLastDays } from '../src/modules/missing/store.ts'
import { nrmReferralsByMonth } from '../src/modules/referrals/store.ts'

const url = process.env.DATABASE_URL
if (!url?.startsWith('postgres')) {
  console.error('Set DATABASE_URL to a throwaway database on the PostgreSQL server.')
  process.exit(1)
}

const { db, close } = await openDatabase({ url, poolSize: 4 })
// Migrate only when asked to seed: a database seeded earlier is measured as it is.
if (process.argv.includes('--seed-if-empty')) await migrateToLatest(db)
const count = async (table: 'people' | 'risk_assessments' | 'missing_episodes' | 'nrm_referrals') => Number((await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(db)).rows[0].n)
if ((await count('people')) === 0) {
  if (!process.argv.includes('--seed-if-empty')) {
    console.error('The database is empty: pass --seed-if-empty to load the demo and the generated county.')
    process.exit(1)
  }
  const t = Date.now()
  await seedDemo(db, modules)
  await seedScale(db, SCALES.county, { seed: 20191105, today: new Date() })
  console.log(`seeded the demo and the county in ${((Date.now() - t) / 1000).toFixed(0)} s`)
}
await sql`analyze`.execute(db)

async function time(name: string, runs: number, fn: (i: number) => Promise<unknown>) {
  const ms: number[] = []
  await fn(0)
  for (let i = 0; i < runs; i++) {
    const t = performance.now()
    await fn(i)
    ms.push(performance.now() - t)
  }
  ms.sort((a, b) => a - b)
  const q = (p: number) => ms[Math.min(ms.length - 1, Math.floor(p * ms.length))].toFixed(1)
  console.log(`${name.padEnd(58)} median ${q(0.5).padStart(7)} ms   p95 ${q(0.95).padStart(7)} ms   (${runs} runs)`)
}

const today = new Date().toISOString().slice(0, 10)
const yearAgo = new Date(Date.now() - 365 * 86_400_000).toISOString().slice(0, 10)
console.log(
  `data: ${(await count('people')).toLocaleString('en-GB')} people, ${(await count('risk_assessments')).toLocaleString('en-GB')} assessments, ${(await count('missing_episodes')).toLocaleString('en-GB')} missing episodes, ${(await count('nrm_referrals')).toLocaleString('en-GB')} NRM referrals`,
)
console.log(`machine: ${os.cpus().length} cores (${os.cpus()[0]?.model}), Node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`)

await time('ragCountsByAreaMonth, 12 months', 10, () => ragCountsByAreaMonth(db, { from: yearAgo, to: today }))
await time('missingEpisodesByAreaMonth, 12 months', 20, () => missingEpisodesByAreaMonth(db, { from: yearAgo, to: today }))
await time('nrmReferralsByMonth, 12 months', 20, () => nrmReferralsByMonth(db, { from: yearAgo, to: today }))
await time('children missing in the last 30 days (count)', 20, () =>
  db.selectFrom('people as p').select(sql<number>`count(*)`.as('n')).where('p.kind', '=', 'child').where(missingInLastDays(30, 'p.id', new Date())).execute(),
)
const ids = (await sql<{ id: string }>`select id from people where kind = 'child' order by md5(id::text) limit 200`.execute(db)).rows.map((r) => r.id)
await time('assessmentsForPerson (200 children)', 200, (i) => assessmentsForPerson(db, ids[i % ids.length]))
await time('missingEpisodesForPerson (200 children)', 200, (i) => missingEpisodesForPerson(db, ids[i % ids.length]))

const keys = DEFAULT_TOOL_V1.groups.flatMap((g) => g.indicators.map((i) => i.key))
const answers: Answers = Object.fromEntries(keys.map((k, i) => [k, { status: i % 3 === 0 ? 'current' : i % 3 === 1 ? 'recent' : 'not_present' }]))
const t = performance.now()
const N = 100_000
for (let i = 0; i < N; i++) scoreAssessment(DEFAULT_TOOL_V1, answers, { age: 12 + (i % 6), flags: [] })
console.log(`scoreAssessment: ${Math.round(N / ((performance.now() - t) / 1000)).toLocaleString('en-GB')} assessments a second`)
await close()
