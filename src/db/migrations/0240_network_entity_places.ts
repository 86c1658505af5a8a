import { statements } from '../migration.ts'

/**
 * Where a location of concern is, as a latitude and longitude (WGS84) on the entity itself, so the
 * entity's need-to-know (row-level security on network_entities) covers its place too. Set from
 * coordinates the analyst types or a point placed on the geographic map; both or neither, and
 * within the bounds the basemap can draw.
 */
export default statements(
  `alter table network_entities
     add column latitude double precision check (latitude between -90 and 90),
     add column longitude double precision check (longitude between -180 and 180),
     add constraint network_entities_place_whole check ((latitude is null) = (longitude is null))`,
)
