import { sql } from 'kysely'
import type { Db } from '../../db/index.ts'

/**
 * Awareness workshops and other events for agencies: who was invited, who came (by organisation,
 * service and role: no names are kept), and the materials used. The report answers the panel's
 * question: "who attended, were district council officers attending, and were county council
 * children's services officers also attending?"
 */
export function eventsStore(db: Db) {
  return {
    events: () =>
      db
        .selectFrom('scrutiny_events as e')
        .leftJoin('scrutiny_bodies as b', 'b.id', 'e.body_id')
        .selectAll('e')
        .select([
          'b.name as body_name',
          sql<number>`(select coalesce(sum(a.attendees), 0) from scrutiny_event_attendance a where a.event_id = e.id)`.as('attendees'),
          sql<number>`(select count(distinct lower(a.organisation)) from scrutiny_event_attendance a where a.event_id = e.id)`.as('organisations'),
          sql<number>`(select count(*) from scrutiny_event_invitations v where v.event_id = e.id)`.as('invited'),
        ])
        .orderBy('e.event_date', 'desc')
        .execute(),
    event: (id: string) =>
      db
        .selectFrom('scrutiny_events as e')
        .leftJoin('scrutiny_bodies as b', 'b.id', 'e.body_id')
        .leftJoin('agencies as a', 'a.id', 'e.organiser_agency_id')
        .selectAll('e')
        .select(['b.name as body_name', 'a.name as organiser_name'])
        .where('e.id', '=', id)
        .executeTakeFirst(),
    insertEvent: (v: {
      body_id: string | null
      organiser_agency_id: string | null
      title: string
      kind: 'workshop' | 'briefing' | 'training' | 'conference'
      event_date: string
      start_time: string | null
      location: string
      audience: string
      description: string
      created_by: string | null
    }) => db.insertInto('scrutiny_events').values(v).returning('id').executeTakeFirstOrThrow(),
    invitations: (eventIds: string[]) =>
      eventIds.length
        ? db.selectFrom('scrutiny_event_invitations').selectAll().where('event_id', 'in', eventIds).orderBy('organisation').execute()
        : Promise.resolve([]),
    invited: async (eventId: string, organisation: string) =>
      Boolean(
        await db
          .selectFrom('scrutiny_event_invitations')
          .select('id')
          .where('event_id', '=', eventId)
          .where(sql<boolean>`lower(organisation) = ${organisation.toLowerCase()}`)
          .executeTakeFirst(),
      ),
    insertInvitation: (v: { event_id: string; organisation: string; organisation_kind: string; agency_id: string | null; created_by: string | null }) =>
      db.insertInto('scrutiny_event_invitations').values(v).returning('id').executeTakeFirstOrThrow(),
    attendance: (eventIds: string[]) =>
      eventIds.length
        ? db.selectFrom('scrutiny_event_attendance').selectAll().where('event_id', 'in', eventIds).orderBy('organisation').orderBy('service').orderBy('role').execute()
        : Promise.resolve([]),
    insertAttendance: (v: { event_id: string; organisation: string; organisation_kind: string; agency_id: string | null; service: string; role: string; attendees: number; created_by: string | null }) =>
      db.insertInto('scrutiny_event_attendance').values(v).returning('id').executeTakeFirstOrThrow(),
    deleteAttendance: (eventId: string, id: string) => db.deleteFrom('scrutiny_event_attendance').where('event_id', '=', eventId).where('id', '=', id).executeTakeFirst(),
    materials: (eventId: string) =>
      db
        .selectFrom('scrutiny_files')
        .select(['id', 'title', 'filename', 'content_type', 'size_bytes', 'url', 'uploaded_at'])
        .where('event_id', '=', eventId)
        .orderBy('uploaded_at')
        .execute(),
    insertMaterial: (v: { event_id: string; title: string; filename: string; content_type: string; size_bytes: number; content: Buffer; uploaded_by: string }) =>
      db
        .insertInto('scrutiny_files')
        .values({ ...v, kind: 'material', agenda_item_id: null, body_id: null, url: null, restricted: false })
        .returning('id')
        .executeTakeFirstOrThrow(),
    agencies: () => db.selectFrom('agencies').select(['id', 'name', 'kind']).where('active', '=', true).orderBy('name').execute(),
    agency: (id: string) => db.selectFrom('agencies').select(['id', 'name', 'kind']).where('id', '=', id).executeTakeFirst(),
  }
}
