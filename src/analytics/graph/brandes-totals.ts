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
  /** For an estimate: the same sums over only the sources exactly two steps from each node, and how many those were. */
  ring?: { dependency: Float64Array; squares: Float64Array; sources: Float64Array }
}

/** Empty totals for n nodes; `ring` for the sampled estimator's kinds (see dependency-weights.ts). */
export function emptyTotals(n: number, ring = false): BrandesTotals {
  return {
    dependency: new Float64Array(n),
    reached: new Float64Array(n),
    distanceSum: new Float64Array(n),
    squares: new Float64Array(n),
    ring: ring ? { dependency: new Float64Array(n), squares: new Float64Array(n), sources: new Float64Array(n) } : undefined,
  }
}

/** The buffers of totals, to transfer rather than copy them from a worker. */
export function totalsBuffers(totals: BrandesTotals): ArrayBuffer[] {
  const arrays = [totals.dependency, totals.reached, totals.distanceSum, totals.squares]
  if (totals.ring) arrays.push(totals.ring.dependency, totals.ring.squares, totals.ring.sources)
  return arrays.map((a) => a.buffer as ArrayBuffer)
}

/** Adds the second totals into the first. */
export function addTotals(into: BrandesTotals, from: BrandesTotals): void {
  for (let i = 0; i < into.dependency.length; i++) {
    into.dependency[i] += from.dependency[i]
    into.reached[i] += from.reached[i]
    into.distanceSum[i] += from.distanceSum[i]
    into.squares[i] += from.squares[i]
  }
  if (into.ring && from.ring) {
    for (let i = 0; i < into.dependency.length; i++) {
      into.ring.dependency[i] += from.ring.dependency[i]
      into.ring.squares[i] += from.ring.squares[i]
      into.ring.sources[i] += from.ring.sources[i]
    }
  }
}
