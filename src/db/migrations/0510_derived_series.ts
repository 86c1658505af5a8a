import { statements } from '../migration.ts'

/**
 * Lantern's own counts as indicator series (src/modules/indicators/derived.ts), kept instead of
 * counted on every view: the job runner counts them again every few minutes and pages read what
 * it kept, with the time it was counted. A refresh row says which months were counted and when;
 * a series is used only when its months are the ones the page wants, so a month turning over is
 * never shown from a copy that lacks it.
 *
 * The counts are of every agency's children, counted as the tables' owner, and are published only
 * through disclosure.ts (exactly to those who may read the records, protected for everyone else).
 * So, like the counting itself, the kept counts are the owner's: row-level security is on with a
 * policy for the owner alone, so the application role (and any other) reads and writes no row of
 * them, and the indicators store reads and writes them as the owner. (No policy names lantern_app,
 * which a new database does not have yet when this runs: migration 0700 makes it.)
 */
export default statements(
  `create table derived_series_refreshes (
     series_key text primary key,
     range_from date not null,
     range_to date not null,
     computed_at timestamptz not null,
     duration_ms integer not null check (duration_ms >= 0)
   )`,
  `create table derived_series_values (
     series_key text not null references derived_series_refreshes(series_key) on delete cascade,
     area_id uuid not null references areas(id) on delete cascade,
     period date not null,
     value double precision not null,
     denominator integer,
     primary key (series_key, area_id, period)
   )`,
  ...['derived_series_refreshes', 'derived_series_values'].flatMap((table) => [
    `alter table ${table} enable row level security`,
    `alter table ${table} force row level security`,
    `do $$ begin execute format('create policy ${table}_owner on ${table} to %I using (true) with check (true)', current_user); end $$`,
  ]),
)
