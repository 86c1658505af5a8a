import { statements } from '../migration.ts'

/**
 * Walking one person's network a step at a time (src/modules/network/store.ts `step` and
 * `linksAmong`) reads every link of every entity on the frontier, and a frontier that holds a hub
 * reads thousands. With only the link's ends indexed each of those is a visit to the table, at a
 * random place: measured at 1,000,000 entities and 5,000,000 links (bench/network-scale.ts,
 * docs/performance/network.md) that was most of the time. These indexes carry what the walk filters
 * on (the other end, status, grade, handling, source agency, dates, and the id for the C-handling
 * check), so a step is an index-only scan. They replace 0200's single-column indexes on the ends,
 * which they serve as well.
 */
export default statements(
  `create index network_links_walk_source on network_links (source_id)
     include (target_id, id, status, grade_assessment, grade_source, grade_handling, source_agency_id, first_seen, last_seen)`,
  `create index network_links_walk_target on network_links (target_id)
     include (source_id, id, status, grade_assessment, grade_source, grade_handling, source_agency_id, first_seen, last_seen)`,
  `drop index network_links_source`,
  `drop index network_links_target`,
)
