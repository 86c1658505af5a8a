import { sql } from 'kysely'
import { createReadStream, statSync } from 'node:fs'
import path from 'node:path'
import type { Readable } from 'node:stream'
import type { Db } from '../../../db/index.ts'
import type { ImportVia, ImportedFile, ImportedMonth } from '../tables.ts'
import { KNOWN_AREAS, localAuthorityOf, provisionalCode } from './areas.ts'
import { csvRecords, CsvSyntaxError } from './csv-records.ts'

/** police.uk's street-level crime header, in order. */
export const STREET_HEADER = [
  'Crime ID',
  'Month',
  'Reported by',
  'Falls within',
  'Longitude',
  'Latitude',
  'Location',
  'LSOA code',
  'LSOA name',
  'Crime type',
  'Last outcome category',
  'Context',
] as const

/** One file to import: a name for messages and a way to read it as a stream. */
export interface ImportSource {
  name: string
  /** Size in bytes, for the progress bar. */
  size?: number
  open(): Readable
}

/** A file on disk as an import source (the CLI's, and the server's when the CLI forwards to it). */
export function fileImportSource(file: string): ImportSource {
  return { name: path.basename(file), size: statSync(file).size, open: () => createReadStream(file) }
}

export interface ImportProblem {
  file: string
  line: number
  message: string
}

/** The import found malformed rows: nothing was imported. */
export class PoliceUkImportError extends Error {
  constructor(readonly problems: ImportProblem[]) {
    super(problems.map((p) => `${p.file} line ${p.line}: ${p.message}`).join('\n'))
  }
}

export interface ImportProgress {
  file: string
  bytes: number
  totalBytes: number
  rows: number
}

export interface ImportOptions {
  via: ImportVia
  userId?: string | null
  onProgress?(progress: ImportProgress): void
  /** Runs inside the import's transaction after the rows are in (for the audit event). */
  beforeCommit?(trx: Db, summary: ImportSummary): Promise<void>
  /** Rows per insert statement. */
  batchSize?: number
  /** Stop after this many problems (they are all reported). */
  maxProblems?: number
}

export interface ImportSummary {
  importId: string
  files: ImportedFile[]
  months: ImportedMonth[]
  rows: number
  replacedRows: number
  createdAreas: { name: string; code: string; kind: string }[]
  durationMs: number
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/
const LSOA_CODE = /^[EWSN]\d{8}$/

interface Row {
  month: string
  crimeId: string | null
  reportedBy: string
  fallsWithin: string
  longitude: number | null
  latitude: number | null
  location: string | null
  lsoaCode: string | null
  lsoaName: string | null
  crimeType: string
  lastOutcome: string | null
  context: string | null
  localAuthority: string | null
}

const blank = (v: string) => (v.trim() === '' ? null : v.trim())

function coordinate(v: string, limit: number, what: string): number | null | string {
  if (v.trim() === '') return null
  const n = Number(v)
  if (!Number.isFinite(n) || Math.abs(n) > limit) return `${what} "${v}" is not a number between -${limit} and ${limit}`
  return n
}

/** Checks one data row; returns the row or what is wrong with it. */
export function checkRow(cells: string[]): Row | string {
  if (cells.length !== STREET_HEADER.length) return `expected ${STREET_HEADER.length} columns, found ${cells.length}`
  const [crimeId, month, reportedBy, fallsWithin, lon, lat, location, lsoaCode, lsoaName, crimeType, lastOutcome, context] = cells
  if (!MONTH.test(month.trim())) return `Month "${month}" is not a month like 2019-05`
  if (!reportedBy.trim()) return 'Reported by is empty'
  if (!fallsWithin.trim()) return 'Falls within is empty'
  if (!crimeType.trim()) return 'Crime type is empty'
  const longitude = coordinate(lon, 180, 'Longitude')
  if (typeof longitude === 'string') return longitude
  const latitude = coordinate(lat, 90, 'Latitude')
  if (typeof latitude === 'string') return latitude
  if (lsoaCode.trim() && !LSOA_CODE.test(lsoaCode.trim())) return `LSOA code "${lsoaCode}" is not a code like E01018936`
  let localAuthority: string | null = null
  if (lsoaName.trim()) {
    localAuthority = localAuthorityOf(lsoaName)
    if (!localAuthority) return `LSOA name "${lsoaName}" does not end with a code like 029C`
  }
  return {
    month: `${month.trim()}-01`,
    crimeId: blank(crimeId),
    reportedBy: reportedBy.trim(),
    fallsWithin: fallsWithin.trim(),
    longitude,
    latitude,
    location: blank(location),
    lsoaCode: blank(lsoaCode),
    lsoaName: blank(lsoaName),
    crimeType: crimeType.trim(),
    lastOutcome: blank(lastOutcome),
    context: blank(context),
    localAuthority,
  }
}

/** Finds the areas rows belong to, creating the force and local authorities met for the first time. */
class AreaResolver {
  private byName = new Map<string, string>()
  readonly created: ImportSummary['createdAreas'] = []
  constructor(private readonly db: Db) {}

  async load() {
    for (const a of await this.db.selectFrom('areas').select(['id', 'name']).execute()) this.byName.set(a.name.toLowerCase(), a.id)
  }

  private async ensure(name: string, kind: 'force' | 'local_authority'): Promise<string> {
    const existing = this.byName.get(name.toLowerCase())
    if (existing) return existing
    const known = KNOWN_AREAS[name]
    const parentId = known?.parent ? await this.ensure(known.parent, 'local_authority') : null
    const code = known?.code ?? provisionalCode(name, kind)
    const areaKind = known?.kind ?? (kind === 'force' ? 'force' : 'district')
    const inserted = await this.db
      .insertInto('areas')
      .values({ code, name, kind: areaKind, parent_id: parentId })
      .onConflict((oc) => oc.doNothing())
      .returning('id')
      .executeTakeFirst()
    const id = inserted?.id ?? (await this.db.selectFrom('areas').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id
    if (inserted) this.created.push({ name, code, kind: areaKind })
    this.byName.set(name.toLowerCase(), id)
    return id
  }

  force(name: string) {
    return this.ensure(name, 'force')
  }
  localAuthority(name: string) {
    return this.ensure(name, 'local_authority')
  }
}

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

/** Inserts many rows in one statement: one array parameter per column, unnested by the server. */
async function insertBatch(db: Db, columns: unknown[][]) {
  const names = sql.raw(COLUMNS.map(([c]) => c).join(', '))
  const arrays = sql.join(COLUMNS.map(([, type], i) => sql`${columns[i]}::${sql.raw(type)}[]`))
  await sql`insert into crimes (${names}) select * from unnest(${arrays})`.execute(db)
}

/** Recounts one force's month: per category for the force, each local authority, and their parent areas. */
export async function refreshCounts(db: Db, forceAreaId: string, month: string) {
  await db.deleteFrom('crime_counts').where('force_area_id', '=', forceAreaId).where('month', '=', month).execute()
  await sql`
    insert into crime_counts (force_area_id, area_id, month, category, count)
    select ${forceAreaId}::uuid, area, ${month}::date, category, sum(n)::int from (
      select force_area_id as area, crime_type as category, count(*) as n
        from crimes where force_area_id = ${forceAreaId}::uuid and month = ${month}::date
        group by force_area_id, crime_type
      union all
      select area_id, crime_type, count(*)
        from crimes where force_area_id = ${forceAreaId}::uuid and month = ${month}::date and area_id is not null
        group by area_id, crime_type
      union all
      select a.parent_id, c.crime_type, count(*)
        from crimes c join areas a on a.id = c.area_id
        where c.force_area_id = ${forceAreaId}::uuid and c.month = ${month}::date and a.parent_id is not null
        group by a.parent_id, c.crime_type
    ) t
    group by area, category`.execute(db)
}

/**
 * Imports police.uk street-level CSV files in one transaction. Each (force, month) met is
 * replaced: its earlier rows are deleted before the new ones go in, so importing a month twice
 * never double counts. Any malformed row aborts the whole import (nothing is kept) and is reported
 * with its file and line. Files are streamed; rows go in with one multi-row statement per batch.
 */
export async function importPoliceUk(db: Db, sources: ImportSource[], options: ImportOptions): Promise<ImportSummary> {
  const started = performance.now()
  const batchSize = options.batchSize ?? 5000
  const maxProblems = options.maxProblems ?? 20
  const totalBytes = sources.reduce((s, f) => s + (f.size ?? 0), 0)
  let bytesBefore = 0

  return db.transaction().execute(async (trx) => {
    const { id: importId } = await trx
      .insertInto('police_uk_imports')
      .values({ via: options.via, user_id: options.userId ?? null, files: '[]', months: '[]', rows: 0, replaced_rows: 0, duration_ms: null })
      .returning('id')
      .executeTakeFirstOrThrow()
    const areas = new AreaResolver(trx)
    await areas.load()

    const problems: ImportProblem[] = []
    const files: ImportedFile[] = []
    /** (force area, month) → what happened, and which file brought it. */
    const months = new Map<string, ImportedMonth & { forceAreaId: string; file: string }>()
    let rows = 0
    let batch: unknown[][] = COLUMNS.map(() => [])
    let batchLength = 0

    // One insert in flight while the next batch is parsed: reading and writing overlap.
    let inFlight: Promise<void> = Promise.resolve()
    const flush = async () => {
      await inFlight
      if (batchLength === 0 || problems.length) return
      const full = batch
      batch = COLUMNS.map(() => [])
      batchLength = 0
      inFlight = insertBatch(trx, full)
      // A failure surfaces at the next flush; keep it from being reported as unhandled meanwhile.
      inFlight.catch(() => undefined)
    }

    for (const source of sources) {
      const stream = source.open()
      let fileRows = 0
      let headerSeen = false
      let bytes = 0
      try {
        for await (const { record, line } of csvRecords(stream, (n) => (bytes += n))) {
          const info = { lines: line }
          if (!headerSeen) {
            headerSeen = true
            const header = record.map((c) => c.trim())
            if (header.length !== STREET_HEADER.length || header.some((c, i) => c !== STREET_HEADER[i])) {
              problems.push({ file: source.name, line: info.lines, message: `the header is not police.uk street-level crime (${STREET_HEADER.join(',')})` })
              break
            }
            continue
          }
          const row = checkRow(record)
          if (typeof row === 'string') {
            problems.push({ file: source.name, line: info.lines, message: row })
            if (problems.length >= maxProblems) break
            continue
          }
          if (problems.length) continue
          const forceAreaId = await areas.force(row.fallsWithin)
          const key = `${forceAreaId} ${row.month}`
          let month = months.get(key)
          if (!month) {
            month = { month: row.month.slice(0, 7), force: row.fallsWithin, rows: 0, replaced: 0, forceAreaId, file: source.name }
            months.set(key, month)
            await flush()
            const deleted = await trx.deleteFrom('crimes').where('force_area_id', '=', forceAreaId).where('month', '=', row.month).executeTakeFirst()
            month.replaced = Number(deleted.numDeletedRows)
          } else if (month.file !== source.name) {
            problems.push({
              file: source.name,
              line: info.lines,
              message: `${month.month} of ${month.force} is also in ${month.file}: import each month from one file`,
            })
            break
          }
          const areaId = row.localAuthority ? await areas.localAuthority(row.localAuthority) : null
          const values = [row.month, row.crimeId, row.reportedBy, row.fallsWithin, row.longitude, row.latitude, row.location, row.lsoaCode, row.lsoaName, row.crimeType, row.lastOutcome, row.context, forceAreaId, areaId, importId]
          for (let i = 0; i < values.length; i++) batch[i].push(values[i])
          batchLength++
          month.rows++
          fileRows++
          rows++
          if (batchLength >= batchSize) {
            await flush()
            options.onProgress?.({ file: source.name, bytes: bytesBefore + bytes, totalBytes, rows })
          }
        }
      } catch (err) {
        if (err instanceof CsvSyntaxError) {
          problems.push({ file: source.name, line: err.line, message: err.message })
        } else if ((err as NodeJS.ErrnoException).code) {
          problems.push({ file: source.name, line: 0, message: `cannot be read (${(err as NodeJS.ErrnoException).code})` })
        } else {
          throw err
        }
      }
      if (!headerSeen && !problems.length) problems.push({ file: source.name, line: 1, message: 'the file is empty' })
      if (problems.length >= maxProblems) break
      files.push({ name: source.name, rows: fileRows })
      bytesBefore += source.size ?? bytes
      options.onProgress?.({ file: source.name, bytes: bytesBefore, totalBytes, rows })
    }
    await inFlight.catch(() => undefined)
    if (problems.length) throw new PoliceUkImportError(problems)
    await flush()
    await inFlight

    for (const m of months.values()) await refreshCounts(trx, m.forceAreaId, `${m.month}-01`)

    const monthList = [...months.values()]
      .map(({ month, force, rows: n, replaced }) => ({ month, force, rows: n, replaced }))
      .sort((a, b) => a.force.localeCompare(b.force) || a.month.localeCompare(b.month))
    const summary: ImportSummary = {
      importId,
      files,
      months: monthList,
      rows,
      replacedRows: monthList.reduce((s, m) => s + m.replaced, 0),
      createdAreas: areas.created,
      durationMs: 0,
    }
    summary.durationMs = Math.round(performance.now() - started)
    await trx
      .updateTable('police_uk_imports')
      .set({
        finished_at: new Date(),
        files: JSON.stringify(files),
        months: JSON.stringify(monthList),
        rows,
        replaced_rows: summary.replacedRows,
        duration_ms: summary.durationMs,
      })
      .where('id', '=', importId)
      .execute()
    await options.beforeCommit?.(trx, summary)
    return summary
  })
}
