import { parse as parseCsv } from 'csv-parse/sync'
import type { ModuleDeps } from '../types.ts'
import type { RequestContext } from '../../kernel/context.ts'
import { controlCharacterProblem, findControlCharacter } from '../../kernel/control-characters.ts'
import type { PopulationFigures } from './rates.ts'
import { indicatorsStore } from './store.ts'
import { sortAreas } from './service.ts'

export interface PopulationProblem {
  line: number
  message: string
}

export interface PopulationInput {
  areaId: string
  year: number
  population: number
  source: string | null
}

/**
 * Population estimates per area and year, for rates per 1,000 residents: entered one at a time or
 * uploaded as CSV (columns `area` as name or ONS code, `year`, `population`, optionally `source`).
 * Every line of a file is checked first; any problem is reported with its line and nothing is kept.
 */
/**
 * Where each year's figures came from, so a rate can be traced to its estimate: one source for the
 * year stands alone; several name the areas each covers.
 */
function sourcesByYear(years: number[], figures: PopulationFigures, areas: { id: string; name: string }[]): { year: number; text: string }[] {
  return years.map((year) => {
    const bySource = new Map<string, string[]>()
    for (const a of areas) {
      const estimate = figures.estimates.find((e) => e.area_id === a.id && e.year === year)
      if (!estimate) continue
      const source = estimate.source ?? 'Not given'
      bySource.set(source, [...(bySource.get(source) ?? []), a.name])
    }
    const sources = [...bySource].sort(([a], [b]) => a.localeCompare(b))
    return { year, text: sources.length === 1 ? sources[0][0] : sources.map(([source, names]) => `${source} (${names.join(', ')})`).join('; ') }
  })
}

export function populationsService(deps: ModuleDeps) {
  const { db, access, audit } = deps
  const store = indicatorsStore(db)

  return {
    async page(ctx: RequestContext) {
      await access.authorise(ctx, 'admin:agencies')
      const [areas, figures] = await Promise.all([store.areas(), store.populations()])
      const years = [...new Set(figures.estimates.map((e) => e.year))].sort((a, b) => a - b)
      const rows = sortAreas(areas).map((a) => ({
        area: a,
        byYear: years.map((y) => figures.estimates.find((e) => e.area_id === a.id && e.year === y)?.population ?? null),
        fallback: figures.fallback.get(a.id) ?? null,
      }))
      return { years, rows, sources: sourcesByYear(years, figures, sortAreas(areas)), areas: sortAreas(areas).map((a) => ({ value: a.id, text: a.name })) }
    },

    async save(ctx: RequestContext, input: PopulationInput): Promise<{ ok: true } | { ok: false; field: string; message: string }> {
      await access.authorise(ctx, 'admin:agencies')
      if (!(await store.area(input.areaId))) return { ok: false, field: 'areaId', message: 'Select the area' }
      await db.transaction().execute(async (trx) => {
        await store.upsertPopulations([{ area_id: input.areaId, year: input.year, population: input.population, source: input.source }], trx)
        await audit.record(ctx, { action: 'update', recordType: 'area-population', recordId: input.areaId, details: { year: input.year, population: input.population } }, trx)
      })
      return { ok: true }
    },

    async upload(ctx: RequestContext, fileName: string, content: Buffer): Promise<{ ok: true; rows: number } | { ok: false; problems: PopulationProblem[] }> {
      await access.authorise(ctx, 'admin:agencies')
      const control = findControlCharacter(content.toString('utf8'))
      if (control) return { ok: false, problems: [{ line: control.line, message: controlCharacterProblem(control) }] }
      let records: { record: string[]; info: { lines: number } }[]
      try {
        records = parseCsv(content, { bom: true, relax_column_count: true, skip_empty_lines: true, info: true, trim: true }) as unknown as typeof records
      } catch (err) {
        return { ok: false, problems: [{ line: Number((err as { lines?: number }).lines ?? 1), message: `the file is not valid CSV (${(err as Error).message})` }] }
      }
      if (!records.length) return { ok: false, problems: [{ line: 1, message: 'the file is empty' }] }
      const header = records[0].record.map((h) => h.toLowerCase())
      const col = (name: string) => header.indexOf(name)
      if (col('area') < 0 || col('year') < 0 || col('population') < 0) {
        return { ok: false, problems: [{ line: records[0].info.lines, message: 'the first line must name the columns area, year and population (and optionally source)' }] }
      }
      const byKey = new Map<string, string>()
      for (const a of await store.areas()) {
        byKey.set(a.code.toLowerCase(), a.id)
        byKey.set(a.name.toLowerCase(), a.id)
      }
      const problems: PopulationProblem[] = []
      const rows: { area_id: string; year: number; population: number; source: string | null }[] = []
      const seen = new Map<string, number>()
      for (const { record, info } of records.slice(1)) {
        const line = info.lines
        const cell = (name: string) => (col(name) >= 0 ? (record[col(name)] ?? '') : '')
        const areaId = byKey.get(cell('area').toLowerCase())
        const year = /^\d{4}$/.test(cell('year')) ? Number(cell('year')) : NaN
        const raw = cell('population').replace(/,/g, '')
        const population = /^\d{1,9}$/.test(raw) ? Number(raw) : NaN
        if (!cell('area')) problems.push({ line, message: 'the area is empty' })
        else if (!areaId) problems.push({ line, message: `area "${cell('area')}" is not an area Lantern knows (use its name or ONS code)` })
        if (!(year >= 1900 && year <= 2200)) problems.push({ line, message: `year "${cell('year')}" is not a year like 2024` })
        if (!(population > 0)) problems.push({ line, message: `population "${cell('population')}" is not a whole number above 0` })
        if (cell('source').length > 200) problems.push({ line, message: 'the source is longer than 200 characters' })
        if (areaId && year) {
          const key = `${areaId} ${year}`
          if (seen.has(key)) problems.push({ line, message: `the same area and year as line ${seen.get(key)}` })
          seen.set(key, line)
        }
        if (problems.length >= 50) break
        if (areaId && year >= 1900 && year <= 2200 && population > 0) rows.push({ area_id: areaId, year, population, source: cell('source') || null })
      }
      if (!problems.length && !rows.length) problems.push({ line: 2, message: 'the file has no populations under its header' })
      if (problems.length) {
        await audit.record(ctx, { action: 'import-refused', recordType: 'area-population', details: { fileName, problems: problems.length } })
        return { ok: false, problems }
      }
      await db.transaction().execute(async (trx) => {
        await store.upsertPopulations(rows, trx)
        await audit.record(ctx, { action: 'import', recordType: 'area-population', details: { fileName, rows: rows.length } }, trx)
      })
      return { ok: true, rows: rows.length }
    },
  }
}
