import type { AbstractGraph, Attributes } from 'graphology-types'
import { betweenness, type BetweennessError, type BetweennessOptions } from './betweenness.ts'
import { compactFromGraphology } from './compact.ts'

export interface CentralityOptions extends BetweennessOptions {
  /**
   * Edge attribute holding a positive length, making shortest paths (and so betweenness and
   * closeness) weighted. Lengths are distances, as igraph and NetworkX read weights: a strong tie
   * should have a short length (e.g. 1 / number of calls).
   */
  lengthAttribute?: string
}

export interface NodeCentrality {
  /** Number of links at the node (in plus out when directed, as igraph's mode "all"). */
  degree: number
  /** Normalised betweenness (see `BetweennessOptions.normalised`), estimated when `pivots` or `epsilon` is set. */
  betweenness: number
  /**
   * igraph 0.10's closeness: (number of nodes reached) / (sum of distances to them), counting only
   * the nodes a node can reach. NaN for an isolated node, and for every node when betweenness
   * was sampled (closeness would cost as much as exact betweenness).
   */
  closeness: number
}

export interface Centralities {
  /** By node, in the graph's node order. */
  byNode: Map<string, NodeCentrality>
  /** Present when betweenness was estimated: from how many sources, and its error bound. */
  estimate?: BetweennessError & { sources: number }
}

/** Degree, betweenness and closeness of every node. */
export async function centralities<N extends Attributes, E extends Attributes>(
  graph: AbstractGraph<N, E>,
  options: CentralityOptions = {},
): Promise<Centralities> {
  const attribute = options.lengthAttribute
  const { graph: compact, keys } = compactFromGraphology(graph, {
    length: attribute === undefined ? undefined : (attributes) => Number(attributes[attribute]),
  })
  const result = await betweenness(compact, options)
  const byNode = new Map(
    keys.map((key, i) => [
      key,
      { degree: graph.degree(key), betweenness: result.betweenness[i], closeness: result.closeness ? result.closeness[i] : NaN },
    ]),
  )
  return { byNode, estimate: result.error && { ...result.error, sources: result.sources } }
}
