import type { Db } from '../db/index.ts'
import type { AuditService } from '../audit/service.ts'
import type { CurrentUser, RequestContext } from '../kernel/context.ts'
import { CHANGES_A_RECORD, decide, type Decision, type DecideOptions, type DenialReason, type RecordAccess } from './policy.ts'
import type { Permission } from './permissions.ts'
import { ConflictError, ForbiddenError, NotFoundError } from '../kernel/errors.ts'
import { accessStore } from './store.ts'

export interface RecordRef {
  type: string
  id: string
  ownerAgencyId: string
  /** For a person merged into another: the record kept. */
  retiredInto?: string | null
}

/** How long a recorded justification opens a record for its author. */
export const BREAK_GLASS_HOURS = 8

const DENIED: Record<DenialReason, string> = {
  closed: 'This record is closed, so it cannot be changed. Ask a manager of the agency that holds it to reopen it first (the record’s Closure page).',
  retired: 'This record was merged into another and is kept read-only: make changes on the record it was merged into',
  role: 'Your role does not allow this',
  'need-to-know': 'You do not have a need to know for this record',
  'break-glass-read-only': 'Access outside need-to-know lets you read this record, not change, share or export it',
}

/**
 * The one place that answers "may this user do this action on this record". Every service calls
 * `authorise` before it reads or changes anything; denials and break-glass use are audited here.
 */
export function accessService(db: Db, audit: AuditService) {
  const store = accessStore(db)

  /**
   * The record's ownership facts for `decide`. Its sharing and break-glass facts are read (in one
   * statement) only when they can change the answer: a role without the permission is refused,
   * and the owning agency is allowed, before `decide` looks at them.
   */
  async function recordAccess(user: CurrentUser, action: Permission, ref: RecordRef): Promise<RecordAccess> {
    const facts: RecordAccess = { type: ref.type, id: ref.id, ownerAgencyId: ref.ownerAgencyId, sharedAgencyIds: [], sharedUserIds: [], breakGlassUntil: null, retiredInto: ref.retiredInto ?? null, closed: false }
    if (!user.permissions.has(action)) return facts
    // Whether the record is closed or merged is read here for every change, whatever the caller
    // passed: one rule (decide) over every change path.
    const [state, found] = await Promise.all([
      CHANGES_A_RECORD.has(action) ? store.state(ref.type, ref.id) : undefined,
      ref.ownerAgencyId === user.agencyId ? undefined : store.facts(user.id, ref.type, ref.id),
    ])
    if (state) Object.assign(facts, { closed: state.closed, retiredInto: facts.retiredInto ?? state.retiredInto })
    return found ? { ...facts, sharedAgencyIds: found.agencies, sharedUserIds: found.users, breakGlassUntil: found.break_glass_until } : facts
  }

  function requireUser(ctx: RequestContext): CurrentUser {
    if (!ctx.user) throw new ForbiddenError('You need to sign in', { reason: 'role', canBreakGlass: false })
    return ctx.user
  }

  return {
    /**
     * The record behind a person or network entity and its owning agency, read past row-level
     * security (migration 0701) so that a service can decide before it reads: undefined when there
     * is no such record.
     */
    recordRef: (type: 'person' | 'network_entity', id: string): Promise<RecordRef | undefined> => store.recordRef(type, id),

    /**
     * For a service whose read of a record came back empty: row-level security hides a record the
     * user has no need to know about, so refuse it as such (audited, with break glass offered
     * where the role may) if it exists, and answer "not found" only if it does not.
     */
    async refuseUnreadable(ctx: RequestContext, action: Permission, type: 'person' | 'network_entity', id: string): Promise<never> {
      const ref = await this.recordRef(type, id)
      if (ref) await this.authorise(ctx, action, ref)
      throw new NotFoundError()
    },

    /** Answers without side effects: for showing or hiding a link or a button. */
    can(ctx: RequestContext, action: Permission): boolean {
      return Boolean(ctx.user?.permissions.has(action))
    },

    async check(ctx: RequestContext, action: Permission, ref?: RecordRef, options?: DecideOptions): Promise<Decision> {
      const user = requireUser(ctx)
      return decide(user, action, ref ? await recordAccess(user, action, ref) : undefined, ctx.authenticatedBy, options)
    },

    /**
     * Throws ForbiddenError (and audits the denial) unless the actor may do `action` on `ref`. A
     * change to a closed record is refused as a ConflictError (409), like a change someone else
     * saved first: the form is shown again with what the user typed, never lost.
     */
    async authorise(ctx: RequestContext, action: Permission, ref?: RecordRef, options?: DecideOptions): Promise<Decision & { allowed: true }> {
      const user = requireUser(ctx)
      const decision = decide(user, action, ref ? await recordAccess(user, action, ref) : undefined, ctx.authenticatedBy, options)
      if (!decision.allowed) {
        await audit.record(ctx, {
          action: 'access-denied',
          recordType: ref?.type,
          recordId: ref?.id,
          details: { permission: action, reason: decision.reason },
        })
        if (decision.reason === 'closed') throw new ConflictError(DENIED.closed)
        throw new ForbiddenError(DENIED[decision.reason], { reason: decision.reason, canBreakGlass: decision.canBreakGlass, recordType: ref?.type, recordId: ref?.id })
      }
      return decision
    },

    /** The record that break glass would open (a person or a network entity), or NotFoundError. */
    async breakGlassTarget(recordType: string, recordId: string): Promise<RecordRef> {
      const owner = await store.owner(recordType, recordId)
      if (!owner) throw new NotFoundError()
      return { type: recordType, id: recordId, ownerAgencyId: owner }
    },

    /**
     * Records a justification that lets its author read one record outside need-to-know for a few
     * hours, in a signed-in session only. The owning agency is named on it (its managers are told)
     * and in the audit event.
     */
    async breakGlass(ctx: RequestContext, ref: RecordRef, reason: string) {
      const user = requireUser(ctx)
      if (!user.permissions.has('break-glass') || ctx.authenticatedBy !== 'session') {
        throw new ForbiddenError('Your role does not allow access outside need-to-know', { reason: 'role', canBreakGlass: false })
      }
      return db.transaction().execute(async (trx) => {
        const row = await store.insertBreakGlass(trx, { user_id: user.id, record_type: ref.type, record_id: ref.id, owner_agency_id: ref.ownerAgencyId, reason, hours: BREAK_GLASS_HOURS })
        await audit.record(ctx, { action: 'break-glass', recordType: ref.type, recordId: ref.id, reason, details: { ownerAgencyId: ref.ownerAgencyId, expiresAt: new Date(row.expires_at).toISOString() } }, trx)
        return row
      })
    },
  }
}

export type AccessService = ReturnType<typeof accessService>
