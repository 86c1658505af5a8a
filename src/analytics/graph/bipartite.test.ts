import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { parseAdjacencyCsv } from './csv-input.ts'
import { bipartiteDensity, bipartiteNetwork, projection, projectionMeasures, projectionSize, twoModeMeasures, type BipartiteNetwork } from './bipartite.ts'
import { parseTwoModeEdgeCsv } from './bipartite-input.ts'
import fixture from './fixtures/bipartite-igraph.json' with { type: 'json' }

// python-igraph 0.10's numbers, computed once by bench/igraph-bipartite-reference.py.
const DATA = '../shared/data/networks'

interface IgraphNode {
  degree: number
  betweenness: number
  closeness: number | null
  strength?: number
}
interface IgraphProjection {
  nodes: number
  edges: number
  density: number
  components: number
  weights: [string, string, number][]
  metrics: Record<string, IgraphNode>
}
interface IgraphTwoMode {
  first: string[]
  second: string[]
  nodes: number
  edge_count: number
  components: number
  density: number
  metrics: Record<string, IgraphNode>
  projection_size: [number, number, number, number]
  projections: [IgraphProjection, IgraphProjection]
}
const networks = fixture.networks as unknown as Record<string, IgraphTwoMode>

/** People by CAVIAR phase: a person is in a phase when they have a link in its matrix. */
function caviarPhases(): BipartiteNetwork {
  const people: string[] = []
  const phases: string[] = []
  const ties: [string, string][] = []
  for (let i = 1; i <= 11; i++) {
    const phase = `phase${i}`
    phases.push(phase)
    const parsed = parseAdjacencyCsv(readFileSync(`${DATA}/caviar-phases/${phase}.csv`, 'utf8'))
    const present = new Set(parsed.edges.flatMap((e) => [e.source, e.target]))
    parsed.labels.forEach((label, n) => {
      if (!present.has(n)) return
      if (!people.includes(label)) people.push(label)
      ties.push([label, phase])
    })
  }
  return bipartiteNetwork(people, phases, ties)
}

const inputs: Record<string, () => BipartiteNetwork> = {
  'caviar-phases': caviarPhases,
  generated: () => parseTwoModeEdgeCsv(readFileSync('src/analytics/graph/fixtures/two-mode-generated.csv', 'utf8')),
}

function expectNode(label: string, got: { degree: number; betweenness: number; closeness: number; strength?: number }, want: IgraphNode) {
  expect(got.degree, label).toBe(want.degree)
  expect(Math.abs(got.betweenness - want.betweenness), label).toBeLessThan(1e-9)
  if (want.closeness === null) expect(got.closeness, label).toBeNaN()
  else expect(Math.abs(got.closeness - want.closeness), label).toBeLessThan(1e-9)
  if (want.strength !== undefined) expect(got.strength, label).toBe(want.strength)
}

describe('two-mode networks against python-igraph', () => {
  it.each(Object.keys(inputs))('%s: degree, betweenness, closeness and bipartite density of the two-mode graph', async (name) => {
    const want = networks[name]
    const network = inputs[name]()
    expect(network.first).toEqual(want.first)
    expect([...network.second].sort()).toEqual([...want.second].sort())
    const measures = await twoModeMeasures(network)
    expect(measures.nodes.first + measures.nodes.second).toBe(want.nodes)
    expect(measures.ties).toBe(want.edge_count)
    expect(measures.components).toBe(want.components)
    expect(Math.abs(measures.density - want.density)).toBeLessThan(1e-12)
    for (const [label, node] of [...measures.first, ...measures.second]) expectNode(label, node, want.metrics[label])
  })

  it.each(Object.keys(inputs))('%s: both projections, their weights (shared neighbours) and their measures', async (name) => {
    const want = networks[name]
    const network = inputs[name]()
    const size = projectionSize(network)
    expect([size.first.nodes, size.first.edges, size.second.nodes, size.second.edges]).toEqual(want.projection_size)
    for (const [i, mode] of (['first', 'second'] as const).entries()) {
      const projected = projection(network, mode)
      const expected = want.projections[i]
      const weights = projected.edges.map((e) => [projected.labels[e.source], projected.labels[e.target]].sort().concat(String(e.weight)))
      expect(weights.sort()).toEqual(expected.weights.map(([a, b, w]) => [a, b].sort().concat(String(w))).sort())
      const measures = await projectionMeasures(projected)
      expect(measures.nodes).toBe(expected.nodes)
      expect(measures.edges).toBe(expected.edges)
      expect(measures.components).toBe(expected.components)
      expect(Math.abs(measures.density - expected.density)).toBeLessThan(1e-12)
      for (const [label, node] of measures.byNode) expectNode(label, node, expected.metrics[label])
    }
  })
})

describe('bipartite networks', () => {
  const small = bipartiteNetwork(['ann', 'bob', 'cat', 'dan'], ['party', 'phone'], [
    ['ann', 'party'],
    ['bob', 'party'],
    ['cat', 'party'],
    ['ann', 'phone'],
    ['bob', 'phone'],
    ['ann', 'phone', 2],
  ])

  it('keeps each pair once, adding repeated ties, and keeps an isolated node', () => {
    expect(small.ties).toHaveLength(5)
    expect(small.ties.find((t) => t.first === 0 && t.second === 1)!.weight).toBe(3)
    expect(bipartiteDensity(small)).toBe(5 / 8)
  })

  it('weights a projected pair by how many nodes of the other mode they share, and says which', () => {
    const people = projection(small, 'first')
    expect(people.edges.map((e) => [people.labels[e.source], people.labels[e.target], e.weight, e.shared.map((s) => small.second[s])])).toEqual([
      ['ann', 'bob', 2, ['party', 'phone']],
      ['ann', 'cat', 1, ['party']],
      ['bob', 'cat', 1, ['party']],
    ])
    const things = projection(small, 'second')
    expect(things.edges).toEqual([{ source: 0, target: 1, weight: 2, shared: [0, 1] }])
  })

  it('refuses a label listed twice in one mode but allows the same label in both', () => {
    expect(() => bipartiteNetwork(['a', 'a'], ['x'], [])).toThrow(/twice/)
    expect(bipartiteNetwork(['a'], ['a'], [['a', 'a']]).ties).toHaveLength(1)
  })
})
