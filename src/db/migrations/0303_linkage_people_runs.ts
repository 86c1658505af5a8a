import { statements } from '../migration.ts'

/**
 * A run of kind "people": Lantern's own people (those the analyst may see) deduplicated, with no
 * upload. Its pairs name the two people (person_left, person_right), so a decision leads on to the
 * comparison and merge of the two records.
 */
export default statements(
  `alter table linkage_runs drop constraint linkage_runs_kind_check`,
  `alter table linkage_runs add constraint linkage_runs_kind_check check (kind in ('dedupe', 'link', 'register', 'people'))`,
  `create index linkage_run_pairs_people on linkage_run_pairs (person_left, person_right) where person_left is not null`,
)
