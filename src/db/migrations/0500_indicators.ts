import { statements } from '../migration.ts'

/**
 * Indicators, police.uk street-level crime, the partnership strategy and performance reports.
 *
 * `crimes` holds the police.uk rows as published (anonymised, public data); `crime_counts` the
 * monthly counts per force, area and category that the import refreshes. A month of one force is
 * the unit of replacement: re-importing it deletes and re-inserts that month in one transaction.
 */
export default statements(
  `create table police_uk_imports (
     id uuid primary key default gen_random_uuid(),
     started_at timestamptz not null default now(),
     finished_at timestamptz,
     user_id uuid references users(id),
     via text not null check (via in ('cli', 'web', 'demo')),
     files jsonb not null default '[]',
     months jsonb not null default '[]',
     rows integer not null default 0,
     replaced_rows integer not null default 0,
     duration_ms integer
   )`,
  `create table crimes (
     month date not null,
     crime_id text,
     reported_by text not null,
     falls_within text not null,
     longitude double precision,
     latitude double precision,
     location text,
     lsoa_code text,
     lsoa_name text,
     crime_type text not null,
     last_outcome text,
     context text,
     force_area_id uuid not null references areas(id),
     area_id uuid references areas(id),
     import_id uuid not null references police_uk_imports(id)
   )`,
  `create index crimes_force_month on crimes (force_area_id, month)`,
  `create table crime_counts (
     force_area_id uuid not null references areas(id),
     area_id uuid not null references areas(id),
     month date not null,
     category text not null,
     count integer not null check (count >= 0),
     primary key (force_area_id, area_id, month, category)
   )`,
  `create index crime_counts_series on crime_counts (category, area_id, month)`,
  `create table indicators (
     id uuid primary key default gen_random_uuid(),
     slug text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
     name text not null,
     definition text not null,
     unit text not null check (unit in ('count', 'percent', 'seconds', 'rate')),
     polarity text not null check (polarity in ('up_bad', 'up_good', 'neutral')),
     source_kind text not null check (source_kind in ('police_uk', 'lantern', 'manual')),
     source_key text,
     source_note text,
     frequency text not null check (frequency in ('month', 'quarter', 'year')),
     lag_days integer not null default 31 check (lag_days between 0 and 366),
     owner_agency_id uuid references agencies(id),
     owner text,
     headline boolean not null default false,
     active boolean not null default true,
     created_at timestamptz not null default now(),
     updated_at timestamptz not null default now(),
     check ((source_kind = 'manual') = (source_key is null))
   )`,
  `create unique index indicators_name on indicators (lower(name))`,
  `create table indicator_values (
     indicator_id uuid not null references indicators(id),
     area_id uuid not null references areas(id),
     period_start date not null,
     value numeric not null,
     note text,
     entered_by uuid references users(id),
     via text not null check (via in ('form', 'csv', 'cli', 'demo')),
     updated_at timestamptz not null default now(),
     primary key (indicator_id, area_id, period_start)
   )`,
  `create table indicator_targets (
     id uuid primary key default gen_random_uuid(),
     indicator_id uuid not null references indicators(id),
     area_id uuid not null references areas(id),
     value numeric not null,
     amber_margin numeric not null default 10 check (amber_margin >= 0 and amber_margin <= 100),
     note text,
     set_by uuid references users(id),
     updated_at timestamptz not null default now(),
     unique (indicator_id, area_id)
   )`,
  `create table strategies (
     id uuid primary key default gen_random_uuid(),
     title text not null,
     summary text not null,
     period_start date not null,
     period_end date not null,
     area_id uuid references areas(id),
     updated_at timestamptz not null default now(),
     check (period_end > period_start)
   )`,
  `create table strategy_objectives (
     id uuid primary key default gen_random_uuid(),
     strategy_id uuid not null references strategies(id),
     position integer not null,
     title text not null,
     description text not null,
     lead_agency_id uuid references agencies(id),
     updated_at timestamptz not null default now()
   )`,
  `create table strategy_objective_indicators (
     objective_id uuid not null references strategy_objectives(id),
     indicator_id uuid not null references indicators(id),
     area_id uuid not null references areas(id),
     primary key (objective_id, indicator_id, area_id)
   )`,
  `create table strategy_actions (
     id uuid primary key default gen_random_uuid(),
     objective_id uuid not null references strategy_objectives(id),
     title text not null,
     lead_agency_id uuid references agencies(id),
     due_date date,
     status text not null default 'not_started' check (status in ('not_started', 'in_progress', 'complete', 'stopped')),
     progress_note text,
     updated_by uuid references users(id),
     updated_at timestamptz not null default now()
   )`,
  `create index strategy_actions_objective on strategy_actions (objective_id)`,
  `create table performance_reports (
     id uuid primary key default gen_random_uuid(),
     title text not null,
     meeting text,
     area_id uuid not null references areas(id),
     period_from date not null,
     period_to date not null,
     commentary text,
     status text not null default 'draft' check (status in ('draft', 'published', 'withdrawn')),
     snapshot jsonb,
     created_by uuid references users(id),
     created_at timestamptz not null default now(),
     updated_at timestamptz not null default now(),
     published_at timestamptz,
     published_by uuid references users(id),
     check (period_to >= period_from),
     check ((status = 'draft') = (snapshot is null))
   )`,
  `create index performance_reports_published on performance_reports (status, published_at desc)`,
)
