import { sql, type Insertable, type SqlBool } from 'kysely'
import type { Db } from '../../db/index.ts'
import type { CurrentUser } from '../../kernel/context.ts'
import type { Attendee, MeetingFieldsBefore, MeetingKind, PlanActionsTable } from './tables.ts'
import './tables.ts'

export interface NewMeeting {
  kind: MeetingKind
  heldOn: string
  chair: string
  chairAgencyId: string | null
  subjectIds: string[]
  attendees: Attendee[]
  decisions: string
  agencyId: string
  userId: string | null
  at?: Date
}

const subjectIds = sql<string[]>`to_jsonb(m.subject_ids)`.as('subject_ids')
const personNames = ['p.id', 'p.kind', 'p.given_name', 'p.family_name', 'p.preferred_name', 'p.date_of_birth', 'p.owner_agency_id', 'p.merged_into', 'p.closed_at'] as const

/** Who would see the action on Home: its owner, or (`wholeTeam`, a manager) anyone in their team, and actions owned by their agency. */
function forOwner(user: Pick<CurrentUser, 'id' | 'teamId' | 'agencyId'>, wholeTeam: boolean) {
  if (!wholeTeam || !user.teamId) return sql<SqlBool>`a.owner_user_id = ${user.id}`
  return sql<SqlBool>`(a.owner_user_id = ${user.id} or a.owner_user_id in (select u.id from users u where u.team_id = ${user.teamId}) or a.owner_agency_id = ${user.agencyId})`
}

/**
 * SQL for meetings and their actions. Run in a request, row-level security shows only the meetings
 * whose every subject the user may see (migration 0180); the service checks role and need-to-know
 * again on each subject before anything is shown or changed.
 */
export function plansStore(db: Db) {
  const actions = () =>
    db
      .selectFrom('plan_actions as a')
      .leftJoin('users as ou', 'ou.id', 'a.owner_user_id')
      .leftJoin('agencies as oua', 'oua.id', 'ou.agency_id')
      .leftJoin('agencies as oa', 'oa.id', 'a.owner_agency_id')
      .leftJoin('people as tp', 'tp.id', 'a.target_person_id')
      .leftJoin('network_entities as te', 'te.id', 'a.target_entity_id')
      .leftJoin('users as cu', 'cu.id', 'a.closed_by')
      .selectAll('a')
      .select(['ou.name as owner_user_name', 'oua.short_name as owner_user_agency', 'oa.name as owner_agency_name', 'tp.given_name as target_given_name', 'tp.family_name as target_family_name', 'tp.preferred_name as target_preferred_name', 'te.label as target_entity_label', 'cu.name as closed_by_name'])

  return {
    async insertMeeting(m: NewMeeting): Promise<string> {
      const row = await db
        .insertInto('plan_meetings')
        .values({
          kind: m.kind,
          held_on: m.heldOn,
          chair: m.chair,
          chair_agency_id: m.chairAgencyId,
          subject_ids: sql<string[]>`array[${sql.join(m.subjectIds)}]::uuid[]`,
          attendees: JSON.stringify(m.attendees),
          decisions: m.decisions,
          recorded_by_agency_id: m.agencyId,
          created_by: m.userId,
          ...(m.at ? { created_at: m.at } : {}),
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      return row.id
    },
    meeting: (id: string) =>
      db
        .selectFrom('plan_meetings as m')
        .leftJoin('agencies as ca', 'ca.id', 'm.chair_agency_id')
        .leftJoin('agencies as ra', 'ra.id', 'm.recorded_by_agency_id')
        .leftJoin('users as u', 'u.id', 'm.created_by')
        .select(['m.id', 'm.kind', 'm.held_on', 'm.chair', 'm.chair_agency_id', 'm.attendees', 'm.decisions', 'm.created_at', 'm.version', subjectIds, 'ca.name as chair_agency_name', 'ra.name as recorded_by_agency_name', 'u.name as created_by_name'])
        .where('m.id', '=', id)
        .executeTakeFirst(),
    /**
     * Corrects the version the user saw, keeping the fields as they were and why in the meeting's
     * history; returns the rows changed (0: someone else saved first).
     */
    async updateMeeting(id: string, version: number, after: MeetingFieldsBefore, change: { before: MeetingFieldsBefore; fields: string[]; reason: string; userId: string; at: Date }): Promise<number> {
      const result = await db
        .updateTable('plan_meetings')
        .set({ kind: after.kind, held_on: after.held_on, chair: after.chair, chair_agency_id: after.chair_agency_id, attendees: JSON.stringify(after.attendees), decisions: after.decisions, version: sql`version + 1` })
        .where('id', '=', id)
        .where('version', '=', version)
        .executeTakeFirst()
      if (!Number(result.numUpdatedRows)) return 0
      await db
        .insertInto('plan_meeting_changes')
        .values({ meeting_id: id, reason: change.reason, changed_fields: JSON.stringify(change.fields), before: JSON.stringify(change.before), changed_by: change.userId, changed_at: change.at })
        .execute()
      return 1
    },
    /** A meeting's corrections, the latest first. */
    meetingChanges: (id: string) =>
      db
        .selectFrom('plan_meeting_changes as c')
        .leftJoin('users as u', 'u.id', 'c.changed_by')
        .select(['c.id', 'c.reason', 'c.changed_fields', 'c.before', 'c.changed_at', 'u.name as changed_by_name'])
        .where('c.meeting_id', '=', id)
        .orderBy('c.changed_at', 'desc')
        .orderBy('c.id')
        .execute(),
    /** The meetings a person was discussed at, the latest first. */
    meetingsAbout: (personId: string) =>
      db
        .selectFrom('plan_meetings as m')
        .select(['m.id', 'm.kind', 'm.held_on', 'm.chair', subjectIds])
        .select((eb) => [
          eb.selectFrom('plan_actions as a').select(sql<number>`count(*)::int`.as('n')).whereRef('a.meeting_id', '=', 'm.id').where('a.status', '=', 'open').as('open_actions'),
        ])
        .where(sql<SqlBool>`m.subject_ids @> array[${personId}]::uuid[]`)
        .orderBy('m.held_on', 'desc')
        .orderBy('m.id')
        .execute(),
    /** The names of people, for the subjects of meetings (row-level security leaves out any the user may not see). */
    people: (ids: string[]) => (ids.length ? db.selectFrom('people as p').select([...personNames]).where('p.id', 'in', ids).execute() : Promise.resolve([])),
    actionsOf: (meetingId: string) => actions().where('a.meeting_id', '=', meetingId).orderBy('a.due_on').orderBy('a.created_at').execute(),
    /** Open actions from every meeting the person was discussed at, the earliest due first. */
    openActionsAbout: (personId: string) =>
      actions()
        .innerJoin('plan_meetings as m', 'm.id', 'a.meeting_id')
        .select(['m.kind as meeting_kind', 'm.held_on as meeting_held_on'])
        .where(sql<SqlBool>`m.subject_ids @> array[${personId}]::uuid[]`)
        .where('a.status', '=', 'open')
        .orderBy('a.due_on')
        .orderBy('a.id')
        .execute(),
    action: (id: string) => actions().where('a.id', '=', id).executeTakeFirst(),
    /**
     * For a subject access export: the meetings the person was discussed at that the reader may
     * see (row-level security: every subject visible), with who recorded them, each one's actions
     * and corrections. The other people discussed are named only where the reader may see them.
     */
    meetingsForDisclosure: (personId: string) =>
      db
        .selectFrom('plan_meetings as m')
        .leftJoin('agencies as ca', 'ca.id', 'm.chair_agency_id')
        .leftJoin('agencies as ra', 'ra.id', 'm.recorded_by_agency_id')
        .select(['m.id', 'm.kind', 'm.held_on', 'm.chair', 'ca.name as chair_agency_name', 'm.attendees', 'm.decisions', 'm.recorded_by_agency_id', 'ra.name as recorded_by_agency_name', 'm.created_at', subjectIds])
        .select((eb) => [
          eb
            .selectFrom('plan_actions as a')
            .leftJoin('users as ou', 'ou.id', 'a.owner_user_id')
            .leftJoin('agencies as oa', 'oa.id', 'a.owner_agency_id')
            .select(
              sql<{ description: string; owner: string | null; due_on: string; status: string; cancel_reason: string | null; closed_at: string | null; targets_another: boolean }[]>`coalesce(json_agg(json_build_object(
                'description', a.description, 'owner', coalesce(ou.name, oa.name), 'due_on', a.due_on, 'status', a.status, 'cancel_reason', a.cancel_reason,
                'closed_at', a.closed_at, 'targets_another', a.target_entity_id is not null or (a.target_person_id is not null and a.target_person_id <> ${personId}))
                order by a.due_on, a.created_at), '[]')`.as('actions'),
            )
            .whereRef('a.meeting_id', '=', 'm.id')
            .as('actions'),
          eb
            .selectFrom('plan_meeting_changes as c')
            .leftJoin('users as cu', 'cu.id', 'c.changed_by')
            .select(sql<{ reason: string; changed_fields: string[]; before: unknown; changed_at: string; changed_by: string | null }[]>`coalesce(json_agg(json_build_object(
                'reason', c.reason, 'changed_fields', c.changed_fields, 'before', c.before, 'changed_at', c.changed_at, 'changed_by', cu.name) order by c.changed_at), '[]')`.as('changes'))
            .whereRef('c.meeting_id', '=', 'm.id')
            .as('changes'),
        ])
        .where(sql<SqlBool>`m.subject_ids @> array[${personId}]::uuid[]`)
        .orderBy('m.held_on')
        .orderBy('m.id')
        .execute(),
    /** Every meeting the person was discussed at and the agency that recorded it: the service runs this as the owner, to count what an export leaves out. */
    meetingsHeldAbout: (personId: string) =>
      db
        .selectFrom('plan_meetings as m')
        .leftJoin('agencies as ra', 'ra.id', 'm.recorded_by_agency_id')
        .select(['m.id', 'ra.name as agency_name'])
        .where(sql<SqlBool>`m.subject_ids @> array[${personId}]::uuid[]`)
        .execute(),
    insertAction: (row: Insertable<PlanActionsTable>) => db.insertInto('plan_actions').values(row).returning('id').executeTakeFirstOrThrow(),
    /** Closes the version the user saw, if still open; returns the rows changed. */
    async closeAction(id: string, version: number, change: { status: 'done' | 'cancelled'; reason: string | null; userId: string; at: Date }): Promise<number> {
      const result = await db
        .updateTable('plan_actions')
        .set({ status: change.status, cancel_reason: change.status === 'cancelled' ? change.reason : null, closed_at: change.at, closed_by: change.userId, version: sql`version + 1` })
        .where('id', '=', id)
        .where('version', '=', version)
        .where('status', '=', 'open')
        .executeTakeFirst()
      return Number(result.numUpdatedRows)
    },
    /**
     * Open actions that come to this user, due by `until` (overdue ones included), the earliest due
     * first, named by the meeting's first subject; `limit + 1` rows so the caller knows there are more.
     */
    actionsDue: (user: Pick<CurrentUser, 'id' | 'teamId' | 'agencyId'>, wholeTeam: boolean, until: string | null, limit: number) => {
      let q = db
        .selectFrom('plan_actions as a')
        .innerJoin('plan_meetings as m', 'm.id', 'a.meeting_id')
        .innerJoin('people as p', (j) => j.on(sql<SqlBool>`p.id = m.subject_ids[1]`))
        .leftJoin('users as ou', 'ou.id', 'a.owner_user_id')
        .leftJoin('agencies as oa', 'oa.id', 'a.owner_agency_id')
        .select(['a.id', 'a.meeting_id', 'a.description', 'a.due_on', 'a.status', 'a.created_at', 'a.owner_user_id', 'm.kind as meeting_kind', 'p.id as person_id', 'p.given_name', 'p.family_name', 'p.preferred_name', 'ou.name as owner_user_name', 'oa.name as owner_agency_name'])
        .where('a.status', '=', 'open')
        .where(forOwner(user, wholeTeam))
        .orderBy('a.due_on')
        .orderBy('a.id')
        .limit(limit + 1)
      if (until) q = q.where('a.due_on', '<=', until)
      return q.execute()
    },
    users: () => db.selectFrom('users as u').innerJoin('agencies as a', 'a.id', 'u.agency_id').select(['u.id', 'u.name', 'a.short_name as agency']).where('u.active', '=', true).orderBy('u.name').execute(),
    agencies: () => db.selectFrom('agencies').select(['id', 'name']).where('active', '=', true).orderBy('name').execute(),
    agencyNames: () => db.selectFrom('agencies').select(['id', 'name']).execute(),
    user: (id: string) => db.selectFrom('users').select(['id', 'name', 'agency_id']).where('id', '=', id).where('active', '=', true).executeTakeFirst(),
    /** A network record, if the user may see it (row-level security). */
    entity: (id: string) => db.selectFrom('network_entities').select(['id', 'label', 'person_id']).where('id', '=', id).executeTakeFirst(),
  }
}

export type PlansStore = ReturnType<typeof plansStore>
