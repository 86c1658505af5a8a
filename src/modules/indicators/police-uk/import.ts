import type { Db } from '../../../db/index.ts'
import { bulkTransaction } from '../../../db/bulk.ts'
import type { ImportVia, ImportedFile, ImportedMonth } from '../tables.ts'
import { localAuthorityOf, PartnershipAreas } from './areas.ts'
import { csvRecordBatches, CsvSyntaxError } from './csv-records.ts'
import { countedMonths, crimeWriter, refreshCounts, replaceEarlierRows } from './store.ts'
import { problemText, type ImportProblem, type ImportSource } from './sources.ts'
import { controlCharacterInFields } from '../../../kernel/control-characters.ts'

export { fileImportSource, problemText, type ImportProblem, type ImportSource } from './sources.ts'

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




/** The import found malformed rows: nothing was imported. */
export class PoliceUkImportError extends Error {
  constructor(readonly problems: ImportProblem[]) {
    super(problems.map(problemText).join('\n'))
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
  /** Rows per insert statement (PGlite; PostgreSQL streams them with COPY). */
  batchSize?: number
  /** Stop after this many problems (they are all reported). */
  maxProblems?: number
  /** Check the files and say what would be added, replaced and left out, writing nothing. */
  dryRun?: boolean
}

export interface ImportSummary {
  /** Null for a dry run, which records nothing. */
  importId: string | null
  files: ImportedFile[]
  months: Required<ImportedMonth>[]
  rows: number
  replacedRows: number
  /** Rows in local authorities outside the partnership: counted for the force, in no area. */
  outsideRows: number
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

/**
 * Checks one data row; returns the row or what is wrong with it. `suspect`: its text may hold a
 * control character (src/modules/indicators/police-uk/csv-records.ts), looked for before anything
 * reads a cell: PostgreSQL cannot store a NUL, and no control character is part of a crime's data.
 */
export function checkRow(cells: string[], suspect = true): Row | string {
  if (suspect) {
    const control = controlCharacterInFields(cells, (index) => `column ${index + 1} (${STREET_HEADER[index]})`)
    if (control) return control
  }
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

/** A force's month as the import meets it. */
interface MonthTally extends Required<ImportedMonth> {
  forceAreaId: string
  /** The file that brought the month: its place among the sources (two files can share a name) and its name. */
  source: number
  file: string
}

/**
 * Imports police.uk street-level CSV files in one transaction. A month of a force is the unit of
 * replacement, whatever name of the force its file uses (police_force_names): the rows imported
 * before for it are deleted once the new ones are in, so importing a month twice never double
 * counts. Rows are placed in the partnership's local authority their LSOA name begins with; rows
 * elsewhere are counted as outside the partnership. The import never creates areas. Any malformed
 * row aborts the whole import (nothing is kept) and is reported with its file and line. Files are
 * streamed; on PostgreSQL rows go in with COPY, and the counts are computed in SQL.
 */
export async function importPoliceUk(db: Db, sources: ImportSource[], options: ImportOptions): Promise<ImportSummary> {
  const started = performance.now()
  const maxProblems = options.maxProblems ?? 20
  const totalBytes = sources.reduce((s, f) => s + (f.size ?? 0), 0)
  let bytesBefore = 0

  return bulkTransaction(db, async (trx, copyIn) => {
    const importId = options.dryRun
      ? null
      : (
          await trx
            .insertInto('police_uk_imports')
            .values({ via: options.via, user_id: options.userId ?? null, files: '[]', months: '[]', rows: 0, replaced_rows: 0, duration_ms: null })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id
    const areas = await PartnershipAreas.load(trx)
    const writer = importId ? crimeWriter(trx, copyIn, importId, options.batchSize) : null

    const problems: ImportProblem[] = []
    const files: ImportedFile[] = []
    const unknownForces = new Set<string>()
    /** (force area, month) → what happened, and which file brought it. */
    const months = new Map<string, MonthTally>()
    let rows = 0

    try {
      for (const [sourceIndex, source] of sources.entries()) {
        let fileRows = 0
        let headerSeen = false
        let bytes = 0
        try {
          // Labelled: a problem that ends the file's reading leaves both loops.
          records: for await (const batch of csvRecordBatches(source.open(), (n) => (bytes += n))) for (const { record, line, suspect } of batch) {
            if (!headerSeen) {
              headerSeen = true
              const header = record.map((c) => c.trim())
              if (header.length !== STREET_HEADER.length || header.some((c, i) => c !== STREET_HEADER[i])) {
                problems.push({ file: source.name, line, message: `the header is not police.uk street-level crime (${STREET_HEADER.join(',')})` })
                break records
              }
              continue
            }
            const row = checkRow(record, suspect)
            if (typeof row === 'string') {
              problems.push({ file: source.name, line, message: row })
              if (problems.length >= maxProblems) break records
              continue
            }
            const force = areas.force(row.fallsWithin)
            if (!force) {
              if (!unknownForces.has(row.fallsWithin)) {
                unknownForces.add(row.fallsWithin)
                problems.push({
                  file: source.name,
                  line,
                  message: `Falls within "${row.fallsWithin}" is not a police force area in Lantern: add the force on the areas page, or its name as a former name of a force`,
                })
                if (problems.length >= maxProblems) break records
              }
              continue
            }
            if (problems.length) continue
            const key = `${force.id} ${row.month}`
            let month = months.get(key)
            if (!month) {
              month = { month: row.month.slice(0, 7), force: force.name, rows: 0, replaced: 0, outside: 0, withoutLocation: 0, forceAreaId: force.id, source: sourceIndex, file: source.name }
              months.set(key, month)
            } else if (month.source !== sourceIndex) {
              problems.push({
                file: source.name,
                line,
                message: `${month.month} of ${month.force} is also in ${month.file}: import each month from one file`,
              })
              break records
            }
            let areaId: string | null = null
            if (!row.localAuthority) month.withoutLocation++
            else if (!(areaId = areas.localAuthority(row.localAuthority))) month.outside++
            const writing = writer?.write([row.month, row.crimeId, row.reportedBy, row.fallsWithin, row.longitude, row.latitude, row.location, row.lsoaCode, row.lsoaName, row.crimeType, row.lastOutcome, row.context, force.id, areaId])
            if (writing) await writing
            month.rows++
            fileRows++
            rows++
            if (rows % 5000 === 0) options.onProgress?.({ file: source.name, bytes: bytesBefore + bytes, totalBytes, rows })
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
    } finally {
      // Finished even when the import fails, so the transaction can roll back a connection that is no longer copying.
      await writer?.end()
    }
    if (problems.length) throw new PoliceUkImportError(problems)

    const tallies = [...months.values()]
    const replaced = await replaceMonths(trx, areas, tallies, importId)
    for (const m of tallies) m.replaced = replaced.get(`${m.forceAreaId} ${m.month}`) ?? 0

    const monthList = tallies
      .map(({ month, force, rows: n, replaced: r, outside, withoutLocation }) => ({ month, force, rows: n, replaced: r, outside, withoutLocation }))
      .sort((a, b) => a.force.localeCompare(b.force) || a.month.localeCompare(b.month))
    const summary: ImportSummary = {
      importId,
      files,
      months: monthList,
      rows,
      replacedRows: monthList.reduce((s, m) => s + m.replaced, 0),
      outsideRows: monthList.reduce((s, m) => s + m.outside, 0),
      durationMs: 0,
    }
    summary.durationMs = Math.round(performance.now() - started)
    if (!importId) return summary
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

/**
 * Deletes what was imported before for each force's month (also under an area an earlier import
 * made for a former name of the force) and recounts the months, returning the rows replaced per
 * "force month". A dry run only counts what would be replaced.
 */
async function replaceMonths(trx: Db, areas: PartnershipAreas, tallies: MonthTally[], importId: string | null): Promise<Map<string, number>> {
  const replaced = new Map<string, number>()
  const byForce = new Map<string, string[]>()
  for (const m of tallies) byForce.set(m.forceAreaId, [...(byForce.get(m.forceAreaId) ?? []), `${m.month}-01`])
  for (const [forceAreaId, monthList] of byForce) {
    const forceAreaIds = [forceAreaId, ...areas.formerForceAreas(forceAreaId)]
    // Only months imported before have rows to replace: finding none among a fresh import's own rows would read them all.
    const earlier = await countedMonths(trx, forceAreaIds, monthList)
    for (const r of earlier.length ? await replaceEarlierRows(trx, forceAreaIds, earlier, importId) : []) {
      const key = `${forceAreaId} ${r.month.slice(0, 7)}`
      replaced.set(key, (replaced.get(key) ?? 0) + r.rows)
    }
    if (importId) await refreshCounts(trx, forceAreaIds, monthList)
  }
  return replaced
}
