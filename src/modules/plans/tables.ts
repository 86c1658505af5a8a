import type { ColumnType, Generated, RawBuilder, Selectable } from 'kysely'
import type { CreatedAt, Json, Timestamp } from '../../db/schema.ts'

export type MeetingKind = 'strategy' | 'mace' | 'cp_conference'
export type ActionStatus = 'open' | 'done' | 'cancelled'

/** Someone at (or sending apologies to) a meeting, with the agency they came for. */
export interface Attendee {
  name: string
  role: string | null
  agencyId: string | null
  attended: boolean
}

export interface PlanMeetingsTable {
  id: Generated<string>
  kind: MeetingKind
  held_on: string
  chair: string
  chair_agency_id: string | null
  /** The people discussed: written as `array[...]::uuid[]` (store.ts), read through to_jsonb. */
  subject_ids: ColumnType<string[], RawBuilder<string[]>, never>
  attendees: Json<Attendee[]>
  decisions: string
  recorded_by_agency_id: string
  created_by: string | null
  created_at: CreatedAt
  version: Generated<number>
}

export interface PlanActionsTable {
  id: Generated<string>
  meeting_id: string
  description: string
  owner_user_id: string | null
  owner_agency_id: string | null
  due_on: string
  status: Generated<ActionStatus>
  cancel_reason: string | null
  closed_at: Timestamp | null
  closed_by: string | null
  target_person_id: string | null
  target_entity_id: string | null
  created_by: string | null
  created_at: CreatedAt
  version: Generated<number>
}

/** The fields of a meeting an edit may change, as they were before it. */
export interface MeetingFieldsBefore {
  kind: MeetingKind
  held_on: string
  chair: string
  chair_agency_id: string | null
  attendees: Attendee[]
  decisions: string
}

/** A correction of a meeting record: why, which fields, and what they held before. */
export interface PlanMeetingChangesTable {
  id: Generated<string>
  meeting_id: string
  reason: string
  changed_fields: Json<string[]>
  before: Json<MeetingFieldsBefore>
  changed_by: string | null
  changed_at: CreatedAt
}

declare module '../../db/schema.ts' {
  interface Database {
    plan_meetings: PlanMeetingsTable
    plan_actions: PlanActionsTable
    plan_meeting_changes: PlanMeetingChangesTable
  }
}

export type PlanAction = Selectable<PlanActionsTable>
