import { UndirectedGraph } from 'graphology'
import { centralities, type NodeCentrality } from './centrality.ts'
import { components } from './components.ts'

/**
 * Two-mode (bipartite) networks: two sets of nodes, such as people and the events, phones,
 * vehicles or addresses they share, with ties only between the sets. The measures are the ones
 * python-igraph computes (checked in bipartite.test.ts against bench/igraph-bipartite-reference.py):
 * `Graph.Bipartite`, `bipartite_projection(multiplicity=True)`, `bipartite_projection_size` and the
 * ordinary measures (degree, betweenness, closeness, strength, density) on the two-mode graph and
 * on its projections. igraph has no bipartite-normalised centralities, so neither do we.
 */

export type Mode = 'first' | 'second'

export interface BipartiteTie {
  /** Index into `first`. */
  first: number
  /** Index into `second`. */
  second: number
  /** The tie's value; a pair given more than once adds up. Projections count shared neighbours, not values. */
  weight: number
}

export interface BipartiteNetwork {
  /** The first mode's labels (the people), in input order. */
  first: string[]
  /** The second mode's labels (events, phones, vehicles, addresses), in input order. */
  second: string[]
  /** Each pair once, in the order first given. */
  ties: BipartiteTie[]
  /** What each mode's nodes are ("person", "event"), when the input says. */
  modes?: [string, string]
}

/**
 * A two-mode network from its two node sets and ties given by label. A label may appear in both
 * sets (the sets are separate); a tie naming a label its set lacks is a programming error.
 */
export function bipartiteNetwork(first: readonly string[], second: readonly string[], ties: Iterable<readonly [string, string, number?]>): BipartiteNetwork {
  const index = (labels: readonly string[], mode: Mode) => {
    const map = new Map<string, number>()
    labels.forEach((label, i) => {
      if (map.has(label)) throw new RangeError(`${mode} mode lists ${JSON.stringify(label)} twice`)
      map.set(label, i)
    })
    return map
  }
  const firstIndex = index(first, 'first')
  const secondIndex = index(second, 'second')
  const byPair = new Map<string, BipartiteTie>()
  for (const [a, b, weight = 1] of ties) {
    const f = firstIndex.get(a)
    const s = secondIndex.get(b)
    if (f === undefined || s === undefined) throw new RangeError(`tie ${JSON.stringify(a)} - ${JSON.stringify(b)} names a node not in its mode`)
    const key = `${f} ${s}`
    const tie = byPair.get(key)
    if (tie) tie.weight += weight
    else byPair.set(key, { first: f, second: s, weight })
  }
  return { first: [...first], second: [...second], ties: [...byPair.values()] }
}

/** |ties| / (|first| x |second|): the share of the possible ties that exist. 0 when a mode is empty. */
export function bipartiteDensity(network: BipartiteNetwork): number {
  const possible = network.first.length * network.second.length
  return possible === 0 ? 0 : network.ties.length / possible
}

/** The neighbours (indices into the other mode) of every node of one mode, in tie order. */
export function neighbours(network: BipartiteNetwork, mode: Mode): number[][] {
  const other: Mode = mode === 'first' ? 'second' : 'first'
  const lists: number[][] = network[mode].map(() => [])
  for (const tie of network.ties) lists[tie[mode]].push(tie[other])
  return lists
}

export interface ProjectionEdge {
  /** Indices into the projected mode's labels, source < target. */
  source: number
  target: number
  /** How many nodes of the other mode the pair shares (igraph's multiplicity). */
  weight: number
  /** Which: indices into the other mode, ascending. */
  shared: number[]
}

export interface Projection {
  labels: string[]
  /** Ordered by source, then target. */
  edges: ProjectionEdge[]
}

/**
 * The one-mode projection onto `mode`: two nodes are tied when they share a node of the other mode,
 * weighted by how many they share. Costs the sum over the other mode of its degree squared.
 */
export function projection(network: BipartiteNetwork, mode: Mode): Projection {
  const other: Mode = mode === 'first' ? 'second' : 'first'
  const byPair = new Map<number, ProjectionEdge>()
  const n = network[mode].length
  neighbours(network, other).forEach((members, via) => {
    const sorted = [...new Set(members)].sort((a, b) => a - b)
    for (let i = 0; i < sorted.length; i++) {
      for (let j = i + 1; j < sorted.length; j++) {
        const key = sorted[i] * n + sorted[j]
        const edge = byPair.get(key)
        if (edge) {
          edge.weight += 1
          edge.shared.push(via)
        } else byPair.set(key, { source: sorted[i], target: sorted[j], weight: 1, shared: [via] })
      }
    }
  })
  const edges = [...byPair.values()].sort((a, b) => a.source - b.source || a.target - b.target)
  return { labels: [...network[mode]], edges }
}

/** Nodes and edges of each projection (igraph's `bipartite_projection_size`), without building them. */
export function projectionSize(network: BipartiteNetwork): { first: { nodes: number; edges: number }; second: { nodes: number; edges: number } } {
  const size = (mode: Mode) => ({ nodes: network[mode].length, edges: projection(network, mode).edges.length })
  return { first: size('first'), second: size('second') }
}

export interface TwoModeMeasures {
  nodes: { first: number; second: number }
  ties: number
  components: number
  density: number
  /** Degree, betweenness and closeness on the two-mode graph itself, by label, for each mode. */
  first: Map<string, NodeCentrality>
  second: Map<string, NodeCentrality>
}

/** Degree, betweenness (normalised over all nodes of both modes, as igraph) and closeness of every node. */
export async function twoModeMeasures(network: BipartiteNetwork): Promise<TwoModeMeasures> {
  const graph = new UndirectedGraph()
  const offset = network.first.length
  const total = offset + network.second.length
  for (let i = 0; i < total; i++) graph.addNode(String(i))
  for (const tie of network.ties) graph.addEdge(String(tie.first), String(offset + tie.second))
  const { byNode } = await centralities(graph)
  const take = (labels: string[], from: number) => new Map(labels.map((label, i) => [label, byNode.get(String(from + i))!]))
  return {
    nodes: { first: network.first.length, second: network.second.length },
    ties: network.ties.length,
    components: components(graph).length,
    density: bipartiteDensity(network),
    first: take(network.first, 0),
    second: take(network.second, offset),
  }
}

export interface ProjectedNode extends NodeCentrality {
  /** Sum of the node's edge weights: how many times, counted pair by pair, it shares something. */
  strength: number
}

export interface ProjectionMeasures {
  nodes: number
  edges: number
  /** edges / (n(n-1)/2), as igraph's `density()`. */
  density: number
  components: number
  /** Degree (partners), strength, and betweenness and closeness over unweighted paths, by label. */
  byNode: Map<string, ProjectedNode>
}

/** Measures of a projection, as igraph computes them on `bipartite_projection`'s graphs. */
export async function projectionMeasures(projected: Projection): Promise<ProjectionMeasures> {
  const graph = new UndirectedGraph()
  projected.labels.forEach((_, i) => graph.addNode(String(i)))
  const strength = new Array<number>(projected.labels.length).fill(0)
  for (const edge of projected.edges) {
    graph.addEdge(String(edge.source), String(edge.target))
    strength[edge.source] += edge.weight
    strength[edge.target] += edge.weight
  }
  const { byNode } = await centralities(graph)
  const n = projected.labels.length
  return {
    nodes: n,
    edges: projected.edges.length,
    density: n < 2 ? NaN : projected.edges.length / ((n * (n - 1)) / 2),
    components: components(graph).length,
    byNode: new Map(projected.labels.map((label, i) => [label, { ...byNode.get(String(i))!, strength: strength[i] }])),
  }
}
