import { statements } from '../migration.ts'

/**
 * Retention of closed person records (docs/register.md, "Retention of closed records"). A closed
 * record past its retention period is anonymised by the nightly job: what identifies the person
 * and every free-text account is deleted, and a stub keeps what Lantern's own indicator counts
 * are computed from, so published figures do not change. A legal hold keeps the record whole.
 */
export default statements(
  `alter table people
     add column legal_hold_reason text check (length(legal_hold_reason) between 1 and 1000),
     add column legal_hold_by uuid references users(id),
     add column legal_hold_at timestamptz,
     add column anonymised_at timestamptz,
     add constraint people_legal_hold check ((legal_hold_reason is null) = (legal_hold_at is null)),
     add constraint people_anonymised_closed check (anonymised_at is null or closed_at is not null)`,
)
