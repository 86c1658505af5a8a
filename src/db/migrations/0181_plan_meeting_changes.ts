import { statements } from '../migration.ts'

/**
 * A meeting record is corrected, never rewritten without trace (src/modules/plans): each edit keeps
 * the fields as they were and the reason given. Row-level security comes in 0811, after the
 * application role.
 */
export default statements(
  `create table plan_meeting_changes (
     id uuid primary key default gen_random_uuid(),
     meeting_id uuid not null references plan_meetings(id),
     reason text not null check (length(reason) between 1 and 1000),
     changed_fields jsonb not null,
     before jsonb not null,
     changed_by uuid references users(id),
     changed_at timestamptz not null default now()
   )`,
  `create index plan_meeting_changes_meeting on plan_meeting_changes (meeting_id, changed_at)`,
)
