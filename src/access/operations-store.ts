import { sql, type RawBuilder, type SqlBool } from 'kysely'
import type { Db } from '../db/index.ts'
import { runAsOwner } from '../db/scope.ts'

/**
 * SQL true when the agency takes part in the operation behind `alias` (a row of `operations`): it
 * leads it or is one of its partners. The one statement of the rule for the stores of the network
 * and operations modules, here below both because operations builds on the network module's
 * surface and the network's pages show operations: neither may import the other's rule. A share
 * of the operation or break glass on it is not part of it; the services ask `access.authorise`
 * for those, and the database's row-level security holds all of them (`lantern_takes_part`, 0790).
 */
export function takesPart(agencyId: string, alias = 'o'): RawBuilder<SqlBool> {
  const operation = sql.ref(`${alias}.id`)
  return sql<SqlBool>`(${sql.ref(`${alias}.lead_agency_id`)} = ${agencyId}
    or exists (select 1 from operation_partners takes_part where takes_part.operation_id = ${operation} and takes_part.agency_id = ${agencyId}))`
}

/**
 * The lead agency of an operation the viewer's agency does not take part in, which row-level
 * security hides from them (0831): the refusal names the owner to ask, and offers break glass where
 * the role allows it, as for a person's record. Nothing else of the operation is read.
 */
export function operationLead(db: Db, id: string): Promise<string | undefined> {
  return runAsOwner('a refusal names the operation’s lead agency, and nothing else of it', async () =>
    (await db.selectFrom('operations').select('lead_agency_id').where('id', '=', id).executeTakeFirst())?.lead_agency_id,
  )
}

/**
 * Whether any operation, seen or not, has this name (names are unique across the partnership). A
 * recorder may learn that a name is taken, never by whom.
 */
export function operationNameTaken(db: Db, name: string, exceptId: string | null): Promise<boolean> {
  return runAsOwner('operation names are unique across the partnership: a clash is told, not its operation', async () =>
    Boolean(
      await db
        .selectFrom('operations')
        .select('id')
        .where(sql<SqlBool>`lower(name) = lower(${name})`)
        .$if(exceptId !== null, (q) => q.where('id', '<>', exceptId!))
        .executeTakeFirst(),
    ),
  )
}
