/**
 * What keeping Lantern's own counts and the judgements of them saves the indicators dashboard: the
 * dashboard as the analyst sees it, counted as it is read (nothing kept: the page counts every
 * Lantern series itself, as before migration 0510), the kept counts judged as the page is read (as
 * before migration 0850), and the kept counts with their kept judgements, in the same run and
 * alternating, with the time the job takes to count them all again and to judge them.
 *
 *   createdb lantern_bench_kept
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/lantern_bench_kept npx lantern seed --demo --scale county
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/lantern_bench_kept node --import tsx bench/indicators-kept.ts [--runs 3]
 *
 * It deletes the kept counts and judgements of that database while it runs (a throwaway database: the job
 * counts them again within five minutes of a server starting on it).
 */
import { sql } from 'kysely'
import { openDatabase } from '../src/db/index.ts'
import { migrateToLatest } from '../src/db/migrate.ts'
import { loadConfig } from '../src/config.ts'
import { moduleDeps } from '../src/composition.ts'
import { systemClock } from '../src/kernel/clock.ts'
import { indicatorsService } from '../src/modules/indicators/service.ts'
import { analystContext } from './support/analyst.ts'
import { benchArgs } from './support/args.ts'
import { loadAverage, machineLine } from './support/machine.ts'
import { summary } from './support/stats.ts'

const { number } = benchArgs()
const RUNS = number('runs', 3)
const url = process.env.DATABASE_URL
if (!url?.startsWith('postgres')) {
  console.error('Set DATABASE_URL to a throwaway database on the PostgreSQL server, seeded with `lantern seed --demo --scale county`.')
  process.exit(1)
}
const handle = await openDatabase({ url, poolSize: 4 })
const db = handle.db
await migrateToLatest(db)
const ctx = await analystContext(db)
const service = indicatorsService(moduleDeps({ db, config: loadConfig({ LOG_LEVEL: 'silent' }), clock: systemClock }))
const people = Number((await sql<{ n: number }>`select count(*) as n from people`.execute(db)).rows[0].n)
console.log(machineLine())
console.log(`load at start: ${loadAverage()}; ${people.toLocaleString('en-GB')} people`)

const time = async (fn: () => Promise<unknown>) => {
  const t = performance.now()
  await fn()
  return performance.now() - t
}
const counted: number[] = []
const judgedAsRead: number[] = []
const kept: number[] = []
const refresh: number[] = []
const judging: number[] = []
try {
  for (let run = 0; run < RUNS; run++) {
    await sql`delete from derived_series_refreshes`.execute(db)
    counted.push(await time(() => service.dashboard(ctx)))
    refresh.push(await time(() => service.refreshDerivedSeries()))
    // The kept counts judged as the page is read (as before migration 0850), then the kept judgements.
    for (let i = 0; i < 2; i++) {
      await sql`delete from indicator_judgements`.execute(db)
      judgedAsRead.push(await time(() => service.dashboard(ctx)))
    }
    judging.push(await time(() => service.keepJudgements()))
    for (let i = 0; i < 5; i++) kept.push(await time(() => service.dashboard(ctx)))
    console.log(`run ${run + 1}: counted as read ${counted.at(-1)!.toFixed(0)} ms, job ${refresh.at(-1)!.toFixed(0)} ms, kept counts judged as read ${judgedAsRead.slice(-2).map((k) => k.toFixed(0)).join(' ')} ms, judging ${judging.at(-1)!.toFixed(0)} ms, kept judgements ${kept.slice(-5).map((k) => k.toFixed(0)).join(' ')} ms; load ${loadAverage()}`)
  }
  const c = summary(counted)
  const j = summary(judgedAsRead)
  const k = summary(kept)
  console.log(`\n| dashboard (analyst) | runs | median ms | p95 ms |\n|---|---:|---:|---:|`)
  console.log(`| counted as it is read | ${counted.length} | ${c.p50.toFixed(0)} | ${c.p95.toFixed(0)} |`)
  console.log(`| kept counts, judged as it is read | ${judgedAsRead.length} | ${j.p50.toFixed(0)} | ${j.p95.toFixed(0)} |`)
  console.log(`| kept counts and judgements | ${kept.length} | ${k.p50.toFixed(0)} | ${k.p95.toFixed(0)} |`)
  console.log(`counted / kept (medians): ${(c.p50 / k.p50).toFixed(1)}×; judged as read / kept judgements: ${(j.p50 / k.p50).toFixed(1)}×; the job counting every series again: median ${summary(refresh).p50.toFixed(0)} ms, judging every family: ${summary(judging).p50.toFixed(0)} ms`)
  console.log(`load at end: ${loadAverage()}`)
} finally {
  await handle.close()
}
