import { parse as parseCsv } from 'csv-parse/sync'
import { londonMonth } from '../../kernel/london.ts'
import type { ModuleDeps } from '../types.ts'
import { controlCharacterProblem, findControlCharacter } from '../../kernel/control-characters.ts'
import type { RequestContext } from '../../kernel/context.ts'
import { formErrors, type Result } from '../../kernel/form-errors.ts'
import { NotFoundError } from '../../kernel/errors.ts'
import { indicatorsStore, type AreaRow } from './store.ts'
import { assess, defaultComparison, fdrSentence, isCount, refreshAlerts, rollUp, type Comparison } from './assess.ts'
import { controlChartOf } from './control-chart.ts'
import { areaRates, populationFor, ratePer1000, rateText } from './rates.ts'
import { inFamily, type IndicatorRow } from './family.ts'
import { judgedFamily, keepJudgements } from './judgements.ts'
import { renderChart } from './chart.ts'
import { DERIVED_SERIES, derivedRange } from './derived.ts'
import { disclosureFor, isWithheld, publishedSeries, type Disclosure } from './disclosure.ts'
import { importPoliceUk, PoliceUkImportError, type ImportOptions, type ImportProblem, type ImportSource, type ImportSummary } from './police-uk/import.ts'
import { duplicateSources } from './police-uk/sources.ts'
import { policeUkUploads, uploadedSources, type UploadedFile } from './police-uk/uploads.ts'
import type { Db } from '../../db/index.ts'
import { parsePeriodInput, periodHint, periodLabel, shortLabel, spanLabel } from './periods.ts'
import { explainExceedance } from './trends.ts'
import type { Frequency, Indicator } from './tables.ts'
import type { IndicatorInput } from './schemas.ts'

export const POLICE_UK_CATEGORIES = [
  'Anti-social behaviour',
  'Bicycle theft',
  'Burglary',
  'Criminal damage and arson',
  'Drugs',
  'Other crime',
  'Other theft',
  'Possession of weapons',
  'Public order',
  'Robbery',
  'Shoplifting',
  'Theft from the person',
  'Vehicle crime',
  'Violence and sexual offences',
]

const KIND_ORDER: Record<string, number> = { force: 0, county: 1, unitary: 2, metropolitan: 3, district: 4, london_borough: 5 }

export function sortAreas<T extends { kind: string; name: string }>(areas: T[]): T[] {
  return [...areas].sort((a, b) => (KIND_ORDER[a.kind] ?? 9) - (KIND_ORDER[b.kind] ?? 9) || a.name.localeCompare(b.name))
}

export type { IndicatorRow }

export function sourceDescription(i: Pick<Indicator, 'source_kind' | 'source_key' | 'source_note'>): string {
  if (i.source_kind === 'police_uk') return i.source_key === '*' ? 'police.uk street-level crime, all categories' : `police.uk street-level crime: ${i.source_key}`
  if (i.source_kind === 'lantern') return `Lantern: ${DERIVED_SERIES.find((s) => s.key === i.source_key)?.name ?? i.source_key}`
  return i.source_note ? `Entered or uploaded: ${i.source_note}` : 'Entered or uploaded by the owner'
}

export interface UploadProblem {
  line: number
  message: string
}

/** Indicators: catalogue, values, targets, the dashboard and the police.uk import. */
export function indicatorsService(deps: ModuleDeps) {
  const { db, access, audit } = deps
  const store = indicatorsStore(db)
  const uploads = policeUkUploads(db)
  const { clock } = deps
  const today = () => clock.today()

  async function indicatorOr404(slug: string) {
    const indicator = await store.indicatorBySlug(slug)
    if (!indicator) throw new NotFoundError()
    return indicator
  }

  async function runImport(
    ctx: RequestContext,
    sources: ImportSource[],
    via: 'web' | 'cli',
    options: Pick<ImportOptions, 'onProgress' | 'dryRun'> & { afterImport?: (trx: Db) => Promise<void> } = {},
  ): Promise<{ ok: true; summary: ImportSummary } | { ok: false; problems: ImportProblem[] }> {
    if (via === 'web') await access.authorise(ctx, 'indicators:import')
    const refused = duplicateSources(sources)
    if (refused.length) return { ok: false, problems: refused }
    try {
      const summary = await importPoliceUk(db, sources, {
        via,
        userId: ctx.user?.id ?? null,
        onProgress: options.onProgress,
        dryRun: options.dryRun,
        beforeCommit: async (trx, s) => {
          await audit.record(ctx, { action: 'import', recordType: 'police-uk-import', recordId: s.importId ?? undefined, details: { files: s.files, months: s.months.map((m) => `${m.force} ${m.month}`), rows: s.rows, replacedRows: s.replacedRows, outsideRows: s.outsideRows } }, trx)
          await options.afterImport?.(trx)
        },
      })
      return { ok: true, summary }
    } catch (err) {
      if (!(err instanceof PoliceUkImportError)) throw err
      await audit.record(ctx, { action: 'import-refused', recordType: 'police-uk-import', details: { files: sources.map((s) => s.name), problems: err.problems.slice(0, 5) } })
      return { ok: false, problems: err.problems }
    }
  }

  /** The area a user starts on: their agency's area when it has data, else the broadest area with data. */
  async function defaultArea(ctx: RequestContext, candidates: AreaRow[]): Promise<AreaRow | undefined> {
    const agencyArea = ctx.user
      ? (await db.selectFrom('agencies').select('area_id').where('id', '=', ctx.user.agencyId).executeTakeFirst())?.area_id
      : null
    return candidates.find((a) => a.id === agencyArea) ?? sortAreas(candidates).find((a) => a.kind === 'county') ?? sortAreas(candidates)[0]
  }

  /**
   * When the Lantern counts among these indicators were counted: the oldest kept count, or null
   * when one is counted as the page is read (none to show when there is no Lantern count).
   */
  async function countedAt(indicators: Pick<Indicator, 'source_kind' | 'source_key'>[]) {
    const keys = indicators.filter((i) => i.source_kind === 'lantern').map((i) => i.source_key ?? '')
    if (!keys.length) return undefined
    return { at: await store.derivedCountedAt(keys, derivedRange(today())) }
  }

  const assessAll = (indicators: IndicatorRow[], disclosure: Disclosure, farringtonMonths: 0 | 1 = 1, comparison?: Comparison) =>
    judgedFamily(store, indicators, disclosure, today(), { farringtonMonths, comparison }, () => clock.now())

  async function uploadValues(ctx: RequestContext, slug: string, fileName: string, content: Buffer): Promise<{ ok: true; rows: number } | { ok: false; problems: UploadProblem[] }> {
      const indicator = await indicatorOr404(slug)
      if (indicator.source_kind !== 'manual') throw new NotFoundError()
      const problems: UploadProblem[] = []
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
      if (col('area') < 0 || col('period') < 0 || col('value') < 0) {
        return { ok: false, problems: [{ line: records[0].info.lines, message: 'the first line must name the columns area, period and value (and optionally note)' }] }
      }
      const areas = await store.areas()
      const byKey = new Map<string, string>()
      for (const a of areas) {
        byKey.set(a.code.toLowerCase(), a.id)
        byKey.set(a.name.toLowerCase(), a.id)
      }
      const rows: { indicator_id: string; area_id: string; period_start: string; value: number; note: string | null; entered_by: string | null; via: 'csv' }[] = []
      const seen = new Map<string, number>()
      for (const { record, info } of records.slice(1)) {
        const line = info.lines
        const cell = (name: string) => (col(name) >= 0 ? (record[col(name)] ?? '') : '')
        const areaId = byKey.get(cell('area').toLowerCase())
        const period = parsePeriodInput(cell('period'), indicator.frequency)
        const raw = cell('value').replace(/,/g, '')
        const value = raw === '' ? NaN : Number(raw)
        if (!cell('area')) problems.push({ line, message: 'the area is empty' })
        else if (!areaId) problems.push({ line, message: `area "${cell('area')}" is not an area Lantern knows (use its name or ONS code)` })
        if (!period) problems.push({ line, message: `period "${cell('period')}" is not ${periodHint(indicator.frequency)}` })
        else if (period > londonMonth(clock.now())) problems.push({ line, message: `period "${cell('period')}" is in the future` })
        if (!Number.isFinite(value)) problems.push({ line, message: `value "${cell('value')}" is not a number` })
        else {
          const unitProblem = checkUnit(indicator.unit, value)
          if (unitProblem) problems.push({ line, message: unitProblem.charAt(0).toLowerCase() + unitProblem.slice(1) })
        }
        if (cell('note').length > 500) problems.push({ line, message: 'the note is longer than 500 characters' })
        if (areaId && period) {
          const key = `${areaId} ${period}`
          if (seen.has(key)) problems.push({ line, message: `the same area and period as line ${seen.get(key)}` })
          seen.set(key, line)
        }
        if (problems.length >= 50) break
        if (areaId && period && Number.isFinite(value)) {
          rows.push({ indicator_id: indicator.id, area_id: areaId, period_start: period, value, note: cell('note') || null, entered_by: ctx.user?.id ?? null, via: 'csv' })
        }
      }
      if (!problems.length && !rows.length) problems.push({ line: 2, message: 'the file has no values under its header' })
      if (problems.length) {
        await audit.record(ctx, { action: 'import-refused', recordType: 'indicator-value', recordId: indicator.id, details: { fileName, problems: problems.length } })
        return { ok: false, problems }
      }
      await db.transaction().execute(async (trx) => {
        await store.upsertValues(rows, trx)
        await audit.record(ctx, { action: 'import', recordType: 'indicator-value', recordId: indicator.id, details: { fileName, rows: rows.length } }, trx)
      })
      return { ok: true, rows: rows.length }
  }

  return {
    today,
    store,

    /** The dashboard: each indicator in the chosen area, and every alert anywhere. */
    async dashboard(ctx: RequestContext, areaId?: string, comparison?: Comparison) {
      await access.authorise(ctx, 'indicators:view')
      const [indicators, areas, disclosure, populations] = await Promise.all([store.indicators({ activeOnly: true }), store.areas(), disclosureFor(ctx, access, store), store.populations()])
      const results = await assessAll(indicators, disclosure, 1, comparison)
      const withData = sortAreas(areas.filter((a) => results.some((r) => r.areaId === a.id)))
      const area = (areaId && withData.find((a) => a.id === areaId)) || (await defaultArea(ctx, withData))
      const areaName = new Map(areas.map((a) => [a.id, a.name]))
      const rows = indicators.map((indicator) => {
        const r = results.find((x) => x.indicator.id === indicator.id && x.areaId === area?.id)
        // The rate over the periods compared (the current one), as the performance report gives it.
        const judged = r?.assessment.yearOnYear
        const rate = judged && area ? rateText(ratePer1000(judged.comparison.current, populationFor(populations, area.id, judged.choice.current.from)?.population)) : null
        return { indicator, assessment: r?.assessment ?? null, source: sourceDescription(indicator), rate: rate ? { text: rate, period: judged!.currentLabel } : null }
      })
      const alerts = results
        .filter((r) => r.assessment.alerts.length)
        .flatMap((r) => r.assessment.alerts.map((a) => ({ ...a, indicator: r.indicator, areaId: r.areaId, areaName: areaName.get(r.areaId) ?? '' })))
        .sort((a, b) => Number(b.areaId === area?.id) - Number(a.areaId === area?.id) || a.indicator.name.localeCompare(b.indicator.name) || a.areaName.localeCompare(b.areaName))
      const stale = indicators.filter((i) => {
        const mine = results.filter((r) => r.indicator.id === i.id)
        return !mine.length || mine.every((r) => r.assessment.stale)
      })
      const here = alerts.filter((a) => a.areaId === area?.id)
      const elsewhere = alerts.filter((a) => a.areaId !== area?.id)
      const withheld = rows.some((r) => r.assessment?.withheld)
      return { area, areas: withData, rows, alerts: here, elsewhere, stale, withheld, counted: await countedAt(indicators), canEdit: access.can(ctx, 'indicators:edit'), canImport: access.can(ctx, 'indicators:import') }
    },

    /** One indicator in one area: chart, numbers, the statistics, targets and values. */
    async indicator(ctx: RequestContext, slug: string, areaId?: string, by?: Frequency, comparison?: Comparison) {
      await access.authorise(ctx, 'indicators:view')
      const indicator = await indicatorOr404(slug)
      const disclosure = await disclosureFor(ctx, access, store)
      const [series, areas, targets, populations] = await Promise.all([publishedSeries(store, indicator, today(), disclosure), store.areas(), store.targets(indicator.id), store.populations()])
      const withData = sortAreas(areas.filter((a) => series.has(a.id)))
      const area = (areaId && areas.find((a) => a.id === areaId)) || (await defaultArea(ctx, withData))
      const points = (area && series.get(area.id)) || []
      const target = targets.find((t) => t.area_id === area?.id)
      const assessment = assess(indicator, points, target ? { value: target.value, amber_margin: target.amber_margin } : null, today(), { comparison })
      // The same adjusted verdict as the dashboard's: the judgement within the family of every indicator and area.
      const family = await assessAll(await store.indicators({ activeOnly: true }), disclosure, 0, comparison)
      const adjusted = inFamily(family, indicator.id, area?.id)?.assessment.yearOnYear
      if (assessment.yearOnYear && adjusted) {
        assessment.yearOnYear.adjustedP = adjusted.adjustedP
        assessment.yearOnYear.significant = adjusted.significant
        refreshAlerts(assessment)
      }
      // Monthly indicators can also be read by quarter or financial year (complete periods only).
      const view: Frequency = by && by !== 'month' && indicator.frequency === 'month' ? by : indicator.frequency
      const shown = view === indicator.frequency ? points : rollUp(points, view, indicator.unit)
      const window = view === 'month' ? shown.slice(-36) : shown.slice(-12)
      const byPeriod = new Map(view === indicator.frequency ? (assessment.farrington ?? []).map((e) => [e.period, e]) : [])
      const table = window.map((p) => {
        const e = byPeriod.get(p.period)
        return {
          period: p.period,
          label: periodLabel(p.period, view),
          value: p.value,
          expected: e?.expected ?? null,
          upperbound: e?.upperbound ?? null,
          alarm: e?.alarm ?? false,
          explanation: e?.alarm ? explainExceedance(e) : null,
        }
      })
      const chart = window.length
        ? renderChart(
            table.map((r) => ({ label: shortLabel(r.period, view), value: isWithheld(r.value) ? null : r.value, expected: r.expected, upperbound: r.upperbound, alarm: r.alarm })),
            {
              id: `chart-${indicator.slug}`,
              title: `${indicator.name}, ${area?.name ?? ''}: ${table[0].label} to ${table.at(-1)!.label}`,
              description:
                `Line chart of ${table.length} values, the same as in the table below. ` +
                (byPeriod.size ? 'The shaded band runs from the expected value to the threshold above which a value is more than chance. ' : '') +
                `${table.filter((r) => r.alarm).length} exceedance(s) marked with a triangle.` +
                (table.some((r) => isWithheld(r.value)) ? ` ${table.filter((r) => isWithheld(r.value)).length} value(s) not shown, to protect children from being identified: the line has gaps there.` : ''),
              target: view === indicator.frequency ? (target?.value ?? null) : null,
            },
          )
        : null
      const values = indicator.source_kind === 'manual' && area ? await store.values(indicator.id, area.id) : []
      // Counts compared across the areas within (or, for an area with none, beside) this one, by rate.
      const span = isCount(indicator.unit) ? (assessment.yearOnYear?.choice ?? comparison ?? defaultComparison(points, indicator.frequency))?.current : undefined
      const within = area ? areas.filter((a) => a.parent_id === area.id) : []
      const peers = within.length ? within : area?.parent_id ? areas.filter((a) => a.parent_id === area.parent_id) : []
      const compared = span ? areaRates(peers.filter((a) => series.has(a.id)), (id) => series.get(id) ?? [], span, indicator.frequency, populations) : []
      const areaComparison = compared.some((r) => r.rate !== null) ? { label: spanLabel(span!.from, span!.to), rows: compared } : null
      return {
        indicator,
        source: sourceDescription(indicator),
        area,
        areas: withData,
        allAreas: sortAreas(areas),
        assessment,
        fdr: assessment.yearOnYear ? fdrSentence(assessment.yearOnYear) : '',
        areaComparison,
        controlChart: assessment.spc ? controlChartOf(indicator, area?.name ?? '', assessment.spc) : null,
        withheld: table.some((r) => isWithheld(r.value)) || assessment.withheld,
        counted: await countedAt([indicator]),
        view,
        showFarrington: byPeriod.size > 0,
        table,
        chart,
        target,
        targets,
        values,
        canEdit: access.can(ctx, 'indicators:edit'),
        canImport: access.can(ctx, 'indicators:import'),
      }
    },

    /**
     * Counts every Lantern series an indicator uses again and keeps it (the job runner's work, every
     * DERIVED_REFRESH_SECONDS): pages then read the kept counts instead of counting on each view.
     */
    async refreshDerivedSeries() {
      const keys = [...new Set((await store.indicators()).filter((i) => i.source_kind === 'lantern').map((i) => i.source_key ?? ''))]
      const range = derivedRange(today())
      const countedAt = clock.now()
      const done: { key: string; rows: number; durationMs: number }[] = []
      for (const key of keys) done.push({ key, ...(await store.refreshDerived(key, range, countedAt)) })
      return done
    },

    /** Judges every indicator again where an input changed (the job's work, after counting), so pages read the judgements kept. */
    keepJudgements: () => keepJudgements(store, today(), () => clock.now()),

    async catalogue(ctx: RequestContext) {
      await access.authorise(ctx, 'indicators:view')
      const indicators = await store.indicators()
      const results = await assessAll(indicators.filter((i) => i.active), await disclosureFor(ctx, access, store), 0)
      return indicators.map((indicator) => {
        const mine = results.filter((r) => r.indicator.id === indicator.id)
        const latest = mine.map((r) => r.assessment.latest?.period).filter(Boolean).sort().at(-1) ?? null
        return {
          indicator,
          source: sourceDescription(indicator),
          areas: mine.length,
          latest: latest ? periodLabel(latest, indicator.frequency) : null,
          dueBy: mine.map((r) => r.assessment.dueBy).filter(Boolean).sort().at(-1) ?? null,
          stale: indicator.active && (!mine.length || mine.every((r) => r.assessment.stale)),
        }
      })
    },

    async formOptions(ctx: RequestContext) {
      await access.authorise(ctx, 'indicators:edit')
      const held = (await store.crimeCategories()).map((c) => c.category)
      const categories = [...new Set([...POLICE_UK_CATEGORIES, ...held])].sort()
      return {
        agencies: (await store.agencies()).map((a) => ({ value: a.id, text: a.name })),
        categories: [{ value: '*', text: 'All crime (every category)' }, ...categories.map((c) => ({ value: c, text: c }))],
        lanternSeries: DERIVED_SERIES.map((s) => ({ value: s.key, text: s.name, hint: s.description })),
      }
    },

    async indicatorForEdit(ctx: RequestContext, slug: string) {
      await access.authorise(ctx, 'indicators:edit')
      return indicatorOr404(slug)
    },

    async saveIndicator(ctx: RequestContext, input: IndicatorInput, slug?: string): Promise<Result<string>> {
      await access.authorise(ctx, 'indicators:edit')
      const existing = slug ? await indicatorOr404(slug) : undefined
      const newSlug =
        existing?.slug ??
        input.name
          .toLowerCase()
          .replace(/&/g, 'and')
          .replace(/[^a-z0-9]+/g, '-')
          .replace(/^-|-$/g, '')
          .slice(0, 60)
          .replace(/-$/, '')
      const issues: { field: string; message: string }[] = []
      if (await store.nameTaken(input.name, existing?.id)) issues.push({ field: 'name', message: 'An indicator with this name already exists' })
      if (!existing && (!newSlug || (await store.slugTaken(newSlug)))) issues.push({ field: 'name', message: 'Choose a name that differs from the other indicators’ names' })
      if (input.sourceKind === 'lantern' && !DERIVED_SERIES.some((s) => s.key === input.lanternSeries)) issues.push({ field: 'lanternSeries', message: 'Select the Lantern count' })
      if (existing && existing.source_kind === 'manual' && input.sourceKind !== 'manual') {
        const hasValues = await db.selectFrom('indicator_values').select('indicator_id').where('indicator_id', '=', existing.id).executeTakeFirst()
        if (hasValues) issues.push({ field: 'sourceKind', message: 'This indicator has values entered by hand: keep the source, or create a new indicator' })
      }
      if (issues.length) return { ok: false, errors: formErrors(issues) }
      const values = {
        name: input.name,
        definition: input.definition,
        unit: input.sourceKind === 'police_uk' ? ('count' as const) : input.unit,
        polarity: input.polarity,
        source_kind: input.sourceKind,
        source_key: input.sourceKind === 'police_uk' ? (input.policeCategory ?? null) : input.sourceKind === 'lantern' ? (input.lanternSeries ?? null) : null,
        source_note: input.sourceNote,
        frequency: input.frequency,
        lag_days: input.lagDays,
        owner_agency_id: input.ownerAgencyId,
        owner: input.owner,
        headline: input.headline,
      }
      return db.transaction().execute(async (trx) => {
        if (existing) {
          await store.updateIndicator(existing.id, values, trx)
          await audit.record(ctx, { action: 'update', recordType: 'indicator', recordId: existing.id, details: { slug: existing.slug } }, trx)
          return { ok: true as const, value: existing.slug }
        }
        const { id } = await store.insertIndicator({ ...values, slug: newSlug }, trx)
        await audit.record(ctx, { action: 'create', recordType: 'indicator', recordId: id, details: { slug: newSlug, name: input.name } }, trx)
        return { ok: true as const, value: newSlug }
      })
    },

    async setActive(ctx: RequestContext, slug: string, active: boolean) {
      await access.authorise(ctx, 'indicators:edit')
      const indicator = await indicatorOr404(slug)
      await db.transaction().execute(async (trx) => {
        await store.updateIndicator(indicator.id, { active }, trx)
        await audit.record(ctx, { action: active ? 'reactivate' : 'deactivate', recordType: 'indicator', recordId: indicator.id }, trx)
      })
    },

    async setTarget(ctx: RequestContext, slug: string, input: { areaId: string; value: number; amberMargin: number; note: string | null }): Promise<Result<string>> {
      await access.authorise(ctx, 'indicators:edit')
      const indicator = await indicatorOr404(slug)
      if (!(await store.area(input.areaId))) return { ok: false, errors: formErrors([{ field: 'areaId', message: 'Select the area' }]) }
      await db.transaction().execute(async (trx) => {
        await store.setTarget({ indicator_id: indicator.id, area_id: input.areaId, value: input.value, amber_margin: input.amberMargin, note: input.note, set_by: ctx.user?.id ?? null }, trx)
        await audit.record(ctx, { action: 'update', recordType: 'indicator-target', recordId: indicator.id, details: { areaId: input.areaId, value: input.value, amberMargin: input.amberMargin } }, trx)
      })
      return { ok: true, value: indicator.slug }
    },

    async removeTarget(ctx: RequestContext, slug: string, areaId: string) {
      await access.authorise(ctx, 'indicators:edit')
      const indicator = await indicatorOr404(slug)
      await db.transaction().execute(async (trx) => {
        await store.removeTarget(indicator.id, areaId, trx)
        await audit.record(ctx, { action: 'delete', recordType: 'indicator-target', recordId: indicator.id, details: { areaId } }, trx)
      })
    },

    /** One value entered by hand (a manual indicator), replacing any value for that area and period. */
    async addValue(ctx: RequestContext, slug: string, input: { areaId: string; period: string; value: number; note: string | null }): Promise<Result<{ slug: string; areaId: string }>> {
      await access.authorise(ctx, 'indicators:edit')
      const indicator = await indicatorOr404(slug)
      if (indicator.source_kind !== 'manual') throw new NotFoundError()
      const issues: { field: string; message: string }[] = []
      const period = parsePeriodInput(input.period, indicator.frequency)
      if (!period) issues.push({ field: 'period', message: `Enter the period as ${periodHint(indicator.frequency)}` })
      else if (period > londonMonth(clock.now())) issues.push({ field: 'period', message: 'The period must not be in the future' })
      if (!(await store.area(input.areaId))) issues.push({ field: 'areaId', message: 'Select the area' })
      const unitProblem = checkUnit(indicator.unit, input.value)
      if (unitProblem) issues.push({ field: 'value', message: unitProblem })
      if (issues.length) return { ok: false, errors: formErrors(issues) }
      await db.transaction().execute(async (trx) => {
        await store.upsertValues([{ indicator_id: indicator.id, area_id: input.areaId, period_start: period!, value: input.value, note: input.note, entered_by: ctx.user?.id ?? null, via: 'form' }], trx)
        await audit.record(ctx, { action: 'update', recordType: 'indicator-value', recordId: indicator.id, details: { areaId: input.areaId, period, value: input.value } }, trx)
      })
      return { ok: true, value: { slug: indicator.slug, areaId: input.areaId } }
    },

    /**
     * Values uploaded as CSV (columns area, period, value and optionally note): every row is
     * checked first, and any problem is reported with its line number and nothing is saved.
     */
    async uploadValues(ctx: RequestContext, slug: string, fileName: string, content: Buffer) {
      await access.authorise(ctx, 'indicators:import')
      return uploadValues(ctx, slug, fileName, content)
    },

    /** The same from the command line, which acts as the system (no signed-in user). */
    async uploadValuesAsSystem(ctx: RequestContext, slug: string, fileName: string, content: Buffer) {
      if (ctx.user) throw new Error('uploadValuesAsSystem is for the command line only')
      return uploadValues(ctx, slug, fileName, content)
    },

    async exportRows(ctx: RequestContext, slug: string) {
      await access.authorise(ctx, 'indicators:view')
      const indicator = await indicatorOr404(slug)
      const disclosure = await disclosureFor(ctx, access, store)
      const [series, areas] = await Promise.all([publishedSeries(store, indicator, today(), disclosure), store.areas()])
      const byId = new Map(areas.map((a) => [a.id, a]))
      await audit.record(ctx, { action: 'export', recordType: 'indicator', recordId: indicator.id, details: { disclosure } })
      const rows: string[][] = []
      for (const [areaId, points] of series) {
        const area = byId.get(areaId)
        for (const p of points) rows.push([indicator.slug, area?.code ?? '', area?.name ?? '', p.period.slice(0, 7), isWithheld(p.value) ? '' : String(p.value), isWithheld(p.value) ? 'not shown' : ''])
      }
      return { indicator, rows }
    },

    /** The police.uk import from the staff pages or the CLI (or its dry run): all files in one transaction, audited. */
    importPoliceUk: runImport,

    /** Checks uploaded files and keeps them with what importing them would do, for their uploader to confirm. */
    async previewUpload(ctx: RequestContext, files: UploadedFile[]): Promise<{ ok: true; uploadId: string } | { ok: false; problems: ImportProblem[] }> {
      await access.authorise(ctx, 'indicators:import')
      const result = await runImport(ctx, uploadedSources(files), 'web', { dryRun: true })
      if (!result.ok) return result
      return { ok: true, uploadId: await uploads.stage(ctx.user!.id, files, result.summary) }
    },

    async uploadPreview(ctx: RequestContext, id: string) {
      await access.authorise(ctx, 'indicators:import')
      const upload = await uploads.find(id, ctx.user!.id)
      if (!upload) throw new NotFoundError()
      return upload
    },

    /** Imports previewed files; they are discarded in the import's transaction, so a confirmation sent twice imports once. */
    async confirmUpload(ctx: RequestContext, id: string) {
      const upload = await this.uploadPreview(ctx, id)
      return runImport(ctx, uploadedSources(await uploads.files(upload.id)), 'web', { afterImport: (trx) => uploads.discard(upload.id, trx) })
    },

    async cancelUpload(ctx: RequestContext, id: string) {
      const upload = await this.uploadPreview(ctx, id)
      await uploads.discard(upload.id)
    },

    async importsPage(ctx: RequestContext) {
      await access.authorise(ctx, 'indicators:import')
      const coverage = (await store.coverage()).map((c) => ({ ...c, firstLabel: periodLabel(c.first, 'month'), lastLabel: periodLabel(c.last, 'month') }))
      return { imports: await store.imports(), coverage }
    },

    async importResult(ctx: RequestContext, id: string) {
      await access.authorise(ctx, 'indicators:import')
      const row = /^[0-9a-f-]{36}$/.test(id) ? await store.importById(id) : undefined
      if (!row) throw new NotFoundError()
      const months = row.months as { month: string; force: string; rows: number; replaced: number }[]
      const forces = [...new Set(months.map((m) => m.force))]
      const counts = (await Promise.all(forces.map((f) => store.forceMonthCounts(f, months.filter((m) => m.force === f).map((m) => `${m.month}-01`))))).flat()
      const categories = [...new Set(counts.map((c) => c.category))].sort()
      const monthKeys = [...new Set(counts.map((c) => c.month))].sort()
      return {
        row,
        months,
        categories,
        monthKeys: monthKeys.map((m) => ({ key: m, label: periodLabel(m, 'month') })),
        count: (category: string, month: string) => counts.filter((c) => c.category === category && c.month === month).reduce((s, c) => s + c.count, 0),
      }
    },
  }
}

function checkUnit(unit: string, value: number): string | null {
  if (unit === 'count' && (!Number.isInteger(value) || value < 0)) return 'A count must be a whole number, 0 or more'
  if (unit === 'percent' && (value < 0 || value > 100)) return 'A percentage must be between 0 and 100'
  if ((unit === 'seconds' || unit === 'rate') && value < 0) return 'The value must be 0 or more'
  return null
}

export type IndicatorsService = ReturnType<typeof indicatorsService>
