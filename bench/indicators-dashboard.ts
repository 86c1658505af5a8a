/**
 * How long the indicators pages take to compute on a realistic database: the demo partnership
 * (the foundation and the indicators demo: ten years of monthly counts for 16 areas, the
 * catalogue, strategy and reports) plus, when
 * ../shared is present, the 15 Devon and Cornwall police.uk months (another 17 areas).
 *
 *   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test node --import tsx bench/indicators-dashboard.ts
 *   node --import tsx bench/indicators-dashboard.ts            # embedded PGlite, in memory
 *
 * Prints the median of several runs of: the dashboard (every indicator in every area: latest
 * value, RAG, Farrington on the latest month and the rolling 12-month test), an indicator page
 * (Farrington over 36 months), the strategy's progress, and building an annual performance report.
 */
import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { openDatabase, type DatabaseHandle } from '../src/db/index.ts'
import { migrateToLatest } from '../src/db/migrate.ts'
import { seedDemo } from '../src/demo/seed.ts'
import { indicatorsModule } from '../src/modules/indicators/module.ts'
import { loadConfig } from '../src/config.ts'
import { moduleDeps } from '../src/composition.ts'
import { startingAt } from '../src/kernel/clock.ts'
import { indicatorsService } from '../src/modules/indicators/service.ts'
import { strategyProgress } from '../src/modules/indicators/strategy.ts'
import { buildReportContent } from '../src/modules/indicators/report-content.ts'
import { importPoliceUk } from '../src/modules/indicators/police-uk/import.ts'
import { addDevonAndCornwallAreas } from '../test/support/police-uk-fixture.ts'
import { benchDatabase } from './support/database.ts'
import { analystContext } from './support/analyst.ts'

const TODAY = new Date('2026-11-23T10:00:00Z')
const serverUrl = process.env.TEST_DATABASE_URL
let handle: DatabaseHandle
let drop: (() => Promise<void>) | null = null
if (serverUrl) {
  const bench = await benchDatabase(serverUrl, 'indicators')
  handle = await openDatabase({ url: bench.url, poolSize: 4 })
  drop = bench.drop
} else {
  handle = await openDatabase({})
}

async function median(label: string, runs: number, fn: () => Promise<unknown>) {
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const t = performance.now()
    await fn()
    times.push(performance.now() - t)
  }
  times.sort((a, b) => a - b)
  return [label, Math.round(times[Math.floor(times.length / 2)])] as const
}

try {
  const db = handle.db
  await migrateToLatest(db)
  const t0 = performance.now()
  // The foundation and the indicators demo only: the other modules' demos are not what is measured.
  await seedDemo(db, [indicatorsModule], { today: TODAY })
  const seedMs = Math.round(performance.now() - t0)
  const shared = path.resolve('../shared/data/police-uk/devon-and-cornwall')
  let imported = 0
  if (existsSync(shared)) {
    const files = readdirSync(shared).filter((f) => f.endsWith('.csv')).sort()
    // The import never creates areas: Devon and Cornwall's are added as an administrator would.
    await addDevonAndCornwallAreas(db)
    const summary = await importPoliceUk(db, files.map((f) => ({ name: f, size: statSync(path.join(shared, f)).size, open: () => createReadStream(path.join(shared, f)) })), { via: 'cli' })
    imported = summary.rows
  }
  const ctx = await analystContext(db, ['indicators:view', 'indicators:edit', 'indicators:import'])
  const service = indicatorsService(moduleDeps({ db, config: loadConfig({ LOG_LEVEL: 'silent' }), clock: startingAt(TODAY) }))
  const county = await db.selectFrom('areas').select('id').where('code', '=', 'E10000014').executeTakeFirstOrThrow()
  const series = await db.selectFrom('crime_counts').select(({ fn }) => [fn.countAll<number>().as('n')]).executeTakeFirstOrThrow()
  const dashboard = await service.dashboard(ctx)
  const results = [
    await median('dashboard (every indicator x every area)', 5, () => service.dashboard(ctx)),
    await median('indicator page, 36 months of Farrington', 5, () => service.indicator(ctx, 'drug-offences', county.id)),
    await median('strategy progress', 5, () => strategyProgress(db, '2026-11-23', 'protected')),
    await median('annual performance report, built', 3, () =>
      buildReportContent(db, { title: 'Bench', meeting: null, area_id: county.id, period_from: '2025-04-01', period_to: '2026-03-01', commentary: null }, '2026-11-23'),
    ),
  ]
  console.log(
    JSON.stringify(
      {
        database: handle.kind,
        demoSeedMs: seedMs,
        policeUkRowsImported: imported,
        crimeCountRows: Number(series.n),
        areasOnDashboard: dashboard.areas.length,
        indicators: dashboard.rows.length,
        alertsInArea: dashboard.alerts.length,
        alertsElsewhere: dashboard.elsewhere.length,
        medianMs: Object.fromEntries(results),
      },
      null,
      2,
    ),
  )
} finally {
  await handle.close()
  await drop?.()
}
