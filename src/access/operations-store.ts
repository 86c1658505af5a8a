import { sql, type RawBuilder, type SqlBool } from 'kysely'

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
