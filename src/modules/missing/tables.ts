import type { ColumnType, Generated, Selectable } from 'kysely'
import type { CreatedAt, Json, Timestamp } from '../../db/schema.ts'
import type { SeriousReason } from './rules.ts'

export type FoundBy = 'police' | 'parent_or_carer' | 'returned_themselves' | 'professional' | 'other'

export interface MissingEpisodesTable {
  id: Generated<string>
  person_id: string
  reported_missing_at: Timestamp
  missing_from_area_id: string | null
  police_reference: string | null
  found_at: Timestamp | null
  found_area_id: string | null
  found_location: string | null
  found_out_of_area: Generated<boolean>
  found_by: FoundBy | null
  found_by_detail: string | null
  concerns: Json<string[]>
  notes: string | null
  rhi_offered_at: Timestamp | null
  rhi_held_at: Timestamp | null
  rhi_held_by: string | null
  rhi_agency_id: string | null
  rhi_declined: Generated<boolean>
  rhi_notes: string | null
  created_by: string | null
  created_at: CreatedAt
  updated_by: string | null
  updated_at: Timestamp
  version: Generated<number>
  voided_at: Timestamp | null
  voided_by: string | null
  void_reason: string | null
  /** Why the episode is serious (rules.ts, `seriousReasons`), as saved. */
  serious_reasons: ColumnType<SeriousReason[], string | undefined, string>
  /** When the episode first prompted a review with its present reasons; null when not serious. */
  review_prompted_at: Timestamp | null
}

declare module '../../db/schema.ts' {
  interface Database {
    missing_episodes: MissingEpisodesTable
  }
}

export type MissingEpisode = Selectable<MissingEpisodesTable>
