import { sql, type Insertable, type Updateable } from 'kysely'
import { randomUUID } from 'node:crypto'
import { operationLead, operationNameTaken, takesPart } from '../../access/operations-store.ts'
import type { Db } from '../../db/index.ts'
import type { OperationChangesTable, OperationsTable, OperationActivitiesTable, OperationOutcomesTable } from './tables.ts'

type Viewer = { agencyId: string }
/** London days, either end open: activities and charges that happened within them. */

/** SQL for joint operations and nothing else: the service checks permissions and audits. */
export function operationsStore(db: Db) {
  /** An activity and an outcome are corrected and withdrawn alike: only the version the user saw, only while live. */
  const updateLive = async (table: 'operation_activities' | 'operation_outcomes', id: string, version: number, row: Updateable<OperationActivitiesTable> | Updateable<OperationOutcomesTable>) =>
    Number(
      (
        await db
          .updateTable(table)
          .set({ ...row, version: sql`version + 1` } as never)
          .where('id', '=', id)
          .where('version', '=', version)
          .where('withdrawn_at', 'is', null)
          .executeTakeFirst()
      ).numUpdatedRows,
    )

  return {
    /** Operations the viewer's agency leads or is a partner in, newest first, with live counts. */
    list: (user: Viewer) =>
      db
        .selectFrom('operations as o')
        .innerJoin('agencies as a', 'a.id', 'o.lead_agency_id')
        .select([
          'o.id',
          'o.name',
          'o.status',
          sql<string>`o.started_on::text`.as('started_on'),
          sql<string | null>`o.ended_on::text`.as('ended_on'),
          'a.name as lead_agency_name',
          sql<number>`(select count(*) from operation_targets t where t.operation_id = o.id and t.withdrawn_at is null)::int`.as('targets'),
          sql<number>`(select count(*) from operation_activities t where t.operation_id = o.id and t.withdrawn_at is null)::int`.as('activities'),
          sql<number>`(select count(*) from operation_outcomes t where t.operation_id = o.id and t.withdrawn_at is null)::int`.as('outcomes'),
        ])
        .where(takesPart(user.agencyId))
        .orderBy('o.started_on', 'desc')
        .execute(),

    /** One operation, and whether the viewer's agency takes part in it (else the service asks for a share or break glass). */
    operation: (id: string, user: Viewer) =>
      db
        .selectFrom('operations as o')
        .innerJoin('agencies as a', 'a.id', 'o.lead_agency_id')
        .leftJoin('users as c', 'c.id', 'o.concluded_by')
        .selectAll('o')
        .select([
          sql<string>`o.started_on::text`.as('started'),
          sql<string | null>`o.ended_on::text`.as('ended'),
          'a.name as lead_agency_name',
          'c.name as concluded_by_name',
          takesPart(user.agencyId).as('takes_part'),
        ])
        .where('o.id', '=', id)
        .executeTakeFirst(),

    /** The lead agency of an operation hidden from the viewer, for the refusal (read as the owner). */
    leadAgency: (id: string) => operationLead(db, id),

    nameTaken: (name: string, exceptId: string | null) => operationNameTaken(db, name, exceptId),

    partners: (id: string) =>
      db.selectFrom('operation_partners as p').innerJoin('agencies as a', 'a.id', 'p.agency_id').select(['a.id', 'a.name']).where('p.operation_id', '=', id).orderBy('a.name').execute(),

    agencies: () => db.selectFrom('agencies').select(['id', 'name']).where('active', '=', true).orderBy('name').execute(),

    /** Without RETURNING, which row-level security would check before the recorder's agency is among the partners (0831). */
    insertOperation: async (row: Insertable<OperationsTable>) => {
      const id = row.id ?? randomUUID()
      await db.insertInto('operations').values({ ...row, id }).execute()
      return { id }
    },

    /** Optimistic concurrency: changes only the version the user saw; returns the rows changed. */
    updateOperation: async (id: string, version: number, row: Updateable<OperationsTable>) =>
      Number(
        (await db.updateTable('operations').set({ ...row, updated_at: sql`now()`, version: sql`version + 1` }).where('id', '=', id).where('version', '=', version).executeTakeFirst()).numUpdatedRows,
      ),

    setPartners: async (id: string, agencyIds: string[]) => {
      await db.deleteFrom('operation_partners').where('operation_id', '=', id).execute()
      if (agencyIds.length) await db.insertInto('operation_partners').values(agencyIds.map((agency_id) => ({ operation_id: id, agency_id }))).execute()
    },

    targets: (id: string) =>
      db
        .selectFrom('operation_targets as t')
        .leftJoin('users as u', 'u.id', 't.withdrawn_by')
        .select(['t.entity_id', 't.withdrawn_at', 't.withdrawn_reason', 'u.name as withdrawn_by_name'])
        .where('t.operation_id', '=', id)
        .orderBy('t.added_at')
        .execute(),

    /** Adds a target, or puts a withdrawn one back; false when it is a target already. */
    addTarget: async (id: string, entityId: string) => {
      const row = await db
        .insertInto('operation_targets')
        .values({ operation_id: id, entity_id: entityId })
        .onConflict((oc) => oc.columns(['operation_id', 'entity_id']).doUpdateSet({ withdrawn_at: null, withdrawn_by: null, withdrawn_reason: null }).where('operation_targets.withdrawn_at', 'is not', null))
        .returning('entity_id')
        .executeTakeFirst()
      return Boolean(row)
    },

    withdrawTarget: async (id: string, entityId: string, userId: string, reason: string, at: Date) =>
      Number(
        (
          await db
            .updateTable('operation_targets')
            .set({ withdrawn_at: at, withdrawn_by: userId, withdrawn_reason: reason })
            .where('operation_id', '=', id)
            .where('entity_id', '=', entityId)
            .where('withdrawn_at', 'is', null)
            .executeTakeFirst()
        ).numUpdatedRows,
      ),

    activities: (id: string) =>
      db
        .selectFrom('operation_activities as a')
        .leftJoin('users as u', 'u.id', 'a.recorded_by')
        .leftJoin('users as w', 'w.id', 'a.withdrawn_by')
        .select([
          'a.id',
          'a.kind',
          sql<string>`a.occurred_on::text`.as('occurred_on'),
          'a.entity_id',
          'a.seized_item',
          'a.item_description',
          'a.quantity',
          'a.unit',
          'a.description',
          'a.nrm_referral_id',
          'a.version',
          'a.withdrawn_at',
          'a.withdrawn_reason',
          'w.name as withdrawn_by_name',
          'u.name as recorded_by_name',
        ])
        .where('a.operation_id', '=', id)
        .orderBy('a.occurred_on')
        .orderBy('a.recorded_at')
        .execute(),

    activity: (operationId: string, id: string) =>
      db
        .selectFrom('operation_activities')
        .selectAll()
        .select(sql<string>`occurred_on::text`.as('occurred'))
        .where('operation_id', '=', operationId)
        .where('id', '=', id)
        .executeTakeFirst(),

    insertActivity: (row: Insertable<OperationActivitiesTable>) => db.insertInto('operation_activities').values(row).returning('id').executeTakeFirstOrThrow(),

    /** Corrects or withdraws the version the user saw of a live activity; returns the rows changed. */
    updateActivity: (id: string, version: number, row: Updateable<OperationActivitiesTable>) => updateLive('operation_activities', id, version, row),

    outcomes: (id: string) =>
      db
        .selectFrom('operation_outcomes as o')
        .select(['o.id', 'o.kind', 'o.offence', 'o.modern_slavery', sql<string>`o.occurred_on::text`.as('occurred_on'), 'o.entity_id', 'o.sentence', 'o.version', 'o.withdrawn_at', 'o.withdrawn_reason'])
        .where('o.operation_id', '=', id)
        .orderBy('o.occurred_on')
        .orderBy('o.id')
        .execute(),

    /** Corrects or withdraws the version the user saw of a live charge or conviction; returns the rows changed. */
    updateOutcome: (id: string, version: number, row: Updateable<OperationOutcomesTable>) => updateLive('operation_outcomes', id, version, row),

    insertOutcome: (row: { operation_id: string; entity_id: string; kind: 'charge' | 'conviction'; offence: string; modern_slavery: boolean; occurred_on: string; sentence: string | null; recorded_by: string }) =>
      db.insertInto('operation_outcomes').values(row).returning('id').executeTakeFirstOrThrow(),

    recordChange: (row: Insertable<OperationChangesTable>) => db.insertInto('operation_changes').values(row).execute(),

    history: (id: string) =>
      db
        .selectFrom('operation_changes as c')
        .leftJoin('users as u', 'u.id', 'c.changed_by')
        .select(['c.id', 'c.kind', 'c.record_type', 'c.record_id', 'c.entity_id', 'c.reason', 'c.before', 'c.changed_at', 'u.name as changed_by_name'])
        .where('c.operation_id', '=', id)
        .orderBy('c.changed_at', 'desc')
        .execute(),

    /**
     * Every live activity and charge in the operations the viewer's agency takes part in, with its
     * day, for the totals. All of them, whatever the period: whether a closure is type 1 depends on
     * a charge that may fall outside it (outcomes.ts counts each record in its period).
     */
    partnershipRecords: async (user: Viewer) => {
      const [activities, outcomes] = await Promise.all([
        db
          .selectFrom('operation_activities as a')
          .innerJoin('operations as o', 'o.id', 'a.operation_id')
          .select(['a.operation_id', 'a.kind', 'a.entity_id', 'a.nrm_referral_id', 'a.withdrawn_at', sql<string>`a.occurred_on::text`.as('occurred_on')])
          .where(takesPart(user.agencyId))
          .where('a.withdrawn_at', 'is', null)
          .execute(),
        db
          .selectFrom('operation_outcomes as x')
          .innerJoin('operations as o', 'o.id', 'x.operation_id')
          .select(['x.operation_id', 'x.kind', 'x.entity_id', sql<string>`x.occurred_on::text`.as('occurred_on')])
          .where(takesPart(user.agencyId))
          .where('x.withdrawn_at', 'is', null)
          .execute(),
      ])
      return { activities, outcomes }
    },

    /** The demo's NRM activities pointed at the child's referral made the same day (migration 0210 does the same for older data). */
    /** Activities about a person's entity, for the demo to put on their history as the service does. */
    activitiesAboutPeople: () =>
      db
        .selectFrom('operation_activities as a')
        .innerJoin('operations as o', 'o.id', 'a.operation_id')
        .innerJoin('network_entities as e', 'e.id', 'a.entity_id')
        .select(['a.operation_id', 'o.name', 'a.kind', 'a.occurred_on', 'a.recorded_by', 'e.person_id'])
        .where('e.person_id', 'is not', null)
        .execute(),

    adoptSameDayReferrals: () =>
      db
        .updateTable('operation_activities as a')
        .set({
          nrm_referral_id: sql<string>`(select n.id from nrm_referrals n join network_entities e on e.person_id = n.person_id
                                          where e.id = a.entity_id and n.referred_on = a.occurred_on and n.voided_at is null order by n.created_at limit 1)`,
        })
        .where('a.kind', '=', 'nrm_referral')
        .where('a.nrm_referral_id', 'is', null)
        .execute(),
  }
}
export type OperationsStore = ReturnType<typeof operationsStore>
