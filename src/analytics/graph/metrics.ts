import type { AbstractGraph, Attributes } from 'graphology-types'
import { centralities, type Centralities, type CentralityOptions } from './centrality.ts'
import { communities } from './communities.ts'
import { countConnectedComponents } from 'graphology-components'

export interface NodeMetrics {
  degree: number
  betweenness: number
  closeness: number
  community: number
}

export interface NetworkMetrics {
  nodes: number
  edges: number
  components: number
  communities: number
  modularity: number
  /** In the graph's node order. */
  metrics: Map<string, NodeMetrics>
  /** Present when betweenness was estimated (closeness is then NaN): its sample size and error bound. */
  betweennessEstimate?: Centralities['estimate']
}

export interface NetworkMetricsOptions extends CentralityOptions {
  /** Louvain seed. Default 1. */
  seed?: number
  /**
   * Edge attribute holding the tie's value. It is a length for shortest paths (betweenness,
   * closeness: igraph's reading of weights) and a strength for Louvain (modularity's reading).
   * Default: unweighted.
   */
  weightAttribute?: string
}

/** The node table of a network: degree, betweenness, closeness and community of every node. */
export async function networkMetrics<N extends Attributes, E extends Attributes>(
  graph: AbstractGraph<N, E>,
  options: NetworkMetricsOptions = {},
): Promise<NetworkMetrics> {
  const central = await centralities(graph, { ...options, lengthAttribute: options.lengthAttribute ?? options.weightAttribute })
  const groups = communities(graph, { seed: options.seed, weightAttribute: options.weightAttribute })
  const metrics = new Map<string, NodeMetrics>()
  for (const [key, c] of central.byNode) metrics.set(key, { ...c, community: groups.community.get(key)! })
  return {
    nodes: graph.order,
    edges: graph.size,
    components: countConnectedComponents(graph),
    communities: groups.count,
    modularity: groups.modularity,
    metrics,
    betweennessEstimate: central.estimate,
  }
}
