import { sql } from 'kysely'
import { once } from 'node:events'
import type { Db } from '../../../db/index.ts'
import type { CopyIn } from '../../../db/bulk.ts'
import type { ImportedFile, ImportedMonth } from '../tables.ts'

/** The columns of `crimes` the import writes, in order, with their types; the import's id comes last. */
const COLUMNS = [
  ['month', 'date'],
  ['crime_id', 'text'],
  ['reported_by', 'text'],
  ['falls_within', 'text'],
  ['longitude', 'float8'],
  ['latitude', 'float8'],
  ['location', 'text'],
  ['lsoa_code', 'text'],
  ['lsoa_name', 'text'],
  ['crime_type', 'text'],
  ['last_outcome', 'text'],
  ['context', 'text'],
  ['force_area_id', 'uuid'],
  ['area_id', 'uuid'],
  ['import_id', 'uuid'],
] as const

/** One crime's values in COLUMNS order, without the import's id. */
export type CrimeValues = unknown[]

export interface CrimeWriter {
  write(values: CrimeValues): Promise<void> | void
  /** Sends what is buffered and ends the load; safe to call once whatever happened before. */
  end(): Promise<void>
}

/** COPY's text format: backslash, tab and line breaks escaped, \N for null. */
const COPY_SPECIAL = /[\\\t\n\r]/
function copyField(v: unknown): string {
  if (v === null || v === undefined) return '\\N'
  // Numbers, dates' text and ids never hold one of COPY's special characters.
  if (typeof v !== 'string') return String(v)
  return COPY_SPECIAL.test(v) ? v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : v
}

/** Streams rows into `crimes` with COPY FROM STDIN, in chunks of about 256 kB, waiting when the server is behind. */
function copyWriter(copyIn: CopyIn, importId: string): CrimeWriter {
  const stream = copyIn(`copy crimes (${COLUMNS.map(([c]) => c).join(', ')}) from stdin`)
  let failure: Error | undefined
  stream.on('error', (err: Error) => (failure ??= err))
  // Lines are kept apart and joined once a chunk: appending each to one string built a rope of
  // tens of thousands of pieces, and flattening it for the socket cost more than making the lines.
  let lines: string[] = []
  let size = 0
  const take = () => {
    const full = lines.join('')
    lines = []
    size = 0
    return full
  }
  const send = async () => {
    if (failure) throw failure
    // once() rejects should the stream fail while waiting.
    if (!stream.write(take())) await once(stream, 'drain')
  }
  let ended = false
  return {
    write(values) {
      let line = ''
      for (const v of values) line += `${copyField(v)}\t`
      line += `${importId}\n`
      lines.push(line)
      size += line.length
      if (size >= 262_144) return send()
    },
    async end() {
      if (ended) return
      ended = true
      if (lines.length && !failure) stream.write(take())
      stream.end()
      if (!stream.writableFinished && !failure) await once(stream, 'finish').catch(() => undefined)
      if (failure) throw failure
    },
  }
}

/** Inserts batches with one array parameter per column, unnested by the server (PGlite, which has no COPY FROM STDIN). */
function batchWriter(db: Db, importId: string, batchSize: number): CrimeWriter {
  let batch: unknown[][] = COLUMNS.map(() => [])
  let length = 0
  const flush = async () => {
    if (!length) return
    const full = batch
    batch = COLUMNS.map(() => [])
    length = 0
    const names = sql.raw(COLUMNS.map(([c]) => c).join(', '))
    const arrays = sql.join(COLUMNS.map(([, type], i) => sql`${full[i]}::${sql.raw(type)}[]`))
    await sql`insert into crimes (${names}) select * from unnest(${arrays})`.execute(db)
  }
  return {
    write(values) {
      for (let i = 0; i < values.length; i++) batch[i].push(values[i])
      batch[values.length].push(importId)
      if (++length >= batchSize) return flush()
    },
    end: flush,
  }
}

/** Where the import writes crimes: COPY on PostgreSQL, batched inserts on PGlite. */
export function crimeWriter(db: Db, copyIn: CopyIn | null, importId: string, batchSize = 5000): CrimeWriter {
  return copyIn ? copyWriter(copyIn, importId) : batchWriter(db, importId, batchSize)
}

/**
 * The rows imported before for these months of a force (under any of `forceAreaIds`), per month:
 * deleted when `importId` is the import replacing them, only counted for a dry run (null).
 */
export async function replaceEarlierRows(db: Db, forceAreaIds: string[], months: string[], importId: string | null): Promise<{ month: string; rows: number }[]> {
  const where = sql`force_area_id = any(${forceAreaIds}::uuid[]) and month = any(${months}::date[])`
  const { rows } = importId
    ? await sql<{ month: string; rows: number }>`
        with gone as (delete from crimes where ${where} and import_id <> ${importId}::uuid returning month)
        select month::text as month, count(*)::int as rows from gone group by month`.execute(db)
    : await sql<{ month: string; rows: number }>`select month::text as month, count(*)::int as rows from crimes where ${where} group by month`.execute(db)
  return rows
}

/**
 * Recounts months of one force (the first of `forceAreaIds`; the others are former names whose
 * counts go): per category for the force, each local authority, and their parent areas, from one
 * pass over the months' crimes.
 */
export async function refreshCounts(db: Db, forceAreaIds: string[], months: string[]) {
  const [forceAreaId] = forceAreaIds
  await db.deleteFrom('crime_counts').where('force_area_id', 'in', forceAreaIds).where('month', 'in', months).execute()
  // Rows just loaded have no statistics yet, so the planner guesses a few dozen and sorts them: on
  // the 15 Devon and Cornwall months that sort spilled 171,542 rows to disk (8.5 MB) and took most
  // of the count's time. The groups (areas x months x categories) are a few thousand at most, so
  // hashing them is right whatever the statistics say. Only for this statement of the transaction.
  await sql`set local enable_sort = off`.execute(db)
  await sql`
    with per_area as (
      select area_id, month, crime_type, count(*) as n
        from crimes where force_area_id = ${forceAreaId}::uuid and month = any(${months}::date[])
        group by area_id, month, crime_type
    )
    insert into crime_counts (force_area_id, area_id, month, category, count)
    select ${forceAreaId}::uuid, area, month, category, sum(n)::int from (
      select ${forceAreaId}::uuid as area, month, crime_type as category, n from per_area
      union all
      select area_id, month, crime_type, n from per_area where area_id is not null
      union all
      select a.parent_id, p.month, p.crime_type, p.n from per_area p join areas a on a.id = p.area_id where a.parent_id is not null
    ) t
    group by area, month, category`.execute(db)
  await sql`set local enable_sort to default`.execute(db)
}

/** The months (YYYY-MM-01) already counted for these force areas: those an import has rows to replace in. */
export async function countedMonths(db: Db, forceAreaIds: string[], months: string[]): Promise<string[]> {
  if (!forceAreaIds.length || !months.length) return []
  const rows = await db
    .selectFrom('crime_counts')
    .select('month')
    .distinct()
    .where('force_area_id', 'in', forceAreaIds)
    .where(sql<boolean>`area_id = force_area_id`)
    .where('month', 'in', months)
    .execute()
  return rows.map((r) => r.month)
}

/**
 * Crimes made up for the demo, one by one, as one finished import (`via` demo), stamped at the
 * demo's own `at` (its day) rather than the real clock, so the demo reads the same whenever it is loaded.
 */
export async function insertDemoCrimes(db: Db, force: { id: string; name: string }, crimes: readonly { month: string; category: string; area: string; lon: number; lat: number }[], at: Date) {
  if (!crimes.length) return
  // Recorded as a real import is, so the imports page lists it the same way.
  const perMonth = new Map<string, number>()
  for (const c of crimes) perMonth.set(c.month.slice(0, 7), (perMonth.get(c.month.slice(0, 7)) ?? 0) + 1)
  const months: ImportedMonth[] = [...perMonth].map(([month, rows]) => ({ month, force: force.name, rows, replaced: 0, outside: 0, withoutLocation: 0 }))
  const files: ImportedFile[] = [...perMonth].map(([month, rows]) => ({ name: `${month}-demo-street.csv`, rows }))
  const { id } = await db
    .insertInto('police_uk_imports')
    .values({ via: 'demo', files: JSON.stringify(files), months: JSON.stringify(months), rows: crimes.length, replaced_rows: 0, started_at: at, finished_at: at, duration_ms: 0 })
    .returning('id')
    .executeTakeFirstOrThrow()
  for (let i = 0; i < crimes.length; i += 5000) {
    const part = crimes.slice(i, i + 5000)
    await sql`insert into crimes (month, reported_by, falls_within, longitude, latitude, location, crime_type, force_area_id, area_id, import_id)
      select m, ${force.name}, ${force.name}, lon, lat, 'On or near a street in the demo', category, ${force.id}::uuid, area, ${id}::uuid
      from unnest(${part.map((c) => c.month)}::date[], ${part.map((c) => c.lon)}::float8[], ${part.map((c) => c.lat)}::float8[], ${part.map((c) => c.category)}::text[], ${part.map((c) => c.area)}::uuid[]) as t(m, lon, lat, category, area)`.execute(db)
  }
}
