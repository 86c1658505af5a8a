import { sql, type SqlBool } from 'kysely'
import type { Db } from '../../db/index.ts'

/**
 * Plan actions assigned to a named person in a window, named by their meeting's first subject: for
 * the notifications scan, which reads as the owner and tells nobody until it has read the action as them.
 */
export function actionsAssigned(db: Db, from: Date, to: Date) {
  return db
    .selectFrom('plan_actions as a')
    .innerJoin('plan_meetings as m', 'm.id', 'a.meeting_id')
    .innerJoin('people as p', (j) => j.on(sql<SqlBool>`p.id = m.subject_ids[1]`))
    .select(['a.id', 'a.meeting_id', 'a.due_on', 'a.owner_user_id as holder', 'a.created_by as actor', 'p.id as person_id', 'p.given_name', 'p.family_name', 'p.preferred_name'])
    .where('a.created_at', '>', from)
    .where('a.created_at', '<=', to)
    .where('a.status', '=', 'open')
    .where('a.owner_user_id', 'is not', null)
    .execute()
}
