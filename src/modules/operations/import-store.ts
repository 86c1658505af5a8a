import { sql, type SqlBool } from 'kysely'
import type { Db } from '../../db/index.ts'

/**
 * SQL for the operations part of `lantern network import`: the operation the imported
 * intelligence belongs to, and its targets. Unlike adding a target on the operation's page, an
 * import leaves a withdrawn target withdrawn.
 */
export function operationImportStore(db: Db) {
  return {
    /** The operation of that name, any case, or a new one made from `row`. */
    operationNamed: async (row: { name: string; leadAgencyId: string; startedOn: string; summary: string }) =>
      (await db.selectFrom('operations').select('id').where(sql<SqlBool>`lower(name) = ${row.name.toLowerCase()}`).executeTakeFirst()) ??
      (await db
        .insertInto('operations')
        .values({ name: row.name, lead_agency_id: row.leadAgencyId, status: 'active', started_on: row.startedOn, summary: row.summary })
        .returning('id')
        .executeTakeFirstOrThrow()),

    addTargets: async (operationId: string, entityIds: string[]) => {
      for (const id of entityIds) {
        await db.insertInto('operation_targets').values({ operation_id: operationId, entity_id: id }).onConflict((oc) => oc.columns(['operation_id', 'entity_id']).doNothing()).execute()
      }
    },
  }
}
