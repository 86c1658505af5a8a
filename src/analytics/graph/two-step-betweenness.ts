import type { CompactGraph } from './compact.ts'

/**
 * The exact part of betweenness that comes from pairs of nodes two steps apart, raw (unordered
 * pairs, not normalised), on an undirected unweighted graph: for every pair u, w with no link
 * between them and c common neighbours, each common neighbour gets 1/c. It is what igraph's
 * `betweenness(cutoff = 2)` counts, and it is the part the sampled estimator leaves unsampled: a
 * node with few brokering roles earns most of its betweenness here, where a sample of sources
 * would see it rarely.
 *
 * Two-step paths are counted from each u into a scratch array, so the cost is the sum of the
 * squared degrees, not a traversal from every node. Also returns, for each node, how many nodes
 * are exactly two steps from it.
 */
export function twoStepBetweenness(graph: CompactGraph): { betweenness: Float64Array; twoStepsAway: Int32Array } {
  if (graph.directed || graph.lengths) throw new RangeError('two-step betweenness needs an undirected, unweighted graph')
  const { n, offsets, targets } = graph
  const result = new Float64Array(n)
  // For each node, how many nodes are exactly two steps from it: the sampled estimator's strata.
  const twoStepsAway = new Int32Array(n)
  // common[w]: common neighbours of the current u and w (for w > u not linked to u).
  const common = new Int32Array(n)
  // linkedTo[w] === u when w is u or one of u's neighbours.
  const linkedTo = new Int32Array(n).fill(-1)
  for (let u = 0; u < n; u++) {
    const first = offsets[u]
    const last = offsets[u + 1]
    linkedTo[u] = u
    for (let e = first; e < last; e++) linkedTo[targets[e]] = u
    for (let e = first; e < last; e++) {
      const v = targets[e]
      for (let f = offsets[v], end = offsets[v + 1]; f < end; f++) {
        const w = targets[f]
        if (w > u && linkedTo[w] !== u && common[w]++ === 0) {
          twoStepsAway[u]++
          twoStepsAway[w]++
        }
      }
    }
    for (let e = first; e < last; e++) {
      const v = targets[e]
      let credit = 0
      for (let f = offsets[v], end = offsets[v + 1]; f < end; f++) {
        const w = targets[f]
        if (w > u && linkedTo[w] !== u) credit += 1 / common[w]
      }
      result[v] += credit
    }
    for (let e = first; e < last; e++) {
      const v = targets[e]
      for (let f = offsets[v], end = offsets[v + 1]; f < end; f++) common[targets[f]] = 0
    }
  }
  return { betweenness: result, twoStepsAway }
}
