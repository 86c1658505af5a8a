import { statements } from '../migration.ts'

/**
 * The indicators dashboard's judgements (Farrington, real or chance, control charts, RAG) kept,
 * like the counts they judge (migration 0510), instead of made again on every view.
 *
 * A kept family of judgements is used only for exactly the inputs it was made from. Every table
 * a judgement reads bumps one counter in the same transaction as the change (a statement trigger),
 * so a page that reads the counter and finds judgements kept for that counter, that day and those
 * indicators knows they were made from the data it shows; otherwise it judges as it reads. The
 * counter is a row, not a sequence: a sequence moves before the change commits, and a page could
 * then keep a judgement of the old data under the new number.
 *
 * `derived_series_refreshes` bumps it only when a series appears or goes: the job rewrites its
 * `computed_at` every few minutes, and the values it counted are watched themselves (the job
 * leaves them untouched when its count has not changed, so an unchanged count keeps its judgements).
 *
 * Judgements of Lantern's counts are made from every agency's children, so like the counts they
 * are the owner's alone (row-level security with a policy for the owner only); the trigger runs as
 * the owner so that the application role's writes (a value entered, a target set) bump it too.
 */
const WATCHED: [string, string][] = [
  ['indicators', 'insert or update or delete or truncate'],
  ['indicator_values', 'insert or update or delete or truncate'],
  ['indicator_targets', 'insert or update or delete or truncate'],
  ['crime_counts', 'insert or update or delete or truncate'],
  ['areas', 'insert or update or delete or truncate'],
  ['derived_series_values', 'insert or update or delete or truncate'],
  ['derived_series_refreshes', 'insert or delete or truncate'],
]

export default statements(
  `create table indicator_inputs (
     only_row boolean primary key default true check (only_row),
     version bigint not null default 0
   )`,
  `insert into indicator_inputs (only_row, version) values (true, 0)`,
  `create function lantern_indicator_inputs_changed() returns trigger language plpgsql security definer set search_path = public as $$
     begin
       update indicator_inputs set version = version + 1;
       return null;
     end $$`,
  ...WATCHED.map(([table, events]) => `create trigger ${table}_judged after ${events} on ${table} for each statement execute function lantern_indicator_inputs_changed()`),
  `create table indicator_judgements (
     variant text primary key,
     inputs_key text not null,
     computed_at timestamptz not null,
     duration_ms integer not null check (duration_ms >= 0),
     results text not null
   )`,
  ...['indicator_inputs', 'indicator_judgements'].flatMap((table) => [
    `alter table ${table} enable row level security`,
    `alter table ${table} force row level security`,
    `do $$ begin execute format('create policy ${table}_owner on ${table} to %I using (true) with check (true)', current_user); end $$`,
  ]),
)
