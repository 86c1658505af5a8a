import { sql } from 'kysely'
import type { Db } from '../../db/index.ts'
import { restrictedSql, trackerWhere, type TrackerFilter, type TrackerRow, type Visibility } from './visibility-store.ts'

/** The tracker's rows and their count, for any filter, as the reader may see them. */
export function trackerStore(db: Db) {

  /** The tracker's rows; all of them unless a page is asked for. */
  async function tracker(filter: TrackerFilter, visibility: Visibility, today: string, page?: { limit: number; offset?: number }): Promise<TrackerRow[]> {
    const where = trackerWhere(filter, visibility, today)
    const paging = page ? sql`limit ${page.limit} offset ${page.offset ?? 0}` : sql``
    const { rows } = await sql<TrackerRow>`
      select i.id, i.body_id, b.code as body_code, b.name as body_name, b.slug as body_slug, b.public as body_public,
             b.reminder_days, b.response_days, b.agency_id as body_agency_id, b.support_agency_id as body_support_agency_id,
             i.meeting_id, m.meeting_date, m.title as meeting_title, i.agenda_item_id, ai.title as agenda_item_title,
             i.kind, i.request_type, i.municipal_year, i.number, i.title, i.text, i.addressee, i.addressee_agency_id,
             ag.name as addressee_agency_name, i.addressee_email, i.proposed_by, i.seconded_by,
             i.sent_on, i.response_due, i.answered_on, i.status, i.status_reason, i.rag,
             ${restrictedSql} as restricted, i.version, i.status_changed_at, u.name as status_changed_by_name,
             rs.first_response_on, coalesce(rs.response_count, 0) as response_count,
             rs.latest_response_on, rs.latest_response_text, rs.latest_response_by,
             i.created_at
        from scrutiny_items i
        join scrutiny_bodies b on b.id = i.body_id
        join scrutiny_meetings m on m.id = i.meeting_id
        left join scrutiny_agenda_items ai on ai.id = i.agenda_item_id
        left join agencies ag on ag.id = i.addressee_agency_id
        left join users u on u.id = i.status_changed_by
        left join (
          -- One pass over the responses (a hash join), not three lookups a row.
          select r.item_id, min(r.responded_on) as first_response_on, count(*) as response_count,
                 (array_agg(r.responded_on order by r.responded_on desc, r.recorded_at desc))[1] as latest_response_on,
                 (array_agg(r.text order by r.responded_on desc, r.recorded_at desc))[1] as latest_response_text,
                 (array_agg(r.responder order by r.responded_on desc, r.recorded_at desc))[1] as latest_response_by
            from scrutiny_responses r
           group by r.item_id
        ) rs on rs.item_id = i.id
       where ${where}
       order by b.name, m.meeting_date desc, i.kind, i.number, i.id
       ${paging}`.execute(db)
    return rows
  }


  return {
    tracker,
    trackerCount: async (filter: TrackerFilter, visibility: Visibility, today: string) => {
      const { rows } = await sql<{ n: number }>`
        select count(*) as n from scrutiny_items i
          join scrutiny_bodies b on b.id = i.body_id
          join scrutiny_meetings m on m.id = i.meeting_id
          left join scrutiny_agenda_items ai on ai.id = i.agenda_item_id
         where ${trackerWhere(filter, visibility, today)}`.execute(db)
      return Number(rows[0].n)
    },
  }
}
