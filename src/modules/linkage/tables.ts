import type { Generated, Selectable } from 'kysely'
import type { CreatedAt, Json, Timestamp } from '../../db/schema.ts'

export type MergeStatus = 'pending' | 'completed' | 'undone' | 'declined'

export interface MergeConflict {
  /** A date of birth, a sex, or a strong identifier's scheme (nhs_number, police_nominal, upn). */
  field: 'date_of_birth' | 'gender' | 'nhs_number' | 'police_nominal' | 'upn'
  survivor: string | null
  merged: string | null
}

/** An agency whose record a merge touches, and whether it has agreed (migration 0304). */
export interface LinkageMergeAgreementsTable {
  merge_id: string
  agency_id: string
  agreed_by: string | null
  agreed_at: Timestamp | null
}

/** The merged record's own columns that a merge changes, kept so an unmerge puts them back exactly. */
export interface MergedBefore {
  merged_into: string | null
  version: number
  updated_at: string
}

export interface LinkageMergesTable {
  id: Generated<string>
  survivor_id: string
  merged_id: string
  status: MergeStatus
  conflicts: Json<MergeConflict[]>
  reason: string | null
  requested_by: string
  requested_at: CreatedAt
  decided_by: string | null
  decided_at: Timestamp | null
  decision_note: string | null
  completed_at: Timestamp | null
  undone_by: string | null
  undone_at: Timestamp | null
  undo_reason: string | null
  merged_before: Json<MergedBefore> | null
}

export interface LinkageMergeMovesTable {
  id: Generated<number>
  merge_id: string
  table_name: string
  column_name: string
  row_key: Json<Record<string, unknown>>
  old_value: string | null
  new_value: string | null
  action: Generated<'moved' | 'inserted'>
}

export interface LinkageNotSameTable {
  id: Generated<string>
  person_a: string
  person_b: string
  reason: string | null
  recorded_by: string
  recorded_at: CreatedAt
}

/** A reviewer's decision on a pair: the same person, not the same, or not sure (for a second opinion). */
export type PairDecision = 'accepted' | 'rejected' | 'unsure'

export type RunKind = 'dedupe' | 'link' | 'register' | 'people'

export interface LinkageRunsTable {
  id: Generated<string>
  name: string
  kind: RunKind
  left_name: string
  right_name: string | null
  id_column: string
  mapping: Json<Record<string, string>>
  settings: Json<unknown>
  model: Json<unknown>
  review_from: number
  match_from: number
  left_rows: number
  right_rows: number | null
  candidate_pairs: number
  blocking: Json<unknown>
  match_pairs: number
  review_pairs: number
  seconds: number | null
  created_by: string
  agency_id: string
  created_at: CreatedAt
}

export interface LinkageRunPairsTable {
  id: Generated<string>
  run_id: string
  id_left: string
  id_right: string
  probability: number
  match_weight: number
  band: 'match' | 'review'
  record_left: Json<Record<string, string>>
  record_right: Json<Record<string, string>>
  explanation: Json<unknown>
  person_left: string | null
  person_right: string | null
  decision: PairDecision | null
  decided_by: string | null
  decided_at: Timestamp | null
}

export interface LinkageEntryModelTable {
  id: string
  model: Json<unknown>
  trained_on: number
  created_at: CreatedAt
}

/** Written by triggers (migration 0302): a person whose details the match index reads changed. */
export interface LinkageEntryChangesTable {
  id: Generated<number>
  person_id: string
  txid: Generated<string>
  at: CreatedAt
}

export interface LinkageUploadsTable {
  id: Generated<string>
  user_id: string
  name: string
  kind: RunKind
  left_name: string
  left_csv: string
  right_name: string | null
  right_csv: string | null
  created_at: CreatedAt
}

declare module '../../db/schema.ts' {
  interface Database {
    linkage_uploads: LinkageUploadsTable
    linkage_merges: LinkageMergesTable
    linkage_merge_moves: LinkageMergeMovesTable
    linkage_merge_agreements: LinkageMergeAgreementsTable
    linkage_not_same: LinkageNotSameTable
    linkage_runs: LinkageRunsTable
    linkage_run_pairs: LinkageRunPairsTable
    linkage_entry_model: LinkageEntryModelTable
    linkage_entry_changes: LinkageEntryChangesTable
  }
}

export type LinkageMerge = Selectable<LinkageMergesTable>
export type LinkageRun = Selectable<LinkageRunsTable>
export type LinkageRunPair = Selectable<LinkageRunPairsTable>
