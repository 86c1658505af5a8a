import { statements } from '../migration.ts'

/** "Not sure" as a reviewer's decision on a pair: looked at, and left for a second opinion. */
export default statements(
  `alter table linkage_run_pairs drop constraint linkage_run_pairs_decision_check`,
  `alter table linkage_run_pairs add constraint linkage_run_pairs_decision_check check (decision in ('accepted', 'rejected', 'unsure'))`,
)
