import type { CompactGraph } from './compact.ts'

/**
 * For each node of an undirected unweighted graph, how many nodes are exactly three steps from it:
 * the size of the sampled estimator's third stratum (see betweenness-estimate.ts), which has to be
 * exact for the stratified mean to stay unbiased. Each node's ball of radius two is walked with a
 * stamp per node (no clearing between nodes), so the cost is `threeStepCost(graph)` arc reads.
 */
export function nodesThreeStepsAway(graph: CompactGraph): Int32Array {
  const { n, offsets, targets } = graph
  const counts = new Int32Array(n)
  // stamp[w] === v once w is known to be within two steps of v (or counted at three).
  const stamp = new Int32Array(n).fill(-1)
  const twoAway = new Int32Array(n)
  for (let v = 0; v < n; v++) {
    stamp[v] = v
    for (let e = offsets[v], end = offsets[v + 1]; e < end; e++) stamp[targets[e]] = v
    let size = 0
    for (let e = offsets[v], end = offsets[v + 1]; e < end; e++) {
      const u = targets[e]
      for (let f = offsets[u], last = offsets[u + 1]; f < last; f++) {
        const w = targets[f]
        if (stamp[w] !== v) {
          stamp[w] = v
          twoAway[size++] = w
        }
      }
    }
    let count = 0
    for (let i = 0; i < size; i++) {
      const u = twoAway[i]
      for (let f = offsets[u], last = offsets[u + 1]; f < last; f++) {
        const w = targets[f]
        if (stamp[w] !== v) {
          stamp[w] = v
          count++
        }
      }
    }
    counts[v] = count
  }
  return counts
}

/**
 * An upper bound on the arcs `nodesThreeStepsAway` reads: for every path v - w - u, u's degree.
 * On a graph with hubs it can exceed many full traversals, which is when the estimator does without.
 */
export function threeStepCost(graph: CompactGraph): number {
  const { n, offsets, targets } = graph
  let cost = 0
  for (let w = 0; w < n; w++) {
    let around = 0
    for (let e = offsets[w], end = offsets[w + 1]; e < end; e++) around += offsets[targets[e] + 1] - offsets[targets[e]]
    cost += (offsets[w + 1] - offsets[w]) * around
  }
  return cost
}
