import type { ColumnType, Generated } from 'kysely'
import type { CreatedAt } from '../../db/schema.ts'

export type NotificationKind = 'missing-reported' | 'missing-found' | 'rhi-due' | 'red-awaiting' | 'note-added' | 'intelligence-added' | 'watch-hit' | 'review-prompted' | 'plan-action-assigned'
export type EmailChoice = 'off' | 'immediate' | 'daily'

type NullableTime = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>

export interface NotificationsTable {
  id: Generated<string>
  user_id: string
  kind: NotificationKind
  person_id: string | null
  entity_id: string | null
  text: string
  href: string
  event_key: string
  /** The record it was made from: its recipient reads it only while they may read that (0830). */
  source_table: 'missing_episodes' | 'person_notes' | 'risk_assessments' | 'network_links' | 'plan_actions'
  source_id: string
  created_at: CreatedAt
  read_at: NullableTime
  emailed_at: NullableTime
}

export interface NotificationSettingsTable {
  user_id: string
  email: Generated<EmailChoice>
  updated_at: Generated<Date>
}

export interface NetworkWatchesTable {
  user_id: string
  entity_id: string
  created_at: CreatedAt
}

export interface NotificationCursorsTable {
  source: string
  scanned_to: Date
}

declare module '../../db/schema.ts' {
  interface Database {
    notifications: NotificationsTable
    notification_settings: NotificationSettingsTable
    network_watches: NetworkWatchesTable
    notification_cursors: NotificationCursorsTable
  }
}
