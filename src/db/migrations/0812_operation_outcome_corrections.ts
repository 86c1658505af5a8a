import { statements } from '../migration.ts'

/**
 * A charge or conviction is corrected or withdrawn with a reason, as an activity is (0210; numbered in this range because the tables come after 018x): the
 * outcome keeps a version for the conflict check, a withdrawn one stays, struck through and counted
 * in nothing, and each change goes to `operation_changes` with the outcome as it was.
 */
export default statements(
  `alter table operation_outcomes
     add column version integer not null default 1,
     add column withdrawn_at timestamptz,
     add column withdrawn_by uuid references users(id),
     add column withdrawn_reason text check (withdrawn_reason is null or length(withdrawn_reason) between 1 and 1000)`,
  `alter table operation_outcomes add constraint operation_outcomes_withdrawn_whole
     check ((withdrawn_at is null) = (withdrawn_by is null) and (withdrawn_at is null) = (withdrawn_reason is null))`,
  `alter table operation_changes drop constraint operation_changes_record_type_check`,
  `alter table operation_changes add constraint operation_changes_record_type_check check (record_type in ('operation', 'activity', 'target', 'outcome'))`,
)
