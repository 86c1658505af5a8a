import { statements } from '../migration.ts'

/**
 * Record linkage in Lantern: merges (with a log of every moved reference so an unmerge restores
 * them exactly), pairs known not to be the same person, bulk matching runs and their review queue.
 * Tables are named linkage_* and the merge leaves them alone: they are the history of merging.
 */
export default statements(
  `create table linkage_merges (
     id uuid primary key default gen_random_uuid(),
     survivor_id uuid not null references people(id),
     merged_id uuid not null references people(id),
     status text not null check (status in ('pending', 'completed', 'undone', 'declined')),
     conflicts jsonb not null default '[]',
     reason text,
     requested_by uuid not null references users(id),
     requested_at timestamptz not null default now(),
     decided_by uuid references users(id),
     decided_at timestamptz,
     decision_note text,
     completed_at timestamptz,
     undone_by uuid references users(id),
     undone_at timestamptz,
     undo_reason text,
     merged_before jsonb,
     check (survivor_id <> merged_id)
   )`,
  `create index linkage_merges_people on linkage_merges (survivor_id, merged_id)`,
  `create index linkage_merges_merged on linkage_merges (merged_id)`,
  `create index linkage_merges_status on linkage_merges (status, requested_at desc)`,
  `create table linkage_merge_moves (
     id bigint generated always as identity primary key,
     merge_id uuid not null references linkage_merges(id),
     table_name text not null,
     column_name text not null,
     row_key jsonb not null,
     old_value uuid,
     new_value uuid,
     action text not null default 'moved' check (action in ('moved', 'inserted'))
   )`,
  `create index linkage_merge_moves_merge on linkage_merge_moves (merge_id)`,
  `create table linkage_not_same (
     id uuid primary key default gen_random_uuid(),
     person_a uuid not null references people(id),
     person_b uuid not null references people(id),
     reason text,
     recorded_by uuid not null references users(id),
     recorded_at timestamptz not null default now(),
     check (person_a < person_b),
     unique (person_a, person_b)
   )`,
  `create table linkage_runs (
     id uuid primary key default gen_random_uuid(),
     name text not null,
     kind text not null check (kind in ('dedupe', 'link', 'register')),
     left_name text not null,
     right_name text,
     id_column text not null,
     mapping jsonb not null,
     settings jsonb not null,
     model jsonb not null,
     review_from numeric not null,
     match_from numeric not null,
     left_rows integer not null,
     right_rows integer,
     candidate_pairs bigint not null,
     blocking jsonb not null,
     match_pairs integer not null,
     review_pairs integer not null,
     seconds numeric,
     created_by uuid not null references users(id),
     agency_id uuid not null references agencies(id),
     created_at timestamptz not null default now()
   )`,
  `create index linkage_runs_created on linkage_runs (created_at desc)`,
  `create table linkage_run_pairs (
     id uuid primary key default gen_random_uuid(),
     run_id uuid not null references linkage_runs(id),
     id_left text not null,
     id_right text not null,
     probability double precision not null,
     match_weight double precision not null,
     band text not null check (band in ('match', 'review')),
     record_left jsonb not null,
     record_right jsonb not null,
     explanation jsonb not null,
     person_left uuid references people(id),
     person_right uuid references people(id),
     decision text check (decision in ('accepted', 'rejected')),
     decided_by uuid references users(id),
     decided_at timestamptz,
     unique (run_id, id_left, id_right)
   )`,
  `create index linkage_run_pairs_queue on linkage_run_pairs (run_id, band, decision, probability desc)`,
  `create table linkage_entry_model (
     id text primary key,
     model jsonb not null,
     trained_on integer not null,
     created_at timestamptz not null default now()
   )`,
  `create index people_updated_at on people (updated_at)`,
)
