import type { Db } from '../../db/index.ts'

/**
 * Red ratings waiting for a manager's confirmation, with the owning agency and team that decide
 * who may confirm: for the notifications scan, which reads as the owner and tells nobody until it
 * has read the assessment as them.
 */
export function redsAwaitingConfirmation(db: Db) {
  return db
    .selectFrom('risk_assessments as a')
    .innerJoin('people as p', 'p.id', 'a.person_id')
    .select(['a.id', 'a.person_id', 'a.submitted_by as actor', 'p.owner_agency_id', 'p.owner_team_id', 'p.given_name', 'p.family_name', 'p.preferred_name'])
    .where('a.status', '=', 'awaiting_confirmation')
    .execute()
}
