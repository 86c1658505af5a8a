import { sql } from 'kysely'
import type { Db } from '../../db/index.ts'

/** SQL for closing and reopening a person's record: the requests and the record's closed state. */
export function closureStore(db: Db) {
  return {
    /** Every request for the person, newest first, with who asked and who decided. */
    requests: (personId: string) =>
      db
        .selectFrom('person_closure_requests as r')
        .innerJoin('users as a', 'a.id', 'r.requested_by')
        .leftJoin('users as d', 'd.id', 'r.decided_by')
        .select(['r.id', 'r.action', 'r.reason', 'r.status', 'r.requested_by', 'r.requested_at', 'r.decided_at', 'r.decision_note', 'a.name as requested_by_name', 'd.name as decided_by_name'])
        .where('r.person_id', '=', personId)
        .orderBy('r.requested_at', 'desc')
        .execute(),

    /**
     * Requests waiting for a decision that this manager may make: on records their agency owns
     * (closing is the owner's decision), not asked by themselves, the longest waiting first, with
     * one more row than `limit` so the caller knows there are more.
     */
    awaitingDecision: (user: { id: string; agencyId: string }, limit: number) =>
      db
        .selectFrom('person_closure_requests as r')
        .innerJoin('people as p', 'p.id', 'r.person_id')
        .innerJoin('users as a', 'a.id', 'r.requested_by')
        .select(['r.id', 'r.person_id', 'r.action', 'r.requested_at', 'a.name as requested_by_name', 'p.given_name', 'p.family_name', 'p.preferred_name'])
        .where('r.status', '=', 'pending')
        .where('p.owner_agency_id', '=', user.agencyId)
        .where('p.merged_into', 'is', null)
        .where('r.requested_by', '<>', user.id)
        .orderBy('r.requested_at')
        .orderBy('r.id')
        .limit(limit + 1)
        .execute(),

    pending: (executor: Db, personId: string) =>
      executor.selectFrom('person_closure_requests').selectAll().where('person_id', '=', personId).where('status', '=', 'pending').forUpdate().executeTakeFirst(),

    insert: (executor: Db, values: { person_id: string; action: 'close' | 'reopen'; reason: string; requested_by: string; requested_at: Date }) =>
      executor.insertInto('person_closure_requests').values(values).returning('id').executeTakeFirstOrThrow(),

    /** Decides a waiting request; false when it was no longer waiting. */
    async decide(executor: Db, id: string, values: { status: 'approved' | 'declined'; decided_by: string; decision_note: string | null }) {
      const result = await executor
        .updateTable('person_closure_requests')
        .set({ ...values, decided_at: sql`now()` })
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .executeTakeFirst()
      return Number(result.numUpdatedRows) === 1
    },

    /** Closes (with the reason) or reopens (reason null) the record. */
    setClosed: (executor: Db, personId: string, reason: string | null) =>
      executor
        .updateTable('people')
        .set({ closed_at: reason === null ? null : sql`now()`, closed_reason: reason, updated_at: sql`now()`, version: sql`version + 1` })
        .where('id', '=', personId)
        .execute(),
  }
}
