// What a betweenness run gives back, exact or estimated: its own file so that the estimator and
// the runner share it without importing each other.

/** How far an estimate may be from the exact values: a simultaneous bound for every node. */
export interface BetweennessError {
  /** With probability at least 1 - delta, every node's estimate is within epsilon of its exact betweenness (same scale). */
  epsilon: number
  delta: number
}

export interface BetweennessResult {
  /** Betweenness by node index. */
  betweenness: Float64Array
  /**
   * Closeness by node index, as igraph 0.10 defines it: over the nodes a node reaches (along
   * outgoing arcs when directed), (number reached) / (sum of their distances); NaN for a node that
   * reaches none. Only an exact run computes it.
   */
  closeness?: Float64Array
  exact: boolean
  /** Sources traversed: n when exact, else the sample size. */
  sources: number
  threads: number
  /** Present for an estimate. */
  error?: BetweennessError
}
