import { statements } from '../migration.ts'

/**
 * Indexes for the register's need-to-know condition (`visibleTo`: the people shared with an agency
 * or a user, read as one hashed set per query) and its area filter (lives in OR comes from).
 * Measured with bench/register-load.ts on the generated county (docs/performance/register.md).
 */
export default statements(
  `create index record_shares_person_agency on record_shares (agency_id, record_id) where record_type = 'person' and revoked_at is null and agency_id is not null`,
  `create index record_shares_person_user on record_shares (user_id, record_id) where record_type = 'person' and revoked_at is null and user_id is not null`,
  `create index people_home_area on people (home_area_id)`,
)
