import type { Generated, Selectable } from 'kysely'
import type { CreatedAt, Json, Timestamp } from '../../db/schema.ts'

export type Decision = 'positive' | 'negative'

export interface NrmReferralsTable {
  id: Generated<string>
  person_id: string
  referred_on: string
  first_responder_agency_id: string
  reference: string | null
  exploitation_types: Json<string[]>
  rg_decision: Decision | null
  rg_decision_on: string | null
  cg_decision: Decision | null
  cg_decision_on: string | null
  notes: string | null
  created_by: string | null
  created_at: CreatedAt
  updated_by: string | null
  updated_at: Timestamp
  version: Generated<number>
  voided_at: Timestamp | null
  voided_by: string | null
  void_reason: string | null
}

export interface CawnsTable {
  id: Generated<string>
  person_id: string
  adult_id: string
  served_on: string
  expires_on: string
  served_by_agency_id: string | null
  reference: string | null
  notes: string | null
  created_by: string | null
  created_at: CreatedAt
  updated_by: string | null
  updated_at: Timestamp
  version: Generated<number>
}

export interface CawnBreachesTable {
  id: Generated<string>
  cawn_id: string
  occurred_on: string
  description: string
  action_taken: string | null
  created_by: string | null
  created_at: CreatedAt
}

declare module '../../db/schema.ts' {
  interface Database {
    nrm_referrals: NrmReferralsTable
    cawns: CawnsTable
    cawn_breaches: CawnBreachesTable
  }
}

export type NrmReferral = Selectable<NrmReferralsTable>
export type Cawn = Selectable<CawnsTable>
