/**
 * Imports all 15 months of Devon and Cornwall police.uk street-level crime into a throwaway
 * database on the PostgreSQL server, times it, checks the counts against the files, imports the
 * lot again (every month replaced) and drops the database.
 *
 *   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test node --import tsx bench/indicators-import.ts
 *
 * Target: under 20 s for the 15 months.
 */
import { createReadStream, readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { sql } from 'kysely'
import { openDatabase } from '../src/db/index.ts'
import { migrateToLatest } from '../src/db/migrate.ts'
import { importPoliceUk, type ImportSource } from '../src/modules/indicators/police-uk/import.ts'
import { benchDatabase } from './support/database.ts'

const serverUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL
if (!serverUrl) {
  console.error('Set TEST_DATABASE_URL to a PostgreSQL server (a throwaway database is created on it).')
  process.exit(1)
}
const dir = path.resolve('../shared/data/police-uk/devon-and-cornwall')
const files = readdirSync(dir).filter((f) => f.endsWith('.csv')).sort()
const sources: ImportSource[] = files.map((f) => ({ name: f, size: statSync(path.join(dir, f)).size, open: () => createReadStream(path.join(dir, f)) }))
const bytes = sources.reduce((s, f) => s + (f.size ?? 0), 0)

const bench = await benchDatabase(serverUrl, 'import')
const handle = await openDatabase({ url: bench.url, poolSize: 2 })
try {
  await migrateToLatest(handle.db)
  const t0 = performance.now()
  const first = await importPoliceUk(handle.db, sources, { via: 'cli' })
  const firstSeconds = (performance.now() - t0) / 1000
  const t1 = performance.now()
  const second = await importPoliceUk(handle.db, sources, { via: 'cli' })
  const secondSeconds = (performance.now() - t1) / 1000

  // The counts agree with the files, counted directly.
  let mismatches = 0
  for (const file of files) {
    const lines = readFileSync(path.join(dir, file), 'utf8').split(/\r?\n/).slice(1).filter(Boolean)
    const month = lines[0].split(',')[1]
    const direct = new Map<string, number>()
    for (const line of lines) {
      const c = line.split(',')[9]
      direct.set(c, (direct.get(c) ?? 0) + 1)
    }
    const stored = await handle.db
      .selectFrom('crime_counts')
      .innerJoin('areas', 'areas.id', 'crime_counts.area_id')
      .select(['category', 'count'])
      .where('areas.kind', '=', 'force')
      .where('month', '=', `${month}-01`)
      .execute()
    for (const r of stored) if (direct.get(r.category) !== r.count) mismatches++
    if (stored.length !== direct.size) mismatches++
  }
  const total = await handle.db.selectFrom('crimes').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()
  console.log(
    JSON.stringify(
      {
        files: files.length,
        megabytes: +(bytes / 1e6).toFixed(1),
        rows: first.rows,
        firstImportSeconds: +firstSeconds.toFixed(2),
        rowsPerSecond: Math.round(first.rows / firstSeconds),
        reimportSeconds: +secondSeconds.toFixed(2),
        replacedRows: second.replacedRows,
        rowsStoredAfterReimport: total.n,
        countMismatches: mismatches,
        target: 'under 20 s',
        pass: firstSeconds < 20 && secondSeconds < 20 && mismatches === 0 && total.n === first.rows,
      },
      null,
      2,
    ),
  )
} finally {
  await handle.close()
  await bench.drop()
}
