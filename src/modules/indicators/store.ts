import { sql } from 'kysely'
import type { Db } from '../../db/index.ts'
import type { Insertable, Updateable } from 'kysely'
import type { IndicatorsTable, IndicatorValuesTable, Indicator } from './tables.ts'
import { computeDerived, derivedRange, type DerivedRange, type DerivedValue } from './derived.ts'
import { runAsOwner } from '../../db/scope.ts'
import { fillMonths } from './assess.ts'
import type { Point } from './trends.ts'
import type { PopulationFigures } from './rates.ts'

export interface AreaRow {
  id: string
  code: string
  name: string
  kind: string
  parent_id: string | null
}

// The kept counts are every agency's children counted; like the counting, they are the owner's.
const asOwner = <T>(work: () => Promise<T>) => runAsOwner('Lantern counts are kept and read as counted, of every agency’s records', work)

const valueKey = (r: { area_id: string; period: string; value: number; denominator?: number | null }) => `${r.area_id} ${r.period} ${Number(r.value)} ${r.denominator ?? ''}`

function sameValues(kept: { area_id: string; period: string; value: number; denominator: number | null }[], counted: DerivedValue[]): boolean {
  if (kept.length !== counted.length) return false
  const keys = new Set(kept.map(valueKey))
  return counted.every((r) => keys.has(valueKey(r)))
}

/** SQL for the catalogue, values, targets and crime counts. */
export function indicatorsStore(db: Db) {
  /** The refreshes of these series that counted exactly the months of `range`. */
  const refreshesOf = (keys: string[], range: DerivedRange) =>
    db
      .selectFrom('derived_series_refreshes')
      .select(['series_key', 'computed_at'])
      .where('series_key', 'in', keys)
      .where('range_from', '=', range.from)
      .where('range_to', '=', range.to)
      .execute()

  /** A Lantern count as its last refresh kept it, when that refresh counted exactly these months. */
  const keptDerived = (key: string, range: DerivedRange) =>
    asOwner(async (): Promise<DerivedValue[] | undefined> => {
      if (!(await refreshesOf([key], range)).length) return undefined
      const rows = await db.selectFrom('derived_series_values').select(['area_id', 'period', 'value', 'denominator']).where('series_key', '=', key).execute()
      return rows.map((r) => ({ area_id: r.area_id, period: r.period, value: Number(r.value), ...(r.denominator === null ? {} : { denominator: r.denominator }) }))
    })

  return {
    /**
     * Counts one Lantern series again and keeps it in place of the last count, in one transaction:
     * a reader sees the old count or the new one, never half of each. Two workers counting the same
     * series at once take turns on its refresh row.
     */
    refreshDerived: async (key: string, range: DerivedRange, countedAt: Date) => {
      const started = performance.now()
      const rows = await computeDerived(db, key, range)
      const durationMs = Math.round(performance.now() - started)
      await asOwner(() =>
        db.transaction().execute(async (trx) => {
          await trx
            .insertInto('derived_series_refreshes')
            .values({ series_key: key, range_from: range.from, range_to: range.to, computed_at: countedAt, duration_ms: durationMs })
            .onConflict((oc) => oc.column('series_key').doUpdateSet({ range_from: range.from, range_to: range.to, computed_at: countedAt, duration_ms: durationMs }))
            .execute()
          // A count that has not changed is left as it is: rewriting it would tell the judgements
          // kept of it (migration 0850) that their input changed, and they would be made again.
          const kept = await trx.selectFrom('derived_series_values').select(['area_id', 'period', 'value', 'denominator']).where('series_key', '=', key).execute()
          if (sameValues(kept, rows)) return
          await trx.deleteFrom('derived_series_values').where('series_key', '=', key).execute()
          for (let i = 0; i < rows.length; i += 1000) {
            await trx
              .insertInto('derived_series_values')
              .values(rows.slice(i, i + 1000).map((r) => ({ series_key: key, area_id: r.area_id, period: r.period, value: r.value, denominator: r.denominator ?? null })))
              .execute()
          }
        }),
      )
      return { rows: rows.length, durationMs }
    },
    /**
     * When the kept counts of these series were counted (the oldest of them), or null when any of
     * them has no kept count of the months wanted and is counted as the page is read.
     */
    derivedCountedAt: (keys: string[], range: DerivedRange) =>
      asOwner(async (): Promise<Date | null> => {
        if (!keys.length) return null
        const unique = [...new Set(keys)]
        const kept = await refreshesOf(unique, range)
        if (kept.length < unique.length) return null
        return new Date(Math.min(...kept.map((k) => new Date(k.computed_at).getTime())))
      }),

    /** The counter every input of the judgements moves, in the transaction that changes it (migration 0850). */
    inputsVersion: () =>
      asOwner(async () => String((await db.selectFrom('indicator_inputs').select('version').executeTakeFirstOrThrow()).version)),
    /** A family of judgements kept for exactly these inputs (`inputsKey`), as encoded, or undefined. */
    keptJudgements: (variant: string, inputsKey: string) =>
      asOwner(async () => (await db.selectFrom('indicator_judgements').select('results').where('variant', '=', variant).where('inputs_key', '=', inputsKey).executeTakeFirst())?.results),
    keepJudgements: (variant: string, inputsKey: string, results: string, computedAt: Date, durationMs: number) =>
      asOwner(() =>
        db
          .insertInto('indicator_judgements')
          .values({ variant, inputs_key: inputsKey, results, computed_at: computedAt, duration_ms: durationMs })
          .onConflict((oc) => oc.column('variant').doUpdateSet({ inputs_key: inputsKey, results, computed_at: computedAt, duration_ms: durationMs }))
          .execute(),
      ),

    indicators: (options: { activeOnly?: boolean } = {}) => {
      let q = db
        .selectFrom('indicators')
        .leftJoin('agencies', 'agencies.id', 'indicators.owner_agency_id')
        .selectAll('indicators')
        .select('agencies.name as owner_agency_name')
        .orderBy('indicators.headline', 'desc')
        .orderBy('indicators.name')
      if (options.activeOnly) q = q.where('indicators.active', '=', true)
      return q.execute()
    },
    indicatorBySlug: (slug: string) =>
      db
        .selectFrom('indicators')
        .leftJoin('agencies', 'agencies.id', 'indicators.owner_agency_id')
        .selectAll('indicators')
        .select('agencies.name as owner_agency_name')
        .where('indicators.slug', '=', slug)
        .executeTakeFirst(),
    slugTaken: async (slug: string, exceptId?: string) => {
      let q = db.selectFrom('indicators').select('id').where('slug', '=', slug)
      if (exceptId) q = q.where('id', '<>', exceptId)
      return Boolean(await q.executeTakeFirst())
    },
    nameTaken: async (name: string, exceptId?: string) => {
      let q = db.selectFrom('indicators').select('id').where(sql<boolean>`lower(name) = ${name.toLowerCase()}`)
      if (exceptId) q = q.where('id', '<>', exceptId)
      return Boolean(await q.executeTakeFirst())
    },
    insertIndicator: (values: Insertable<IndicatorsTable>, executor: Db = db) =>
      executor.insertInto('indicators').values(values).returning('id').executeTakeFirstOrThrow(),
    updateIndicator: (id: string, values: Updateable<IndicatorsTable>, executor: Db = db) =>
      executor
        .updateTable('indicators')
        .set({ ...values, updated_at: sql`now()` })
        .where('id', '=', id)
        .execute(),

    areas: (): Promise<AreaRow[]> => db.selectFrom('areas').select(['id', 'code', 'name', 'kind', 'parent_id']).orderBy('name').execute(),
    area: (id: string) => db.selectFrom('areas').select(['id', 'code', 'name', 'kind', 'parent_id']).where('id', '=', id).executeTakeFirst(),
    agencies: () => db.selectFrom('agencies').select(['id', 'name']).where('active', '=', true).orderBy('name').execute(),
    /** Police.uk categories held, with the months covered. */
    crimeCategories: () =>
      db
        .selectFrom('crime_counts')
        .select(['category', sql<number>`sum(count)::int`.as('total')])
        .groupBy('category')
        .orderBy('category')
        .execute(),

    /** Whether an agency holds personal data (oversight bodies do not), for `disclosureFor`. */
    agencyHoldsPersonalData: async (agencyId: string) =>
      Boolean((await db.selectFrom('agencies').select('holds_personal_data').where('id', '=', agencyId).executeTakeFirst())?.holds_personal_data),

    /**
     * One indicator's monthly (or quarterly, yearly) series for every area that has data, oldest
     * first, exactly as counted. Police.uk and Lantern counts are zero-filled across the months
     * covered; a Lantern percentage's points carry their denominator (`of`). Pages never show this
     * directly: they read `publishedSeries` (disclosure.ts), which protects Lantern's counts from
     * viewers who may not read the records behind them.
     */
    async exactSeries(indicator: Pick<Indicator, 'id' | 'source_kind' | 'source_key' | 'unit'>, today: string, areaId?: string): Promise<Map<string, (Point & { of?: number })[]>> {
      const out = new Map<string, (Point & { of?: number })[]>()
      const push = (area: string, p: Point & { of?: number }) => {
        const list = out.get(area) ?? []
        list.push(p)
        out.set(area, list)
      }
      if (indicator.source_kind === 'police_uk') {
        const all = indicator.source_key === '*'
        let q = db
          .selectFrom('crime_counts')
          .select([
            'area_id',
            'month',
            all ? sql<number>`sum(count)::int`.as('value') : sql<number>`coalesce(sum(count) filter (where category = ${indicator.source_key}), 0)::int`.as('value'),
          ])
          .groupBy(['area_id', 'month'])
          .orderBy('month')
        if (areaId) q = q.where('area_id', '=', areaId)
        for (const r of await q.execute()) push(r.area_id, { period: r.month, value: r.value })
        // A month missing inside the covered span (a gap in imports) is left out, never invented.
        return out
      }
      if (indicator.source_kind === 'lantern') {
        const range = derivedRange(today)
        const lastComplete = range.to
        // Counted now only when no refresh has kept these months (a new series, a month just turned).
        const key = indicator.source_key ?? ''
        const rows = (await keptDerived(key, range)) ?? (await computeDerived(db, key, range))
        for (const r of rows) if (!areaId || r.area_id === areaId) push(r.area_id, { period: r.period, value: r.value, ...(r.denominator === undefined ? {} : { of: r.denominator }) })
        for (const [area, points] of out) {
          points.sort((a, b) => a.period.localeCompare(b.period))
          out.set(area, indicator.unit === 'count' ? fillMonths(points, lastComplete) : points)
        }
        return out
      }
      let q = db.selectFrom('indicator_values').select(['area_id', 'period_start', 'value']).where('indicator_id', '=', indicator.id).orderBy('period_start')
      if (areaId) q = q.where('area_id', '=', areaId)
      for (const r of await q.execute()) push(r.area_id, { period: r.period_start, value: Number(r.value) })
      return out
    },

    values: (indicatorId: string, areaId: string) =>
      db
        .selectFrom('indicator_values')
        .leftJoin('users', 'users.id', 'indicator_values.entered_by')
        .select(['indicator_values.period_start', 'indicator_values.value', 'indicator_values.note', 'indicator_values.via', 'indicator_values.updated_at', 'users.name as entered_by_name'])
        .where('indicator_id', '=', indicatorId)
        .where('area_id', '=', areaId)
        .orderBy('period_start', 'desc')
        .execute(),
    upsertValues: async (rows: Insertable<IndicatorValuesTable>[], executor: Db = db) => {
      for (let i = 0; i < rows.length; i += 1000) {
        await executor
          .insertInto('indicator_values')
          .values(rows.slice(i, i + 1000))
          .onConflict((oc) =>
            oc.columns(['indicator_id', 'area_id', 'period_start']).doUpdateSet((eb) => ({
              value: eb.ref('excluded.value'),
              note: eb.ref('excluded.note'),
              entered_by: eb.ref('excluded.entered_by'),
              via: eb.ref('excluded.via'),
              updated_at: sql`now()`,
            })),
          )
          .execute()
      }
    },

    /** Every population estimate, and the single figure on the areas page for areas without one. */
    populations: async (): Promise<PopulationFigures> => {
      const [estimates, areas] = await Promise.all([
        db.selectFrom('area_populations').select(['area_id', 'year', 'population', 'source']).orderBy('area_id').orderBy('year').execute(),
        db.selectFrom('areas').select(['id', 'population']).where('population', 'is not', null).execute(),
      ])
      return { estimates, fallback: new Map(areas.map((a) => [a.id, a.population!])) }
    },
    upsertPopulations: (rows: { area_id: string; year: number; population: number; source: string | null }[], executor: Db = db) =>
      executor
        .insertInto('area_populations')
        .values(rows)
        .onConflict((oc) => oc.columns(['area_id', 'year']).doUpdateSet((eb) => ({ population: eb.ref('excluded.population'), source: eb.ref('excluded.source'), updated_at: sql`now()` })))
        .execute(),

    targets: (indicatorId?: string) => {
      let q = db.selectFrom('indicator_targets').innerJoin('areas', 'areas.id', 'indicator_targets.area_id').selectAll('indicator_targets').select('areas.name as area_name')
      if (indicatorId) q = q.where('indicator_id', '=', indicatorId)
      return q.orderBy('areas.name').execute()
    },
    setTarget: (v: { indicator_id: string; area_id: string; value: number; amber_margin: number; note: string | null; set_by: string | null }, executor: Db = db) =>
      executor
        .insertInto('indicator_targets')
        .values(v)
        .onConflict((oc) => oc.columns(['indicator_id', 'area_id']).doUpdateSet({ value: v.value, amber_margin: v.amber_margin, note: v.note, set_by: v.set_by, updated_at: sql`now()` }))
        .execute(),
    removeTarget: (indicatorId: string, areaId: string, executor: Db = db) =>
      executor.deleteFrom('indicator_targets').where('indicator_id', '=', indicatorId).where('area_id', '=', areaId).execute(),

    imports: (limit = 20) =>
      db
        .selectFrom('police_uk_imports')
        .leftJoin('users', 'users.id', 'police_uk_imports.user_id')
        .select([
          'police_uk_imports.id',
          'police_uk_imports.started_at',
          'police_uk_imports.via',
          'police_uk_imports.files',
          'police_uk_imports.months',
          'police_uk_imports.rows',
          'police_uk_imports.replaced_rows',
          'police_uk_imports.duration_ms',
          'users.name as user_name',
        ])
        .where('finished_at', 'is not', null)
        .orderBy('started_at', 'desc')
        .limit(limit)
        .execute(),
    importById: (id: string) =>
      db
        .selectFrom('police_uk_imports')
        .leftJoin('users', 'users.id', 'police_uk_imports.user_id')
        .selectAll('police_uk_imports')
        .select('users.name as user_name')
        .where('police_uk_imports.id', '=', id)
        .executeTakeFirst(),
    /** Months held per force, for the import page. */
    coverage: () =>
      db
        .selectFrom('crime_counts')
        .innerJoin('areas', 'areas.id', 'crime_counts.force_area_id')
        .select(['areas.name as force', sql<string>`min(month)::text`.as('first'), sql<string>`max(month)::text`.as('last'), sql<number>`count(distinct month)::int`.as('months')])
        .whereRef('crime_counts.area_id', '=', 'crime_counts.force_area_id')
        .groupBy('areas.name')
        .orderBy('areas.name')
        .execute(),
    /** Counts per category for some months of one force, force level. */
    forceMonthCounts: (force: string, months: string[]) =>
      months.length
        ? db
            .selectFrom('crime_counts')
            .innerJoin('areas', 'areas.id', 'crime_counts.force_area_id')
            .select(['crime_counts.month', 'crime_counts.category', 'crime_counts.count'])
            .where('areas.name', '=', force)
            .whereRef('crime_counts.area_id', '=', 'crime_counts.force_area_id')
            .where('crime_counts.month', 'in', months)
            .orderBy('crime_counts.category')
            .execute()
        : Promise.resolve([]),
  }
}

export type IndicatorsStore = ReturnType<typeof indicatorsStore>
