import { statements } from '../migration.ts'

/**
 * Closing a person's record (docs/register.md, "Closing a record"): a practitioner asks, with a
 * reason, and a manager of the owning agency approves or declines; reopening goes the same way. A
 * closed record stays readable and is read-only; it leaves caseloads and worklists, and its
 * closure starts the clock of its retention period.
 *
 * `people.closed_at` says whether the record is closed now; the requests keep who asked, who
 * decided and why, for the record's history. At most one request waits per person. Row-level
 * security on the requests is in 0762 (the application role exists from 0700).
 */
export default statements(
  `alter table people
     add column closed_at timestamptz,
     add column closed_reason text check (length(closed_reason) between 1 and 2000),
     add constraint people_closed_reason check ((closed_at is null) = (closed_reason is null))`,
  `create index people_closed_at on people (closed_at) where closed_at is not null`,
  `create table person_closure_requests (
     id uuid primary key default gen_random_uuid(),
     person_id uuid not null references people(id),
     action text not null check (action in ('close', 'reopen')),
     reason text not null check (length(reason) between 1 and 2000),
     requested_by uuid not null references users(id),
     requested_at timestamptz not null default now(),
     status text not null default 'pending' check (status in ('pending', 'approved', 'declined')),
     decided_by uuid references users(id),
     decided_at timestamptz,
     decision_note text check (length(decision_note) between 1 and 2000),
     check ((status = 'pending') = (decided_at is null)),
     check (decided_by is null or decided_by <> requested_by)
   )`,
  `create unique index person_closure_requests_waiting on person_closure_requests (person_id) where status = 'pending'`,
  `insert into role_permissions (role_id, permission) values ('manager', 'person:close')`,
)
