import { statements } from '../migration.ts'

/**
 * A merge touching a record another agency holds waits for that agency's agreement: one row per
 * agency whose record it is, agreed (by whom, when) or not yet. The merge completes when every
 * agency has agreed; any of them may decline it.
 */
export default statements(
  `create table linkage_merge_agreements (
    merge_id uuid not null references linkage_merges(id),
    agency_id uuid not null references agencies(id),
    agreed_by uuid references users(id),
    agreed_at timestamptz,
    primary key (merge_id, agency_id)
  )`,
  `create index linkage_merge_agreements_waiting on linkage_merge_agreements (agency_id) where agreed_at is null`,
)
