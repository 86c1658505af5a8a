import { sql, type SqlBool } from 'kysely'
import type { Db } from '../../db/index.ts'
import type { CurrentUser } from '../../kernel/context.ts'
import { visibleTo } from '../people/index.ts'
import type { PairDecision } from './tables.ts'

/**
 * A run holds its extracts' names, dates of birth and postcodes: it is read by the agency whose
 * analyst made it, like the upload it came from, never by another agency's analysts. For a query
 * on `linkage_runs as r`.
 */
export function runOfOwnAgency(user: Pick<CurrentUser, 'agencyId'>) {
  return sql<SqlBool>`exists (select 1 from users c where c.id = r.created_by and c.agency_id = ${user.agencyId})`
}

/** The run's heading, if the user's agency made it. */
export function runOfOwnAgencyById(db: Db, user: Pick<CurrentUser, 'agencyId'>, runId: string) {
  return db.selectFrom('linkage_runs as r').select(['r.id', 'r.name', 'r.kind', 'r.left_name', 'r.right_name']).where('r.id', '=', runId).where(runOfOwnAgency(user)).executeTakeFirst()
}

/** A pair of Lantern people the user may not see is not shown, in the run or on its own. For `linkage_run_pairs as p`. */
export const pairVisible = (user: CurrentUser) =>
  sql<SqlBool>`((p.person_left is null or exists (select 1 from people x where x.id = p.person_left and ${visibleTo(user, 'x')}))
      and (p.person_right is null or exists (select 1 from people y where y.id = p.person_right and ${visibleTo(user, 'y')})))`

/** The run's pairs still waiting for a decision (proposed matches and uncertain pairs) that the user may see. */
export function undecidedPairs(db: Db, user: CurrentUser, runId: string) {
  return db
    .selectFrom('linkage_run_pairs as p')
    .select(['p.id', 'p.id_left', 'p.id_right', 'p.probability', 'p.band', 'p.record_left', 'p.record_right', 'p.person_left', 'p.person_right'])
    .where('p.run_id', '=', runId)
    .where('p.band', 'in', ['review', 'match'])
    .where('p.decision', 'is', null)
    .where(pairVisible(user))
    .orderBy('p.probability', 'desc')
    .limit(2000)
    .execute()
}

/** Records one decision on a visible pair of the run; false when there is no such pair. */
export async function decidePair(executor: Db, user: CurrentUser, runId: string, pairId: string, decision: PairDecision) {
  const result = await executor
    .updateTable('linkage_run_pairs as p')
    .set({ decision, decided_by: user.id, decided_at: sql`now()` })
    .where('p.id', '=', pairId)
    .where('p.run_id', '=', runId)
    .where(pairVisible(user))
    .executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}
