import { sql } from 'kysely'
import type { Db } from '../../db/index.ts'

export interface RetentionCandidate {
  id: string
  kind: 'child' | 'adult'
  closed_at: Date
  held: boolean
  linked_open: boolean
}

/** What a closed record is linked to that is still open keeps it whole (see docs/register.md). */
const linkedToOpen = sql<boolean>`(
  exists (select 1 from cawns c join people o on o.id = case when c.person_id = p.id then c.adult_id else c.person_id end
          where (c.person_id = p.id or c.adult_id = p.id) and o.closed_at is null)
  or exists (select 1 from network_entities e join operation_targets ot on ot.entity_id = e.id join operations o on o.id = ot.operation_id
             where e.person_id = p.id and o.status <> 'concluded')
  or exists (select 1 from network_entities e join operation_activities oa on oa.entity_id = e.id join operations o on o.id = oa.operation_id
             where e.person_id = p.id and o.status <> 'concluded')
  or exists (select 1 from public_report_links l left join public_report_triage t on t.report_id = l.report_id
             where l.entity_type = 'person' and l.entity_id = p.id and l.removed_at is null and coalesce(t.status, 'new') <> 'closed'))`

/** Stands in for the person's name on the stub and in the network. */
export const REMOVED = { given: 'Record', family: 'removed', entity: 'Person (record removed)', reason: 'Anonymised at the end of its retention period' }

/** SQL for the retention of closed person records, each on the executor given (the run holds one transaction). */
export function recordRetentionStore() {
  return {
    setting: async (executor: Db, key: string) => (await executor.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst())?.value,

    saveSetting: (executor: Db, key: string, value: string) =>
      executor
        .insertInto('settings')
        .values({ key, value })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: sql`now()` }))
        .execute(),

    /**
     * Closed records past their period (years after closure by kind; a child's never before their
     * 25th birthday, when the date of birth is known), each with what keeps it.
     */
    async candidates(executor: Db, years: { child: number; adult: number }, now: Date, lock: boolean): Promise<RetentionCandidate[]> {
      const { rows } = await sql<RetentionCandidate>`
        select p.id, p.kind, p.closed_at, p.legal_hold_at is not null as held, ${linkedToOpen} as linked_open
        from people p
        where p.closed_at is not null and p.anonymised_at is null
          and p.closed_at + make_interval(years => case when p.kind = 'child' then ${years.child}::int else ${years.adult}::int end) <= ${now}
          and (p.kind <> 'child' or p.date_of_birth is null or p.date_of_birth + interval '25 years' <= ${now}::timestamptz)
        order by p.closed_at, p.id
        ${lock ? sql`for update of p` : sql``}`.execute(executor)
      return rows
    },

    setLegalHold: (executor: Db, personId: string, hold: { reason: string; by: string } | null) =>
      executor
        .updateTable('people')
        .set(hold === null ? { legal_hold_reason: null, legal_hold_by: null, legal_hold_at: null } : { legal_hold_reason: hold.reason, legal_hold_by: hold.by, legal_hold_at: sql`now()` })
        .where('id', '=', personId)
        .execute(),

    /**
     * Deletes what identifies the people and every free-text account about them, and leaves a
     * stub with what the indicator counts read (kind, areas, dates, risk levels, episodes' times)
     * and, since a record must hold a date of birth or an age, their age in years when it closed.
     */
    async anonymise(executor: Db, ids: string[]) {
      const list = sql.join(ids)
      for (const table of ['person_aliases', 'person_identifiers', 'person_addresses', 'person_notes', 'person_events', 'person_closure_requests']) {
        await sql`delete from ${sql.table(table)} where person_id in (${list})`.execute(executor)
      }
      await sql`delete from record_shares where record_type = 'person' and record_id in (${list})`.execute(executor)
      await sql`delete from cawn_breaches where cawn_id in (select id from cawns where person_id in (${list}) or adult_id in (${list}))`.execute(executor)
      await sql`delete from cawns where person_id in (${list}) or adult_id in (${list})`.execute(executor)
      // Records voided as made in error count nowhere and are frozen against change (migrations 0161,
      // 0171): at the end of retention they go whole, their reason with them.
      await sql`delete from missing_episodes where person_id in (${list}) and voided_at is not null`.execute(executor)
      await sql`delete from nrm_referrals where person_id in (${list}) and voided_at is not null`.execute(executor)
      await sql`update risk_assessments set analysis = null, override_reason = null, confirmation_note = null where person_id in (${list})`.execute(executor)
      await sql`update missing_episodes set found_location = null, found_by_detail = null, notes = null, rhi_notes = null, police_reference = null where person_id in (${list})`.execute(executor)
      await sql`update nrm_referrals set notes = null, reference = null where person_id in (${list})`.execute(executor)
      await sql`update network_entities set label = ${REMOVED.entity}, description = null where person_id in (${list})`.execute(executor)
      await sql`update people set given_name = ${REMOVED.given}, family_name = ${REMOVED.family}, preferred_name = null, date_of_birth = null,
          approximate_age = coalesce(extract(year from age(closed_at, date_of_birth::timestamptz))::int, approximate_age),
          ethnicity = null, school = null, looked_after = false, care_leaver = false, send = false, learning_disability = false,
          allocated_worker_id = null, created_by = null, closed_reason = ${REMOVED.reason}, anonymised_at = now(), updated_at = now(), version = version + 1
        where id in (${list})`.execute(executor)
    },
  }
}
