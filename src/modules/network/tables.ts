import type { Generated } from 'kysely'
import type { CreatedAt, Json, Timestamp } from '../../db/schema.ts'

export type EntityKind = 'person' | 'line' | 'location' | 'vehicle' | 'group'
export type LocationType = 'home' | 'cuckooed_address' | 'trap_house' | 'hotspot' | 'school' | 'hotel' | 'other'
export type LinkType = 'associates_with' | 'runs' | 'holds_phone' | 'found_at' | 'lives_at' | 'exploits' | 'member_of' | 'uses_vehicle' | 'supplies' | 'operates_in'
export type LinkStatus = 'open' | 'closed' | 'wrong'

export interface NetworkEntitiesTable {
  id: Generated<string>
  kind: EntityKind
  person_id: string | null
  label: Generated<string>
  phone_number: string | null
  line_name: string | null
  location_type: LocationType | null
  address: string | null
  postcode: string | null
  registration: string | null
  vehicle_description: string | null
  group_type: 'gang' | 'ocg' | 'other' | null
  area_id: string | null
  description: string | null
  /** WGS84, both or neither (migration 0240): where a location is on the geographic map. */
  latitude: number | null
  longitude: number | null
  owner_agency_id: string
  created_by: string | null
  created_at: CreatedAt
  updated_by: string | null
  updated_at: Timestamp
  version: Generated<number>
}

export interface NetworkLinksTable {
  id: Generated<string>
  source_id: string
  target_id: string
  type: LinkType
  directed: Generated<boolean>
  first_seen: string | null
  last_seen: string | null
  source_agency_id: string
  basis: string
  grade_source: 1 | 2 | 3
  grade_assessment: 'A' | 'B' | 'C' | 'D' | 'E'
  grade_handling: 'P' | 'C'
  handling_conditions: string | null
  status: Generated<LinkStatus>
  status_reason: string | null
  status_changed_by: string | null
  status_changed_at: Date | null
  created_by: string | null
  created_at: CreatedAt
}

export interface NetworkLinkAgenciesTable {
  link_id: string
  agency_id: string
}

export interface NetworkEntityEventsTable {
  id: Generated<string>
  entity_id: string
  at: CreatedAt
  kind: 'updated'
  summary: string
  actor_id: string | null
}

/** An analyst's saved arrangement of one scope's map: entity id to its place. */
export interface NetworkMapLayoutsTable {
  user_id: string
  scope_key: string
  positions: Json<Record<string, { x: number; y: number }>>
  saved_at: Generated<Date>
}

declare module '../../db/schema.ts' {
  interface Database {
    network_entities: NetworkEntitiesTable
    network_links: NetworkLinksTable
    network_link_agencies: NetworkLinkAgenciesTable
    network_entity_events: NetworkEntityEventsTable
    network_map_layouts: NetworkMapLayoutsTable
  }
}
