/**
 * The records link analysis works on. They mirror the register's entities and links but carry only
 * what the analyses need, so the library stays free of the database and of HTTP.
 */

export const ENTITY_KINDS = ['person', 'child', 'nominal', 'line', 'location', 'vehicle', 'group'] as const
export type EntityKind = (typeof ENTITY_KINDS)[number]

export type Rag = 'red' | 'amber' | 'green'

export interface Entity {
  id: string
  kind: EntityKind
  label: string
  /** For a deal line this is its exporting area. */
  localAuthority?: string | null
  /** Whether that local authority is in the partnership (cross-border lines are judged by it). */
  inPartnership?: boolean | null
  rag?: Rag | null
}

/** The 3x5x2 intelligence grade: source evaluation, intelligence assessment, handling code. */
export interface Grade {
  source: 1 | 2 | 3
  assessment: 'A' | 'B' | 'C' | 'D' | 'E'
  handling: 'P' | 'C'
}

export type LinkStatus = 'open' | 'closed' | 'wrong'

export interface Link {
  id: string
  source: string
  target: string
  type: string
  /** A directed link runs from source to target; the analyses still read the network undirected. */
  directed?: boolean
  /** ISO dates (YYYY-MM-DD); a missing first date means "since before records", a missing last date "still seen". */
  firstSeen?: string | null
  lastSeen?: string | null
  grade: Grade
  status: LinkStatus
}

export interface NetworkData {
  entities: readonly Entity[]
  links: readonly Link[]
}

/** Node attributes of a scoped network: the entity itself. */
export type NodeAttributes = Entity

/** Edge attributes of a scoped network: every in-scope link between the pair. */
export interface EdgeAttributes {
  links: Link[]
}
