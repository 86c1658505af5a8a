import { UndirectedGraph } from 'graphology'
import type { AbstractGraph } from 'graphology-types'
import type { EdgeAttributes, Entity, Grade, Link, LinkStatus, NetworkData } from './model.ts'

/**
 * A scoped network: an undirected simple graph whose nodes are entities (key = entity id,
 * attributes = the entity) and whose edges hold every in-scope link between the pair. Link
 * analysis reads networks undirected, as is usual for covert networks; each link keeps its own
 * direction for display.
 */
export type Network = AbstractGraph<Entity, EdgeAttributes>

/** Which part of the intelligence picture to analyse. Every field is optional. */
export interface Scope {
  /** Only links seen on or after this ISO date (their last-seen date is not before it). */
  from?: string
  /** Only links seen on or before this ISO date (their first-seen date is not after it). */
  to?: string
  /** Assessments to include. Default A to D: an E grade is doubtful and left out unless asked for. */
  assessments?: readonly Grade['assessment'][]
  /** Source evaluations to include. Default all. */
  sources?: readonly Grade['source'][]
  /**
   * Handling codes to include. Default both. Hiding C-coded links from agencies without the
   * condition is the caller's job (it knows the user); this only narrows further.
   */
  handling?: readonly Grade['handling'][]
  /** Link statuses to include. Default open and closed: a closed link is history, a wrong one never was. */
  statuses?: readonly LinkStatus[]
  /**
   * The network around these entities within `steps` links (one person, an operation's targets,
   * a line). The focus entities are always in the result, linked or not.
   */
  around?: { ids: readonly string[]; steps: number }
  /** Keep entities with no in-scope link (only without `around`). Default false. */
  includeIsolated?: boolean
}

const DEFAULT_ASSESSMENTS: readonly Grade['assessment'][] = ['A', 'B', 'C', 'D']
const DEFAULT_STATUSES: readonly LinkStatus[] = ['open', 'closed']

/** Builds the network for a scope. Throws if a link names an entity that is not in `data`. */
export function buildNetwork(data: NetworkData, scope: Scope = {}): Network {
  const byId = new Map<string, Entity>()
  for (const entity of data.entities) byId.set(entity.id, entity)
  for (const link of data.links) {
    for (const end of [link.source, link.target]) {
      if (!byId.has(end)) throw new Error(`link ${link.id} names entity ${end}, which is not in the data`)
    }
  }
  let links = data.links.filter((link) => link.source !== link.target && inScope(link, scope))
  let keep: Set<string> | undefined
  if (scope.around) {
    for (const id of scope.around.ids) if (!byId.has(id)) throw new Error(`entity ${id} is not in the data`)
    keep = withinSteps(links, scope.around.ids, scope.around.steps)
    links = links.filter((link) => keep!.has(link.source) && keep!.has(link.target))
  } else if (!scope.includeIsolated) {
    keep = new Set(links.flatMap((link) => [link.source, link.target]))
  }

  const graph: Network = new UndirectedGraph<Entity, EdgeAttributes>({ allowSelfLoops: false })
  for (const entity of data.entities) {
    if (!keep || keep.has(entity.id)) graph.addNode(entity.id, entity)
  }
  for (const link of links) {
    const edge = graph.edge(link.source, link.target)
    if (edge === undefined) graph.addEdge(link.source, link.target, { links: [link] })
    else graph.getEdgeAttributes(edge).links.push(link)
  }
  return graph
}

function inScope(link: Link, scope: Scope): boolean {
  const { grade } = link
  if (!(scope.statuses ?? DEFAULT_STATUSES).includes(link.status)) return false
  if (!(scope.assessments ?? DEFAULT_ASSESSMENTS).includes(grade.assessment)) return false
  if (scope.sources && !scope.sources.includes(grade.source)) return false
  if (scope.handling && !scope.handling.includes(grade.handling)) return false
  // ISO dates compare correctly as strings; a missing date leaves that end of the link open.
  if (scope.to && link.firstSeen && link.firstSeen > scope.to) return false
  if (scope.from && link.lastSeen && link.lastSeen < scope.from) return false
  return true
}

function withinSteps(links: readonly Link[], ids: readonly string[], steps: number): Set<string> {
  const neighbours = new Map<string, string[]>()
  const connect = (a: string, b: string) => {
    const list = neighbours.get(a)
    if (list) list.push(b)
    else neighbours.set(a, [b])
  }
  for (const link of links) {
    connect(link.source, link.target)
    connect(link.target, link.source)
  }
  const seen = new Set(ids)
  let frontier = [...seen]
  for (let step = 0; step < steps && frontier.length > 0; step++) {
    const next: string[] = []
    for (const id of frontier) {
      for (const other of neighbours.get(id) ?? []) {
        if (!seen.has(other)) {
          seen.add(other)
          next.push(other)
        }
      }
    }
    frontier = next
  }
  return seen
}
