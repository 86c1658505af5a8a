import type { Generated, Selectable } from 'kysely'
import type { CreatedAt, Timestamp } from '../../db/schema.ts'

export type RagLevel = 'red' | 'amber' | 'green'
export type PersonKind = 'child' | 'adult'
export type Gender = 'female' | 'male' | 'non_binary' | 'other' | 'not_known'

export interface PeopleTable {
  id: Generated<string>
  kind: PersonKind
  given_name: string
  family_name: string
  preferred_name: string | null
  date_of_birth: string | null
  approximate_age: number | null
  gender: Generated<Gender>
  ethnicity: string | null
  home_area_id: string | null
  current_area_id: string | null
  school: string | null
  looked_after: Generated<boolean>
  care_leaver: Generated<boolean>
  send: Generated<boolean>
  learning_disability: Generated<boolean>
  owner_agency_id: string
  owner_team_id: string | null
  allocated_worker_id: string | null
  current_rag: RagLevel | null
  current_rag_at: Timestamp | null
  next_review_due: string | null
  merged_into: string | null
  /** When the record was closed (null while open): closed records are read-only. */
  closed_at: Timestamp | null
  closed_reason: string | null
  /** A legal hold keeps the record whole past its retention period. */
  legal_hold_reason: string | null
  legal_hold_by: string | null
  legal_hold_at: Timestamp | null
  /** When retention anonymised the record: only a stub for the indicator counts is left. */
  anonymised_at: Timestamp | null
  created_by: string | null
  created_at: CreatedAt
  updated_at: Timestamp
  version: Generated<number>
}

export interface PersonAliasesTable {
  id: Generated<string>
  person_id: string
  name: string
  kind: Generated<'alias' | 'nickname' | 'previous_name' | 'street_name'>
  created_at: CreatedAt
}

export interface PersonIdentifiersTable {
  id: Generated<string>
  person_id: string
  scheme: 'nhs_number' | 'council_case' | 'police_nominal' | 'upn' | 'other'
  value: string
  agency_id: string | null
  created_at: CreatedAt
}

export interface PersonAddressesTable {
  id: Generated<string>
  person_id: string
  address: string
  postcode: string | null
  area_id: string | null
  kind: Generated<'home' | 'placement' | 'temporary' | 'other'>
  from_date: string | null
  to_date: string | null
  created_at: CreatedAt
}

export interface PersonEventsTable {
  id: Generated<string>
  person_id: string
  at: Generated<Date>
  kind: string
  summary: string
  actor_id: string | null
  ref_type: string | null
  ref_id: string | null
  police_only: Generated<boolean>
}

export type NoteKind = 'visit' | 'direct_work' | 'contact' | 'meeting' | 'intelligence' | 'other'
export type NoteSensitivity = 'standard' | 'police_only'

export interface PersonNotesTable {
  id: Generated<string>
  person_id: string
  kind: NoteKind
  occurred_on: string
  body: string
  sensitivity: Generated<NoteSensitivity>
  author_id: string
  author_agency_id: string
  created_at: CreatedAt
  grade_source: '1' | '2' | '3' | null
  grade_assessment: 'A' | 'B' | 'C' | 'D' | 'E' | null
  grade_handling: 'P' | 'C' | null
  handling_conditions: string | null
  handling_agency_ids: Generated<string[]>
}

export interface PersonClosureRequestsTable {
  id: Generated<string>
  person_id: string
  action: 'close' | 'reopen'
  reason: string
  requested_by: string
  requested_at: Generated<Date>
  status: Generated<'pending' | 'approved' | 'declined'>
  decided_by: string | null
  decided_at: Timestamp | null
  decision_note: string | null
}

declare module '../../db/schema.ts' {
  interface Database {
    people: PeopleTable
    person_notes: PersonNotesTable
    person_aliases: PersonAliasesTable
    person_identifiers: PersonIdentifiersTable
    person_addresses: PersonAddressesTable
    person_events: PersonEventsTable
    person_closure_requests: PersonClosureRequestsTable
  }
}

export type Person = Selectable<PeopleTable>
