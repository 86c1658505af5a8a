import { statements } from '../migration.ts'

/**
 * Indexes the staff pages were missing at county scale (issue 19; measured on the county seed,
 * 25,000 people and 30,000 missing episodes):
 * - children missing now (Home, the missing list): the open episodes are a few dozen of tens of
 *   thousands, and were found by reading every episode in date order (130 to 190 ms a view);
 * - a team's cases (the manager's team page, the register filtered by team): held by the team, or
 *   allocated to one of its workers; with no index on the team alone every person was read.
 */
export default statements(
  `create index missing_episodes_open on missing_episodes (reported_missing_at, id) where found_at is null and voided_at is null`,
  `create index people_owner_team on people (owner_team_id) where merged_into is null`,
)
