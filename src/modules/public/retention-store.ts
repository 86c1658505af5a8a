import { sql, type RawBuilder } from 'kysely'
import type { Db } from '../../db/index.ts'

export interface RetentionCandidateRow {
  id: string
  reference: string
  received_on: string
  closed_at: Date
  held: boolean
  linked_open: boolean
}

/**
 * The retention setting and the reads and deletes of a purge. Each takes the executor it runs on,
 * so that a purge reads, counts and deletes in one transaction.
 */
export function retentionStore(db: Db) {
  return {
    setting: (key: string, executor: Db = db) => executor.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst(),
    setSetting: (key: string, value: string, executor: Db = db) =>
      executor
        .insertInto('settings')
        .values({ key, value })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: sql`now()` }))
        .execute(),

    /** Closed reports past `period` months at `now`, each with what (if anything) keeps it; `lock` holds their triage rows. */
    candidates: async (executor: Db, open: RawBuilder<boolean>, period: number, now: Date, lock: boolean) => {
      const query = sql<RetentionCandidateRow>`
        select r.id, r.reference, r.received_on::text as received_on, t.closed_at,
          t.legal_hold_at is not null as held,
          exists (select 1 from public_report_links l where l.report_id = r.id and l.removed_at is null and ${open}) as linked_open
        from public_reports r
        join public_report_triage t on t.report_id = r.id
        where t.status = 'closed' and t.closed_at + make_interval(months => ${period}) <= ${now}
        order by t.closed_at, r.reference
        ${lock ? sql`for update of t` : sql``}`
      return (await query.execute(executor)).rows
    },

    // Month arithmetic as the database does it (31 March less one month is 28 or 29 February).
    monthsBefore: async (executor: Db, now: Date, period: number) => {
      const { rows } = await sql<{ before: Date }>`select ${now}::timestamptz - make_interval(months => ${period}) as before`.execute(executor)
      return new Date(rows[0].before)
    },

    /** Adds the reports' monthly counts to the retained counts, then deletes them (their triage, history and links with them). */
    purge: async (executor: Db, ids: string[]) => {
      await sql`
        insert into public_report_retained_counts (month, area_id, channel, reports)
        select date_trunc('month', received_on)::date, area_id, channel, count(*)::int
        from public_reports where id in (${sql.join(ids)})
        group by 1, 2, 3
        on conflict on constraint public_report_retained_counts_key
        do update set reports = public_report_retained_counts.reports + excluded.reports`.execute(executor)
      await executor.deleteFrom('public_reports').where('id', 'in', ids).execute()
    },

    ofReport: async (reportId: string, period: number, open: RawBuilder<boolean>) => {
      const { rows } = await sql<{ delete_after: Date | null; legal_hold_reason: string | null; legal_hold_at: Date | null; held_by: string | null; linked_open: boolean }>`
        select t.closed_at + make_interval(months => ${period}) as delete_after, t.legal_hold_reason, t.legal_hold_at, u.name as held_by,
          exists (select 1 from public_report_links l where l.report_id = ${reportId} and l.removed_at is null and ${open}) as linked_open
        from (select 1) as one
        left join public_report_triage t on t.report_id = ${reportId}
        left join users u on u.id = t.legal_hold_by`.execute(db)
      return rows[0]
    },
  }
}
