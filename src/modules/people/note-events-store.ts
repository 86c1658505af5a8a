import { sql, type SqlBool } from 'kysely'
import type { Db } from '../../db/index.ts'

/**
 * Notes added in a window, with the worker holding the person: for the notifications scan, which
 * reads as the owner and tells nobody until it has read the note as them.
 */
export function notesAdded(db: Db, from: Date, to: Date) {
  return db
    .selectFrom('person_notes as n')
    .innerJoin('people as p', 'p.id', 'n.person_id')
    .innerJoin('users as h', 'h.id', 'p.allocated_worker_id')
    .select(['n.id', 'n.person_id', 'n.kind', 'n.author_id as actor', 'p.allocated_worker_id as holder', 'p.given_name', 'p.family_name', 'p.preferred_name'])
    .where('n.created_at', '>', from)
    .where('n.created_at', '<=', to)
    // Runs as the owner: a C-coded note's holder hears of it only where they may read it.
    .where(sql<SqlBool>`(n.grade_handling is distinct from 'C' or n.author_agency_id = h.agency_id or h.agency_id = any(n.handling_agency_ids))`)
    .execute()
}
