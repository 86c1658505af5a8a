import { statements } from '../migration.ts'

/**
 * police.uk rows are written only by the import, which resolves every area and import id itself
 * inside its transaction. Checking three foreign keys per row cost 40% of the import's time
 * (measured on the 15 Devon and Cornwall months: 10.7 s with them, 6.6 s without), so `crimes`
 * goes without them; `crime_counts`, which everything reads, keeps its keys to `areas`.
 */
export default statements(
  `alter table crimes drop constraint if exists crimes_force_area_id_fkey`,
  `alter table crimes drop constraint if exists crimes_area_id_fkey`,
  `alter table crimes drop constraint if exists crimes_import_id_fkey`,
)
