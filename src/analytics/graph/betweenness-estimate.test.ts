import { describe, expect, it } from 'vitest'
import { betweennessSync } from './betweenness.ts'
import { compactFromEdges, type CompactGraph } from './compact.ts'
import { leastSquaresFit } from './least-squares.ts'
import { randomEdges } from './random-graph.ts'
import { spearman, topOverlap } from './rank-agreement.ts'
import { nodesThreeStepsAway } from './three-steps-away.ts'
import { twoStepBetweenness } from './two-step-betweenness.ts'

/** How many nodes lie exactly d steps from v, by plain breadth-first search. */
function atDistance(graph: CompactGraph, v: number, d: number): number {
  const dist = new Int32Array(graph.n).fill(-1)
  dist[v] = 0
  const queue = [v]
  let count = 0
  for (let i = 0; i < queue.length; i++) {
    const u = queue[i]
    if (dist[u] === d) count++
    for (let e = graph.offsets[u]; e < graph.offsets[u + 1]; e++) {
      const w = graph.targets[e]
      if (dist[w] < 0) {
        dist[w] = dist[u] + 1
        queue.push(w)
      }
    }
  }
  return count
}

describe('the estimator: three-step strata and the move towards the local model', () => {
  const n = 2000
  const { from, to } = randomEdges(n, 8000, 9)
  const graph = compactFromEdges(n, from, to)
  const exact = betweennessSync(graph).betweenness

  it('counts the nodes exactly three steps from every node', () => {
    const counts = nodesThreeStepsAway(graph)
    for (let v = 0; v < n; v += 7) expect(counts[v]).toBe(atDistance(graph, v, 3))
  })

  it('from 64 sources ranks better than igraph-style cutoff = 2 (the exact two-step part alone), and the bound holds for every node, seed after seed', () => {
    const scale = 2 / ((n - 1) * (n - 2))
    const twoStepOnly = twoStepBetweenness(graph).betweenness.map((x) => x * scale)
    for (const seed of [1, 2, 3, 4, 5]) {
      const estimate = betweennessSync(graph, { pivots: 64, seed })
      expect(estimate.exact).toBe(false)
      expect(spearman(estimate.betweenness, exact)).toBeGreaterThan(spearman(twoStepOnly, exact))
      expect(topOverlap(estimate.betweenness, exact, 100)).toBeGreaterThanOrEqual(topOverlap(twoStepOnly, exact, 100))
      for (let v = 0; v < n; v++) expect(Math.abs(estimate.betweenness[v] - exact[v])).toBeLessThanOrEqual(estimate.error!.epsilon)
    }
  })

  it('gives the same estimate for the same seed', () => {
    const a = betweennessSync(graph, { pivots: 64, seed: 8 })
    const b = betweennessSync(graph, { pivots: 64, seed: 8 })
    expect([...a.betweenness]).toEqual([...b.betweenness])
    expect(a.error).toEqual(b.error)
  })

  it('keeps a broker its neighbourhood does not predict at the top: two random networks joined through one person', () => {
    // Two G(1000, 4000) joined only through node 2000, linked to one node on each side: its
    // degree and its two-step counts are low, yet every path between the halves passes it (and
    // its two contacts, which come just above it).
    const half = randomEdges(1000, 4000, 11)
    const other = randomEdges(1000, 4000, 12)
    const joined = compactFromEdges(
      2001,
      [...half.from, ...other.from.map((v) => v + 1000), 2000, 2000],
      [...half.to, ...other.to.map((v) => v + 1000), 0, 1000],
    )
    const truth = betweennessSync(joined).betweenness
    const topThree = (xs: Float64Array) => [...xs.keys()].sort((a, b) => xs[b] - xs[a]).slice(0, 3).sort((a, b) => a - b)
    expect(topThree(truth)).toEqual([0, 1000, 2000])
    for (const seed of [1, 2, 3]) {
      const estimate = betweennessSync(joined, { pivots: 64, seed })
      expect(topThree(estimate.betweenness)).toEqual([0, 1000, 2000])
      expect(Math.abs(estimate.betweenness[2000] - truth[2000])).toBeLessThanOrEqual(estimate.error!.epsilon)
    }
  })
})

describe('the estimator on degenerate graphs', () => {
  it('gives finite values within the bound on a graph without links, a star and a path', () => {
    const n = 60
    const none = compactFromEdges(n, [], [])
    const star = compactFromEdges(n, Array.from({ length: n - 1 }, () => 0), Array.from({ length: n - 1 }, (_, i) => i + 1))
    const path = compactFromEdges(n, Array.from({ length: n - 1 }, (_, i) => i), Array.from({ length: n - 1 }, (_, i) => i + 1))
    for (const graph of [none, star, path]) {
      const exact = betweennessSync(graph).betweenness
      const estimate = betweennessSync(graph, { pivots: 20, seed: 1 })
      for (let v = 0; v < n; v++) {
        expect(Number.isFinite(estimate.betweenness[v])).toBe(true)
        // The star is exact: folding its leaves leaves one traversal, fewer than the 20 asked for.
        expect(Math.abs(estimate.betweenness[v] - exact[v])).toBeLessThanOrEqual(estimate.exact ? 1e-12 : estimate.error!.epsilon)
      }
    }
  })
})

describe('least squares', () => {
  it('recovers an exact linear relation, and copes with a column that repeats another', () => {
    const x = Float64Array.from({ length: 50 }, (_, i) => i)
    const y = x.map((v) => 3 + 2 * v)
    const fitted = leastSquaresFit([x, x.map((v) => 2 * v)], y)
    for (let i = 0; i < 50; i++) expect(fitted[i]).toBeCloseTo(y[i], 9)
  })
})
