import { sql } from 'kysely'
import type { Db } from '../../db/index.ts'

/**
 * A strategy group's work: its strategic priorities, a work programme of items with owners and
 * dates, its strategic assessment, and the updates it owes to the committees that scrutinise it
 * (the select committee asked for one earlier than the annual update).
 */
export function strategyStore(db: Db) {
  return {
    priorities: (bodyId: string) =>
      db
        .selectFrom('scrutiny_priorities as p')
        .selectAll('p')
        .select(sql<number>`(select count(*) from scrutiny_work_items w where w.priority_id = p.id)`.as('work_count'))
        .where('p.body_id', '=', bodyId)
        .where('p.active', '=', true)
        .orderBy('p.position')
        .orderBy('p.title')
        .execute(),
    insertPriority: (v: { body_id: string; title: string; description: string }) =>
      db
        .insertInto('scrutiny_priorities')
        .values({ ...v, position: sql<number>`(select coalesce(max(position), 0) + 1 from scrutiny_priorities where body_id = ${v.body_id})` })
        .returning('id')
        .executeTakeFirstOrThrow(),
    priority: (id: string) => db.selectFrom('scrutiny_priorities').selectAll().where('id', '=', id).executeTakeFirst(),
    workItems: (bodyId: string) =>
      db
        .selectFrom('scrutiny_work_items as w')
        .leftJoin('scrutiny_priorities as p', 'p.id', 'w.priority_id')
        .leftJoin('agencies as a', 'a.id', 'w.owner_agency_id')
        .leftJoin('users as u', 'u.id', 'w.updated_by')
        .selectAll('w')
        .select(['p.title as priority_title', 'a.name as owner_agency_name', 'u.name as updated_by_name'])
        .where('w.body_id', '=', bodyId)
        .orderBy(sql`p.position nulls last`)
        .orderBy(sql`w.due_date nulls last`)
        .orderBy('w.title')
        .execute(),
    workItem: (id: string) => db.selectFrom('scrutiny_work_items').selectAll().where('id', '=', id).executeTakeFirst(),
    insertWorkItem: (v: Parameters<ReturnType<typeof insertWork>>[0]) => insertWork(db)(v),
    updateWorkItem: async (
      id: string,
      version: number,
      v: { status: 'planned' | 'in_progress' | 'complete' | 'delayed' | 'cancelled'; rag: 'green' | 'amber' | 'red' | null; due_date: string | null; progress_note: string; updated_by: string },
    ) => {
      const r = await db
        .updateTable('scrutiny_work_items')
        .set({ ...v, updated_at: new Date(), version: sql<number>`version + 1` })
        .where('id', '=', id)
        .where('version', '=', version)
        .executeTakeFirst()
      return Number(r.numUpdatedRows) === 1
    },
    reportsDue: (bodyId: string) =>
      db
        .selectFrom('scrutiny_reports_due as r')
        .innerJoin('scrutiny_bodies as f', 'f.id', 'r.from_body_id')
        .innerJoin('scrutiny_bodies as t', 't.id', 'r.to_body_id')
        .leftJoin('scrutiny_items as i', 'i.id', 'r.item_id')
        .leftJoin('scrutiny_meetings as m', 'm.id', 'r.meeting_id')
        .selectAll('r')
        .select([
          'f.name as from_body_name',
          'f.slug as from_body_slug',
          't.name as to_body_name',
          't.slug as to_body_slug',
          't.code as to_body_code',
          'i.kind as item_kind',
          'i.number as item_number',
          'i.municipal_year as item_year',
          'm.title as meeting_title',
          'm.meeting_date as delivered_meeting_date',
        ])
        .where((eb) => eb.or([eb('r.from_body_id', '=', bodyId), eb('r.to_body_id', '=', bodyId)]))
        .orderBy('r.due_date')
        .execute(),
    reportDue: (id: string) => db.selectFrom('scrutiny_reports_due').selectAll().where('id', '=', id).executeTakeFirst(),
    insertReportDue: (v: { from_body_id: string; to_body_id: string; item_id: string | null; title: string; due_date: string; note: string; created_by: string }) =>
      db.insertInto('scrutiny_reports_due').values(v).returning('id').executeTakeFirstOrThrow(),
    markDelivered: (id: string, deliveredOn: string, meetingId: string | null) =>
      db.updateTable('scrutiny_reports_due').set({ delivered_on: deliveredOn, meeting_id: meetingId }).where('id', '=', id).execute(),
  }
}

function insertWork(db: Db) {
  return (v: {
    body_id: string
    priority_id: string | null
    title: string
    description: string
    owner: string
    owner_agency_id: string | null
    start_date: string | null
    due_date: string | null
    status: 'planned' | 'in_progress' | 'complete' | 'delayed' | 'cancelled'
    rag: 'green' | 'amber' | 'red' | null
    updated_by: string | null
  }) => db.insertInto('scrutiny_work_items').values(v).returning('id').executeTakeFirstOrThrow()
}
