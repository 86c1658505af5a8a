import type { Generated, Selectable } from 'kysely'
import type { CreatedAt, Json, Timestamp } from '../../db/schema.ts'

export type OperationStatus = 'planned' | 'active' | 'concluded'
export type ActivityKind = 'warrant' | 'arrest' | 'seizure' | 'safeguarding_visit' | 'safeguarding_referral' | 'closure_order' | 'cawn' | 'nrm_referral' | 'line_closure'
/** The Home Office's two kinds of county line closure (docs/joint-operations.md). */
export type LineClosureType = 1 | 2

export interface OperationsTable {
  id: Generated<string>
  name: string
  lead_agency_id: string
  status: Generated<OperationStatus>
  started_on: string
  ended_on: string | null
  summary: Generated<string>
  /** What the operation achieved, written when it is concluded. */
  conclusion: string | null
  concluded_by: string | null
  concluded_at: Timestamp | null
  created_by: string | null
  created_at: CreatedAt
  updated_at: Timestamp
  version: Generated<number>
}

export interface OperationPartnersTable {
  operation_id: string
  agency_id: string
}

export interface OperationTargetsTable {
  operation_id: string
  entity_id: string
  added_at: CreatedAt
  withdrawn_at: Timestamp | null
  withdrawn_by: string | null
  withdrawn_reason: string | null
}

export interface OperationActivitiesTable {
  id: Generated<string>
  operation_id: string
  kind: ActivityKind
  occurred_on: string
  entity_id: string | null
  seized_item: 'drugs' | 'cash' | 'weapon' | null
  item_description: string | null
  quantity: number | null
  unit: string | null
  description: Generated<string>
  /** On a line closure: type 1 (line holder charged) or type 2 (the number deactivated). */
  closure_type: LineClosureType | null
  /** On an NRM referral: the child's referral itself (src/modules/referrals). */
  nrm_referral_id: string | null
  recorded_by: string | null
  recorded_at: CreatedAt
  withdrawn_at: Timestamp | null
  withdrawn_by: string | null
  withdrawn_reason: string | null
  version: Generated<number>
}

export interface OperationOutcomesTable {
  id: Generated<string>
  operation_id: string
  entity_id: string
  kind: 'charge' | 'conviction'
  offence: string
  modern_slavery: Generated<boolean>
  occurred_on: string
  sentence: string | null
  recorded_by: string | null
  recorded_at: CreatedAt
  withdrawn_at: Timestamp | null
  withdrawn_by: string | null
  withdrawn_reason: string | null
  version: Generated<number>
}

export type OperationChangeKind = 'edited' | 'concluded' | 'reopened' | 'corrected' | 'withdrawn'

/** An operation's history: every edit, conclusion, reopening, correction and withdrawal, with why. */
export interface OperationChangesTable {
  id: Generated<string>
  operation_id: string
  kind: OperationChangeKind
  /** 'operation', 'activity', 'target' or 'outcome' (a charge or conviction). */
  record_type: 'operation' | 'activity' | 'target' | 'outcome'
  record_id: string
  /** The person or other entity the changed record concerns, for need-to-know. */
  entity_id: string | null
  reason: string | null
  /** The fields as they were before the change. */
  before: Json<Record<string, unknown>>
  changed_by: string | null
  changed_at: CreatedAt
}

declare module '../../db/schema.ts' {
  interface Database {
    operations: OperationsTable
    operation_partners: OperationPartnersTable
    operation_targets: OperationTargetsTable
    operation_activities: OperationActivitiesTable
    operation_outcomes: OperationOutcomesTable
    operation_changes: OperationChangesTable
  }
}

export type Operation = Selectable<OperationsTable>
