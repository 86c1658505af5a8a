import { statements } from '../migration.ts'

/**
 * Network intelligence: entities (a person entity references the register's `people` row, never a
 * copy), graded links between any two entities (never deleted: closed or marked wrong with a
 * reason), the agencies that may see a link handled under condition C, and joint operations.
 */
export default statements(
  `create table network_entities (
     id uuid primary key default gen_random_uuid(),
     kind text not null check (kind in ('person', 'line', 'location', 'vehicle', 'group')),
     person_id uuid unique references people(id),
     label text not null default '',
     phone_number text,
     line_name text,
     location_type text check (location_type in ('home', 'cuckooed_address', 'trap_house', 'hotspot', 'school', 'hotel', 'other')),
     address text,
     postcode text,
     registration text,
     vehicle_description text,
     group_type text check (group_type in ('gang', 'ocg', 'other')),
     area_id uuid references areas(id),
     description text,
     owner_agency_id uuid not null references agencies(id),
     created_by uuid references users(id),
     created_at timestamptz not null default now(),
     updated_by uuid references users(id),
     updated_at timestamptz not null default now(),
     version integer not null default 1,
     check ((kind = 'person') = (person_id is not null))
   )`,
  `create index network_entities_kind on network_entities (kind)`,
  `create index network_entities_owner on network_entities (owner_agency_id)`,
  `create table network_links (
     id uuid primary key default gen_random_uuid(),
     source_id uuid not null references network_entities(id),
     target_id uuid not null references network_entities(id),
     type text not null check (type in ('associates_with', 'runs', 'holds_phone', 'found_at', 'lives_at', 'exploits', 'member_of', 'uses_vehicle', 'supplies', 'operates_in')),
     directed boolean not null default false,
     first_seen date,
     last_seen date,
     source_agency_id uuid not null references agencies(id),
     basis text not null,
     grade_source smallint not null check (grade_source between 1 and 3),
     grade_assessment text not null check (grade_assessment in ('A', 'B', 'C', 'D', 'E')),
     grade_handling text not null check (grade_handling in ('P', 'C')),
     handling_conditions text,
     status text not null default 'open' check (status in ('open', 'closed', 'wrong')),
     status_reason text,
     status_changed_by uuid references users(id),
     status_changed_at timestamptz,
     created_by uuid references users(id),
     created_at timestamptz not null default now(),
     check (source_id <> target_id),
     check (first_seen is null or last_seen is null or first_seen <= last_seen),
     check (status = 'open' or status_reason is not null)
   )`,
  `create index network_links_source on network_links (source_id)`,
  `create index network_links_target on network_links (target_id)`,
  `create table network_link_agencies (
     link_id uuid not null references network_links(id),
     agency_id uuid not null references agencies(id),
     primary key (link_id, agency_id)
   )`,
  `create table operations (
     id uuid primary key default gen_random_uuid(),
     name text not null,
     lead_agency_id uuid not null references agencies(id),
     status text not null default 'planned' check (status in ('planned', 'active', 'concluded')),
     started_on date not null,
     ended_on date,
     summary text not null default '',
     created_by uuid references users(id),
     created_at timestamptz not null default now(),
     updated_at timestamptz not null default now(),
     version integer not null default 1,
     check (ended_on is null or ended_on >= started_on)
   )`,
  `create unique index operations_name_key on operations (lower(name))`,
  `create table operation_partners (
     operation_id uuid not null references operations(id),
     agency_id uuid not null references agencies(id),
     primary key (operation_id, agency_id)
   )`,
  `create table operation_targets (
     operation_id uuid not null references operations(id),
     entity_id uuid not null references network_entities(id),
     added_at timestamptz not null default now(),
     primary key (operation_id, entity_id)
   )`,
  `create table operation_activities (
     id uuid primary key default gen_random_uuid(),
     operation_id uuid not null references operations(id),
     kind text not null check (kind in ('warrant', 'arrest', 'seizure', 'safeguarding_visit', 'closure_order', 'cawn', 'nrm_referral', 'line_closure')),
     occurred_on date not null,
     entity_id uuid references network_entities(id),
     seized_item text check (seized_item in ('drugs', 'cash', 'weapon')),
     item_description text,
     quantity numeric,
     unit text,
     description text not null default '',
     recorded_by uuid references users(id),
     recorded_at timestamptz not null default now(),
     check ((kind = 'seizure') = (seized_item is not null))
   )`,
  `create index operation_activities_op on operation_activities (operation_id, occurred_on)`,
  `create table operation_outcomes (
     id uuid primary key default gen_random_uuid(),
     operation_id uuid not null references operations(id),
     entity_id uuid not null references network_entities(id),
     kind text not null check (kind in ('charge', 'conviction')),
     offence text not null,
     modern_slavery boolean not null default false,
     occurred_on date not null,
     sentence text,
     recorded_by uuid references users(id),
     recorded_at timestamptz not null default now()
   )`,
  `create index operation_outcomes_op on operation_outcomes (operation_id)`,
)
