import { statements } from '../migration.ts'

/**
 * Phone data (issue 17): call data records imported from CSV, numbers attributed to network
 * entities over dates, and likely successors of a closed deal line flagged for an analyst.
 *
 * Call records are intelligence: row-level security on every table is migration 0780 (the
 * application role and its functions come in the 07xx range, after these tables on a new install).
 */
export default statements(
  `create table call_imports (
     id uuid primary key default gen_random_uuid(),
     file_name text not null,
     owner_agency_id uuid not null references agencies(id),
     grade_handling text not null check (grade_handling in ('P', 'C')),
     handling_conditions text,
     calls integer not null default 0,
     first_call timestamptz,
     last_call timestamptz,
     imported_by uuid references users(id),
     imported_at timestamptz not null default now(),
     check (grade_handling = 'P' or handling_conditions is not null)
   )`,
  `create table call_import_agencies (
     import_id uuid not null references call_imports(id),
     agency_id uuid not null references agencies(id),
     -- The import's holder, copied so that need-to-know on this table never reads call_imports
     -- (whose own policy reads this table).
     owner_agency_id uuid not null references agencies(id),
     primary key (import_id, agency_id)
   )`,
  `create table call_records (
     id bigint generated always as identity primary key,
     import_id uuid not null references call_imports(id),
     owner_agency_id uuid not null references agencies(id),
     caller text not null check (caller ~ '^\\+[1-9][0-9]{6,14}$'),
     callee text not null check (callee ~ '^\\+[1-9][0-9]{6,14}$'),
     started_at timestamptz not null,
     duration_seconds integer not null check (duration_seconds >= 0),
     cell_site text
   )`,
  `create index call_records_caller on call_records (caller, started_at)`,
  `create index call_records_callee on call_records (callee, started_at)`,
  `create index call_records_import on call_records (import_id)`,
  `create table number_attributions (
     id uuid primary key default gen_random_uuid(),
     number text not null check (number ~ '^\\+[1-9][0-9]{6,14}$'),
     entity_id uuid not null references network_entities(id),
     from_date date not null,
     to_date date,
     basis text not null,
     owner_agency_id uuid not null references agencies(id),
     recorded_by uuid references users(id),
     recorded_at timestamptz not null default now(),
     check (to_date is null or from_date <= to_date)
   )`,
  `create index number_attributions_number on number_attributions (number)`,
  `create index number_attributions_entity on number_attributions (entity_id)`,
  `create table line_successor_flags (
     id uuid primary key default gen_random_uuid(),
     line_entity_id uuid not null references network_entities(id),
     owner_agency_id uuid not null references agencies(id),
     closed_on date not null,
     number text not null,
     score double precision not null,
     contacts double precision not null,
     places double precision not null,
     hours double precision not null,
     shared_contacts integer not null,
     calls integer not null,
     first_call timestamptz not null,
     status text not null default 'pending' check (status in ('pending', 'accepted', 'rejected')),
     decided_by uuid references users(id),
     decided_at timestamptz,
     decision_reason text,
     created_at timestamptz not null default now(),
     unique (line_entity_id, owner_agency_id, number)
   )`,
)
