import { sql } from 'kysely'
import type { Db } from '../db/index.ts'
import type { AuditService } from '../audit/service.ts'
import type { CurrentUser, RequestContext } from '../kernel/context.ts'
import { decide, type Decision, type RecordAccess } from './policy.ts'
import type { Permission } from './permissions.ts'
import { ForbiddenError, NotFoundError } from '../kernel/errors.ts'

export interface RecordRef {
  type: string
  id: string
  ownerAgencyId: string
}

/** How long a recorded justification opens a record for its author. */
export const BREAK_GLASS_HOURS = 8

/**
 * The one place that answers "may this user do this action on this record". Every service calls
 * `authorise` before it reads or changes anything; denials and break-glass use are audited here.
 */
export function accessService(db: Db, audit: AuditService) {
  /**
   * The record's ownership facts for `decide`. Its sharing and break-glass facts are read (in one
   * statement) only when they can change the answer: a role without the permission is refused,
   * and the owning agency is allowed, before `decide` looks at them.
   */
  async function recordAccess(user: CurrentUser, action: Permission, ref: RecordRef): Promise<RecordAccess> {
    const facts: RecordAccess = { type: ref.type, id: ref.id, ownerAgencyId: ref.ownerAgencyId, sharedAgencyIds: [], sharedUserIds: [], breakGlass: false }
    if (!user.permissions.has(action) || ref.ownerAgencyId === user.agencyId) return facts
    const { rows } = await sql<{ agencies: string[]; users: string[]; break_glass: boolean }>`
      select
        coalesce((select array_agg(s.agency_id::text) from record_shares s
                   where s.record_type = ${ref.type} and s.record_id = ${ref.id} and s.revoked_at is null and s.agency_id is not null), '{}') as agencies,
        coalesce((select array_agg(s.user_id::text) from record_shares s
                   where s.record_type = ${ref.type} and s.record_id = ${ref.id} and s.revoked_at is null and s.user_id is not null), '{}') as users,
        exists (select 1 from break_glass g
                 where g.user_id = ${user.id} and g.record_type = ${ref.type} and g.record_id = ${ref.id} and g.expires_at > now()) as break_glass`.execute(db)
    return { ...facts, sharedAgencyIds: rows[0].agencies, sharedUserIds: rows[0].users, breakGlass: rows[0].break_glass }
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
    async recordRef(type: 'person' | 'network_entity', id: string): Promise<RecordRef | undefined> {
      const { rows } = await sql<{ record_type: string; record_id: string; owner_agency_id: string }>`
        select record_type, record_id, owner_agency_id from lantern_record_ref(${type}, ${id}::uuid)`.execute(db)
      const row = rows[0]
      return row && { type: row.record_type, id: row.record_id, ownerAgencyId: row.owner_agency_id }
    },

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

    async check(ctx: RequestContext, action: Permission, ref?: RecordRef): Promise<Decision> {
      const user = requireUser(ctx)
      return decide(user, action, ref ? await recordAccess(user, action, ref) : undefined)
    },

    /** Throws ForbiddenError (and audits the denial) unless the actor may do `action` on `ref`. */
    async authorise(ctx: RequestContext, action: Permission, ref?: RecordRef): Promise<Decision & { allowed: true }> {
      const user = requireUser(ctx)
      const decision = decide(user, action, ref ? await recordAccess(user, action, ref) : undefined)
      if (!decision.allowed) {
        await audit.record(ctx, {
          action: 'access-denied',
          recordType: ref?.type,
          recordId: ref?.id,
          details: { permission: action, reason: decision.reason },
        })
        throw new ForbiddenError(
          decision.reason === 'role' ? 'Your role does not allow this' : 'You do not have a need to know for this record',
          { reason: decision.reason, canBreakGlass: decision.canBreakGlass, recordType: ref?.type, recordId: ref?.id },
        )
      }
      return decision
    },

    /** Records a justification that opens a record outside need-to-know for a few hours. */
    async breakGlass(ctx: RequestContext, recordType: string, recordId: string, reason: string) {
      const user = requireUser(ctx)
      if (!user.permissions.has('break-glass')) {
        throw new ForbiddenError('Your role does not allow access outside need-to-know', { reason: 'role', canBreakGlass: false })
      }
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('break_glass')
          .values({
            user_id: user.id,
            record_type: recordType,
            record_id: recordId,
            reason,
            expires_at: new Date(Date.now() + BREAK_GLASS_HOURS * 3600_000),
          })
          .execute()
        await audit.record(ctx, { action: 'break-glass', recordType, recordId, reason }, trx)
      })
    },

    async share(ctx: RequestContext, ref: RecordRef, target: { agencyId: string } | { userId: string }) {
      await this.authorise(ctx, 'person:share', ref)
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('record_shares')
          .values({
            record_type: ref.type,
            record_id: ref.id,
            agency_id: 'agencyId' in target ? target.agencyId : null,
            user_id: 'userId' in target ? target.userId : null,
            granted_by: ctx.user?.id ?? null,
          })
          .execute()
        await audit.record(ctx, { action: 'share', recordType: ref.type, recordId: ref.id, details: target }, trx)
      })
    },

    /** Break-glass use for the administrators' report. */
    async breakGlassReport(limit = 200) {
      return db
        .selectFrom('break_glass')
        .innerJoin('users', 'users.id', 'break_glass.user_id')
        .innerJoin('agencies', 'agencies.id', 'users.agency_id')
        .select([
          'break_glass.id',
          'break_glass.record_type',
          'break_glass.record_id',
          'break_glass.reason',
          'break_glass.granted_at',
          'break_glass.expires_at',
          'users.name as user_name',
          'users.email as user_email',
          'agencies.name as agency_name',
        ])
        .orderBy('break_glass.granted_at', 'desc')
        .limit(limit)
        .execute()
    },
  }
}

export type AccessService = ReturnType<typeof accessService>
