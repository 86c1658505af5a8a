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
}

declare module '../../db/schema.ts' {
  interface Database {
    people: PeopleTable
    person_notes: PersonNotesTable
    person_aliases: PersonAliasesTable
    person_identifiers: PersonIdentifiersTable
    person_addresses: PersonAddressesTable
    person_events: PersonEventsTable
  }
}

export type Person = Selectable<PeopleTable>
