import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely'

/**
 * Table types. Each capability adds its own tables to `Database` from its module's `tables.ts`
 * by declaration merging, so this file only holds the foundation's.
 */
export type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>
export type CreatedAt = ColumnType<Date, Date | string | undefined, never>
export type Json<T = unknown> = ColumnType<T, string | T, string | T>

export interface AreasTable {
  id: Generated<string>
  code: string
  name: string
  kind: 'county' | 'district' | 'unitary' | 'london_borough' | 'metropolitan' | 'force'
  parent_id: string | null
  /** Whether the area is the partnership's own (offered on the public form) or a neighbour. */
  in_partnership: Generated<boolean>
  population: number | null
  created_at: CreatedAt
}

export interface AgenciesTable {
  id: Generated<string>
  name: string
  short_name: string
  kind: 'county_council' | 'district_council' | 'unitary_council' | 'police' | 'health' | 'education' | 'youth_justice' | 'voluntary' | 'oversight' | 'other'
  area_id: string | null
  active: Generated<boolean>
  /** Whether the agency holds personal data and so may receive shares (oversight bodies do not). */
  holds_personal_data: Generated<boolean>
  created_at: CreatedAt
}

export interface TeamsTable {
  id: Generated<string>
  agency_id: string
  name: string
  active: Generated<boolean>
  created_at: CreatedAt
}

export interface UsersTable {
  id: Generated<string>
  email: string
  name: string
  agency_id: string
  team_id: string | null
  role: string
  password_hash: string | null
  oidc_subject: string | null
  /** The OpenID Connect issuer `oidc_subject` belongs to (null: bound before issuers were kept). */
  oidc_issuer: string | null
  /** Base32 TOTP secret once the person has confirmed it with a code (see src/auth/totp.ts). */
  totp_secret: string | null
  totp_enabled_at: Timestamp | null
  /** The last TOTP time step accepted, so no code is accepted twice. */
  totp_last_step: string | null
  active: Generated<boolean>
  demo_account: Generated<boolean>
  failed_attempts: Generated<number>
  locked_until: Timestamp | null
  last_sign_in_at: Timestamp | null
  created_at: CreatedAt
  updated_at: Timestamp
}

export interface RecoveryCodesTable {
  id: Generated<string>
  user_id: string
  code_hash: string
  created_at: CreatedAt
  used_at: Timestamp | null
}

/** Failed sign-ins per key (src/auth/throttle.ts): hashes only, never an address or email in clear. */
export interface SignInThrottleTable {
  key: string
  account_hash: string | null
  failures: Generated<number>
  last_failure_at: Timestamp | null
  /** Set on the pair of an account and an address that signed in: a known address (throttle.ts). */
  last_success_at: Timestamp | null
  /** Attempts this counter refused since the last audit row about them (throttle.ts). */
  refused: Generated<number>
  reported_at: Timestamp | null
  last_refused_at: Timestamp | null
}

export interface RolesTable {
  id: string
  name: string
  description: string
  sees_personal_data: boolean
}

export interface RolePermissionsTable {
  role_id: string
  permission: string
}

export interface SettingsTable {
  key: string
  value: string
  updated_at: Generated<Date>
}

export interface SessionsTable {
  sid: string
  data: Json<Record<string, unknown>>
  expires_at: Timestamp
}

export interface RecordSharesTable {
  id: Generated<string>
  record_type: string
  record_id: string
  agency_id: string | null
  user_id: string | null
  granted_by: string | null
  granted_at: CreatedAt
  revoked_at: Timestamp | null
  /** The terms of the share (null only on shares made before terms were recorded). */
  purpose: string | null
  legal_basis: LegalBasis | null
  review_on: ColumnType<string | null, string | null | undefined, string | null>
  /** The share stops giving access at this instant (the database's clock). */
  expires_at: Timestamp | null
  revoked_by: string | null
  revoke_reason: string | null
}

/** The lawful bases a share or a request for access may name (labels in src/modules/sharing). */
export type LegalBasis = 'children_act_1989_s17' | 'children_act_1989_s47' | 'crime_and_disorder_act_1998_s115' | 'dpa_2018_sch8_safeguarding' | 'working_together_2023' | 'consent'

export interface AccessRequestsTable {
  id: Generated<string>
  record_type: string
  record_id: string
  owner_agency_id: string
  requested_by: string
  requester_agency_id: string
  purpose: string
  legal_basis: LegalBasis
  requested_at: CreatedAt
  status: Generated<'pending' | 'accepted' | 'declined'>
  decided_by: string | null
  decided_at: Timestamp | null
  decline_reason: string | null
  share_id: string | null
}

export interface BreakGlassTable {
  id: Generated<string>
  user_id: string
  record_type: string
  record_id: string
  reason: string
  granted_at: CreatedAt
  expires_at: Timestamp
  /** The agency that owns the record, told of the access and named in the review list. */
  owner_agency_id: string | null
  reviewed_by: string | null
  reviewed_at: Timestamp | null
  review_outcome: 'appropriate' | 'not_appropriate' | null
  review_note: string | null
}

export interface AuditEventsTable {
  id: Generated<number>
  at: CreatedAt
  user_id: string | null
  user_email: string | null
  agency_id: string | null
  action: string
  record_type: string | null
  record_id: string | null
  request_id: string | null
  method: string | null
  path: string | null
  reason: string | null
  details: Json<Record<string, unknown>> | null
  /** The personal API token the event was made with (migration 0008). */
  token_id: string | null
  token_name: string | null
  /** The row's place in the hash chain and its hash, both set by the insert trigger (migration 0008). */
  chain_seq: Generated<number>
  hash: Generated<string>
}

/** The job queue (migration 0730, src/db/job-queue.ts). */
export interface JobsTable {
  id: Generated<string>
  name: string
  payload: ColumnType<Record<string, unknown>, string | undefined, string>
  status: Generated<'queued' | 'running' | 'done' | 'failed'>
  attempts: Generated<number>
  max_attempts: Generated<number>
  run_after: Timestamp
  singleton_key: ColumnType<string | null, string | null | undefined, string | null>
  locked_by: ColumnType<string | null, string | null | undefined, string | null>
  locked_at: ColumnType<Date | null, Date | null | undefined, Date | null>
  last_error: ColumnType<string | null, string | null | undefined, string | null>
  created_at: CreatedAt
  finished_at: ColumnType<Date | null, Date | null | undefined, Date | null>
}

export interface Database {
  jobs: JobsTable
  areas: AreasTable
  agencies: AgenciesTable
  teams: TeamsTable
  users: UsersTable
  roles: RolesTable
  role_permissions: RolePermissionsTable
  sessions: SessionsTable
  recovery_codes: RecoveryCodesTable
  sign_in_throttle: SignInThrottleTable
  settings: SettingsTable
  record_shares: RecordSharesTable
  /** record_shares that give access now: not revoked, not expired (a view). */
  live_record_shares: RecordSharesTable
  access_requests: AccessRequestsTable
  break_glass: BreakGlassTable
  audit_events: AuditEventsTable
}

export type User = Selectable<UsersTable>
export type NewUser = Insertable<UsersTable>
export type UserUpdate = Updateable<UsersTable>
export type Agency = Selectable<AgenciesTable>
export type Team = Selectable<TeamsTable>
export type Area = Selectable<AreasTable>
export type AuditEvent = Selectable<AuditEventsTable>
