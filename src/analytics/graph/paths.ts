import type { AbstractGraph, Attributes } from 'graphology-types'
import { bidirectional } from 'graphology-shortest-path/unweighted.js'
import type { EntityKind } from './model.ts'
import type { Network } from './network.ts'

export interface Path {
  /** The nodes from the first entity to the second, both included. */
  nodes: string[]
  /** The edge between each consecutive pair of nodes (graphology edge keys). */
  edges: string[]
}

/** One shortest path (fewest links) between two nodes, or null when they are not connected. */
export function shortestPath<N extends Attributes, E extends Attributes>(graph: AbstractGraph<N, E>, from: string, to: string): Path | null {
  for (const key of [from, to]) if (!graph.hasNode(key)) throw new Error(`${key} is not in the network`)
  const nodes = bidirectional(graph, from, to)
  if (!nodes) return null
  const edges = nodes.slice(1).map((node, i) => graph.edge(nodes[i], node) ?? graph.edge(node, nodes[i])!)
  return { nodes, edges }
}

/**
 * The shortest path between two nodes and the next shortest after it, up to `count` simple paths
 * (no entity twice), fewest links first (Yen's algorithm over unweighted links): "how is A
 * connected to B", with the other ways round when the first is not the whole story. Paths of one
 * length come in a fixed order, so the same network always answers the same.
 */
export function shortestPaths<N extends Attributes, E extends Attributes>(graph: AbstractGraph<N, E>, from: string, to: string, count = 4): Path[] {
  const first = shortestPath(graph, from, to)
  if (!first) return []
  const key = (nodes: string[]) => nodes.join('\u0000')
  const found: string[][] = [first.nodes]
  const candidates = new Map<string, string[]>()
  while (found.length < count) {
    const last = found[found.length - 1]
    for (let i = 0; i < last.length - 1; i++) {
      const root = last.slice(0, i + 1)
      const trimmed = graph.copy()
      // The ways already taken from this root are closed, and the root's own entities are not crossed again.
      for (const path of found) {
        if (path.length > i + 1 && root.every((node, j) => path[j] === node)) {
          const edge = trimmed.edge(path[i], path[i + 1]) ?? trimmed.edge(path[i + 1], path[i])
          if (edge !== undefined) trimmed.dropEdge(edge)
        }
      }
      for (const node of root.slice(0, -1)) trimmed.dropNode(node)
      const spur = bidirectional(trimmed, last[i], to)
      if (!spur) continue
      const nodes = [...root.slice(0, -1), ...spur]
      if (!found.some((p) => key(p) === key(nodes))) candidates.set(key(nodes), nodes)
    }
    if (!candidates.size) break
    const next = [...candidates.values()].sort((a, b) => a.length - b.length || key(a).localeCompare(key(b)))[0]
    candidates.delete(key(next))
    found.push(next)
  }
  return found.map((nodes) => ({ nodes, edges: nodes.slice(1).map((node, i) => graph.edge(nodes[i], node) ?? graph.edge(node, nodes[i])!) }))
}

export interface NearbyEntity {
  id: string
  /** Number of links from the starting entity. */
  distance: number
  /** One shortest route from the starting entity, both ends included. */
  route: string[]
}

/**
 * Entities of a kind within `steps` links of an entity, nearest first: by default the children
 * within two steps of a nominal or a deal line.
 */
export function nearby(network: Network, from: string, options: { kind?: EntityKind; steps?: number } = {}): NearbyEntity[] {
  if (!network.hasNode(from)) throw new Error(`${from} is not in the network`)
  const kind = options.kind ?? 'child'
  const steps = options.steps ?? 2
  const previous = new Map<string, string | null>([[from, null]])
  const found: NearbyEntity[] = []
  let frontier = [from]
  for (let distance = 1; distance <= steps && frontier.length > 0; distance++) {
    const next: string[] = []
    for (const node of frontier) {
      network.forEachNeighbor(node, (neighbour, attributes) => {
        if (previous.has(neighbour)) return
        previous.set(neighbour, node)
        next.push(neighbour)
        if (attributes.kind === kind) found.push({ id: neighbour, distance, route: routeTo(previous, neighbour) })
      })
    }
    frontier = next
  }
  return found
}

/** The children within two links of a nominal or a deal line. */
export function childrenNear(network: Network, from: string): NearbyEntity[] {
  return nearby(network, from, { kind: 'child', steps: 2 })
}

function routeTo(previous: Map<string, string | null>, node: string): string[] {
  const route = [node]
  for (let at = previous.get(node); at != null; at = previous.get(at)) route.push(at)
  return route.reverse()
}
