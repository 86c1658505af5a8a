import type { AbstractGraph, Attributes } from 'graphology-types'
import louvainModule from 'graphology-communities-louvain'
import { seededRandom } from './rng.ts'

// The package is CommonJS (`module.exports = louvain`) with ES-style typings, so under NodeNext
// TypeScript believes the default import is a namespace holding `default`; at run time it is the
// function itself.
const louvain = louvainModule as unknown as typeof louvainModule.default

export interface CommunityOptions {
  /** Seed of Louvain's random choices: the same graph and seed give the same communities. Default 1. */
  seed?: number
  /** Edge attribute holding a tie strength (heavier = closer), for weighted modularity. Default unweighted. */
  weightAttribute?: string
  /** Modularity resolution; above 1 finds smaller communities. Default 1. */
  resolution?: number
}

export interface Communities {
  /** Community number of each node, numbered 0, 1, ... in order of each community's first node. */
  community: Map<string, number>
  count: number
  modularity: number
}

/** Louvain communities, deterministic for a given seed. */
export function communities<N extends Attributes, E extends Attributes>(graph: AbstractGraph<N, E>, options: CommunityOptions = {}): Communities {
  if (graph.size === 0) {
    // Louvain has nothing to optimise: every node is its own community.
    return { community: new Map(graph.nodes().map((key, i) => [key, i])), count: graph.order, modularity: NaN }
  }
  const detailed = louvain.detailed(graph, {
    rng: seededRandom(options.seed ?? 1),
    getEdgeWeight: options.weightAttribute ?? null,
    resolution: options.resolution ?? 1,
  })
  const renumber = new Map<number, number>()
  const community = new Map<string, number>()
  for (const key of graph.nodes()) {
    const raw = detailed.communities[key]
    if (!renumber.has(raw)) renumber.set(raw, renumber.size)
    community.set(key, renumber.get(raw)!)
  }
  return { community, count: renumber.size, modularity: detailed.modularity }
}
