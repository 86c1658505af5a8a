import { statements } from '../migration.ts'

/**
 * The job queue (src/db/job-queue.ts): scheduled and background work, claimed by any number of
 * workers with `for update skip locked`, so each job runs once however many server and
 * `lantern worker` processes share the database. A job's payload names records by id only; the
 * queue holds no personal data, so it needs no row-level security.
 *
 * `singleton_key` makes a scheduled run (one per job name and period) or any other job that must
 * exist once unique across every instance that tries to queue it.
 */
export default statements(
  `create table jobs (
     id uuid primary key default gen_random_uuid(),
     name text not null check (length(name) between 1 and 100),
     payload jsonb not null default '{}'::jsonb,
     status text not null default 'queued' check (status in ('queued','running','done','failed')),
     attempts integer not null default 0 check (attempts >= 0),
     max_attempts integer not null default 5 check (max_attempts between 1 and 100),
     run_after timestamptz not null default now(),
     singleton_key text unique,
     locked_by text,
     locked_at timestamptz,
     last_error text check (length(last_error) <= 2000),
     created_at timestamptz not null default now(),
     finished_at timestamptz
   )`,
  `create index jobs_ready on jobs (run_after) where status = 'queued'`,
  `create index jobs_running on jobs (locked_at) where status = 'running'`,
  `create index jobs_by_status on jobs (status, created_at desc)`,
)
