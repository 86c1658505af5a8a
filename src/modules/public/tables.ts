import type { Generated, Selectable } from 'kysely'
import type { CreatedAt, Json, Timestamp } from '../../db/schema.ts'

export type ReportChannel = 'online' | 'phone_101' | 'crimestoppers' | 'other'
export type WhenHappened = 'now' | 'today' | 'week' | 'month' | 'longer' | 'ongoing'
export type ChildAtRisk = 'yes' | 'no' | 'not_sure'
export type TriageStatus = 'new' | 'in_progress' | 'closed'
export type Urgency = 'immediate' | 'high' | 'medium' | 'low'
export type TriageAction = 'police_intelligence' | 'safeguarding_referral' | 'no_further_action' | 'other'
export type ReportEventKind = 'assigned' | 'urgency' | 'note' | 'action' | 'linked' | 'unlinked' | 'closed' | 'reopened' | 'hold_placed' | 'hold_lifted'

/** A concern as the public (or a 101 / Crimestoppers forward) gave it. No timestamps: only the day. */
export interface PublicReportsTable {
  id: Generated<string>
  reference: string
  journey_token: string | null
  channel: ReportChannel
  external_reference: string | null
  import_id: string | null
  received_on: string
  what_happened: string
  where_happened: string | null
  area_id: string | null
  when_happened: WhenHappened | null
  when_detail: string | null
  who_involved: string | null
  child_at_risk: ChildAtRisk | null
  anything_else: string | null
  anonymous: boolean
  contact_name: string | null
  contact_phone: string | null
  contact_email: string | null
}

export interface PublicReportImportsTable {
  id: Generated<string>
  channel: Exclude<ReportChannel, 'online'>
  file_name: string
  row_count: number
  imported_by: string
  imported_at: CreatedAt
}

/** Staff's current view of a report; absent until someone first acts on it. */
export interface PublicReportTriageTable {
  report_id: string
  status: Generated<TriageStatus>
  urgency: Urgency | null
  assigned_to: string | null
  closed_at: Timestamp | null
  closed_by: string | null
  closing_summary: string | null
  updated_at: Generated<Date>
  updated_by: string | null
  /** A legal hold keeps a closed report beyond its retention period, whatever else applies. */
  legal_hold_reason: string | null
  legal_hold_by: string | null
  legal_hold_at: Timestamp | null
}

export interface PublicReportEventsTable {
  id: Generated<number>
  report_id: string
  kind: ReportEventKind
  user_id: string | null
  at: CreatedAt
  urgency: Urgency | null
  action: TriageAction | null
  note: string | null
  details: Json<Record<string, unknown>> | null
}

export interface PublicReportLinksTable {
  id: Generated<string>
  report_id: string
  entity_type: string
  entity_id: string
  note: string | null
  created_by: string | null
  created_at: CreatedAt
  removed_at: Timestamp | null
  removed_by: string | null
  removed_reason: string | null
}

/** What the indicators need of reports deleted at the end of their retention: counts, no report. */
export interface PublicReportRetainedCountsTable {
  /** First day of the month the reports were received. */
  month: string
  area_id: string | null
  channel: ReportChannel
  reports: number
}

export interface PublicPagesTable {
  id: Generated<string>
  path: string
  section: 'signs' | 'help'
  sort_order: Generated<number>
  current_version: Generated<number>
  created_at: CreatedAt
}

export interface PublicPageVersionsTable {
  id: Generated<string>
  page_id: string
  version: number
  title: string
  summary: string
  body: string
  change_note: string
  created_by: string | null
  created_at: CreatedAt
}

/** The hash of a reporter's receipt: the receipt itself is shown once and never stored. */
export interface PublicReportReceiptsTable {
  report_id: string
  receipt_hash: string
}

/** A question staff ask the reporter, read with the receipt. The day only, like the report. */
export interface PublicReportQuestionsTable {
  id: Generated<string>
  report_id: string
  text: string
  asked_on: string
  asked_by: string
}

/** What the reporter added later with the receipt: the day only, never a time. */
export interface PublicReportAdditionsTable {
  id: Generated<string>
  report_id: string
  position: number
  text: string
  added_on: string
}

declare module '../../db/schema.ts' {
  interface Database {
    public_reports: PublicReportsTable
    public_report_imports: PublicReportImportsTable
    public_report_triage: PublicReportTriageTable
    public_report_events: PublicReportEventsTable
    public_report_links: PublicReportLinksTable
    public_report_retained_counts: PublicReportRetainedCountsTable
    public_report_receipts: PublicReportReceiptsTable
    public_report_questions: PublicReportQuestionsTable
    public_report_additions: PublicReportAdditionsTable
    public_pages: PublicPagesTable
    public_page_versions: PublicPageVersionsTable
  }
}

export type PublicReport = Selectable<PublicReportsTable>
export type PublicPageVersion = Selectable<PublicPageVersionsTable>
