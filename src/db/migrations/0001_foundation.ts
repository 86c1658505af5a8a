import { statements } from '../migration.ts'

export default statements(
  `create table areas (
     id uuid primary key default gen_random_uuid(),
     code text not null unique,
     name text not null unique,
     kind text not null check (kind in ('county','district','unitary','london_borough','metropolitan','force')),
     parent_id uuid references areas(id),
     created_at timestamptz not null default now()
   )`,
  `create table agencies (
     id uuid primary key default gen_random_uuid(),
     name text not null unique,
     short_name text not null,
     kind text not null check (kind in ('county_council','district_council','unitary_council','police','health','education','youth_justice','voluntary','oversight','other')),
     area_id uuid references areas(id),
     active boolean not null default true,
     created_at timestamptz not null default now()
   )`,
  `create table teams (
     id uuid primary key default gen_random_uuid(),
     agency_id uuid not null references agencies(id),
     name text not null,
     active boolean not null default true,
     created_at timestamptz not null default now(),
     unique (agency_id, name)
   )`,
  `create table roles (
     id text primary key,
     name text not null,
     description text not null,
     sees_personal_data boolean not null
   )`,
  `create table role_permissions (
     role_id text not null references roles(id),
     permission text not null,
     primary key (role_id, permission)
   )`,
  `create table users (
     id uuid primary key default gen_random_uuid(),
     email text not null,
     name text not null,
     agency_id uuid not null references agencies(id),
     team_id uuid references teams(id),
     role text not null references roles(id),
     password_hash text,
     oidc_subject text unique,
     active boolean not null default true,
     demo_account boolean not null default false,
     failed_attempts integer not null default 0,
     locked_until timestamptz,
     last_sign_in_at timestamptz,
     created_at timestamptz not null default now(),
     updated_at timestamptz not null default now()
   )`,
  `create unique index users_email_key on users (lower(email))`,
  `create table settings (
     key text primary key,
     value text not null,
     updated_at timestamptz not null default now()
   )`,
  `create table sessions (
     sid text primary key,
     data jsonb not null,
     expires_at timestamptz not null
   )`,
  `create index sessions_expires_at on sessions (expires_at)`,
  `create table record_shares (
     id uuid primary key default gen_random_uuid(),
     record_type text not null,
     record_id uuid not null,
     agency_id uuid references agencies(id),
     user_id uuid references users(id),
     granted_by uuid references users(id),
     granted_at timestamptz not null default now(),
     revoked_at timestamptz,
     check ((agency_id is null) <> (user_id is null))
   )`,
  `create index record_shares_record on record_shares (record_type, record_id) where revoked_at is null`,
  `create table break_glass (
     id uuid primary key default gen_random_uuid(),
     user_id uuid not null references users(id),
     record_type text not null,
     record_id uuid not null,
     reason text not null check (length(trim(reason)) >= 10),
     granted_at timestamptz not null default now(),
     expires_at timestamptz not null
   )`,
  `create index break_glass_lookup on break_glass (user_id, record_type, record_id, expires_at)`,
  `create table audit_events (
     id bigint generated always as identity primary key,
     at timestamptz not null default now(),
     user_id uuid,
     user_email text,
     agency_id uuid,
     action text not null,
     record_type text,
     record_id text,
     request_id text,
     method text,
     path text,
     reason text,
     details jsonb
   )`,
  `create index audit_events_at on audit_events (at desc)`,
  `create index audit_events_record on audit_events (record_type, record_id, at desc)`,
  `create index audit_events_user on audit_events (user_id, at desc)`,
  // The audit trail is append-only for everyone, the application's own database user included:
  // a trigger refuses any UPDATE or DELETE, and TRUNCATE is refused by a statement trigger.
  `create function audit_events_append_only() returns trigger language plpgsql as $$
   begin
     raise exception 'audit_events is append-only: % is not allowed', tg_op using errcode = 'insufficient_privilege';
   end
   $$`,
  `create trigger audit_events_no_update_delete before update or delete on audit_events
     for each row execute function audit_events_append_only()`,
  `create trigger audit_events_no_truncate before truncate on audit_events
     for each statement execute function audit_events_append_only()`,
  `insert into roles (id, name, description, sees_personal_data) values
     ('practitioner', 'Practitioner', 'Social worker, police officer, health, education or youth justice worker holding cases', true),
     ('manager', 'Team manager', 'Manages a team; confirms Red ratings and merges of conflicting records', true),
     ('analyst', 'Analyst', 'Intelligence and performance analysis across the partnership', true),
     ('partnership_officer', 'Partnership officer', 'Community safety partnership: indicators, strategy, public content, scrutiny support', false),
     ('panel_member', 'Panel member', 'Member of a scrutiny panel or committee: aggregates and the tracker only', false),
     ('administrator', 'Administrator', 'Manages agencies, teams, users and the audit trail', false)`,
  `insert into role_permissions (role_id, permission) values
     ('practitioner','person:view'), ('practitioner','person:create'), ('practitioner','person:edit'),
     ('practitioner','person:search'), ('practitioner','person:share'), ('practitioner','register:view'),
     ('practitioner','assessment:create'), ('practitioner','network:view'), ('practitioner','operation:edit'),
     ('practitioner','indicators:view'), ('practitioner','scrutiny:view'), ('practitioner','break-glass'),
     ('manager','person:view'), ('manager','person:create'), ('manager','person:edit'), ('manager','person:search'),
     ('manager','person:share'), ('manager','person:export'), ('manager','register:view'), ('manager','team:view'),
     ('manager','assessment:create'), ('manager','assessment:confirm-red'), ('manager','network:view'),
     ('manager','operation:edit'), ('manager','linkage:merge'), ('manager','linkage:confirm-merge'),
     ('manager','reports:triage'), ('manager','aggregates:view'), ('manager','indicators:view'),
     ('manager','scrutiny:view'), ('manager','break-glass'),
     ('analyst','person:view'), ('analyst','person:search'), ('analyst','person:export'), ('analyst','register:view'),
     ('analyst','network:view'), ('analyst','network:edit'), ('analyst','network:export'), ('analyst','operation:edit'),
     ('analyst','linkage:run'), ('analyst','linkage:merge'), ('analyst','reports:triage'), ('analyst','aggregates:view'),
     ('analyst','indicators:view'), ('analyst','indicators:edit'), ('analyst','indicators:import'),
     ('analyst','scrutiny:view'), ('analyst','break-glass'),
     ('partnership_officer','aggregates:view'), ('partnership_officer','indicators:view'),
     ('partnership_officer','indicators:edit'), ('partnership_officer','indicators:import'),
     ('partnership_officer','strategy:edit'), ('partnership_officer','report:publish'),
     ('partnership_officer','reports:triage'), ('partnership_officer','content:edit'),
     ('partnership_officer','scrutiny:view'), ('partnership_officer','scrutiny:edit'),
     ('partnership_officer','scrutiny:respond'),
     ('panel_member','aggregates:view'), ('panel_member','indicators:view'), ('panel_member','scrutiny:view'),
     ('administrator','admin:users'), ('administrator','admin:agencies'), ('administrator','admin:audit'),
     ('administrator','admin:config'), ('administrator','admin:api-tokens'), ('administrator','aggregates:view')`,
)
