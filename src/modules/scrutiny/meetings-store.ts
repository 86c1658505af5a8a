import { sql, type Insertable, type Updateable } from 'kysely'
import type { Db } from '../../db/index.ts'
import type { ScrutinyAgendaItemsTable, ScrutinyFilesTable, ScrutinyMeetingsTable } from './tables.ts'

/** Meetings, their agenda items and the files attached (the content is read only when downloaded). */
export function meetingsStore(db: Db) {
  return {
    meetings: (bodyId: string) =>
      db
        .selectFrom('scrutiny_meetings as m')
        .selectAll('m')
        .select([
          sql<number>`(select count(*) from scrutiny_agenda_items a where a.meeting_id = m.id)`.as('agenda_count'),
          sql<number>`(select count(*) from scrutiny_items i where i.meeting_id = m.id)`.as('item_count'),
        ])
        .where('m.body_id', '=', bodyId)
        .orderBy('m.meeting_date', 'desc')
        .execute(),
    meeting: (id: string) => db.selectFrom('scrutiny_meetings').selectAll().where('id', '=', id).executeTakeFirst(),
    meetingByExternalId: (bodyId: string, externalId: string) =>
      db.selectFrom('scrutiny_meetings').selectAll().where('body_id', '=', bodyId).where('external_id', '=', externalId).executeTakeFirst(),
    insertMeeting: (v: Insertable<ScrutinyMeetingsTable>) => db.insertInto('scrutiny_meetings').values(v).returning('id').executeTakeFirstOrThrow(),
    updateMeeting: (id: string, v: Updateable<ScrutinyMeetingsTable>) =>
      db.updateTable('scrutiny_meetings').set({ ...v, updated_at: new Date() }).where('id', '=', id).execute(),
    agendaItems: (meetingId: string) =>
      db.selectFrom('scrutiny_agenda_items').selectAll().where('meeting_id', '=', meetingId).orderBy('position').execute(),
    agendaItem: (id: string) =>
      db
        .selectFrom('scrutiny_agenda_items as ai')
        .innerJoin('scrutiny_meetings as m', 'm.id', 'ai.meeting_id')
        .selectAll('ai')
        .select(['m.body_id'])
        .where('ai.id', '=', id)
        .executeTakeFirst(),
    agendaItemByExternalId: (meetingId: string, externalId: string) =>
      db.selectFrom('scrutiny_agenda_items').selectAll().where('meeting_id', '=', meetingId).where('external_id', '=', externalId).executeTakeFirst(),
    nextAgendaPosition: async (meetingId: string) => {
      const row = await db
        .selectFrom('scrutiny_agenda_items')
        .select(sql<number>`coalesce(max(position), 0) + 1`.as('n'))
        .where('meeting_id', '=', meetingId)
        .executeTakeFirstOrThrow()
      return Number(row.n)
    },
    insertAgendaItem: (v: Insertable<ScrutinyAgendaItemsTable>) => db.insertInto('scrutiny_agenda_items').values(v).returning('id').executeTakeFirstOrThrow(),
    updateAgendaItem: (id: string, v: Updateable<ScrutinyAgendaItemsTable>) =>
      db.updateTable('scrutiny_agenda_items').set(v).where('id', '=', id).execute(),

    filesFor: (owner: { agendaItemIds?: string[]; bodyId?: string; eventId?: string }) => {
      let q = db
        .selectFrom('scrutiny_files')
        .select(['id', 'agenda_item_id', 'body_id', 'event_id', 'kind', 'title', 'filename', 'content_type', 'size_bytes', 'url', 'restricted', 'uploaded_at'])
        .orderBy('uploaded_at')
      if (owner.agendaItemIds) {
        if (!owner.agendaItemIds.length) return Promise.resolve([])
        q = q.where('agenda_item_id', 'in', owner.agendaItemIds)
      } else if (owner.bodyId) q = q.where('body_id', '=', owner.bodyId)
      else if (owner.eventId) q = q.where('event_id', '=', owner.eventId)
      return q.execute()
    },
    file: (id: string) =>
      db
        .selectFrom('scrutiny_files as f')
        .leftJoin('scrutiny_agenda_items as ai', 'ai.id', 'f.agenda_item_id')
        .leftJoin('scrutiny_meetings as m', 'm.id', 'ai.meeting_id')
        .selectAll('f')
        .select(['ai.restricted as agenda_item_restricted', sql<string | null>`coalesce(m.body_id, f.body_id)`.as('owner_body_id')])
        .where('f.id', '=', id)
        .executeTakeFirst(),
    insertFile: (v: Insertable<ScrutinyFilesTable>) => db.insertInto('scrutiny_files').values(v).returning('id').executeTakeFirstOrThrow(),
    fileByUrl: (agendaItemId: string, url: string) =>
      db.selectFrom('scrutiny_files').select('id').where('agenda_item_id', '=', agendaItemId).where('url', '=', url).executeTakeFirst(),

  }
}
