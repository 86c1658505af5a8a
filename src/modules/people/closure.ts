import type { ModuleDeps, Worklist } from '../types.ts'
import { worklist, WORKLIST_LENGTH } from '../worklist.ts'
import { elapsedText } from '../../kernel/elapsed.ts'
import type { RequestContext } from '../../kernel/context.ts'
import { ConflictError } from '../../kernel/errors.ts'
import { formErrors, type Result } from '../../kernel/form-errors.ts'
import type { ClosureDecision } from './schemas.ts'
import { displayName, peopleService, personRef } from './service.ts'
import { closureStore } from './closure-store.ts'
import { recordPersonEvent } from './timeline.ts'

const ACTION_TEXT = { close: 'close', reopen: 'reopen' } as const

/** A request waiting longer than this many days is flagged on a manager's Home. */
export const CLOSURE_LONG_WAIT_DAYS = 5

/**
 * Closing and reopening a person's record: anyone who may change the record asks, with a reason; a
 * manager of the owning agency (person:close, owner only) who did not ask approves or declines. A
 * closed record is read-only (peopleService refuses changes), leaves caseloads and worklists, and
 * its closure starts its retention period. Every step is on the record's history and audited.
 */
export function closureService(deps: ModuleDeps) {
  const { db, access, audit, clock } = deps
  const people = peopleService(deps)
  const store = closureStore(db)

  return {
    /**
     * Home's list for a manager who decides closures (person:close): requests to close or reopen
     * a record their agency holds, waiting for someone other than the one who asked.
     */
    async worklists(ctx: RequestContext): Promise<Worklist[]> {
      if (!access.can(ctx, 'person:close')) return []
      const now = clock.now()
      const rows = await store.awaitingDecision({ id: ctx.user!.id, agencyId: ctx.user!.agencyId }, WORKLIST_LENGTH)
      return [
        worklist({
          key: 'closures-awaiting',
          title: 'Requests to close or reopen a record',
          hint: `Records your agency holds that a colleague has asked to close or reopen, the longest waiting first. A wait of more than ${CLOSURE_LONG_WAIT_DAYS} days is flagged.`,
          rows,
          more: { text: 'See the register', href: '/register?kind=all&records=all' },
          item: (r) => {
            const long = now.getTime() - r.requested_at.getTime() > CLOSURE_LONG_WAIT_DAYS * 86_400_000
            return {
              href: `/people/${r.person_id}/closure`,
              name: displayName(r),
              what: `${r.action === 'close' ? 'Close' : 'Reopen'} the record, asked by ${r.requested_by_name}`,
              age: `waiting ${elapsedText(r.requested_at, now)}`,
              due: null,
              overdue: long,
              flag: long ? 'Long wait' : null,
            }
          },
        }),
      ]
    },

    /** The Closure page: the record's state, the request waiting (if any) and past decisions. */
    async status(ctx: RequestContext, personId: string) {
      const person = await people.header(ctx, personId)
      const requests = await store.requests(personId)
      const pending = requests.find((r) => r.status === 'pending') ?? null
      const mayDecide = pending !== null && pending.requested_by !== ctx.user!.id && (await access.check(ctx, 'person:close', personRef(person))).allowed
      const mayAsk = pending === null && (await access.check(ctx, 'person:edit', personRef(person), { askingToReopen: true })).allowed
      const mayHold = (await access.check(ctx, 'person:close', personRef(person))).allowed
      return { person, requests, pending, mayDecide, mayAsk, mayHold, asks: person.closed_at ? ('reopen' as const) : ('close' as const) }
    },

    /** Asks for the record to be closed (open now) or reopened (closed now). */
    async request(ctx: RequestContext, personId: string, reason: string): Promise<string> {
      // Asking to reopen is the one change a closed record allows (decide()'s askingToReopen).
      const person = await people.header(ctx, personId)
      await access.authorise(ctx, 'person:edit', personRef(person), { askingToReopen: true })
      const action = person.closed_at ? 'reopen' : 'close'
      const user = ctx.user!
      const id = await db.transaction().execute(async (trx) => {
        if (await store.pending(trx, personId)) throw new ConflictError(`A request to close or reopen ${displayName(person)}’s record is already waiting for a manager.`)
        // Asked on the casework clock, as every wait on Home is measured.
        const row = await store.insert(trx, { person_id: personId, action, reason: reason, requested_by: user.id, requested_at: clock.now() })
        await recordPersonEvent(trx, { personId, kind: `${action}-requested`, summary: `Asked to ${ACTION_TEXT[action]} the record: ${reason}`, actorId: user.id, refType: 'person_closure_request', refId: row.id })
        await audit.record(ctx, { action: 'update', recordType: 'person', recordId: personId, details: { closure: 'requested', action, requestId: row.id } }, trx)
        return row.id
      })
      return id
    },

    /** Approves or declines the waiting request: a manager of the owning agency who did not ask. */
    async decide(ctx: RequestContext, personId: string, requestId: string, decision: ClosureDecision): Promise<Result<'approved' | 'declined'>> {
      const person = await people.header(ctx, personId)
      await access.authorise(ctx, 'person:close', personRef(person))
      const user = ctx.user!
      const status = decision.outcome === 'approve' ? ('approved' as const) : ('declined' as const)
      return db.transaction().execute(async (trx): Promise<Result<'approved' | 'declined'>> => {
        const pending = await store.pending(trx, personId)
        if (!pending || pending.id !== requestId) throw new ConflictError(`That request about ${displayName(person)}’s record has already been decided.`)
        if (pending.requested_by === user.id) {
          return { ok: false, errors: formErrors([{ field: 'outcome', message: 'You asked for this, so another manager must decide it' }]) }
        }
        if (!(await store.decide(trx, requestId, { status, decided_by: user.id, decision_note: decision.note }))) {
          throw new ConflictError(`That request about ${displayName(person)}’s record has already been decided.`)
        }
        if (status === 'approved') await store.setClosed(trx, personId, pending.action === 'close' ? pending.reason : null)
        const what = pending.action === 'close' ? 'closed' : 'reopened'
        await recordPersonEvent(trx, {
          personId,
          kind: status === 'approved' ? what : `${pending.action}-declined`,
          summary: status === 'approved' ? `Record ${what}: approved by ${user.name}` : `Request to ${ACTION_TEXT[pending.action]} the record declined by ${user.name}: ${decision.note}`,
          actorId: user.id,
          refType: 'person_closure_request',
          refId: requestId,
        })
        await audit.record(ctx, { action: 'update', recordType: 'person', recordId: personId, details: { closure: status, action: pending.action, requestId } }, trx)
        return { ok: true, value: status }
      })
    },
  }
}
