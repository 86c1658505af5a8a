import { sql, type RawBuilder } from 'kysely'
import { containsPattern } from '../../db/like.ts'
import type { ItemKind, ItemStatus, Rag, RequestType } from './tables.ts'

/**
 * Which items a reader sees (restricted items never reach the public) and how the tracker reckons
 * their dates, as SQL fragments that every scrutiny store query shares.
 */

/** Who may see restricted items: public readers never; staff of the body, its support or the addressee. */
export type Visibility = { public: true } | { public: false; agencyId: string }

export interface TrackerFilter {
  bodyIds?: string[]
  meetingId?: string
  kinds?: ItemKind[]
  statuses?: ItemStatus[]
  /** The RAG shown (red when overdue). */
  rags?: (Rag | 'none')[]
  overdueOnly?: boolean
  openOnly?: boolean
  addresseeAgencyId?: string
  q?: string
  ids?: string[]
}

export interface TrackerRow {
  id: string
  body_id: string
  body_code: string
  body_name: string
  body_slug: string
  body_public: boolean
  reminder_days: number
  response_days: number
  meeting_id: string
  meeting_date: string
  meeting_title: string
  agenda_item_id: string | null
  agenda_item_title: string | null
  kind: ItemKind
  request_type: RequestType | null
  municipal_year: string
  number: number
  title: string
  text: string
  addressee: string
  addressee_agency_id: string | null
  addressee_agency_name: string | null
  addressee_email: string | null
  proposed_by: string | null
  seconded_by: string | null
  sent_on: string | null
  response_due: string | null
  answered_on: string | null
  status: ItemStatus
  status_reason: string | null
  rag: Rag | null
  restricted: boolean
  version: number
  status_changed_at: Date
  status_changed_by_name: string | null
  first_response_on: string | null
  response_count: number
  latest_response_on: string | null
  latest_response_text: string | null
  latest_response_by: string | null
  created_at: Date
  body_agency_id: string | null
  body_support_agency_id: string | null
}

/** SQL: the item still waits for its answer (mirrors domain.awaitingResponse). */
export const awaiting = sql<boolean>`(i.status not in ('implemented','not_accepted','answered','closed')
  and case when i.kind = 'request' then i.answered_on is null
      else not exists (select 1 from scrutiny_responses r0 where r0.item_id = i.id) end)`

/** SQL: the date the response is due (mirrors domain.dueDate); needs the item's meeting `m` and body `b`. */
export const dueSql = sql<string | null>`coalesce(i.response_due, (coalesce(i.sent_on, m.meeting_date) + nullif(b.response_days, 0))::date)`

/** SQL: overdue on `today` (mirrors domain.isOverdue). */
export function overdueSql(today: string): RawBuilder<boolean> {
  return sql<boolean>`(${dueSql} is not null and ${dueSql} < ${today}::date and ${awaiting})`
}

export const restrictedSql = sql<boolean>`(i.restricted or coalesce(ai.restricted, false))`

export function visibilitySql(v: Visibility): RawBuilder<boolean> {
  if (v.public) return sql<boolean>`(b.public and not ${restrictedSql})`
  return sql<boolean>`(not ${restrictedSql} or b.agency_id = ${v.agencyId} or b.support_agency_id = ${v.agencyId} or i.addressee_agency_id = ${v.agencyId})`
}

/** SQL: the items a tracker filter selects, as this reader may see them. */
export function trackerWhere(filter: TrackerFilter, visibility: Visibility, today: string) {
  const where: RawBuilder<unknown>[] = [visibilitySql(visibility)]
  if (filter.bodyIds?.length) where.push(sql`i.body_id in (${sql.join(filter.bodyIds)})`)
  if (filter.ids?.length) where.push(sql`i.id in (${sql.join(filter.ids)})`)
  if (filter.meetingId) where.push(sql`i.meeting_id = ${filter.meetingId}`)
  if (filter.kinds?.length) where.push(sql`i.kind in (${sql.join(filter.kinds)})`)
  if (filter.statuses?.length) where.push(sql`i.status in (${sql.join(filter.statuses)})`)
  if (filter.addresseeAgencyId) where.push(sql`i.addressee_agency_id = ${filter.addresseeAgencyId}`)
  if (filter.openOnly) where.push(sql`i.status <> 'closed'`)
  if (filter.overdueOnly) where.push(overdueSql(today))
  if (filter.rags?.length) {
    const shown = sql`(case when ${overdueSql(today)} then 'red' else coalesce(i.rag, 'none') end)`
    where.push(sql`${shown} in (${sql.join(filter.rags)})`)
  }
  if (filter.q) {
    const like = containsPattern(filter.q)
    where.push(sql`(i.title ilike ${like} or i.text ilike ${like} or i.addressee ilike ${like})`)
  }
  return sql.join(where, sql` and `)
}
