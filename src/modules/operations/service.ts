import { sql } from 'kysely'
import type { ModuleDeps } from '../types.ts'
import type { RequestContext } from '../../kernel/context.ts'
import { ConflictError, NotFoundError } from '../../kernel/errors.ts'
import { formErrors, type FormErrors } from '../../kernel/form-errors.ts'
import { buildNetwork, nearby } from '../../analytics/graph/index.ts'
import { recordPersonEvent } from '../people/index.ts'
import { networkStore } from '../network/index.ts'
import { entityKindText, entityRef, requireUser, toAnalysis } from '../network/index.ts'
import { ACTIVITY_KINDS, type ActivityInput, type OperationInput, type OutcomeInput } from './schemas.ts'

type Result<T> = { ok: true; value: T } | { ok: false; errors: FormErrors }
type Level = 'red' | 'amber' | 'green'

const UUID = /^[0-9a-f-]{36}$/i
const activityText = (kind: string) => ACTIVITY_KINDS.find((k) => k.value === kind)?.text ?? kind

/**
 * Joint operations: the lead agency and its partners see them; anyone else needs a share or break
 * glass. Children linked (within two steps) to the targets, with their RAG before and after.
 */
export function operationsService(deps: ModuleDeps) {
  const { db, access, audit } = deps
  const network = networkStore(db)

  async function load(ctx: RequestContext, id: string, permission: 'network:view' | 'operation:edit' = 'network:view') {
    const user = requireUser(ctx)
    await access.authorise(ctx, permission)
    if (!UUID.test(id)) throw new NotFoundError()
    const op = await db
      .selectFrom('operations as o')
      .innerJoin('agencies as a', 'a.id', 'o.lead_agency_id')
      .selectAll('o')
      .select([sql<string>`o.started_on::text`.as('started'), sql<string | null>`o.ended_on::text`.as('ended'), 'a.name as lead_agency_name'])
      .where('o.id', '=', id)
      .executeTakeFirst()
    if (!op) throw new NotFoundError()
    const partners = await db
      .selectFrom('operation_partners as p')
      .innerJoin('agencies as a', 'a.id', 'p.agency_id')
      .select(['a.id', 'a.name'])
      .where('p.operation_id', '=', id)
      .orderBy('a.name')
      .execute()
    if (op.lead_agency_id !== user.agencyId && !partners.some((p) => p.id === user.agencyId)) {
      await access.authorise(ctx, permission, { type: 'operation', id, ownerAgencyId: op.lead_agency_id })
    }
    return { op, partners }
  }

  /** The rating in force before a date, and the newest rating since. */
  async function ragBeforeAfter(personIds: string[], startedOn: string) {
    if (!personIds.length) return new Map<string, { before: Level | null; beforeOn: string | null; after: Level | null; afterOn: string | null }>()
    const rows = await db
      .selectFrom('risk_assessments')
      .select(['person_id', 'final_level', 'submitted_at'])
      .where('person_id', 'in', personIds)
      .where('status', 'in', ['final', 'awaiting_confirmation'])
      .orderBy('submitted_at', 'desc')
      .execute()
    const start = new Date(`${startedOn}T00:00:00Z`)
    const out = new Map<string, { before: Level | null; beforeOn: string | null; after: Level | null; afterOn: string | null }>()
    for (const id of personIds) {
      const mine = rows.filter((r) => r.person_id === id)
      const before = mine.find((r) => r.submitted_at! < start)
      const after = mine.find((r) => r.submitted_at! >= start)
      out.set(id, {
        before: (before?.final_level as Level) ?? null,
        beforeOn: before ? before.submitted_at!.toISOString().slice(0, 10) : null,
        after: (after?.final_level as Level) ?? null,
        afterOn: after ? after.submitted_at!.toISOString().slice(0, 10) : null,
      })
    }
    return out
  }

  return {
    async list(ctx: RequestContext) {
      const user = requireUser(ctx)
      await access.authorise(ctx, 'network:view')
      const rows = await db
        .selectFrom('operations as o')
        .innerJoin('agencies as a', 'a.id', 'o.lead_agency_id')
        .select([
          'o.id',
          'o.name',
          'o.status',
          sql<string>`o.started_on::text`.as('started_on'),
          sql<string | null>`o.ended_on::text`.as('ended_on'),
          'a.name as lead_agency_name',
          sql<number>`(select count(*) from operation_targets t where t.operation_id = o.id)::int`.as('targets'),
          sql<number>`(select count(*) from operation_activities t where t.operation_id = o.id)::int`.as('activities'),
          sql<number>`(select count(*) from operation_outcomes t where t.operation_id = o.id)::int`.as('outcomes'),
        ])
        .where(sql<boolean>`(o.lead_agency_id = ${user.agencyId} or exists (select 1 from operation_partners op where op.operation_id = o.id and op.agency_id = ${user.agencyId}))`)
        .orderBy('o.started_on', 'desc')
        .execute()
      await audit.record(ctx, { action: 'search', recordType: 'operation', details: { count: rows.length } })
      return rows
    },

    async page(ctx: RequestContext, id: string) {
      const user = requireUser(ctx)
      const { op, partners } = await load(ctx, id)
      const [entities, links] = await Promise.all([network.visibleEntities(user), network.visibleLinks(user)])
      const byId = new Map(entities.map((e) => [e.id, e]))
      const targetIds = (await db.selectFrom('operation_targets').select('entity_id').where('operation_id', '=', id).execute()).map((t) => t.entity_id)
      const targets = targetIds.flatMap((t) => (byId.has(t) ? [byId.get(t)!] : []))
      const hiddenTargets = targetIds.length - targets.length
      // Children within two steps of any target, over the links this user may see (A to D grades).
      const graph = buildNetwork(toAnalysis(entities, links), { around: { ids: targets.map((t) => t.id), steps: 2 } })
      const children = new Map<string, { distance: number; via: string }>()
      for (const t of targets) {
        for (const near of nearby(graph, t.id, { kind: 'child', steps: 2 })) {
          const seen = children.get(near.id)
          if (!seen || near.distance < seen.distance) children.set(near.id, { distance: near.distance, via: t.label })
        }
        if (graph.hasNode(t.id) && graph.getNodeAttribute(t.id, 'kind') === 'child') children.set(t.id, { distance: 0, via: t.label })
      }
      const childRows = [...children].map(([entityId, c]) => ({ entity: byId.get(entityId)!, ...c }))
      const rag = await ragBeforeAfter(
        childRows.map((c) => c.entity.person_id!),
        op.started,
      )
      const order: Record<string, number> = { red: 3, amber: 2, green: 1 }
      const childrenRisk = childRows
        .map((c) => {
          const r = rag.get(c.entity.person_id!)!
          const change = r.before && r.after ? Math.sign(order[r.after] - order[r.before]) : null
          return { ...c, ...r, change: change === null ? 'unknown' : change < 0 ? 'down' : change > 0 ? 'up' : 'same' }
        })
        .sort((a, b) => a.entity.label.localeCompare(b.entity.label))
      const activities = await db
        .selectFrom('operation_activities as a')
        .leftJoin('users as u', 'u.id', 'a.recorded_by')
        .select(['a.id', 'a.kind', sql<string>`a.occurred_on::text`.as('occurred_on'), 'a.entity_id', 'a.seized_item', 'a.item_description', 'a.quantity', 'a.unit', 'a.description', 'u.name as recorded_by_name'])
        .where('a.operation_id', '=', id)
        .orderBy('a.occurred_on')
        .orderBy('a.recorded_at')
        .execute()
      const outcomes = await db
        .selectFrom('operation_outcomes as o')
        .select(['o.id', 'o.kind', 'o.offence', 'o.modern_slavery', sql<string>`o.occurred_on::text`.as('occurred_on'), 'o.entity_id', 'o.sentence'])
        .where('o.operation_id', '=', id)
        .orderBy('o.occurred_on')
        .execute()
      const label = (entityId: string | null) => (entityId ? (byId.get(entityId)?.label ?? 'A record you do not have a need to know for') : '')
      await audit.record(ctx, { action: 'view', recordType: 'operation', recordId: id })
      return {
        op,
        partners,
        targets: targets.map((t) => ({ ...t, kindText: entityKindText(t) })),
        hiddenTargets,
        childrenRisk,
        activities: activities.map((a) => ({ ...a, kindText: activityText(a.kind), entityLabel: label(a.entity_id), entityVisible: a.entity_id ? byId.has(a.entity_id) : false })),
        outcomes: outcomes.map((o) => ({ ...o, entityLabel: label(o.entity_id), entityVisible: byId.has(o.entity_id) })),
        seizures: summariseSeizures(activities),
        candidates: entities.filter((e) => !targetIds.includes(e.id)).map((e) => ({ value: e.id, text: `${e.label} (${entityKindText(e)})` })),
        targetOptions: targets.map((e) => ({ value: e.id, text: `${e.label} (${entityKindText(e)})` })),
        people: entities.filter((e) => e.kind === 'person').map((e) => ({ value: e.id, text: e.label })),
        canEdit: access.can(ctx, 'operation:edit'),
      }
    },

    async agencies() {
      return db.selectFrom('agencies').select(['id', 'name']).where('active', '=', true).orderBy('name').execute()
    },

    async create(ctx: RequestContext, input: OperationInput): Promise<Result<string>> {
      const user = requireUser(ctx)
      await access.authorise(ctx, 'operation:edit')
      const taken = await db.selectFrom('operations').select('id').where(sql<boolean>`lower(name) = lower(${input.name})`).executeTakeFirst()
      if (taken) return { ok: false, errors: formErrors([{ field: 'name', message: 'An operation with this name already exists' }]) }
      const agencies = new Set((await this.agencies()).map((a) => a.id))
      if (!agencies.has(input.leadAgencyId)) return { ok: false, errors: formErrors([{ field: 'leadAgencyId', message: 'Select the lead agency' }]) }
      // The recorder's own agency is always the lead or a partner, so they can see what they record.
      const partners = new Set(input.partnerAgencyIds.filter((a) => agencies.has(a) && a !== input.leadAgencyId))
      if (input.leadAgencyId !== user.agencyId) partners.add(user.agencyId)
      const id = await db.transaction().execute(async (trx) => {
        const { id } = await trx
          .insertInto('operations')
          .values({ name: input.name, lead_agency_id: input.leadAgencyId, status: input.status, started_on: input.startedOn, ended_on: input.endedOn ?? null, summary: input.summary ?? '', created_by: user.id })
          .returning('id')
          .executeTakeFirstOrThrow()
        if (partners.size) await trx.insertInto('operation_partners').values([...partners].map((agency_id) => ({ operation_id: id, agency_id }))).execute()
        await audit.record(ctx, { action: 'create', recordType: 'operation', recordId: id, details: { name: input.name } }, trx)
        return id
      })
      return { ok: true, value: id }
    },

    async addTarget(ctx: RequestContext, id: string, entityId: string): Promise<Result<void>> {
      await load(ctx, id, 'operation:edit')
      const entity = await network.entity(entityId)
      if (!entity || !(await access.check(ctx, 'network:view', entityRef(entity))).allowed) return { ok: false, errors: formErrors([{ field: 'entityId', message: 'Select a target you can see' }]) }
      await db.transaction().execute(async (trx) => {
        const inserted = await trx.insertInto('operation_targets').values({ operation_id: id, entity_id: entityId }).onConflict((oc) => oc.doNothing()).returning('entity_id').executeTakeFirst()
        if (!inserted) throw new ConflictError('This entity is already a target')
        await audit.record(ctx, { action: 'update', recordType: 'operation', recordId: id, details: { target: entityId } }, trx)
      })
      return { ok: true, value: undefined }
    },

    async addActivity(ctx: RequestContext, id: string, input: ActivityInput): Promise<Result<string>> {
      const user = requireUser(ctx)
      const { op } = await load(ctx, id, 'operation:edit')
      const entity = input.entityId ? await network.entity(input.entityId) : undefined
      if (input.entityId && (!entity || !(await access.check(ctx, 'network:view', entityRef(entity))).allowed)) {
        return { ok: false, errors: formErrors([{ field: 'entityId', message: 'Select who or what it concerned' }]) }
      }
      const activityId = await db.transaction().execute(async (trx) => {
        const { id: activityId } = await trx
          .insertInto('operation_activities')
          .values({
            operation_id: id,
            kind: input.kind as never,
            occurred_on: input.occurredOn,
            entity_id: input.entityId ?? null,
            seized_item: input.kind === 'seizure' ? (input.seizedItem ?? null) : null,
            item_description: input.kind === 'seizure' ? (input.itemDescription ?? null) : null,
            quantity: input.kind === 'seizure' ? (input.quantity ?? null) : null,
            unit: input.kind === 'seizure' ? (input.unit ?? (input.seizedItem === 'cash' ? '£' : null)) : null,
            description: input.description ?? '',
            recorded_by: user.id,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
        if (entity?.person_id) {
          await recordPersonEvent(trx, { personId: entity.person_id, kind: 'operation', summary: `${op.name}: ${activityText(input.kind).toLowerCase()}`, actorId: user.id, at: new Date(`${input.occurredOn}T12:00:00Z`), refType: 'operation', refId: id })
        }
        await audit.record(ctx, { action: 'update', recordType: 'operation', recordId: id, details: { activity: activityId, kind: input.kind } }, trx)
        return activityId
      })
      return { ok: true, value: activityId }
    },

    async addOutcome(ctx: RequestContext, id: string, input: OutcomeInput): Promise<Result<string>> {
      const user = requireUser(ctx)
      const { op } = await load(ctx, id, 'operation:edit')
      const entity = await network.entity(input.entityId)
      if (!entity || entity.kind !== 'person' || !(await access.check(ctx, 'network:view', entityRef(entity))).allowed) {
        return { ok: false, errors: formErrors([{ field: 'entityId', message: 'Select the person charged or convicted' }]) }
      }
      const outcomeId = await db.transaction().execute(async (trx) => {
        const { id: outcomeId } = await trx
          .insertInto('operation_outcomes')
          .values({ operation_id: id, entity_id: input.entityId, kind: input.kind, offence: input.offence, modern_slavery: input.modernSlavery, occurred_on: input.occurredOn, sentence: input.sentence ?? null, recorded_by: user.id })
          .returning('id')
          .executeTakeFirstOrThrow()
        await recordPersonEvent(trx, { personId: entity.person_id!, kind: 'operation', summary: `${op.name}: ${input.kind === 'charge' ? 'charged' : 'convicted'} – ${input.offence}`, actorId: user.id, at: new Date(`${input.occurredOn}T12:00:00Z`), refType: 'operation', refId: id })
        await audit.record(ctx, { action: 'update', recordType: 'operation', recordId: id, details: { outcome: outcomeId, kind: input.kind, modernSlavery: input.modernSlavery } }, trx)
        return outcomeId
      })
      return { ok: true, value: outcomeId }
    },
  }
}

/** Seizure totals by item and unit: "crack cocaine 62 g". */
export function summariseSeizures(rows: { kind: string; seized_item: string | null; item_description: string | null; quantity: number | null; unit: string | null }[]) {
  const totals = new Map<string, { item: string; description: string; unit: string; quantity: number }>()
  for (const r of rows) {
    if (r.kind !== 'seizure' || r.quantity == null) continue
    const key = `${r.seized_item}|${r.item_description ?? ''}|${r.unit ?? ''}`
    const t = totals.get(key) ?? { item: r.seized_item ?? '', description: r.item_description ?? '', unit: r.unit ?? '', quantity: 0 }
    t.quantity += Number(r.quantity)
    totals.set(key, t)
  }
  return [...totals.values()]
}
