import { statements } from '../migration.ts'

/**
 * Indexes for the register (src/modules/register/store.ts), measured with bench/register-load.ts
 * on the generated county (docs/performance/register.md):
 * - need-to-know (`visibleTo`): the people shared with an agency or a user, read as one set;
 * - the area filter (lives in OR comes from): a bitmap OR of the two area columns;
 * - each sort order, on live (unmerged) records, so a page of a large match is read in order and
 *   the scan stops after a page's worth instead of sorting every match.
 */
export default statements(
  `create index record_shares_person_agency on record_shares (agency_id, record_id) where record_type = 'person' and revoked_at is null and agency_id is not null`,
  `create index record_shares_person_user on record_shares (user_id, record_id) where record_type = 'person' and revoked_at is null and user_id is not null`,
  `create index people_home_area on people (home_area_id)`,
  `create index people_register_risk on people ((case current_rag when 'red' then 0 when 'amber' then 1 when 'green' then 2 else 3 end), next_review_due, lower(family_name), lower(given_name), id) where merged_into is null`,
  `create index people_register_review on people (next_review_due, lower(family_name), lower(given_name), id) where merged_into is null`,
  `create index people_register_name on people (lower(family_name), lower(given_name), id) where merged_into is null`,
  `create index people_register_assessed on people (current_rag_at desc nulls last, lower(family_name), lower(given_name), id) where merged_into is null`,
)
