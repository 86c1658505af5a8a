import type { CompactGraph } from './compact.ts'
import { addTotals, emptyTotals, type BrandesTotals } from './brandes-totals.ts'
import type { DependencyKind } from './dependency-weights.ts'
import type { BetweennessResult } from './betweenness-result.ts'
import { twoStepBetweenness } from './two-step-betweenness.ts'

/**
 * A sampled betweenness estimate and its error bound, built up from traversals of sources drawn
 * independently and uniformly (with replacement).
 *
 * On an undirected unweighted graph (the usual reading of a covert network) three things keep the
 * error low where a plain sample of sources (Brandes and Pich 2007) is worst, on nodes next to a
 * sampled source and on the many nodes of low betweenness:
 * - pairs two steps apart are counted exactly for every node (`twoStepBetweenness`, cheap), and
 *   only pairs three or more steps apart are sampled;
 * - each sampled path's credit is shared along it linearly, none to the source's neighbours (see
 *   dependency-weights.ts), so a sampled source no longer hands its neighbours every path
 *   leaving through them;
 * - the sources are post-stratified by their distance from each node v: those within one step
 *   give v nothing, and those exactly two steps away (whose number is known from the two-step
 *   count) are averaged apart from the rest, so how many of the sample happened to land near v
 *   no longer moves v's estimate.
 * Each stratum's mean is unbiased given how many sources fell in it. Directed or weighted graphs
 * use the plain sample.
 *
 * The bound: given the strata's sample sizes, a stratum's k_h draws are independent and uniform
 * over it, each between 0 and R = n - 2 (raw). By the empirical Bernstein inequality (Maurer and
 * Pontil 2009, theorem 4), its mean is within sqrt(2 V_h ln(12n/delta) / k_h) + 7 R ln(12n/delta)
 * / (3 (k_h - 1)) of the stratum's true mean except with probability delta / (6n) on each side
 * (V_h the sample variance; a stratum with fewer than two draws is bounded by R). A node's error
 * is at most the strata's errors weighted by their sizes, or the two strata taken as one's error
 * plus the distance between the two estimates, whichever is less; a union bound over these three
 * means, two sides and n nodes makes the bound hold for every node at once with probability
 * 1 - delta. The bound reported is the largest over the nodes.
 */
export class BetweennessEstimate {
  readonly kind: DependencyKind
  samples = 0
  private readonly totals: BrandesTotals
  /** Exact betweenness of pairs two steps apart (raw), and each node's count of nodes two steps away. */
  private readonly twoStep: ReturnType<typeof twoStepBetweenness> | undefined
  /** Sampled sources that are v itself or next to v (their credit to v is 0 by construction). */
  private readonly nearSources: Float64Array
  /** Raw (unordered pairs) betweenness to the result's scale. */
  private readonly scale: number

  constructor(
    private readonly graph: CompactGraph,
    normalised: boolean,
  ) {
    const { n } = graph
    this.kind = graph.directed || graph.lengths ? 'brandes' : 'linear-beyond-two'
    this.totals = emptyTotals(n, this.kind !== 'brandes')
    this.nearSources = new Float64Array(n)
    this.scale = normalised ? (n > 2 ? (graph.directed ? 1 : 2) / ((n - 1) * (n - 2)) : 0) : 1
    if (this.kind !== 'brandes') this.twoStep = twoStepBetweenness(graph)
  }

  add(totals: BrandesTotals, sources: Int32Array): void {
    addTotals(this.totals, totals)
    this.samples += sources.length
    const { offsets, targets } = this.graph
    for (const s of sources) {
      this.nearSources[s]++
      for (let e = offsets[s]; e < offsets[s + 1]; e++) this.nearSources[targets[e]]++
    }
  }

  /** The estimate so far, its bound holding with probability at least 1 - delta. */
  result(delta: number, threads: number): BetweennessResult {
    const { n, offsets } = this.graph
    const k = this.samples
    const { dependency, squares, ring } = this.totals
    const range = Math.max(n - 2, 0)
    const log = Math.log((12 * n) / delta)
    // Mean and error bound of a stratum of `size` nodes from its draws' sum and sum of squares.
    const stratum = (size: number, draws: number, sum: number, sumSquares: number) => {
      if (size === 0) return { total: 0, error: 0 }
      if (draws === 0) return { total: 0, error: size * range }
      const mean = sum / draws
      if (draws === 1) return { total: size * mean, error: size * range }
      const variance = Math.max(0, (sumSquares - draws * mean * mean) / (draws - 1))
      return { total: size * mean, error: size * (Math.sqrt((2 * variance * log) / draws) + (7 * range * log) / (3 * (draws - 1))) }
    }
    const betweenness = new Float64Array(n)
    let epsilon = 0
    for (let v = 0; v < n; v++) {
      let estimate
      if (!ring || !this.twoStep) {
        // Brandes' dependencies count each unordered pair twice on an undirected graph.
        const perPair = this.graph.directed ? 1 : 0.5
        const all = stratum(n, k, dependency[v] * perPair, squares[v] * perPair * perPair)
        estimate = { total: all.total, error: all.error }
      } else {
        const twoAway = this.twoStep.twoStepsAway[v]
        const farAway = n - 1 - (offsets[v + 1] - offsets[v]) - twoAway
        const drawsTwo = ring.sources[v]
        const drawsFar = k - this.nearSources[v] - drawsTwo
        const two = stratum(twoAway, drawsTwo, ring.dependency[v], ring.squares[v])
        const far = stratum(farAway, drawsFar, dependency[v] - ring.dependency[v], squares[v] - ring.squares[v])
        // Both strata as one, whose draws are uniform over it all the same: the estimate when a
        // stratum has no draws, and a second bound when one has too few to bound it well.
        const pooled = stratum(twoAway + farAway, drawsTwo + drawsFar, dependency[v], squares[v])
        if (drawsTwo > 0 && drawsFar > 0) {
          const total = two.total + far.total
          estimate = { total, error: Math.min(two.error + far.error, Math.abs(total - pooled.total) + pooled.error) }
        } else {
          estimate = pooled
        }
        estimate.total += this.twoStep.betweenness[v]
      }
      betweenness[v] = estimate.total * this.scale
      epsilon = Math.max(epsilon, estimate.error * this.scale)
    }
    return { betweenness, exact: false, sources: k, threads, error: { epsilon, delta } }
  }
}
