import type { Insertable } from 'kysely'
import type { Db } from '../../db/index.ts'
import type { Database, NewUser } from '../../db/schema.ts'

type New<T extends keyof Database> = Insertable<Database[T]>

/**
 * The demo's writes. The demo back-dates what it records (created, sent and recorded times), so
 * it writes whole rows rather than going through the services, which stamp the real time.
 */
export function demoStore(db: Db) {
  return {
    /** The events officer is a demo account like the foundation's, made here because only scrutiny needs one. */
    insertUser: (v: NewUser) => db.insertInto('users').values(v).returning('id').executeTakeFirstOrThrow(),
    /** Each user's name and agency, as status history and the evidence log record them. */
    userNames: () => db.selectFrom('users').innerJoin('agencies', 'agencies.id', 'users.agency_id').select(['users.id', 'users.name', 'agencies.name as agency']).execute(),
    insertBody: (v: New<'scrutiny_bodies'>) => db.insertInto('scrutiny_bodies').values(v).returning('id').executeTakeFirstOrThrow(),
    insertMember: (v: New<'scrutiny_body_members'>) => db.insertInto('scrutiny_body_members').values(v).execute(),
    insertScrutinised: (v: New<'scrutiny_body_scrutinises'>) => db.insertInto('scrutiny_body_scrutinises').values(v).execute(),
    insertMeeting: (v: New<'scrutiny_meetings'>) => db.insertInto('scrutiny_meetings').values(v).returning('id').executeTakeFirstOrThrow(),
    insertAgendaItem: (v: New<'scrutiny_agenda_items'>) => db.insertInto('scrutiny_agenda_items').values(v).returning('id').executeTakeFirstOrThrow(),
    insertFile: (v: New<'scrutiny_files'>) => db.insertInto('scrutiny_files').values(v).execute(),
    insertItem: (v: New<'scrutiny_items'>) => db.insertInto('scrutiny_items').values(v).returning('id').executeTakeFirstOrThrow(),
    insertHistory: (v: New<'scrutiny_status_history'>) => db.insertInto('scrutiny_status_history').values(v).execute(),
    insertEvidence: (v: New<'scrutiny_evidence'>) => db.insertInto('scrutiny_evidence').values(v).execute(),
    insertResponse: (v: New<'scrutiny_responses'>) => db.insertInto('scrutiny_responses').values(v).execute(),
    insertPriority: (v: New<'scrutiny_priorities'>) => db.insertInto('scrutiny_priorities').values(v).returning('id').executeTakeFirstOrThrow(),
    insertWorkItem: (v: New<'scrutiny_work_items'>) => db.insertInto('scrutiny_work_items').values(v).execute(),
    insertReportsDue: (v: New<'scrutiny_reports_due'>[]) => db.insertInto('scrutiny_reports_due').values(v).execute(),
    insertEvent: (v: New<'scrutiny_events'>) => db.insertInto('scrutiny_events').values(v).returning('id').executeTakeFirstOrThrow(),
    insertInvitation: (v: New<'scrutiny_event_invitations'>) => db.insertInto('scrutiny_event_invitations').values(v).execute(),
    insertAttendance: (v: New<'scrutiny_event_attendance'>) => db.insertInto('scrutiny_event_attendance').values(v).execute(),
  }
}

export type DemoStore = ReturnType<typeof demoStore>
