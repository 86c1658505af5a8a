/**
 * What a Brandes traversal adds up per node over the sources it processes: shared by the exact
 * kernels, the batched kernel, the workers and the sampled estimator.
 */
export interface BrandesTotals {
  /** Sum over processed sources s of the dependency of s on each node (Brandes' delta). */
  dependency: Float64Array
  /** For each processed source: how many other nodes it reaches. */
  reached: Float64Array
  /** For each processed source: the sum of the distances to the nodes it reaches. */
  distanceSum: Float64Array
  /** Sum over processed sources of the square of each source's contribution to `dependency`: the sample variance of an estimate. */
  squares: Float64Array
  /**
   * For an estimate: the same sums over only the sources exactly two (`rings[0]`) and exactly three
   * (`rings[1]`) steps from each node, and how many those were: the estimator's strata.
   */
  rings?: RingTotals[]
}

export interface RingTotals {
  dependency: Float64Array
  squares: Float64Array
  sources: Float64Array
}

/** The distances from a node whose sources the estimator averages apart: 2 and 3. */
export const RING_DISTANCES = [2, 3] as const

/** The ring totals of sources `distance` steps away, or undefined for other distances. */
export function ringAt(totals: BrandesTotals, distance: number): RingTotals | undefined {
  return totals.rings?.[distance - RING_DISTANCES[0]]
}

/** Empty totals for n nodes; `rings` for the sampled estimator's kinds (see dependency-weights.ts). */
export function emptyTotals(n: number, rings = false): BrandesTotals {
  // One allocation for all the arrays: on a small network allocating them one by one cost more
  // than the traversals.
  const buffer = new ArrayBuffer(8 * n * (rings ? 4 + 3 * RING_DISTANCES.length : 4))
  let at = 0
  const next = () => {
    const view = new Float64Array(buffer, at, n)
    at += 8 * n
    return view
  }
  return {
    dependency: next(),
    reached: next(),
    distanceSum: next(),
    squares: next(),
    rings: rings ? RING_DISTANCES.map(() => ({ dependency: next(), squares: next(), sources: next() })) : undefined,
  }
}

/** The buffers of totals, to transfer rather than copy them from a worker. */
export function totalsBuffers(totals: BrandesTotals): ArrayBuffer[] {
  const arrays = [totals.dependency, totals.reached, totals.distanceSum, totals.squares]
  for (const ring of totals.rings ?? []) arrays.push(ring.dependency, ring.squares, ring.sources)
  // Arrays may share one buffer (emptyTotals), and a buffer can be transferred only once.
  return [...new Set(arrays.map((a) => a.buffer as ArrayBuffer))]
}

/** Adds the second totals into the first. */
export function addTotals(into: BrandesTotals, from: BrandesTotals): void {
  for (let i = 0; i < into.dependency.length; i++) {
    into.dependency[i] += from.dependency[i]
    into.reached[i] += from.reached[i]
    into.distanceSum[i] += from.distanceSum[i]
    into.squares[i] += from.squares[i]
  }
  if (into.rings && from.rings) {
    for (let r = 0; r < into.rings.length; r++) {
      const a = into.rings[r]
      const b = from.rings[r]
      for (let i = 0; i < into.dependency.length; i++) {
        a.dependency[i] += b.dependency[i]
        a.squares[i] += b.squares[i]
        a.sources[i] += b.sources[i]
      }
    }
  }
}
