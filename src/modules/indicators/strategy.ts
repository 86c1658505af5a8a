import { sql } from 'kysely'
import type { ModuleDeps } from '../types.ts'
import type { Db } from '../../db/index.ts'
import type { RequestContext } from '../../kernel/context.ts'
import { NotFoundError } from '../../kernel/errors.ts'
import { formErrors, type Result } from '../../kernel/form-errors.ts'
import { indicatorsStore } from './store.ts'
import { disclosureFor, publishedSeries, type Disclosure } from './disclosure.ts'
import { assess, type Rag } from './assess.ts'
import { assessFamily, inFamily } from './family.ts'
import { periodLabel } from './periods.ts'
import type { ActionStatus, Unit, Polarity, Frequency } from './tables.ts'

/** SQL of the strategy: its objectives, their indicators and actions. */
export function strategyStore(db: Db) {
  return {
    current: () => db.selectFrom('strategies').selectAll().orderBy('period_end', 'desc').executeTakeFirst(),
    objectives: (strategyId: string) =>
      db
        .selectFrom('strategy_objectives')
        .leftJoin('agencies', 'agencies.id', 'strategy_objectives.lead_agency_id')
        .selectAll('strategy_objectives')
        .select('agencies.name as lead_agency_name')
        .where('strategy_id', '=', strategyId)
        .orderBy('position')
        .execute(),
    objective: (id: string) =>
      db
        .selectFrom('strategy_objectives')
        .leftJoin('agencies', 'agencies.id', 'strategy_objectives.lead_agency_id')
        .selectAll('strategy_objectives')
        .select('agencies.name as lead_agency_name')
        .where('strategy_objectives.id', '=', id)
        .executeTakeFirst(),
    links: (objectiveIds: string[]) =>
      objectiveIds.length
        ? db
            .selectFrom('strategy_objective_indicators as l')
            .innerJoin('indicators as i', 'i.id', 'l.indicator_id')
            .innerJoin('areas as a', 'a.id', 'l.area_id')
            .select(['l.objective_id', 'l.indicator_id', 'l.area_id', 'i.slug', 'i.name', 'i.unit', 'i.polarity', 'i.frequency', 'i.lag_days', 'i.source_kind', 'i.source_key', 'a.name as area_name'])
            .where('l.objective_id', 'in', objectiveIds)
            .orderBy('i.name')
            .execute()
        : Promise.resolve([]),
    actions: (objectiveIds: string[]) =>
      objectiveIds.length
        ? db
            .selectFrom('strategy_actions')
            .leftJoin('agencies', 'agencies.id', 'strategy_actions.lead_agency_id')
            .selectAll('strategy_actions')
            .select('agencies.name as lead_agency_name')
            .where('objective_id', 'in', objectiveIds)
            .orderBy(sql`due_date nulls last`)
            .orderBy('title')
            .execute()
        : Promise.resolve([]),
    action: (id: string) => db.selectFrom('strategy_actions').selectAll().where('id', '=', id).executeTakeFirst(),
  }
}

export type ObjectiveStatus = 'on_track' | 'some_concerns' | 'off_track' | 'not_measured'

export interface IndicatorProgress {
  indicatorId: string
  slug: string
  name: string
  areaId: string
  areaName: string
  unit: Unit
  latest: { period: string; label: string; value: number } | null
  target: number | null
  rag: Rag | null
  stale: boolean
  /** "Rising", "Falling", "Steady" between the periods the dashboard compares, with whether that is more than chance (its adjusted verdict). */
  direction: string | null
  better: boolean | null
  /** Some figure of this indicator is withheld from the viewer (disclosure.ts): no latest value, rating or direction where it would need one. */
  withheld: boolean
}

export interface ObjectiveProgress {
  id: string
  position: number
  title: string
  description: string
  leadAgency: string | null
  indicators: IndicatorProgress[]
  actions: { id: string; title: string; leadAgency: string | null; dueDate: string | null; status: ActionStatus; overdue: boolean; progressNote: string | null }[]
  counts: { total: number; complete: number; inProgress: number; notStarted: number; stopped: number; overdue: number }
  status: ObjectiveStatus
  summary: string
}

/** Progress of every objective of the current strategy, shown plainly: actions done and due, indicators against target. */
export async function strategyProgress(db: Db, today: string, disclosure: Disclosure) {
  const store = strategyStore(db)
  const istore = indicatorsStore(db)
  const strategy = await store.current()
  if (!strategy) return null
  const objectives = await store.objectives(strategy.id)
  const ids = objectives.map((o) => o.id)
  const [links, actions, targets] = await Promise.all([store.links(ids), store.actions(ids), istore.targets()])
  // Judged within the same family as the dashboard's, so "more than chance" means the same here.
  const family = await assessFamily(istore, await istore.indicators({ activeOnly: true }), disclosure, today, { farringtonMonths: 0 })
  const progress: ObjectiveProgress[] = []
  for (const o of objectives) {
    const indicators: IndicatorProgress[] = []
    for (const l of links.filter((x) => x.objective_id === o.id)) {
      const t = targets.find((x) => x.indicator_id === l.indicator_id && x.area_id === l.area_id)
      const meta = { name: l.name, unit: l.unit as Unit, polarity: l.polarity as Polarity, frequency: l.frequency as Frequency, lag_days: l.lag_days }
      // An indicator no longer active is in no family: its own test stands alone, as it is shown nowhere else.
      const a =
        inFamily(family, l.indicator_id, l.area_id)?.assessment ??
        assess(meta, (await publishedSeries(istore, { id: l.indicator_id, source_kind: l.source_kind, source_key: l.source_key, unit: l.unit }, today, disclosure)).get(l.area_id) ?? [], t ? { value: t.value, amber_margin: t.amber_margin } : null, today, { farringtonMonths: 0 })
      const yoy = a.yearOnYear
      indicators.push({
        indicatorId: l.indicator_id,
        slug: l.slug,
        name: l.name,
        areaId: l.area_id,
        areaName: l.area_name,
        unit: meta.unit,
        latest: a.latest ? { ...a.latest, label: periodLabel(a.latest.period, meta.frequency) } : null,
        target: t?.value ?? null,
        rag: a.rag,
        stale: a.stale,
        direction: yoy
          ? `${yoy.comparison.current > yoy.comparison.previous ? 'Rising' : yoy.comparison.current < yoy.comparison.previous ? 'Falling' : 'Steady'} from ${yoy.previousLabel} to ${yoy.currentLabel} (${yoy.significant ? 'more than chance' : 'could be chance'})`
          : null,
        better: yoy && yoy.significant && meta.polarity !== 'neutral' ? !yoy.worse : null,
        withheld: a.withheld,
      })
    }
    const mine = actions
      .filter((a) => a.objective_id === o.id)
      .map((a) => ({
        id: a.id,
        title: a.title,
        leadAgency: a.lead_agency_name,
        dueDate: a.due_date,
        status: a.status,
        overdue: Boolean(a.due_date && a.due_date < today && a.status !== 'complete' && a.status !== 'stopped'),
        progressNote: a.progress_note,
      }))
    const counts = {
      total: mine.length,
      complete: mine.filter((a) => a.status === 'complete').length,
      inProgress: mine.filter((a) => a.status === 'in_progress').length,
      notStarted: mine.filter((a) => a.status === 'not_started').length,
      stopped: mine.filter((a) => a.status === 'stopped').length,
      overdue: mine.filter((a) => a.overdue).length,
    }
    const red = indicators.filter((i) => i.rag === 'red').length
    const amber = indicators.filter((i) => i.rag === 'amber').length
    const worse = indicators.filter((i) => i.better === false).length
    const status: ObjectiveStatus =
      red || counts.overdue ? 'off_track' : amber || worse || counts.stopped ? 'some_concerns' : indicators.length || counts.total ? 'on_track' : 'not_measured'
    const reasons: string[] = []
    if (counts.total) reasons.push(`${counts.complete} of ${counts.total} action${counts.total === 1 ? '' : 's'} complete${counts.overdue ? `, ${counts.overdue} overdue` : ''}`)
    const targeted = indicators.filter((i) => i.rag)
    if (targeted.length) reasons.push(`${targeted.filter((i) => i.rag === 'green').length} of ${targeted.length} indicator${targeted.length === 1 ? '' : 's'} with a target on target`)
    const withheld = indicators.filter((i) => i.withheld).length
    if (withheld) reasons.push(`${withheld} indicator${withheld === 1 ? '' : 's'} with numbers too small to show in full`)
    if (worse) reasons.push(`${worse} indicator${worse === 1 ? '' : 's'} getting worse by more than chance`)
    progress.push({
      id: o.id,
      position: o.position,
      title: o.title,
      description: o.description,
      leadAgency: o.lead_agency_name,
      indicators,
      actions: mine,
      counts,
      status,
      summary: reasons.length ? `${reasons.join('; ')}.` : 'No indicators or actions yet.',
    })
  }
  return { strategy, objectives: progress }
}

export const STATUS_TEXT: Record<ObjectiveStatus, string> = {
  on_track: 'On track',
  some_concerns: 'Some concerns',
  off_track: 'Off track',
  not_measured: 'Not measured yet',
}

/** The strategy's pages: reading needs indicators:view; every change needs strategy:edit and is audited. */
export function strategyService(deps: ModuleDeps) {
  const { db, access, audit } = deps
  const store = strategyStore(db)
  const today = () => deps.clock.today()

  async function objectiveOr404(id: string) {
    const o = /^[0-9a-f-]{36}$/.test(id) ? await store.objective(id) : undefined
    if (!o) throw new NotFoundError()
    return o
  }
  const agencyExists = async (id: string | null) => !id || Boolean(await db.selectFrom('agencies').select('id').where('id', '=', id).executeTakeFirst())

  return {
    today,
    async overview(ctx: RequestContext) {
      await access.authorise(ctx, 'indicators:view')
      const progress = await strategyProgress(db, today(), await disclosureFor(ctx, access, indicatorsStore(db)))
      return { progress, withheld: Boolean(progress?.objectives.some((o) => o.indicators.some((i) => i.withheld))), canEdit: access.can(ctx, 'strategy:edit') }
    },
    async objective(ctx: RequestContext, id: string) {
      await access.authorise(ctx, 'indicators:view')
      await objectiveOr404(id)
      const progress = await strategyProgress(db, today(), await disclosureFor(ctx, access, indicatorsStore(db)))
      const objective = progress?.objectives.find((o) => o.id === id)
      if (!objective) throw new NotFoundError()
      return { strategy: progress!.strategy, objective, withheld: objective.indicators.some((i) => i.withheld), canEdit: access.can(ctx, 'strategy:edit') }
    },
    async options(ctx: RequestContext) {
      await access.authorise(ctx, 'strategy:edit')
      const [agencies, indicators, areas] = await Promise.all([
        db.selectFrom('agencies').select(['id', 'name']).where('active', '=', true).orderBy('name').execute(),
        db.selectFrom('indicators').select(['id', 'name']).where('active', '=', true).orderBy('name').execute(),
        db.selectFrom('areas').select(['id', 'name']).orderBy('name').execute(),
      ])
      return {
        agencies: agencies.map((a) => ({ value: a.id, text: a.name })),
        indicators: indicators.map((i) => ({ value: i.id, text: i.name })),
        areas: areas.map((a) => ({ value: a.id, text: a.name })),
      }
    },
    async saveStrategy(ctx: RequestContext, input: { title: string; summary: string; periodStart: string; periodEnd: string }): Promise<Result<string>> {
      await access.authorise(ctx, 'strategy:edit')
      if (input.periodEnd <= input.periodStart) return { ok: false, errors: formErrors([{ field: 'periodEnd', message: 'The end must be after the start' }]) }
      const current = await store.current()
      return db.transaction().execute(async (trx) => {
        const values = { title: input.title, summary: input.summary, period_start: input.periodStart, period_end: input.periodEnd }
        const id = current
          ? (await trx.updateTable('strategies').set({ ...values, updated_at: sql`now()` }).where('id', '=', current.id).returning('id').executeTakeFirstOrThrow()).id
          : (await trx.insertInto('strategies').values(values).returning('id').executeTakeFirstOrThrow()).id
        await audit.record(ctx, { action: current ? 'update' : 'create', recordType: 'strategy', recordId: id }, trx)
        return { ok: true as const, value: id }
      })
    },
    async objectiveForEdit(ctx: RequestContext, id: string) {
      await access.authorise(ctx, 'strategy:edit')
      return objectiveOr404(id)
    },
    async saveObjective(ctx: RequestContext, input: { title: string; description: string; leadAgencyId: string | null }, id?: string): Promise<Result<string>> {
      await access.authorise(ctx, 'strategy:edit')
      const strategy = await store.current()
      if (!strategy) return { ok: false, errors: formErrors([{ field: 'title', message: 'Set up the strategy before adding objectives' }]) }
      if (!(await agencyExists(input.leadAgencyId))) return { ok: false, errors: formErrors([{ field: 'leadAgencyId', message: 'Select the lead agency' }]) }
      if (id) await objectiveOr404(id)
      return db.transaction().execute(async (trx) => {
        const values = { title: input.title, description: input.description, lead_agency_id: input.leadAgencyId }
        let objectiveId = id
        if (objectiveId) {
          await trx.updateTable('strategy_objectives').set({ ...values, updated_at: sql`now()` }).where('id', '=', objectiveId).execute()
        } else {
          const next = await trx
            .selectFrom('strategy_objectives')
            .select(sql<number>`coalesce(max(position), 0) + 1`.as('n'))
            .where('strategy_id', '=', strategy.id)
            .executeTakeFirstOrThrow()
          objectiveId = (await trx.insertInto('strategy_objectives').values({ ...values, strategy_id: strategy.id, position: Number(next.n) }).returning('id').executeTakeFirstOrThrow()).id
        }
        await audit.record(ctx, { action: id ? 'update' : 'create', recordType: 'strategy-objective', recordId: objectiveId }, trx)
        return { ok: true as const, value: objectiveId }
      })
    },
    async linkIndicator(ctx: RequestContext, objectiveId: string, input: { indicatorId: string; areaId: string }): Promise<Result<string>> {
      await access.authorise(ctx, 'strategy:edit')
      await objectiveOr404(objectiveId)
      const indicator = await db.selectFrom('indicators').select('id').where('id', '=', input.indicatorId).executeTakeFirst()
      const area = await db.selectFrom('areas').select('id').where('id', '=', input.areaId).executeTakeFirst()
      if (!indicator || !area) return { ok: false, errors: formErrors([{ field: indicator ? 'areaId' : 'indicatorId', message: indicator ? 'Select the area' : 'Select an indicator' }]) }
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('strategy_objective_indicators').values({ objective_id: objectiveId, indicator_id: input.indicatorId, area_id: input.areaId }).onConflict((oc) => oc.doNothing()).execute()
        await audit.record(ctx, { action: 'update', recordType: 'strategy-objective', recordId: objectiveId, details: { linkedIndicator: input.indicatorId, areaId: input.areaId } }, trx)
      })
      return { ok: true, value: objectiveId }
    },
    async unlinkIndicator(ctx: RequestContext, objectiveId: string, indicatorId: string, areaId: string) {
      await access.authorise(ctx, 'strategy:edit')
      await objectiveOr404(objectiveId)
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('strategy_objective_indicators').where('objective_id', '=', objectiveId).where('indicator_id', '=', indicatorId).where('area_id', '=', areaId).execute()
        await audit.record(ctx, { action: 'update', recordType: 'strategy-objective', recordId: objectiveId, details: { unlinkedIndicator: indicatorId, areaId } }, trx)
      })
    },
    async actionForEdit(ctx: RequestContext, id: string) {
      await access.authorise(ctx, 'strategy:edit')
      const action = /^[0-9a-f-]{36}$/.test(id) ? await store.action(id) : undefined
      if (!action) throw new NotFoundError()
      return { action, objective: await objectiveOr404(action.objective_id) }
    },
    async saveAction(
      ctx: RequestContext,
      input: { title: string; leadAgencyId: string | null; dueDate: string | null; status: ActionStatus; progressNote: string | null },
      where: { objectiveId: string } | { actionId: string },
    ): Promise<Result<string>> {
      await access.authorise(ctx, 'strategy:edit')
      if (!(await agencyExists(input.leadAgencyId))) return { ok: false, errors: formErrors([{ field: 'leadAgencyId', message: 'Select the lead agency' }]) }
      if (input.dueDate && Number.isNaN(Date.parse(`${input.dueDate}T00:00:00Z`))) return { ok: false, errors: formErrors([{ field: 'dueDate', message: 'Enter a real due date' }]) }
      const existing = 'actionId' in where ? await store.action(where.actionId) : undefined
      if ('actionId' in where && !existing) throw new NotFoundError()
      const objectiveId = existing?.objective_id ?? ('objectiveId' in where ? where.objectiveId : '')
      await objectiveOr404(objectiveId)
      return db.transaction().execute(async (trx) => {
        const values = { title: input.title, lead_agency_id: input.leadAgencyId, due_date: input.dueDate, status: input.status, progress_note: input.progressNote, updated_by: ctx.user?.id ?? null }
        const id = existing
          ? (await trx.updateTable('strategy_actions').set({ ...values, updated_at: sql`now()` }).where('id', '=', existing.id).returning('id').executeTakeFirstOrThrow()).id
          : (await trx.insertInto('strategy_actions').values({ ...values, objective_id: objectiveId }).returning('id').executeTakeFirstOrThrow()).id
        await audit.record(ctx, { action: existing ? 'update' : 'create', recordType: 'strategy-action', recordId: id, details: { status: input.status, from: existing?.status } }, trx)
        return { ok: true as const, value: objectiveId }
      })
    },
  }
}
