import type { ColumnType, Generated, Selectable } from 'kysely'
import type { CreatedAt, Timestamp } from '../../db/schema.ts'

/** A date column: 'YYYY-MM-DD' both ways (src/db/index.ts parses dates as strings). */
type DateColumn = ColumnType<string, string, string>

export type BodyKind = 'panel' | 'select_committee' | 'strategy_group' | 'other'
export type ItemKind = 'resolution' | 'recommendation' | 'request'
export type RequestType = 'information' | 'action'
export type ItemStatus = 'open' | 'accepted' | 'in_progress' | 'implemented' | 'not_accepted' | 'answered' | 'closed'
export type Rag = 'green' | 'amber' | 'red'
export type EvidenceEvent =
  | 'made'
  | 'sent'
  | 'due_set'
  | 'reminder_sent'
  | 'response_received'
  | 'answered'
  | 'chased'
  | 'note'
  | 'reminder_queued'
  | 'not_sent'
  | 'became_overdue'
export type EvidenceChannel = 'email' | 'letter' | 'meeting' | 'phone' | 'system'
export type NotificationKind = 'request' | 'reminder_before' | 'reminder_overdue'
export type WorkStatus = 'planned' | 'in_progress' | 'complete' | 'delayed' | 'cancelled'
export type FileKind = 'report' | 'appendix' | 'minutes' | 'strategic_assessment' | 'material' | 'other'

export interface ScrutinyBodiesTable {
  id: Generated<string>
  slug: string
  code: string
  name: string
  kind: BodyKind
  description: Generated<string>
  agency_id: string | null
  support_agency_id: string | null
  response_days: Generated<number>
  reminder_days: Generated<number>
  public: Generated<boolean>
  clerk_email: string | null
  created_at: CreatedAt
  updated_at: Timestamp
}

export interface ScrutinyBodyMembersTable {
  id: Generated<string>
  body_id: string
  name: string
  role: string
  organisation: Generated<string>
  position: Generated<number>
  created_at: CreatedAt
}

export interface ScrutinyBodyScrutinisesTable {
  id: Generated<string>
  body_id: string
  organisation: string
  agency_id: string | null
  created_at: CreatedAt
}

export interface ScrutinyMeetingsTable {
  id: Generated<string>
  body_id: string
  title: string
  meeting_date: DateColumn
  meeting_time: string | null
  location: Generated<string>
  status: Generated<'scheduled' | 'held' | 'cancelled'>
  minutes: Generated<string>
  minutes_published: Generated<boolean>
  source: Generated<'manual' | 'moderngov'>
  external_id: string | null
  imported_at: Timestamp | null
  created_by: string | null
  created_at: CreatedAt
  updated_at: Timestamp
}

export interface ScrutinyAgendaItemsTable {
  id: Generated<string>
  meeting_id: string
  position: number
  number: Generated<string>
  title: string
  description: Generated<string>
  restricted: Generated<boolean>
  minutes: Generated<string>
  external_id: string | null
  created_at: CreatedAt
}

export interface ScrutinyFilesTable {
  id: Generated<string>
  agenda_item_id: string | null
  body_id: string | null
  event_id: string | null
  kind: FileKind
  title: string
  filename: string | null
  content_type: string | null
  size_bytes: number | null
  content: Buffer | null
  url: string | null
  restricted: Generated<boolean>
  uploaded_by: string | null
  uploaded_at: CreatedAt
}

export interface ScrutinyItemsTable {
  id: Generated<string>
  body_id: string
  meeting_id: string
  agenda_item_id: string | null
  kind: ItemKind
  request_type: RequestType | null
  municipal_year: string
  number: number
  title: string
  text: string
  addressee: string
  addressee_agency_id: string | null
  addressee_email: string | null
  proposed_by: string | null
  seconded_by: string | null
  sent_on: DateColumn | null
  response_due: DateColumn | null
  answered_on: DateColumn | null
  status: Generated<ItemStatus>
  status_reason: string | null
  rag: Rag | null
  restricted: Generated<boolean>
  version: Generated<number>
  status_changed_at: Timestamp
  status_changed_by: string | null
  created_by: string | null
  created_at: CreatedAt
  updated_at: Timestamp
}

export interface ScrutinyStatusHistoryTable {
  id: Generated<number>
  item_id: string
  status: ItemStatus
  rag: Rag | null
  reason: string | null
  note: string | null
  changed_by: string | null
  changed_by_name: string
  changed_by_agency: string | null
  changed_at: Timestamp
}

export interface ScrutinyResponsesTable {
  id: Generated<string>
  item_id: string
  responded_on: DateColumn
  text: string
  responder: string
  responder_agency_id: string | null
  answers: Generated<boolean>
  recorded_by: string | null
  recorded_by_name: string
  recorded_at: Timestamp
}

export interface ScrutinyNotificationsTable {
  id: Generated<string>
  item_id: string
  kind: NotificationKind
  scheduled_for: DateColumn
  to_address: string
  subject: string
  body: string
  status: Generated<'pending' | 'sent' | 'failed' | 'cancelled'>
  attempts: Generated<number>
  last_error: string | null
  transport: string | null
  sent_at: Timestamp | null
  created_at: CreatedAt
}

export interface ScrutinyEvidenceTable {
  id: Generated<number>
  item_id: string
  event: EvidenceEvent
  occurred_on: DateColumn
  /** How, when someone said how; null otherwise. */
  channel: EvidenceChannel | null
  counterpart: string | null
  detail: string | null
  /** A due-date change: the date before, the date after, and why. */
  previous_date: DateColumn | null
  new_date: DateColumn | null
  reason: string | null
  notification_id: string | null
  recorded_by: string | null
  recorded_by_name: string
  recorded_at: Timestamp
}

export interface FollowerSeen {
  history?: string[]
  responses?: string[]
  evidence?: string[]
  overdueSince?: string | null
}

/** A member of the public following an item by e-mail (migration 0743). */
export interface ScrutinyFollowersTable {
  id: Generated<string>
  item_id: string
  email: string
  token: string
  confirmed_on: DateColumn | null
  requested_on: DateColumn
  /** The public entries already told about (see follow.ts). */
  seen: ColumnType<FollowerSeen, FollowerSeen | string | undefined, FollowerSeen | string>
}

export interface ScrutinyFollowerMessagesTable {
  id: Generated<string>
  follower_id: string
  kind: 'confirm' | 'update'
  subject: string
  body: string
  status: Generated<'pending' | 'sent' | 'failed'>
  attempts: Generated<number>
  transport: string | null
  last_error: string | null
  created_on: DateColumn
}

/** A strategy action that answers an item (migration 0742). */
export interface ScrutinyItemActionsTable {
  item_id: string
  action_id: string
  linked_by: string | null
  linked_at: Generated<Date>
}

/** An indicator that shows progress on an item (migration 0742). */
export interface ScrutinyItemIndicatorsTable {
  item_id: string
  indicator_id: string
  linked_by: string | null
  linked_at: Generated<Date>
}

export interface ScrutinyPrioritiesTable {
  id: Generated<string>
  body_id: string
  title: string
  description: Generated<string>
  position: Generated<number>
  active: Generated<boolean>
  created_at: CreatedAt
}

export interface ScrutinyWorkItemsTable {
  id: Generated<string>
  body_id: string
  priority_id: string | null
  title: string
  description: Generated<string>
  owner: string
  owner_agency_id: string | null
  start_date: DateColumn | null
  due_date: DateColumn | null
  status: Generated<WorkStatus>
  rag: Rag | null
  progress_note: Generated<string>
  version: Generated<number>
  updated_by: string | null
  updated_at: Timestamp
  created_at: CreatedAt
}

export interface ScrutinyReportsDueTable {
  id: Generated<string>
  from_body_id: string
  to_body_id: string
  item_id: string | null
  title: string
  due_date: DateColumn
  delivered_on: DateColumn | null
  meeting_id: string | null
  note: Generated<string>
  created_by: string | null
  created_at: CreatedAt
}

export interface ScrutinyEventsTable {
  id: Generated<string>
  body_id: string | null
  organiser_agency_id: string | null
  title: string
  kind: Generated<'workshop' | 'briefing' | 'training' | 'conference'>
  event_date: DateColumn
  start_time: string | null
  location: Generated<string>
  audience: Generated<string>
  description: Generated<string>
  created_by: string | null
  created_at: CreatedAt
  updated_at: Timestamp
}

export interface ScrutinyEventInvitationsTable {
  id: Generated<string>
  event_id: string
  organisation: string
  organisation_kind: string
  agency_id: string | null
  created_by: string | null
  created_at: CreatedAt
}

export interface ScrutinyEventAttendanceTable {
  id: Generated<string>
  event_id: string
  organisation: string
  organisation_kind: string
  agency_id: string | null
  service: Generated<string>
  role: string
  attendees: number
  created_by: string | null
  created_at: CreatedAt
}

declare module '../../db/schema.ts' {
  interface Database {
    scrutiny_bodies: ScrutinyBodiesTable
    scrutiny_body_members: ScrutinyBodyMembersTable
    scrutiny_body_scrutinises: ScrutinyBodyScrutinisesTable
    scrutiny_meetings: ScrutinyMeetingsTable
    scrutiny_agenda_items: ScrutinyAgendaItemsTable
    scrutiny_files: ScrutinyFilesTable
    scrutiny_items: ScrutinyItemsTable
    scrutiny_status_history: ScrutinyStatusHistoryTable
    scrutiny_responses: ScrutinyResponsesTable
    scrutiny_notifications: ScrutinyNotificationsTable
    scrutiny_evidence: ScrutinyEvidenceTable
    scrutiny_item_actions: ScrutinyItemActionsTable
    scrutiny_followers: ScrutinyFollowersTable
    scrutiny_follower_messages: ScrutinyFollowerMessagesTable
    scrutiny_item_indicators: ScrutinyItemIndicatorsTable
    scrutiny_priorities: ScrutinyPrioritiesTable
    scrutiny_work_items: ScrutinyWorkItemsTable
    scrutiny_reports_due: ScrutinyReportsDueTable
    scrutiny_events: ScrutinyEventsTable
    scrutiny_event_invitations: ScrutinyEventInvitationsTable
    scrutiny_event_attendance: ScrutinyEventAttendanceTable
  }
}

export type Body = Selectable<ScrutinyBodiesTable>
export type Meeting = Selectable<ScrutinyMeetingsTable>
export type AgendaItem = Selectable<ScrutinyAgendaItemsTable>
export type Item = Selectable<ScrutinyItemsTable>
export type WorkItem = Selectable<ScrutinyWorkItemsTable>
export type ScrutinyEvent = Selectable<ScrutinyEventsTable>
