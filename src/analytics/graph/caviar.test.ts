import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { parseAdjacencyCsv, graphFromParsed } from './csv-input.ts'
import { networkMetrics } from './metrics.ts'
import { compactFromEdges, type CompactOptions } from './compact.ts'
import { betweenness, betweennessSync } from './betweenness.ts'
import fixture from './fixtures/caviar-igraph.json' with { type: 'json' }

// The fixture holds python-igraph 0.10's numbers, computed once by bench/igraph-reference.py.
const DATA = '../shared/data/networks'

interface IgraphNode {
  degree: number
  betweenness: number
  closeness: number | null
}
interface IgraphNetwork {
  nodes: number
  edges: number
  components: number
  metrics: Record<string, IgraphNode>
}
const networks = fixture.networks as Record<string, IgraphNetwork>

function read(name: string) {
  return parseAdjacencyCsv(readFileSync(`${DATA}/${name}`, 'utf8'))
}

function compactOf(parsed: ReturnType<typeof read>, options?: CompactOptions) {
  return compactFromEdges(
    parsed.labels.length,
    parsed.edges.map((e) => e.source),
    parsed.edges.map((e) => e.target),
    options,
  )
}

describe('CAVIAR against python-igraph', () => {
  it.each(Object.keys(networks))('%s: degree, betweenness and closeness equal igraph to 1e-9', async (name) => {
    const expected = networks[name]
    const parsed = read(name)
    const result = await networkMetrics(graphFromParsed(parsed))
    expect(result.nodes).toBe(expected.nodes)
    expect(result.edges).toBe(expected.edges)
    expect(result.components).toBe(expected.components)
    expect([...result.metrics.keys()].sort()).toEqual(Object.keys(expected.metrics).sort())
    for (const [label, node] of result.metrics) {
      const want = expected.metrics[label]
      expect(node.degree, label).toBe(want.degree)
      expect(Math.abs(node.betweenness - want.betweenness), label).toBeLessThan(1e-9)
      if (want.closeness === null) expect(node.closeness, label).toBeNaN()
      else expect(Math.abs(node.closeness - want.closeness), label).toBeLessThan(1e-9)
    }
  })

  it('worker threads give the same betweenness as one thread (full network)', async () => {
    const parsed = read('caviar-full.csv')
    const graph = compactOf(parsed)
    const single = betweennessSync(graph)
    const threaded = await betweenness(graph, { threads: 2 })
    expect(threaded.threads).toBe(2)
    for (let i = 0; i < graph.n; i++) {
      expect(Math.abs(threaded.betweenness[i] - single.betweenness[i])).toBeLessThan(1e-12)
      expect(threaded.closeness![i]).toBeCloseTo(single.closeness![i], 12)
    }
  })

  it('asked for a sample as large as the exact run, gives the exact values (igraph’s), not an estimate', () => {
    const parsed = read('caviar-full.csv')
    const graph = compactOf(parsed)
    // 110 actors, over half of them with one contact: the exact run traverses from fewer than 64.
    const sampled = betweennessSync(graph, { pivots: 64, seed: 1 })
    expect(sampled.exact).toBe(true)
    expect(sampled.error).toBeUndefined()
    const want = networks['caviar-full.csv'].metrics
    parsed.labels.forEach((label, i) => expect(Math.abs(sampled.betweenness[i] - want[label].betweenness), label).toBeLessThan(1e-9))
  })

  it('actors 1 and 12 are the top brokers by betweenness and the known core (1, 3, 12) is in the top five', async () => {
    const result = await networkMetrics(graphFromParsed(read('caviar-full.csv')))
    const ranked = [...result.metrics].sort((a, b) => b[1].betweenness - a[1].betweenness).map(([label]) => label)
    expect(ranked.slice(0, 2)).toEqual(['1', '12'])
    expect(ranked.slice(0, 5)).toContain('3')
  })
})

describe('CAVIAR against the published centralities (Anastasiadis & Antoniou 2024)', () => {
  // Their undirected betweenness weights each tie by 1 / (calls both ways): a path through
  // frequent callers is "shorter". Reproducing it exactly checks the weighted (Dijkstra) kernel.
  it('weighted betweenness with length 1/calls matches the published values, and 1, 3, 12 rank top', () => {
    const parsed = read('caviar-full.csv')
    const graph = compactOf(parsed, { lengths: parsed.edges.map((e) => 1 / e.weight) })
    const ours = betweennessSync(graph).betweenness
    const published = new Map(
      readFileSync(`${DATA}/reference/centralities_full_undirected.csv`, 'utf8')
        .trim()
        .split('\n')
        .slice(1)
        .map((line) => line.split(','))
        .map(([node, value]) => [node, Number(value)]),
    )
    expect(published.size).toBe(parsed.labels.length)
    parsed.labels.forEach((label, i) => {
      expect(Math.abs(ours[i] - published.get(label)!), label).toBeLessThan(1e-9)
    })
    const ranked = parsed.labels.map((label, i) => [label, ours[i]] as const).sort((a, b) => b[1] - a[1])
    expect(ranked.slice(0, 3).map(([label]) => label)).toEqual(['1', '3', '12'])
  })
})
