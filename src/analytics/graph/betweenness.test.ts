import { describe, expect, it } from 'vitest'
import { DirectedGraph, UndirectedGraph } from 'graphology'
import betweennessModule from 'graphology-metrics/centrality/betweenness.js'
import { betweenness, betweennessSync } from './betweenness.ts'
import { compactFromEdges, compactFromGraphology } from './compact.ts'
import { brandesKernel, singleSourceBrandes } from './brandes.ts'
import { emptyTotals } from './brandes-totals.ts'
import { twoStepBetweenness } from './two-step-betweenness.ts'
import { spearman } from './rank-agreement.ts'
import { batchedBrandes } from './brandes-batched.ts'
import { randomEdges } from './random-graph.ts'
import { seededRandom } from './rng.ts'

// CommonJS with ES-style typings: see communities.ts.
const graphologyBetweenness = betweennessModule as unknown as typeof betweennessModule.default

function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(a[i]) && Number.isNaN(b[i])) continue
    worst = Math.max(worst, Math.abs(a[i] - b[i]))
  }
  return worst
}

function correlation(a: Float64Array, b: Float64Array): number {
  const mean = (xs: Float64Array) => xs.reduce((s, x) => s + x, 0) / xs.length
  const ma = mean(a)
  const mb = mean(b)
  let ab = 0
  let aa = 0
  let bb = 0
  for (let i = 0; i < a.length; i++) {
    ab += (a[i] - ma) * (b[i] - mb)
    aa += (a[i] - ma) ** 2
    bb += (b[i] - mb) ** 2
  }
  return ab / Math.sqrt(aa * bb)
}

describe('exact betweenness with leaves folded into their neighbours', () => {
  it('gives leaves, their neighbours, a tree and a component of two the values of a traversal from every node', () => {
    // A path 0-1-2-3 with a second leaf 4 on 1, and a separate pair 5-6 (each the other's only neighbour).
    const graph = compactFromEdges(7, [0, 1, 2, 4, 5], [1, 2, 3, 1, 6])
    const folded = betweennessSync(graph, { normalised: false })
    const everySource = emptyTotals(7)
    const run = singleSourceBrandes(graph, everySource)
    for (let s = 0; s < 7; s++) run(s)
    expect(Array.from(folded.betweenness)).toEqual([0, 5, 3, 0, 0, 0, 0])
    expect(Array.from(folded.betweenness)).toEqual(Array.from(everySource.dependency, (d) => d / 2))
    expect(Array.from(folded.closeness!)).toEqual(Array.from(everySource.reached, (r, i) => r / everySource.distanceSum[i]))
  })
})

describe('exact betweenness', () => {
  it('a path of five: the middle carries the most, the ends none (normalised 2*raw/((n-1)(n-2)))', () => {
    const graph = compactFromEdges(5, [0, 1, 2, 3], [1, 2, 3, 4])
    const { betweenness: b, closeness } = betweennessSync(graph)
    // raw: 0, 3, 4, 3, 0; scale 2/12
    expect([...b]).toEqual([0, 0.5, 4 / 6, 0.5, 0])
    expect(closeness![2]).toBeCloseTo(4 / 6, 15)
  })

  it('a star: the hub lies on every path, and raw values are available', () => {
    const graph = compactFromEdges(5, [0, 0, 0, 0], [1, 2, 3, 4])
    expect(betweennessSync(graph).betweenness[0]).toBe(1)
    expect(betweennessSync(graph, { normalised: false }).betweenness[0]).toBe(6)
  })

  it('an isolated node has closeness NaN and betweenness 0; tiny graphs normalise to 0', () => {
    const graph = compactFromEdges(3, [0], [1])
    const result = betweennessSync(graph)
    expect(result.closeness![2]).toBeNaN()
    expect([...result.betweenness]).toEqual([0, 0, 0])
    expect([...betweennessSync(compactFromEdges(2, [0], [1])).betweenness]).toEqual([0, 0])
  })

  it('counts shortest paths, splitting credit between equal routes (a square)', () => {
    const graph = compactFromEdges(4, [0, 1, 2, 3], [1, 2, 3, 0])
    // each node lies on half of the two shortest paths between its two neighbours: raw 0.5
    expect(betweennessSync(graph, { normalised: false }).betweenness[0]).toBe(0.5)
  })

  it.each([
    ['undirected', false],
    ['directed', true],
  ])('matches graphology-metrics on a random %s graph', (_name, directed) => {
    const { from, to } = randomEdges(300, 900, 7)
    const graph = directed ? new DirectedGraph() : new UndirectedGraph()
    for (let i = 0; i < 300; i++) graph.addNode(String(i))
    for (let e = 0; e < from.length; e++) graph.addEdge(String(from[e]), String(to[e]))
    const expected = graphologyBetweenness(graph, { getEdgeWeight: null })
    const ours = betweennessSync(compactFromGraphology(graph).graph).betweenness
    expect(maxDifference(ours, graph.nodes().map((k) => expected[k]))).toBeLessThan(1e-12)
  })

  it('matches graphology-metrics on a weighted graph, where lengths are distances', () => {
    const { from, to } = randomEdges(200, 700, 11)
    const random = seededRandom(3)
    const graph = new UndirectedGraph<{ [k: string]: unknown }, { length: number }>()
    for (let i = 0; i < 200; i++) graph.addNode(String(i))
    // Whole-number lengths make many ties, which is where counting equal paths goes wrong.
    for (let e = 0; e < from.length; e++) graph.addEdge(String(from[e]), String(to[e]), { length: 1 + Math.floor(random() * 3) })
    const expected = graphologyBetweenness(graph, { getEdgeWeight: 'length' })
    const ours = betweennessSync(compactFromGraphology(graph, { length: (a) => a.length }).graph).betweenness
    expect(maxDifference(ours, graph.nodes().map((k) => expected[k]))).toBeLessThan(1e-12)
  })

  it('worker threads agree with one thread, weighted and directed too', async () => {
    const { from, to } = randomEdges(400, 1600, 5)
    const lengths = Array.from(from, (_, i) => 1 + (i % 4))
    for (const graph of [compactFromEdges(400, from, to, { lengths }), compactFromEdges(400, from, to, { directed: true })]) {
      const single = betweennessSync(graph)
      const threaded = await betweenness(graph, { threads: 2 })
      expect(threaded.threads).toBe(2)
      expect(maxDifference(threaded.betweenness, single.betweenness)).toBeLessThan(1e-12)
      expect(maxDifference(threaded.closeness!, single.closeness!)).toBeLessThan(1e-12)
    }
  })

  it('runs small graphs on the calling thread when left to choose', async () => {
    const graph = compactFromEdges(5, [0, 1, 2, 3], [1, 2, 3, 4])
    expect((await betweenness(graph)).threads).toBe(1)
  })
})

describe('the two unweighted kernels', () => {
  it.each([
    ['undirected', false],
    ['directed', true],
  ])('batched (32 sources at a time) and single-source agree on a sparse %s graph with many components', (_name, directed) => {
    const { from, to } = randomEdges(500, 450, 13)
    const graph = compactFromEdges(500, from, to, { directed })
    // 77 sources: two full batches and a partial one, with a repeated source.
    const sources = Int32Array.from({ length: 77 }, (_, i) => (i * 37) % 500)
    sources[76] = sources[3]
    const single = emptyTotals(500)
    const run = singleSourceBrandes(graph, single)
    for (const s of sources) run(s)
    const batched = emptyTotals(500)
    const runBatched = batchedBrandes(graph, batched)
    runBatched(sources)
    // Again, to show the batched buffers are left clean between calls.
    runBatched(sources)
    expect(maxDifference(batched.dependency, single.dependency.map((x) => 2 * x))).toBeLessThan(1e-9)
    expect([...batched.reached]).toEqual([...single.reached].map((x) => 2 * x))
    expect([...batched.distanceSum]).toEqual([...single.distanceSum].map((x) => 2 * x))
  })

  it('gives the same answer whatever ran before it: kernels on small graphs share their working memory', () => {
    const small = compactFromEdges(40, ...edgePair(randomEdges(40, 70, 3)))
    const larger = compactFromEdges(900, ...edgePair(randomEdges(900, 2000, 4)))
    const alone = betweennessSync(small).betweenness
    // Two kernels alive at once, on graphs of different sizes, run in turns.
    const second = emptyTotals(larger.n)
    const runSecond = batchedBrandes(larger, second)
    const first = emptyTotals(small.n)
    const runFirst = batchedBrandes(small, first)
    const all = (n: number) => Int32Array.from({ length: n }, (_, i) => i)
    runFirst(all(small.n).subarray(0, 20))
    runSecond(all(larger.n))
    runFirst(all(small.n).subarray(20))
    const scale = 1 / ((small.n - 1) * (small.n - 2))
    expect(maxDifference(first.dependency.map((x) => x * scale), alone)).toBeLessThan(1e-12)
    expect(maxDifference(betweennessSync(small).betweenness, alone)).toBe(0)
    const single = emptyTotals(larger.n)
    const run = singleSourceBrandes(larger, single)
    for (let s = 0; s < larger.n; s++) run(s)
    expect(maxDifference(second.dependency, single.dependency)).toBeLessThan(1e-9)
  })
})

function edgePair({ from, to }: { from: ArrayLike<number>; to: ArrayLike<number> }): [ArrayLike<number>, ArrayLike<number>] {
  return [from, to]
}


describe("the sampled estimator's parts", () => {
  it('two-step betweenness is exact betweenness on a graph whose pairs are at most two steps apart, and counts those pairs', () => {
    // A wheel: a hub joined to a cycle of 6.
    const from = [0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6]
    const to = [1, 2, 3, 4, 5, 6, 2, 3, 4, 5, 6, 1]
    const graph = compactFromEdges(7, from, to)
    const { betweenness: two, twoStepsAway } = twoStepBetweenness(graph)
    expect(maxDifference(two, betweennessSync(graph, { normalised: false }).betweenness)).toBeLessThan(1e-12)
    expect([...twoStepsAway]).toEqual([0, 3, 3, 3, 3, 3, 3])
  })

  it('linear shares beyond two steps over every source, plus the two-step part, give exact betweenness', () => {
    // Sparse, so most pairs are more than two steps apart.
    const { from, to } = randomEdges(2000, 3000, 21)
    const graph = compactFromEdges(2000, from, to)
    const totals = emptyTotals(2000, true)
    brandesKernel(graph, totals, 'linear-beyond-two')(Int32Array.from({ length: 2000 }, (_, i) => i))
    const { betweenness: two, twoStepsAway } = twoStepBetweenness(graph)
    const raw = betweennessSync(graph, { normalised: false }).betweenness
    expect(maxDifference(totals.dependency.map((x, i) => x + two[i]), raw)).toBeLessThan(1e-9)
    // Every node was two steps from exactly its two-step count of sources.
    expect([...totals.rings![0].sources]).toEqual([...twoStepsAway])
  })

  it('single-source kernel: the same shares and two-step counts as the batched kernel', () => {
    const { from, to } = randomEdges(800, 1200, 23)
    const graph = compactFromEdges(800, from, to)
    const sources = Int32Array.from({ length: 800 }, (_, i) => i)
    const batched = emptyTotals(800, true)
    brandesKernel(graph, batched, 'linear-beyond-two')(sources)
    const single = emptyTotals(800, true)
    const run = singleSourceBrandes(graph, single, 'linear-beyond-two')
    for (const s of sources) run(s)
    expect(maxDifference(single.dependency, batched.dependency)).toBeLessThan(1e-9)
    expect(maxDifference(single.squares, batched.squares)).toBeLessThan(1e-6)
    expect([...single.rings![0].sources]).toEqual([...batched.rings![0].sources])
    expect(maxDifference(single.rings![0].dependency, batched.rings![0].dependency)).toBeLessThan(1e-9)
  })
})

describe('sampled betweenness', () => {
  const { from, to } = randomEdges(2000, 8000, 9)
  const graph = compactFromEdges(2000, from, to)
  const exact = betweennessSync(graph).betweenness

  it('ranks nodes far better than a plain sample of sources, and every node is within the stated bound', () => {
    const estimate = betweennessSync(graph, { pivots: 200, seed: 3 })
    // A plain sample of 200 sources (Brandes and Pich) on this graph: Spearman 0.83 (measured
    // with the kernel's 'brandes' dependencies scaled by n / k).
    const plain = emptyTotals(2000)
    brandesKernel(graph, plain)(Int32Array.from({ length: 200 }, (_, i) => (i * 997) % 2000))
    expect(spearman(plain.dependency, exact)).toBeLessThan(0.9)
    expect(spearman(estimate.betweenness, exact)).toBeGreaterThan(0.97)
    expect(estimate.error!.delta).toBe(0.05)
    for (let v = 0; v < 2000; v++) expect(Math.abs(estimate.betweenness[v] - exact[v])).toBeLessThanOrEqual(estimate.error!.epsilon)
  })

  it('with epsilon samples until the bound is met, or computes exactly when that is cheaper', async () => {
    const loose = await betweenness(graph, { epsilon: 0.5, seed: 2 })
    expect(loose.exact).toBe(false)
    expect(loose.error!.epsilon).toBeLessThanOrEqual(0.5)
    expect(loose.sources).toBeLessThan(2000)
    const tight = await betweenness(graph, { epsilon: 1e-6 })
    expect(tight.exact).toBe(true)
    expect(maxDifference(tight.betweenness, exact)).toBe(0)
  })

  it('is exact when every node is a pivot', () => {
    const all = betweennessSync(graph, { pivots: 2000 })
    expect(all.exact).toBe(true)
    expect(maxDifference(all.betweenness, exact)).toBe(0)
  })

  it('is repeatable for a seed, different for another, and close to the exact values', () => {
    const a = betweennessSync(graph, { pivots: 400, seed: 4 })
    const b = betweennessSync(graph, { pivots: 400, seed: 4 })
    const c = betweennessSync(graph, { pivots: 400, seed: 5 })
    expect(a.exact).toBe(false)
    expect(a.closeness).toBeUndefined()
    expect([...a.betweenness]).toEqual([...b.betweenness])
    expect([...a.betweenness]).not.toEqual([...c.betweenness])
    // The sampled part is unbiased and the move towards the local model (betweenness-estimate.ts)
    // small: with a fifth of the sources the total is within a few per cent and the estimates
    // follow the exact values (r about 0.92 on this flat random graph).
    const sum = (xs: Float64Array) => xs.reduce((s, x) => s + x, 0)
    expect(Math.abs(sum(a.betweenness) / sum(exact) - 1)).toBeLessThan(0.03)
    expect(correlation(a.betweenness, exact)).toBeGreaterThan(0.88)
  })

  it('rejects a nonsensical number of pivots, epsilon or delta', () => {
    expect(() => betweennessSync(graph, { pivots: 0 })).toThrow(/pivots/)
    expect(() => betweennessSync(graph, { pivots: 2.5 })).toThrow(/pivots/)
    expect(() => betweennessSync(graph, { epsilon: 0 })).toThrow(/epsilon/)
    expect(() => betweennessSync(graph, { pivots: 10, epsilon: 0.1 })).toThrow(/not both/)
    expect(() => betweennessSync(graph, { pivots: 10, delta: 1 })).toThrow(/delta/)
  })

  it('directed graphs are estimated from a plain sample, with a bound that holds', () => {
    const directed = compactFromEdges(2000, from, to, { directed: true })
    const exactDirected = betweennessSync(directed).betweenness
    const estimate = betweennessSync(directed, { pivots: 300 })
    for (let v = 0; v < 2000; v++) expect(Math.abs(estimate.betweenness[v] - exactDirected[v])).toBeLessThanOrEqual(estimate.error!.epsilon)
    expect(correlation(estimate.betweenness, exactDirected)).toBeGreaterThan(0.8)
  })
})

describe('compact graphs', () => {
  it('drops self-loops and merges repeated edges, keeping the shortest length', () => {
    const graph = compactFromEdges(3, [0, 0, 1, 1, 2], [1, 0, 0, 2, 1], { lengths: [5, 1, 2, 1, 4] })
    expect([...graph.offsets]).toEqual([0, 1, 3, 4])
    expect([...graph.targets]).toEqual([1, 0, 2, 1])
    expect([...graph.lengths!]).toEqual([2, 2, 1, 1])
  })

  it('refuses lengths that are not positive and nodes out of range', () => {
    expect(() => compactFromEdges(2, [0], [1], { lengths: [0] })).toThrow(/positive/)
    expect(() => compactFromEdges(2, [0], [2])).toThrow(/outside/)
  })
})
