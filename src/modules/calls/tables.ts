import type { ColumnType, Generated } from 'kysely'
import type { CreatedAt } from '../../db/schema.ts'

type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>

export interface CallImportsTable {
  id: Generated<string>
  file_name: string
  owner_agency_id: string
  grade_handling: 'P' | 'C'
  handling_conditions: string | null
  calls: Generated<number>
  first_call: Nullable<Date>
  last_call: Nullable<Date>
  imported_by: string | null
  imported_at: CreatedAt
}

export interface CallImportAgenciesTable {
  import_id: string
  agency_id: string
  owner_agency_id: string
}

export interface CallRecordsTable {
  id: Generated<string>
  import_id: string
  owner_agency_id: string
  caller: string
  callee: string
  started_at: Date
  duration_seconds: number
  cell_site: string | null
}

export interface NumberAttributionsTable {
  id: Generated<string>
  number: string
  entity_id: string
  from_date: string
  to_date: string | null
  basis: string
  owner_agency_id: string
  recorded_by: string | null
  recorded_at: CreatedAt
}

export type SuccessorStatus = 'pending' | 'accepted' | 'rejected'

export interface LineSuccessorFlagsTable {
  id: Generated<string>
  line_entity_id: string
  owner_agency_id: string
  closed_on: string
  number: string
  score: number
  contacts: number
  places: number
  hours: number
  shared_contacts: number
  calls: number
  first_call: Date
  status: Generated<SuccessorStatus>
  decided_by: Nullable<string>
  decided_at: Nullable<Date>
  decision_reason: Nullable<string>
  created_at: CreatedAt
}

declare module '../../db/schema.ts' {
  interface Database {
    call_imports: CallImportsTable
    call_import_agencies: CallImportAgenciesTable
    call_records: CallRecordsTable
    number_attributions: NumberAttributionsTable
    line_successor_flags: LineSuccessorFlagsTable
  }
}
