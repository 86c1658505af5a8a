/**
 * police.uk import speed against PostgreSQL's own COPY, in the same run: all 15 months of Devon
 * and Cornwall street-level crime (171,542 rows) imported by Lantern into a fresh, migrated
 * database, beside `COPY … FROM STDIN (FORMAT csv)` of the same files into a bare table of the
 * same columns (no index, no checks: what `psql \copy` does). Rounds alternate the two; medians and
 * their ratio are printed, then the counts are checked against the files, the lot is imported again
 * (every month replaced), and the PGlite figure is measured beside it.
 *
 *   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test node --import tsx bench/indicators-import.ts [--rounds 3] [--no-pglite]
 *
 * Target (issue 20): Lantern within 3x of COPY.
 */
import { createReadStream, readdirSync, readFileSync } from 'node:fs'
import { pipeline } from 'node:stream/promises'
import path from 'node:path'
import pg from 'pg'
import { from as copyFrom } from 'pg-copy-streams'
import { sql } from 'kysely'
import { openDatabase, type DatabaseHandle } from '../src/db/index.ts'
import { migrateToLatest } from '../src/db/migrate.ts'
import { fileImportSource, importPoliceUk } from '../src/modules/indicators/police-uk/import.ts'
import { addDevonAndCornwallAreas } from '../test/support/police-uk-fixture.ts'
import { benchArgs } from './support/args.ts'
import { benchDatabase } from './support/database.ts'
import { machineLine, processCpuMs } from './support/machine.ts'
import { summary } from './support/stats.ts'

const serverUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL
if (!serverUrl) {
  console.error('Set TEST_DATABASE_URL to a PostgreSQL server (throwaway databases are created on it).')
  process.exit(1)
}
const args = benchArgs()
const rounds = args.number('rounds', 3)
const dir = path.resolve('../shared/data/police-uk/devon-and-cornwall')
const files = readdirSync(dir).filter((f) => f.endsWith('.csv')).sort()
// As the command line reads them.
const sources = files.map((f) => fileImportSource(path.join(dir, f)))
const bytes = sources.reduce((s, f) => s + (f.size ?? 0), 0)

/** A fresh database with Lantern's schema and the Devon and Cornwall areas (the import never creates areas). */
async function lanternDatabase(open: () => Promise<DatabaseHandle>) {
  const handle = await open()
  await migrateToLatest(handle.db)
  await addDevonAndCornwallAreas(handle.db)
  return handle
}

/** CPU ms used so far by the server processes serving a database (the machine is shared: CPU is the steadier figure). */
async function serverCpuMs(database: string) {
  const client = new pg.Client({ connectionString: serverUrl })
  await client.connect()
  try {
    const { rows } = await client.query<{ pid: number }>('select pid from pg_stat_activity where datname = $1', [database])
    return rows.reduce((s, r) => s + processCpuMs(r.pid), 0)
  } finally {
    await client.end()
  }
}

async function timeLantern(handle: DatabaseHandle, database?: string) {
  const server0 = database ? await serverCpuMs(database) : 0
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  const result = await importPoliceUk(handle.db, sources, { via: 'cli' })
  const seconds = (performance.now() - t0) / 1000
  const cpu = process.cpuUsage(cpu0)
  const server = database ? await serverCpuMs(database) : 0
  return { seconds, result, cpuSeconds: ((cpu.user + cpu.system) / 1000 + server - server0) / 1000 }
}

/** COPY of the same files, as they are, into a bare table of the CSV's columns. */
async function timeCopy(url: string) {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query('drop table if exists bare_crimes')
    await client.query(`create table bare_crimes (crime_id text, month text, reported_by text, falls_within text, longitude float8, latitude float8,
      location text, lsoa_code text, lsoa_name text, crime_type text, last_outcome text, context text)`)
    const { rows: who } = await client.query<{ pid: number }>('select pg_backend_pid() as pid')
    const server0 = processCpuMs(who[0].pid)
    const t0 = performance.now()
    await client.query('begin')
    for (const f of files) await pipeline(createReadStream(path.join(dir, f)), client.query(copyFrom('copy bare_crimes from stdin (format csv, header true)')))
    await client.query('commit')
    const seconds = (performance.now() - t0) / 1000
    const cpuSeconds = (processCpuMs(who[0].pid) - server0) / 1000
    const { rows } = await client.query<{ n: number }>('select count(*)::int as n from bare_crimes')
    return { seconds, cpuSeconds, rows: rows[0].n }
  } finally {
    await client.end()
  }
}

/** Mismatches between the force's stored counts and the files counted directly. */
async function countMismatches(handle: DatabaseHandle) {
  let mismatches = 0
  for (const file of files) {
    const lines = readFileSync(path.join(dir, file), 'utf8').split(/\r?\n/).slice(1).filter(Boolean)
    const month = lines[0].split(',')[1]
    const direct = new Map<string, number>()
    for (const line of lines) direct.set(line.split(',')[9], (direct.get(line.split(',')[9]) ?? 0) + 1)
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
  return mismatches
}

const lantern: number[] = []
const copy: number[] = []
// CPU seconds: Lantern's process and the server's for its database; COPY's server process (psql's own is negligible).
const lanternCpu: number[] = []
const copyCpu: number[] = []
let copyRows = 0
let checks: Record<string, unknown> = {}
const machineBefore = machineLine()
for (let round = 0; round < rounds; round++) {
  const copyDb = await benchDatabase(serverUrl, 'copy')
  try {
    const c = await timeCopy(copyDb.url)
    copy.push(c.seconds)
    copyCpu.push(c.cpuSeconds)
    copyRows = c.rows
  } finally {
    await copyDb.drop()
  }
  const bench = await benchDatabase(serverUrl, 'import')
  const handle = await lanternDatabase(() => openDatabase({ url: bench.url, poolSize: 2 }))
  try {
    const { seconds, result, cpuSeconds } = await timeLantern(handle, bench.name)
    lantern.push(seconds)
    lanternCpu.push(cpuSeconds)
    if (round === 0) {
      const again = await timeLantern(handle)
      const total = await handle.db.selectFrom('crimes').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()
      checks = {
        rows: result.rows,
        outsideRows: result.outsideRows,
        reimportSeconds: +again.seconds.toFixed(2),
        replacedRows: again.result.replacedRows,
        rowsStoredAfterReimport: total.n,
        countMismatches: await countMismatches(handle),
      }
    }
  } finally {
    await handle.close()
    await bench.drop()
  }
}

let pglite: number | undefined
if (!args.flag('no-pglite')) {
  const handle = await lanternDatabase(() => openDatabase({}))
  try {
    pglite = (await timeLantern(handle)).seconds
  } finally {
    await handle.close()
  }
}

const lanternMedian = summary(lantern).p50
const copyMedian = summary(copy).p50
const ratio = lanternMedian / copyMedian
console.log(
  JSON.stringify(
    {
      machine: machineBefore,
      machineAfter: machineLine(),
      files: files.length,
      megabytes: +(bytes / 1e6).toFixed(1),
      copyRows,
      rounds,
      lanternPostgresSeconds: lantern.map((s) => +s.toFixed(2)),
      copySeconds: copy.map((s) => +s.toFixed(2)),
      lanternMedianSeconds: +lanternMedian.toFixed(2),
      copyMedianSeconds: +copyMedian.toFixed(2),
      ratioToCopy: +ratio.toFixed(2),
      lanternCpuSeconds: lanternCpu.map((s) => +s.toFixed(2)),
      copyCpuSeconds: copyCpu.map((s) => +s.toFixed(2)),
      cpuRatioToCopy: +(summary(lanternCpu).p50 / summary(copyCpu).p50).toFixed(2),
      lanternPgliteSeconds: pglite === undefined ? null : +pglite.toFixed(2),
      ...checks,
      target: 'Lantern within 3x of COPY',
      pass: ratio <= 3 && checks.countMismatches === 0 && checks.rowsStoredAfterReimport === checks.rows && copyRows === checks.rows,
    },
    null,
    2,
  ),
)
