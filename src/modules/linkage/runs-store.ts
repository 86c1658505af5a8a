import { sql, type SqlBool } from 'kysely'
import type { Db } from '../../db/index.ts'
import type { CurrentUser } from '../../kernel/context.ts'

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
