import { sql } from 'kysely'
import type { Db } from '../db/index.ts'

/** The sharing and break-glass facts `decide()` needs about one record, for one user. */
export interface AccessFacts {
  agencies: string[]
  users: string[]
  /** When the user's latest live justification for the record ends, or null. */
  break_glass_until: Date | null
}

/** SQL of the access platform: need-to-know facts, justifications, and who owns a record. */
export function accessStore(db: Db) {
  return {
    /** Live shares of the record (live_record_shares: not revoked, not expired) and the user's live break glass, in one statement. */
    async facts(userId: string, type: string, id: string): Promise<AccessFacts> {
      const { rows } = await sql<AccessFacts>`
        select
          coalesce((select array_agg(s.agency_id::text) from live_record_shares s
                     where s.record_type = ${type} and s.record_id = ${id} and s.agency_id is not null), '{}') as agencies,
          coalesce((select array_agg(s.user_id::text) from live_record_shares s
                     where s.record_type = ${type} and s.record_id = ${id} and s.user_id is not null), '{}') as users,
          (select max(g.expires_at) from break_glass g
            where g.user_id = ${userId} and g.record_type = ${type} and g.record_id = ${id} and g.expires_at > now()) as break_glass_until`.execute(db)
      const row = rows[0]
      return { ...row, break_glass_until: row.break_glass_until ? new Date(row.break_glass_until) : null }
    },

    /**
     * The record behind a person or network entity (a person entity answers as its person) and its
     * owning agency, read past row-level security by `lantern_record_ref` (migration 0701): a
     * service decides on a record before it may read it.
     */
    async recordRef(type: 'person' | 'network_entity', id: string): Promise<{ type: string; id: string; ownerAgencyId: string } | undefined> {
      const { rows } = await sql<{ record_type: string; record_id: string; owner_agency_id: string }>`
        select record_type, record_id, owner_agency_id from lantern_record_ref(${type}, ${id}::uuid)`.execute(db)
      const row = rows[0]
      return row && { type: row.record_type, id: row.record_id, ownerAgencyId: row.owner_agency_id }
    },

    /**
     * Whether a person's record is closed or merged into another, for `decide()`'s rule on what
     * changes a record. Read by the access service itself, never taken from the caller, so no
     * change path can leave it out. Undefined for a record that is not a person's (or is hidden).
     */
    async state(type: string, id: string): Promise<{ closed: boolean; retiredInto: string | null } | undefined> {
      if (type !== 'person') return undefined
      const row = await db.selectFrom('people').select(['closed_at', 'merged_into']).where('id', '=', id).executeTakeFirst()
      return row && { closed: row.closed_at !== null, retiredInto: row.merged_into }
    },

    /**
     * The owning agency of a record that break glass can open (a person, or a network entity that
     * is not a person), or undefined when there is no such record.
     */
    async owner(type: string, id: string): Promise<string | undefined> {
      if (type !== 'person' && type !== 'network_entity') return undefined
      const ref = await this.recordRef(type, id)
      return ref && ref.type === type && ref.id === id ? ref.ownerAgencyId : undefined
    },

    insertBreakGlass: (
      executor: Db,
      row: { user_id: string; record_type: string; record_id: string; owner_agency_id: string; reason: string; hours: number },
    ) =>
      executor
        .insertInto('break_glass')
        .values({
          user_id: row.user_id,
          record_type: row.record_type,
          record_id: row.record_id,
          owner_agency_id: row.owner_agency_id,
          reason: row.reason,
          // A security timer: on the database's clock, like the check that reads it.
          expires_at: sql<Date>`now() + make_interval(hours => ${row.hours})`,
        })
        .returning(['id', 'expires_at'])
        .executeTakeFirstOrThrow(),
  }
}
