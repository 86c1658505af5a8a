import { statements } from '../migration.ts'

/**
 * Multi-agency plans (src/modules/plans): meetings (strategy discussions, MACE meetings, child
 * protection conferences) with their attendees and decisions, and the actions agreed at them, each
 * with an owner, a due date and a status.
 *
 * A meeting concerns one or more people (`subject_ids`): the children discussed and any adults.
 * Row-level security, and the link from an action to the network record it is aimed at, come in
 * 0776: the application role and the network tables are made after this range.
 */
export default statements(
  `create table plan_meetings (
     id uuid primary key default gen_random_uuid(),
     kind text not null check (kind in ('strategy', 'mace', 'cp_conference')),
     held_on date not null,
     chair text not null check (length(chair) between 1 and 120),
     chair_agency_id uuid references agencies(id),
     subject_ids uuid[] not null check (cardinality(subject_ids) between 1 and 20),
     attendees jsonb not null default '[]',
     decisions text not null check (length(decisions) between 1 and 5000),
     recorded_by_agency_id uuid not null references agencies(id),
     created_by uuid references users(id),
     created_at timestamptz not null default now(),
     version integer not null default 1
   )`,
  `create index plan_meetings_subjects on plan_meetings using gin (subject_ids)`,
  `create table plan_actions (
     id uuid primary key default gen_random_uuid(),
     meeting_id uuid not null references plan_meetings(id),
     description text not null check (length(description) between 1 and 1000),
     owner_user_id uuid references users(id),
     owner_agency_id uuid references agencies(id),
     due_on date not null,
     status text not null default 'open' check (status in ('open', 'done', 'cancelled')),
     cancel_reason text check (cancel_reason is null or length(cancel_reason) between 1 and 1000),
     closed_at timestamptz,
     closed_by uuid references users(id),
     target_person_id uuid references people(id),
     target_entity_id uuid,
     created_by uuid references users(id),
     created_at timestamptz not null default now(),
     version integer not null default 1,
     check (num_nonnulls(owner_user_id, owner_agency_id) = 1),
     check ((status = 'cancelled') = (cancel_reason is not null)),
     check ((status = 'open') = (closed_at is null))
   )`,
  `create index plan_actions_meeting on plan_actions (meeting_id)`,
  `create index plan_actions_open_due on plan_actions (due_on) where status = 'open'`,
)
