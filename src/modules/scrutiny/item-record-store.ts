import { sql, type Insertable } from 'kysely'
import type { Db } from '../../db/index.ts'
import type { EvidenceChannel, EvidenceEvent, ItemStatus, Rag, ScrutinyEvidenceTable } from './tables.ts'
import { dueSql, overdueSql, restrictedSql, trackerWhere, type TrackerFilter, type Visibility } from './visibility-store.ts'

/** An item's record: status history, responses, the evidence log, notifications sent, and the public activity feed. */
export function itemRecordStore(db: Db) {
  return {
    insertHistory: (v: { item_id: string; status: ItemStatus; rag: Rag | null; reason: string | null; note: string | null; changed_by: string | null; changed_by_name: string; changed_by_agency: string | null }) =>
      db.insertInto('scrutiny_status_history').values(v).execute(),
    history: (itemId: string) => db.selectFrom('scrutiny_status_history').selectAll().where('item_id', '=', itemId).orderBy('changed_at').orderBy('id').execute(),
    insertResponse: (v: { item_id: string; responded_on: string; text: string; responder: string; responder_agency_id: string | null; answers: boolean; recorded_by: string | null; recorded_by_name: string }) =>
      db.insertInto('scrutiny_responses').values(v).returning('id').executeTakeFirstOrThrow(),
    responses: (itemId: string) =>
      db.selectFrom('scrutiny_responses').selectAll().where('item_id', '=', itemId).orderBy('responded_on').orderBy('recorded_at').execute(),
    /** Every response to the items a tracker filter selects, in one pass (no list of ids). */
    responsesWhere: async (filter: TrackerFilter, visibility: Visibility, today: string) => {
      const { rows } = await sql<{ item_id: string; responded_on: string; text: string; responder: string; answers: boolean }>`
        select r.item_id, r.responded_on, r.text, r.responder, r.answers
          from scrutiny_responses r
          join scrutiny_items i on i.id = r.item_id
          join scrutiny_bodies b on b.id = i.body_id
          join scrutiny_meetings m on m.id = i.meeting_id
          left join scrutiny_agenda_items ai on ai.id = i.agenda_item_id
         where ${trackerWhere(filter, visibility, today)}
         order by r.item_id, r.responded_on, r.recorded_at`.execute(db)
      return rows
    },
    /** Every status change of the items a tracker filter selects. */
    historyWhere: async (filter: TrackerFilter, visibility: Visibility, today: string) => {
      const { rows } = await sql<{ item_id: string; changed_at: Date; status: string; rag: string | null; reason: string | null; note: string | null; changed_by_agency: string | null }>`
        select h.item_id, h.changed_at, h.status, h.rag, h.reason, h.note, h.changed_by_agency
          from scrutiny_status_history h
          join scrutiny_items i on i.id = h.item_id
          join scrutiny_bodies b on b.id = i.body_id
          join scrutiny_meetings m on m.id = i.meeting_id
          left join scrutiny_agenda_items ai on ai.id = i.agenda_item_id
         where ${trackerWhere(filter, visibility, today)}
         order by h.item_id, h.changed_at, h.id`.execute(db)
      return rows
    },
    insertEvidence: (v: {
      item_id: string
      event: EvidenceEvent
      occurred_on: string
      /** Only what someone said: null when nobody recorded how. */
      channel: EvidenceChannel | null
      counterpart?: string | null
      detail?: string | null
      previous_date?: string | null
      new_date?: string | null
      reason?: string | null
      notification_id?: string | null
      recorded_by: string | null
      recorded_by_name: string
    }) => db.insertInto('scrutiny_evidence').values(v).execute(),
    insertEvidenceMany: (rows: Insertable<ScrutinyEvidenceTable>[]) => (rows.length ? db.insertInto('scrutiny_evidence').values(rows).execute() : Promise.resolve([])),
    evidence: (itemId: string) => db.selectFrom('scrutiny_evidence').selectAll().where('item_id', '=', itemId).orderBy('occurred_on').orderBy('id').execute(),
    notificationsFor: (itemId: string) =>
      db.selectFrom('scrutiny_notifications').selectAll().where('item_id', '=', itemId).orderBy('scheduled_for').orderBy('created_at').execute(),

    /** What changed in public, newest first: items made, responses, and status changes. */
    publicActivity: async (limit: number, today: string, bodyId?: string) => {
      const bodyFilter = bodyId ? sql`and b.id = ${bodyId}` : sql``
      const { rows } = await sql<{
        kind: 'made' | 'response' | 'status' | 'overdue'
        entry_id: string
        item_id: string
        at: Date
        on_date: string | null
        summary: string | null
        status: string | null
        rag: string | null
        reason: string | null
        who: string | null
      }>`
        select * from (
          (select 'made' as kind, i.id::text as entry_id, i.id as item_id, i.created_at as at, m.meeting_date as on_date,
                  null as summary, null as status, null as rag, null as reason, null as who
             from scrutiny_items i join scrutiny_bodies b on b.id = i.body_id join scrutiny_meetings m on m.id = i.meeting_id
             left join scrutiny_agenda_items ai on ai.id = i.agenda_item_id
            where b.public and not ${restrictedSql} ${bodyFilter}
            order by i.created_at desc limit ${limit})
          union all
          (select 'response', r.id::text, i.id, r.recorded_at, r.responded_on, r.text, null, null, null, r.responder
             from scrutiny_responses r join scrutiny_items i on i.id = r.item_id join scrutiny_bodies b on b.id = i.body_id
             left join scrutiny_agenda_items ai on ai.id = i.agenda_item_id
            where b.public and not ${restrictedSql} ${bodyFilter}
            order by r.recorded_at desc limit ${limit})
          union all
          (select 'status', h.id::text, i.id, h.changed_at, null, h.note, h.status, h.rag, h.reason, h.changed_by_agency
             from scrutiny_status_history h join scrutiny_items i on i.id = h.item_id join scrutiny_bodies b on b.id = i.body_id
             left join scrutiny_agenda_items ai on ai.id = i.agenda_item_id
            where b.public and not ${restrictedSql} ${bodyFilter}
              and exists (select 1 from scrutiny_status_history h0 where h0.item_id = h.item_id and h0.id < h.id)
            order by h.changed_at desc limit ${limit})
          union all
          -- Became overdue and still is: dated the day after the due date (computed, as the tracker does).
          (select 'overdue', i.id::text || ':' || ${dueSql}::text, i.id, (${dueSql} + 1)::timestamptz, (${dueSql} + 1)::date, null, null, 'red', null, null
             from scrutiny_items i join scrutiny_bodies b on b.id = i.body_id join scrutiny_meetings m on m.id = i.meeting_id
             left join scrutiny_agenda_items ai on ai.id = i.agenda_item_id
            where b.public and not ${restrictedSql} ${bodyFilter} and ${overdueSql(today)}
            order by ${dueSql} desc limit ${limit})
          union all
          -- Spells of being overdue that a moved due date ended: kept in the evidence log.
          (select 'overdue', 'e' || e.id::text, i.id, e.recorded_at, e.occurred_on, e.detail, null, 'red', null, null
             from scrutiny_evidence e join scrutiny_items i on i.id = e.item_id join scrutiny_bodies b on b.id = i.body_id
             left join scrutiny_agenda_items ai on ai.id = i.agenda_item_id
            where e.event = 'became_overdue' and b.public and not ${restrictedSql} ${bodyFilter}
            order by e.recorded_at desc limit ${limit})
        ) activity
        order by at desc, entry_id
        limit ${limit}`.execute(db)
      return rows
    },
  }
}
