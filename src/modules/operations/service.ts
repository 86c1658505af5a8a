import type { ModuleDeps } from '../types.ts'
import type { Db } from '../../db/index.ts'
import type { RequestContext } from '../../kernel/context.ts'
import { ConflictError, NotFoundError } from '../../kernel/errors.ts'
import { formErrors, type Result } from '../../kernel/form-errors.ts'
import { londonDay } from '../../kernel/london.ts'
import { formatDate } from '../../web/nunjucks.ts'
import { buildNetwork, nearby } from '../../analytics/graph/index.ts'
import { recordPersonEvent } from '../people/index.ts'
import { networkStore, entityKindText, entityRef, requireUser, toAnalysis } from '../network/index.ts'
import { assessmentsForPerson, type Level } from '../risk/index.ts'
import { nrmReferralStates, referralsService } from '../referrals/index.ts'
import { activitySummary, activityText, type ActivityInput, type ConcludeInput, type EditOperationInput, type OperationInput, type OutcomeInput, type WithdrawInput } from './schemas.ts'
import { operationsStore } from './store.ts'
import { outcomeCounts, riskAround, type Period } from './outcomes.ts'
import type { OperationChangeKind } from './tables.ts'

const UUID = /^[0-9a-f-]{36}$/i
const changeText: Record<OperationChangeKind, string> = { edited: 'Details edited', concluded: 'Concluded', reopened: 'Reopened', corrected: 'Activity corrected', withdrawn: 'Withdrawn' }
const concludedError = () => new ConflictError('This operation has been concluded. A manager can reopen it if more must be recorded.')
const changedError = (what: string) => new ConflictError(`This ${what} was changed by someone else after you opened it. Nothing you entered was saved.`)

/**
 * Joint operations: the lead agency and its partners see them; anyone else needs a share or break
 * glass. Children linked (within two steps) to the targets, with their rating either side of the
 * activity that concerned them; outcome counts in Home Office terms; a history of every change.
 */
export function operationsService(deps: ModuleDeps) {
  const { db, access, audit, clock } = deps
  const network = networkStore(db)
  const store = operationsStore(db)
  const referrals = referralsService(deps)

  async function load(ctx: RequestContext, id: string, permission: 'network:view' | 'operation:edit' | 'operation:reopen' = 'network:view') {
    const user = requireUser(ctx)
    await access.authorise(ctx, permission)
    if (!UUID.test(id)) throw new NotFoundError()
    const op = await store.operation(id, user)
    if (!op) {
      // Hidden by row-level security: refused as the operation's lead agency would refuse, and not found if allowed after all.
      const lead = await store.leadAgency(id)
      if (lead) await access.authorise(ctx, permission, { type: 'operation', id, ownerAgencyId: lead })
      throw new NotFoundError()
    }
    const partners = await store.partners(id)
    if (!op.takes_part) {
      await access.authorise(ctx, permission, { type: 'operation', id, ownerAgencyId: op.lead_agency_id })
    }
    return { op, partners }
  }

  /** An operation that may still be recorded in: concluded ones are closed until a manager reopens them. */
  async function loadOpen(ctx: RequestContext, id: string) {
    const loaded = await load(ctx, id, 'operation:edit')
    if (loaded.op.status === 'concluded') throw concludedError()
    return loaded
  }

  /** An entity the user may see, or nothing. */
  async function visibleEntity(ctx: RequestContext, entityId: string | undefined) {
    if (!entityId) return undefined
    const entity = await network.entity(entityId)
    return entity && (await access.check(ctx, 'network:view', entityRef(entity))).allowed ? entity : null
  }

  /** Each child's ratings, oldest first, as London days: read through the risk module. */
  async function ratings(personIds: string[]) {
    const rows = await Promise.all(personIds.map(async (id) => [id, (await assessmentsForPerson(db, id)).reverse()] as const))
    return new Map(rows.map(([id, list]) => [id, list.filter((r) => r.final_level).map((r) => ({ level: r.final_level as Level, on: londonDay(r.submitted_at!) }))]))
  }

  /** Lines to the people the viewer can see run them. */
  function lineHolders(entities: { id: string; kind: string }[], links: { source_id: string; target_id: string; type: string; status: string }[]) {
    const kinds = new Map(entities.map((e) => [e.id, e.kind]))
    const holders = new Map<string, Set<string>>()
    for (const l of links) {
      if (l.type !== 'runs' || l.status === 'wrong') continue
      const [person, line] = kinds.get(l.source_id) === 'line' ? [l.target_id, l.source_id] : [l.source_id, l.target_id]
      if (kinds.get(line) !== 'line' || kinds.get(person) !== 'person') continue
      holders.set(line, (holders.get(line) ?? new Set()).add(person))
    }
    return holders
  }

  async function nrmVoided(activities: { nrm_referral_id: string | null }[]) {
    const states = await nrmReferralStates(db, activities.flatMap((a) => (a.nrm_referral_id ? [a.nrm_referral_id] : [])))
    return new Map(states.map((s) => [s.id, s]))
  }

  /** The live activities (an NRM one voided on the child's record counts for nothing) and charges in the viewer's agency's operations, and who runs each line. */
  async function partnershipCounted(user: ReturnType<typeof requireUser>) {
    const [records, entities, links] = await Promise.all([store.partnershipRecords(user), network.visibleEntities(user), network.visibleLinks(user)])
    const voided = await nrmVoided(records.activities)
    return {
      activities: records.activities.map((a) => ({ ...a, nrmVoided: Boolean(a.nrm_referral_id && voided.get(a.nrm_referral_id)?.voided_at) })),
      outcomes: records.outcomes,
      holders: lineHolders(entities, links),
    }
  }

  const change = (executor: Db, ctx: RequestContext, operationId: string, kind: OperationChangeKind, record: { type: 'operation' | 'activity' | 'target' | 'outcome'; id: string; entityId?: string | null }, reason: string | null, before: Record<string, unknown>) =>
    operationsStore(executor).recordChange({ operation_id: operationId, kind, record_type: record.type, record_id: record.id, entity_id: record.entityId ?? null, reason, before: JSON.stringify(before), changed_by: ctx.user!.id, changed_at: clock.now() })

  return {
    async list(ctx: RequestContext) {
      const user = requireUser(ctx)
      await access.authorise(ctx, 'network:view')
      const [rows, counted] = await Promise.all([store.list(user), partnershipCounted(user)])
      const totals = outcomeCounts(counted.activities, counted.outcomes, counted.holders)
      await audit.record(ctx, { action: 'search', recordType: 'operation', details: { count: rows.length } })
      return { operations: rows, totals }
    },

    /**
     * The partnership's outcomes in Home Office terms for a period: each operation the viewer's
     * agency takes part in, and their total, counted as each operation's page counts them. Shown
     * (audited as a view) or downloaded (audited as an export).
     */
    async outcomes(ctx: RequestContext, period: Period, purpose: 'view' | 'export') {
      const user = requireUser(ctx)
      await access.authorise(ctx, 'network:view')
      const [rows, counted] = await Promise.all([store.list(user), partnershipCounted(user)])
      const operations = rows.map((o) => ({
        ...o,
        counts: outcomeCounts(
          counted.activities.filter((a) => a.operation_id === o.id),
          counted.outcomes.filter((x) => x.operation_id === o.id),
          counted.holders,
          period,
        ),
      }))
      const totals = outcomeCounts(counted.activities, counted.outcomes, counted.holders, period)
      await audit.record(ctx, { action: purpose, recordType: 'operation', details: { report: 'outcomes', from: period.from ?? null, to: period.to ?? null, operations: rows.length } })
      return { operations, totals }
    },

    async page(ctx: RequestContext, id: string) {
      const user = requireUser(ctx)
      const { op, partners } = await load(ctx, id)
      const [entities, links] = await Promise.all([network.visibleEntities(user), network.visibleLinks(user)])
      const byId = new Map(entities.map((e) => [e.id, e]))
      const targetRows = await store.targets(id)
      const liveTargetIds = targetRows.filter((t) => !t.withdrawn_at).map((t) => t.entity_id)
      const targets = liveTargetIds.flatMap((t) => (byId.has(t) ? [byId.get(t)!] : []))
      const hiddenTargets = liveTargetIds.length - targets.length
      const withdrawnTargets = targetRows.filter((t) => t.withdrawn_at && byId.has(t.entity_id)).map((t) => ({ ...t, entity: byId.get(t.entity_id)!, kindText: entityKindText(byId.get(t.entity_id)!) }))
      const [recorded, recordedOutcomes, history] = await Promise.all([store.activities(id), store.outcomes(id), store.history(id)])
      // Row-level security lets every agency taking part read every activity, and cannot mask a
      // column: the free text about a record this viewer may not see is dropped here, before
      // anything (the table, the seizure totals, the children's anchors) is made from it.
      const activities = recorded.map((a) => concealed(a, byId))
      const outcomes = recordedOutcomes.map((o) => concealed(o, byId))
      const referralsById = await nrmVoided(activities)
      const live = activities.filter((a) => !a.withdrawn_at)

      // Children within two steps of any target, over the links this user may see (A to D grades).
      const graph = buildNetwork(toAnalysis(entities, links), { around: { ids: targets.map((t) => t.id), steps: 2 } })
      const children = new Map<string, { distance: number; via: string; viaId: string }>()
      for (const t of targets) {
        for (const near of nearby(graph, t.id, { kind: 'child', steps: 2 })) {
          const seen = children.get(near.id)
          if (!seen || near.distance < seen.distance) children.set(near.id, { distance: near.distance, via: t.label, viaId: t.id })
        }
        if (graph.hasNode(t.id) && graph.getNodeAttribute(t.id, 'kind') === 'child') children.set(t.id, { distance: 0, via: t.label, viaId: t.id })
      }
      // The day of the first activity that concerned the child, else the target they are linked
      // through, else the operation's first: the rating either side of it shows what the action did.
      const firstOn = (entityId: string | null) => live.find((a) => entityId === null || a.entity_id === entityId)?.occurred_on ?? null
      const childRows = [...children].map(([entityId, c]) => {
        const own = firstOn(entityId)
        const anchor = own ?? firstOn(c.viaId) ?? firstOn(null)
        const anchorText = own ? 'an activity concerning them' : firstOn(c.viaId) ? `an activity concerning ${c.via}` : anchor ? 'the operation’s first activity' : null
        return { entity: byId.get(entityId)!, ...c, anchor, anchorText }
      })
      const history_ = await ratings(childRows.map((c) => c.entity.person_id!))
      const order: Record<string, number> = { red: 3, amber: 2, green: 1 }
      const childrenRisk = childRows
        .map((c) => {
          const r = riskAround(history_.get(c.entity.person_id!) ?? [], c.anchor)
          const change = r.before && r.after ? Math.sign(order[r.after] - order[r.before]) : null
          return { ...c, ...r, change: change === null ? 'unknown' : change < 0 ? 'down' : change > 0 ? 'up' : 'same' }
        })
        .sort((a, b) => a.entity.label.localeCompare(b.entity.label))

      const label = (entityId: string | null) => (entityId ? (byId.get(entityId)?.label ?? 'A record you do not have a need to know for') : '')
      const counts = outcomeCounts(
        activities.map((a) => ({ ...a, operation_id: id, nrmVoided: Boolean(a.nrm_referral_id && referralsById.get(a.nrm_referral_id)?.voided_at) })),
        outcomes.map((o) => ({ ...o, operation_id: id })),
        lineHolders(entities, links),
      )
      await audit.record(ctx, { action: 'view', recordType: 'operation', recordId: id })
      const canEdit = access.can(ctx, 'operation:edit') && op.status !== 'concluded'
      return {
        op,
        partners,
        counts,
        targets: targets.map((t) => ({ ...t, kindText: entityKindText(t) })),
        hiddenTargets,
        withdrawnTargets,
        childrenRisk,
        activities: activities.map((a) => {
          const referral = a.nrm_referral_id ? referralsById.get(a.nrm_referral_id) : undefined
          return { ...a, kindText: activityText(a.kind), entityLabel: label(a.entity_id), entityVisible: a.entity_id ? byId.has(a.entity_id) : false, referral: referral ?? null }
        }),
        outcomes: outcomes.map((o) => ({ ...o, entityLabel: label(o.entity_id), entityVisible: byId.has(o.entity_id) })),
        seizures: summariseSeizures(live),
        history: history.map((h) => ({ ...h, kindText: h.kind === 'corrected' && h.record_type === 'outcome' ? 'Charge or conviction corrected' : changeText[h.kind], recordText: h.record_type === 'operation' ? 'The operation' : h.record_type === 'target' ? `Target ${label(h.entity_id)}` : h.record_type === 'outcome' ? describeOutcome(h.before as Record<string, unknown>, label) : describeBefore(h.before as Record<string, unknown>, label) })),
        candidates: entities.filter((e) => !liveTargetIds.includes(e.id)).map((e) => ({ value: e.id, text: `${e.label} (${entityKindText(e)})` })),
        targetOptions: targets.map((e) => ({ value: e.id, text: `${e.label} (${entityKindText(e)})` })),
        people: entities.filter((e) => e.kind === 'person').map((e) => ({ value: e.id, text: e.label })),
        canEdit,
        canReopen: op.status === 'concluded' && access.can(ctx, 'operation:reopen'),
      }
    },

    async agencies() {
      return store.agencies()
    },

    /** The operation as it is, for its edit and conclude forms. */
    async forEdit(ctx: RequestContext, id: string) {
      const { op, partners } = await loadOpen(ctx, id)
      return { op, partners }
    },

    async create(ctx: RequestContext, input: OperationInput): Promise<Result<string>> {
      const user = requireUser(ctx)
      await access.authorise(ctx, 'operation:edit')
      if (await store.nameTaken(input.name, null)) return { ok: false, errors: formErrors([{ field: 'name', message: 'An operation with this name already exists' }]) }
      const agencies = new Set((await store.agencies()).map((a) => a.id))
      if (!agencies.has(input.leadAgencyId)) return { ok: false, errors: formErrors([{ field: 'leadAgencyId', message: 'Select the lead agency' }]) }
      // The recorder's own agency is always the lead or a partner, so they can see what they record.
      const partners = new Set(input.partnerAgencyIds.filter((a) => agencies.has(a) && a !== input.leadAgencyId))
      if (input.leadAgencyId !== user.agencyId) partners.add(user.agencyId)
      const id = await db.transaction().execute(async (trx) => {
        const s = operationsStore(trx)
        const concluded = input.status === 'concluded'
        const { id } = await s.insertOperation({
          name: input.name,
          lead_agency_id: input.leadAgencyId,
          status: input.status,
          started_on: input.startedOn,
          ended_on: input.endedOn ?? null,
          summary: input.summary ?? '',
          conclusion: concluded ? (input.summary ?? null) : null,
          concluded_by: concluded ? user.id : null,
          concluded_at: concluded ? clock.now() : null,
          created_by: user.id,
        })
        await s.setPartners(id, [...partners])
        await audit.record(ctx, { action: 'create', recordType: 'operation', recordId: id, details: { name: input.name } }, trx)
        return id
      })
      return { ok: true, value: id }
    },

    /** Changes an open operation's details; the version seen guards against a colleague's change. */
    async update(ctx: RequestContext, id: string, input: EditOperationInput): Promise<Result<string>> {
      const user = requireUser(ctx)
      const { op, partners: before } = await loadOpen(ctx, id)
      if (await store.nameTaken(input.name, id)) return { ok: false, errors: formErrors([{ field: 'name', message: 'An operation with this name already exists' }]) }
      const agencies = new Set((await store.agencies()).map((a) => a.id))
      if (!agencies.has(input.leadAgencyId)) return { ok: false, errors: formErrors([{ field: 'leadAgencyId', message: 'Select the lead agency' }]) }
      const partners = new Set(input.partnerAgencyIds.filter((a) => agencies.has(a) && a !== input.leadAgencyId))
      if (input.leadAgencyId !== user.agencyId) partners.add(user.agencyId)
      const firstActivity = (await store.activities(id)).find((a) => !a.withdrawn_at)
      if (firstActivity && firstActivity.occurred_on < input.startedOn) {
        return { ok: false, errors: formErrors([{ field: 'startedOn', message: `Start date must be on or before the first activity, ${firstActivity.occurred_on}` }]) }
      }
      await db.transaction().execute(async (trx) => {
        const s = operationsStore(trx)
        const changed = await s.updateOperation(id, input.version, { name: input.name, lead_agency_id: input.leadAgencyId, status: input.status, started_on: input.startedOn, summary: input.summary ?? '' })
        if (!changed) throw changedError('operation')
        await s.setPartners(id, [...partners])
        await change(trx, ctx, id, 'edited', { type: 'operation', id }, null, { name: op.name, leadAgencyId: op.lead_agency_id, partners: before.map((p) => p.name), status: op.status, startedOn: op.started, summary: op.summary })
        await audit.record(ctx, { action: 'update', recordType: 'operation', recordId: id, details: { name: input.name } }, trx)
      })
      return { ok: true, value: id }
    },

    /** Concludes an operation with what it achieved; nothing more is recorded until it is reopened. */
    async conclude(ctx: RequestContext, id: string, input: ConcludeInput): Promise<Result<string>> {
      const user = requireUser(ctx)
      const { op } = await loadOpen(ctx, id)
      if (input.endedOn < op.started) return { ok: false, errors: formErrors([{ field: 'endedOn', message: 'End date must be the same as or after the start date' }]) }
      const lastActivity = (await store.activities(id)).filter((a) => !a.withdrawn_at).at(-1)
      if (lastActivity && input.endedOn < lastActivity.occurred_on) {
        return { ok: false, errors: formErrors([{ field: 'endedOn', message: `End date must be on or after the last activity, ${lastActivity.occurred_on}` }]) }
      }
      await db.transaction().execute(async (trx) => {
        const changed = await operationsStore(trx).updateOperation(id, input.version, { status: 'concluded', ended_on: input.endedOn, conclusion: input.conclusion, concluded_by: user.id, concluded_at: clock.now() })
        if (!changed) throw changedError('operation')
        await change(trx, ctx, id, 'concluded', { type: 'operation', id }, null, { status: op.status, endedOn: op.ended })
        await audit.record(ctx, { action: 'update', recordType: 'operation', recordId: id, details: { concluded: input.endedOn } }, trx)
      })
      return { ok: true, value: id }
    },

    /** A manager reopens a concluded operation, saying why; the conclusion is kept in its history. */
    async reopen(ctx: RequestContext, id: string, input: { reason: string; version: number }): Promise<Result<string>> {
      const { op } = await load(ctx, id, 'operation:reopen')
      if (op.status !== 'concluded') throw new ConflictError('This operation is not concluded.')
      await db.transaction().execute(async (trx) => {
        const changed = await operationsStore(trx).updateOperation(id, input.version, { status: 'active', ended_on: null, conclusion: null, concluded_by: null, concluded_at: null })
        if (!changed) throw changedError('operation')
        await change(trx, ctx, id, 'reopened', { type: 'operation', id }, input.reason, { status: op.status, endedOn: op.ended, conclusion: op.conclusion, concludedBy: op.concluded_by_name })
        await audit.record(ctx, { action: 'update', recordType: 'operation', recordId: id, details: { reopened: true } }, trx)
      })
      return { ok: true, value: id }
    },

    async addTarget(ctx: RequestContext, id: string, entityId: string): Promise<Result<void>> {
      await loadOpen(ctx, id)
      if (!(await visibleEntity(ctx, entityId))) return { ok: false, errors: formErrors([{ field: 'entityId', message: 'Select a target you can see' }]) }
      await db.transaction().execute(async (trx) => {
        if (!(await operationsStore(trx).addTarget(id, entityId))) throw new ConflictError('This entity is already a target')
        await audit.record(ctx, { action: 'update', recordType: 'operation', recordId: id, details: { target: entityId } }, trx)
      })
      return { ok: true, value: undefined }
    },

    /** Takes a target off the operation, saying why; kept and shown as withdrawn. */
    async withdrawTarget(ctx: RequestContext, id: string, entityId: string, input: WithdrawInput): Promise<void> {
      const user = requireUser(ctx)
      await loadOpen(ctx, id)
      if (!(await visibleEntity(ctx, entityId))) throw new NotFoundError()
      await db.transaction().execute(async (trx) => {
        if (!(await operationsStore(trx).withdrawTarget(id, entityId, user.id, input.reason, clock.now()))) throw new ConflictError('This target has already been withdrawn.')
        await change(trx, ctx, id, 'withdrawn', { type: 'target', id: entityId, entityId }, input.reason, {})
        await audit.record(ctx, { action: 'update', recordType: 'operation', recordId: id, details: { targetWithdrawn: entityId } }, trx)
      })
    },

    async activity(ctx: RequestContext, id: string, activityId: string) {
      const { op } = await loadOpen(ctx, id)
      if (!UUID.test(activityId)) throw new NotFoundError()
      const row = await store.activity(id, activityId)
      if (!row || row.withdrawn_at) throw new NotFoundError()
      const entity = row.entity_id ? await visibleEntity(ctx, row.entity_id) : undefined
      if (entity === null) throw new NotFoundError()
      await audit.record(ctx, { action: 'view', recordType: 'operation', recordId: id, details: { activity: activityId } })
      return { op, activity: { ...row, kindText: activityText(row.kind), entityLabel: entity?.label ?? '' } }
    },

    async addActivity(ctx: RequestContext, id: string, input: ActivityInput): Promise<Result<string>> {
      const user = requireUser(ctx)
      const { op } = await loadOpen(ctx, id)
      const entity = await visibleEntity(ctx, input.entityId)
      if (entity === null) return { ok: false, errors: formErrors([{ field: 'entityId', message: 'Select who or what it concerned' }]) }
      const row = activityRow(input)
      const insert = async (trx: Db, nrmReferralId: string | null) => {
        const { id: activityId } = await operationsStore(trx).insertActivity({ ...row, operation_id: id, nrm_referral_id: nrmReferralId, recorded_by: user.id, recorded_at: clock.now() })
        if (entity?.person_id) {
          await recordPersonEvent(trx, { personId: entity.person_id, kind: 'operation', summary: activitySummary(op.name, input.kind), actorId: user.id, at: new Date(`${input.occurredOn}T12:00:00Z`), refType: 'operation', refId: id })
        }
        await audit.record(ctx, { action: 'update', recordType: 'operation', recordId: id, details: { activity: activityId, kind: input.kind } }, trx)
        return activityId
      }
      if (input.kind !== 'nrm_referral') return { ok: true, value: await db.transaction().execute((trx) => insert(trx, null)) }
      // The referral is the child's own, recorded on their record by the referrals module, and this
      // activity is that referral: both are saved together or neither is.
      if (!entity?.person_id) return { ok: false, errors: formErrors([{ field: 'entityId', message: 'Select the child or adult referred' }]) }
      let activityId = ''
      const referral = await referrals.createNrm(
        ctx,
        entity.person_id,
        { referredOn: input.occurredOn, firstResponderAgencyId: user.agencyId, reference: null, exploitationTypes: ['criminal'], rgDecision: null, rgDecisionOn: null, cgDecision: null, cgDecisionOn: null, notes: input.description ?? null },
        async (trx, referralId) => {
          activityId = await insert(trx, referralId)
        },
      )
      if (!referral.ok) return { ok: false, errors: formErrors(referral.errors.errorList.map((e) => ({ field: e.href.slice(1) === 'referredOn' ? 'occurredOn' : 'description', message: e.text }))) }
      return { ok: true, value: activityId }
    },

    /** Corrects an activity, saying why; the record as it was goes to the operation's history. */
    async correctActivity(ctx: RequestContext, id: string, activityId: string, input: ActivityInput, correction: { reason: string; version: number }): Promise<Result<string>> {
      const { activity } = await this.activity(ctx, id, activityId)
      if (input.kind !== activity.kind && (input.kind === 'nrm_referral' || activity.kind === 'nrm_referral')) {
        return { ok: false, errors: formErrors([{ field: 'kind', message: 'An NRM referral is corrected on the child’s record, or withdrawn and recorded again' }]) }
      }
      if (activity.kind === 'nrm_referral' && input.entityId !== activity.entity_id) {
        return { ok: false, errors: formErrors([{ field: 'entityId', message: 'An NRM referral is corrected on the child’s record, or withdrawn and recorded again' }]) }
      }
      const entity = await visibleEntity(ctx, input.entityId)
      if (entity === null) return { ok: false, errors: formErrors([{ field: 'entityId', message: 'Select who or what it concerned' }]) }
      await db.transaction().execute(async (trx) => {
        const changed = await operationsStore(trx).updateActivity(activityId, correction.version, activityRow(input))
        if (!changed) throw changedError('activity')
        await change(trx, ctx, id, 'corrected', { type: 'activity', id: activityId, entityId: activity.entity_id }, correction.reason, beforeOf(activity))
        await audit.record(ctx, { action: 'update', recordType: 'operation', recordId: id, details: { activityCorrected: activityId } }, trx)
      })
      return { ok: true, value: activityId }
    },

    /**
     * Withdraws an activity recorded in error, saying why: kept, shown struck through, counted in
     * nothing. An NRM referral is the child's, so its referral is voided with the same reason.
     */
    async withdrawActivity(ctx: RequestContext, id: string, activityId: string, input: WithdrawInput): Promise<void> {
      const user = requireUser(ctx)
      const { activity } = await this.activity(ctx, id, activityId)
      if (activity.nrm_referral_id) {
        const [referral] = await nrmReferralStates(db, [activity.nrm_referral_id])
        const live = referral && !referral.voided_at ? await referrals.forEditNrm(ctx, referral.person_id, referral.id) : null
        if (live?.referral) await referrals.voidNrm(ctx, referral.person_id, referral.id, { reason: input.reason, version: live.referral.version })
      }
      await db.transaction().execute(async (trx) => {
        const changed = await operationsStore(trx).updateActivity(activityId, input.version ?? activity.version, { withdrawn_at: clock.now(), withdrawn_by: user.id, withdrawn_reason: input.reason })
        if (!changed) throw changedError('activity')
        await change(trx, ctx, id, 'withdrawn', { type: 'activity', id: activityId, entityId: activity.entity_id }, input.reason, beforeOf(activity))
        await audit.record(ctx, { action: 'update', recordType: 'operation', recordId: id, details: { activityWithdrawn: activityId } }, trx)
      })
    },

    /** A live charge or conviction, for the forms that correct or withdraw it: refused (404) where its person is hidden. Audited as a view. */
    async outcome(ctx: RequestContext, id: string, outcomeId: string) {
      const { op } = await loadOpen(ctx, id)
      if (!UUID.test(outcomeId)) throw new NotFoundError()
      const row = (await store.outcomes(id)).find((o) => o.id === outcomeId && !o.withdrawn_at)
      const entity = row ? await visibleEntity(ctx, row.entity_id) : null
      if (!row || !entity) throw new NotFoundError()
      await audit.record(ctx, { action: 'view', recordType: 'operation', recordId: id, details: { outcome: outcomeId } })
      return { op, outcome: { ...row, entityLabel: entity.label } }
    },

    /** Corrects a charge or conviction, saying why; the outcome as it was goes to the operation's history. */
    async correctOutcome(ctx: RequestContext, id: string, outcomeId: string, input: OutcomeInput, correction: { reason: string; version: number }): Promise<Result<string>> {
      const { outcome } = await this.outcome(ctx, id, outcomeId)
      const entity = await visibleEntity(ctx, input.entityId)
      if (!entity || entity.kind !== 'person') return { ok: false, errors: formErrors([{ field: 'entityId', message: 'Select the person charged or convicted' }]) }
      await db.transaction().execute(async (trx) => {
        const changed = await operationsStore(trx).updateOutcome(outcomeId, correction.version, { entity_id: input.entityId, kind: input.kind, offence: input.offence, modern_slavery: input.modernSlavery, occurred_on: input.occurredOn, sentence: input.sentence ?? null })
        if (!changed) throw changedError('charge or conviction')
        await change(trx, ctx, id, 'corrected', { type: 'outcome', id: outcomeId, entityId: outcome.entity_id }, correction.reason, outcomeBefore(outcome))
        await audit.record(ctx, { action: 'update', recordType: 'operation', recordId: id, details: { outcomeCorrected: outcomeId } }, trx)
      })
      return { ok: true, value: outcomeId }
    },

    /** Withdraws a charge or conviction recorded in error, saying why: kept, struck through, counted in nothing. */
    async withdrawOutcome(ctx: RequestContext, id: string, outcomeId: string, input: WithdrawInput): Promise<void> {
      const user = requireUser(ctx)
      const { outcome } = await this.outcome(ctx, id, outcomeId)
      await db.transaction().execute(async (trx) => {
        const changed = await operationsStore(trx).updateOutcome(outcomeId, input.version ?? outcome.version, { withdrawn_at: clock.now(), withdrawn_by: user.id, withdrawn_reason: input.reason })
        if (!changed) throw changedError('charge or conviction')
        await change(trx, ctx, id, 'withdrawn', { type: 'outcome', id: outcomeId, entityId: outcome.entity_id }, input.reason, outcomeBefore(outcome))
        await audit.record(ctx, { action: 'update', recordType: 'operation', recordId: id, details: { outcomeWithdrawn: outcomeId } }, trx)
      })
    },

    async addOutcome(ctx: RequestContext, id: string, input: OutcomeInput): Promise<Result<string>> {
      const user = requireUser(ctx)
      const { op } = await loadOpen(ctx, id)
      const entity = await visibleEntity(ctx, input.entityId)
      if (!entity || entity.kind !== 'person') return { ok: false, errors: formErrors([{ field: 'entityId', message: 'Select the person charged or convicted' }]) }
      const outcomeId = await db.transaction().execute(async (trx) => {
        const { id: outcomeId } = await operationsStore(trx).insertOutcome({ operation_id: id, entity_id: input.entityId, kind: input.kind, offence: input.offence, modern_slavery: input.modernSlavery, occurred_on: input.occurredOn, sentence: input.sentence ?? null, recorded_by: user.id })
        await recordPersonEvent(trx, { personId: entity.person_id!, kind: 'operation', summary: `${op.name}: ${input.kind === 'charge' ? 'charged' : 'convicted'} – ${input.offence}`, actorId: user.id, at: new Date(`${input.occurredOn}T12:00:00Z`), refType: 'operation', refId: id })
        await audit.record(ctx, { action: 'update', recordType: 'operation', recordId: id, details: { outcome: outcomeId, kind: input.kind, modernSlavery: input.modernSlavery } }, trx)
        return outcomeId
      })
      return { ok: true, value: outcomeId }
    },
  }
}
export type OperationsService = ReturnType<typeof operationsService>

/**
 * An activity or outcome as a viewer who may not see the record it concerns reads it: that it
 * happened, when and of what kind (it counts in the operation's totals), and none of the free text
 * that would tell them about the record (details, what was seized, a sentence, why it was withdrawn).
 */
export function concealed<T extends { entity_id: string | null; withdrawn_reason: string | null; description?: string; item_description?: string | null; sentence?: string | null }>(row: T, visible: ReadonlyMap<string, unknown>): T & { concealed: boolean } {
  if (!row.entity_id || visible.has(row.entity_id)) return { ...row, concealed: false }
  return {
    ...row,
    concealed: true,
    withdrawn_reason: null,
    ...('description' in row ? { description: '' } : {}),
    ...('item_description' in row ? { item_description: null } : {}),
    ...('sentence' in row ? { sentence: null } : {}),
  }
}

/** A charge or conviction as its form holds it, for the history. */
const outcomeBefore = (o: { kind: string; occurred_on: string; entity_id: string; offence: string; modern_slavery: boolean; sentence: string | null }) => ({
  kind: o.kind,
  occurredOn: o.occurred_on,
  entityId: o.entity_id,
  offence: o.offence,
  modernSlavery: o.modern_slavery,
  sentence: o.sentence,
})

/** The columns an activity form sets; seizure details only on a seizure. */
function activityRow(input: ActivityInput) {
  const seizure = input.kind === 'seizure'
  return {
    kind: input.kind as never,
    occurred_on: input.occurredOn,
    entity_id: input.entityId ?? null,
    seized_item: seizure ? (input.seizedItem ?? null) : null,
    item_description: seizure ? (input.itemDescription ?? null) : null,
    quantity: seizure ? (input.quantity ?? null) : null,
    unit: seizure ? (input.unit ?? (input.seizedItem === 'cash' ? '£' : null)) : null,
    description: input.description ?? '',
  }
}

/** An activity as it was, for its history. */
function beforeOf(a: { kind: string; occurred: string; entity_id: string | null; seized_item: string | null; item_description: string | null; quantity: number | null; unit: string | null; description: string }) {
  return { kind: a.kind, occurredOn: a.occurred, entityId: a.entity_id, seizedItem: a.seized_item, itemDescription: a.item_description, quantity: a.quantity, unit: a.unit, description: a.description }
}

/** A charge or conviction as it was: "Charge on 2 March 2026 (Reece): possession with intent to supply". */
function describeOutcome(before: Record<string, unknown>, label: (id: string | null) => string) {
  const kind = String(before.kind)
  return `${kind.charAt(0).toUpperCase()}${kind.slice(1)} on ${formatDate(before.occurredOn)} (${label((before.entityId as string | null) ?? null)}): ${String(before.offence)}`
}

/** "Arrest on 10 June 2026 (Reece Holloway): details" from an activity's recorded state. */
function describeBefore(before: Record<string, unknown>, label: (id: string | null) => string) {
  const who = label((before.entityId as string | null) ?? null)
  return `${activityText(String(before.kind))} on ${formatDate(before.occurredOn)}${who ? ` (${who})` : ''}${before.description ? `: ${String(before.description)}` : ''}`
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
