import { describe, expect, it } from 'vitest'
import { UndirectedGraph } from 'graphology'
import { countConnectedComponents } from 'graphology-components'
import { buildNetwork } from './network.ts'
import { components } from './components.ts'
import { communities } from './communities.ts'
import { shortestPath, shortestPaths, childrenNear, nearby } from './paths.ts'
import { brokers, removalEffects } from './brokers.ts'
import { crossBorderLines, crossBorderPairs } from './cross-border.ts'
import { centralities } from './centrality.ts'
import { networkMetrics } from './metrics.ts'
import { compactFromGraphology } from './compact.ts'
import { randomEdges } from './random-graph.ts'
import { countyLine } from './fixtures/county-line.ts'

const network = buildNetwork(countyLine)

describe('components', () => {
  it('lists components largest first, isolated entities last', () => {
    const all = buildNetwork(countyLine, { includeIsolated: true })
    const found = components(all)
    expect(found).toHaveLength(2)
    expect(found[0]).toHaveLength(12)
    expect(found[1]).toEqual(['X1'])
  })
})

describe('centralities', () => {
  it('gives every node degree, betweenness and closeness; the line carries most paths', async () => {
    const table = (await centralities(network)).byNode
    expect(table.get('L1')!.degree).toBe(5)
    const top = [...table].sort((a, b) => b[1].betweenness - a[1].betweenness)[0][0]
    expect(top).toBe('L1')
    expect(table.get('C4')!.closeness).toBeGreaterThan(0)
  })

  it('estimates betweenness from pivots for large scopes, without closeness, and says so with its error bound', async () => {
    const { byNode: table, estimate } = await centralities(network, { pivots: 5, seed: 2 })
    expect(Number.isNaN(table.get('L1')!.closeness)).toBe(true)
    expect(table.get('L1')!.betweenness).toBeGreaterThan(0)
    expect(estimate).toMatchObject({ sources: 5, delta: 0.05 })
    expect(estimate!.epsilon).toBeGreaterThan(0)
    expect((await centralities(network)).estimate).toBeUndefined()
  })
})

describe('communities', () => {
  function twoCliques() {
    const graph = new UndirectedGraph()
    const clique = (names: string[]) => {
      for (const a of names) if (!graph.hasNode(a)) graph.addNode(a)
      names.forEach((a, i) => names.slice(i + 1).forEach((b) => graph.addEdge(a, b)))
    }
    clique(['a1', 'a2', 'a3', 'a4', 'a5'])
    clique(['b1', 'b2', 'b3', 'b4', 'b5'])
    graph.addEdge('a1', 'b1')
    return graph
  }

  it('finds two communities in two cliques joined by one edge, numbered from 0 in node order', () => {
    const found = communities(twoCliques())
    expect(found.count).toBe(2)
    expect(found.community.get('a3')).toBe(0)
    expect(found.community.get('b3')).toBe(1)
    expect(found.modularity).toBeGreaterThan(0.4)
  })

  it('is the same on every run with the same seed', () => {
    const { from, to } = randomEdges(300, 900, 3)
    const graph = new UndirectedGraph()
    for (let i = 0; i < 300; i++) graph.addNode(String(i))
    for (let e = 0; e < from.length; e++) graph.addEdge(String(from[e]), String(to[e]))
    const a = communities(graph, { seed: 7 })
    const b = communities(graph, { seed: 7 })
    expect([...a.community]).toEqual([...b.community])
  })

  it('copes with a network without links', () => {
    const graph = new UndirectedGraph()
    graph.addNode('a')
    graph.addNode('b')
    expect(communities(graph).count).toBe(2)
  })
})

describe('shortest path', () => {
  it('finds the route from the line holder to a child, with the edges to show', () => {
    const path = shortestPath(network, 'N2', 'C3')!
    expect(path.nodes).toEqual(['N2', 'L1', 'P2', 'C3'])
    expect(path.edges.map((e) => network.getEdgeAttributes(e).links[0].id)).toEqual(['l1', 'l5', 'l6'])
  })

  it('returns null between components and refuses unknown entities', () => {
    const all = buildNetwork(countyLine, { includeIsolated: true })
    expect(shortestPath(all, 'N2', 'X1')).toBeNull()
    expect(() => shortestPath(all, 'N2', 'nobody')).toThrow(/nobody/)
  })
})

describe('children near a nominal or line', () => {
  it('finds the children within two steps of the line, with a route to each', () => {
    const found = childrenNear(network, 'L1')
    expect(found.map((c) => [c.id, c.distance])).toEqual([
      ['C1', 1],
      ['C2', 2],
      ['C3', 2],
    ])
    expect(found.find((c) => c.id === 'C2')!.route).toEqual(['L1', 'P1', 'C2'])
  })

  it('from the local dealer reaches a different set; other kinds and distances on request', () => {
    expect(childrenNear(network, 'N3').map((c) => c.id)).toEqual(['C4', 'C3'])
    expect(nearby(network, 'C4', { kind: 'line', steps: 3 }).map((e) => [e.id, e.distance])).toEqual([['L1', 3]])
  })
})

describe('brokers', () => {
  it('ranks the deal line first: removing it splits the network most', async () => {
    const ranked = await brokers(network, { limit: 3 })
    expect(ranked[0]).toMatchObject({ node: 'L1', componentIncrease: 2 })
    expect(ranked[0].largestAfter).toBeLessThan(network.order - 1)
    expect(ranked).toHaveLength(3)
    for (let i = 1; i < ranked.length; i++) expect(ranked[i - 1].componentIncrease).toBeGreaterThanOrEqual(ranked[i].componentIncrease)
  })

  it('breaks ties by betweenness it is given', async () => {
    const graph = new UndirectedGraph()
    for (const n of ['a', 'b', 'c', 'd']) graph.addNode(n)
    graph.addEdge('a', 'b')
    graph.addEdge('b', 'c')
    graph.addEdge('c', 'd')
    const given = new Map([
      ['a', 0],
      ['b', 0.1],
      ['c', 0.9],
      ['d', 0],
    ])
    const ranked = await brokers(graph, { betweenness: given })
    expect(ranked.map((b) => b.node)).toEqual(['c', 'b', 'a', 'd'])
  })

  it('the one-pass removal effects equal removing each node in turn', () => {
    const { from, to } = randomEdges(120, 130, 21)
    const graph = new UndirectedGraph()
    for (let i = 0; i < 120; i++) graph.addNode(String(i))
    for (let e = 0; e < from.length; e++) graph.addEdge(String(from[e]), String(to[e]))
    const effects = removalEffects(compactFromGraphology(graph).graph)
    expect(effects.components).toBe(countConnectedComponents(graph))
    graph.forEachNode((node, _a) => {
      const copy = graph.copy()
      copy.dropNode(node)
      const parts = components(copy)
      const i = Number(node)
      expect(effects.componentsAfter[i], node).toBe(parts.length)
      expect(effects.largestAfter[i], node).toBe(parts.length ? parts[0].length : 0)
    })
  })
})

describe('shortest paths and the alternatives', () => {
  // A square with a diagonal, and a longer way round: a-b-d, a-c-d, a-d directly, a-e-f-d.
  const g = new UndirectedGraph()
  for (const [x, y] of [['a', 'b'], ['b', 'd'], ['a', 'c'], ['c', 'd'], ['a', 'd'], ['a', 'e'], ['e', 'f'], ['f', 'd']]) g.mergeEdge(x, y)

  it('gives the shortest first, then the next shortest, each a simple path, none twice', () => {
    const paths = shortestPaths(g, 'a', 'd', 4).map((p) => p.nodes)
    expect(paths).toEqual([['a', 'd'], ['a', 'b', 'd'], ['a', 'c', 'd'], ['a', 'e', 'f', 'd']])
    for (const p of shortestPaths(g, 'a', 'd', 4)) expect(p.edges).toHaveLength(p.nodes.length - 1)
  })

  it('stops when there are no more ways, and finds none between parts that are not connected', () => {
    expect(shortestPaths(g, 'a', 'd', 10)).toHaveLength(4)
    const apart = g.copy()
    apart.addNode('z')
    expect(shortestPaths(apart, 'a', 'z')).toEqual([])
  })

  it('agrees with the single shortest path on the county line network', () => {
    const [first, second] = shortestPaths(network, 'N2', 'C3', 2)
    expect(first.nodes).toHaveLength(shortestPath(network, 'N2', 'C3')!.nodes.length)
    expect(second.nodes.length).toBeGreaterThanOrEqual(first.nodes.length)
  })
})

describe('cross-border lines', () => {
  it('reports the line with its exporting and importing areas and the links that cross', () => {
    expect(crossBorderLines(network)).toEqual([
      {
        line: 'L1',
        label: 'Deano line',
        exportingArea: 'Lewisham',
        importingAreas: [
          { area: 'Plymouth', entities: ['P2'], links: ['l5'] },
          { area: 'Torbay', entities: ['C1', 'P1'], links: ['l2', 'l16', 'l3'] },
        ],
      },
    ])
  })

  it('counts lines by area pair', () => {
    expect(crossBorderPairs(network)).toEqual([
      { exportingArea: 'Lewisham', importingArea: 'Plymouth', lines: ['L1'], links: 1 },
      { exportingArea: 'Lewisham', importingArea: 'Torbay', lines: ['L1'], links: 3 },
    ])
  })
})

describe('cross-border lines and the partnership’s border', () => {
  const grade = { source: 2, assessment: 'B', handling: 'P' } as const
  // The partnership is Havant and Portsmouth; Lambeth, Southwark and Kent are outside it.
  const area = (name: string, inPartnership: boolean) => ({ localAuthority: name, inPartnership })
  const bordered = buildNetwork({
    entities: [
      { id: 'L', kind: 'line', label: 'JAY', ...area('Lambeth', false) },
      { id: 'H', kind: 'nominal', label: 'Holder', ...area('Southwark', false) },
      { id: 'F', kind: 'location', label: 'Flat', ...area('Havant', true) },
      { id: 'P', kind: 'location', label: 'Trap house', ...area('Portsmouth', true) },
      { id: 'M', kind: 'line', label: 'Local line', ...area('Havant', true) },
      { id: 'K', kind: 'location', label: 'Margate hotel', ...area('Kent', false) },
      { id: 'R', kind: 'nominal', label: 'Kent runner', ...area('Kent', false) },
      { id: 'Q', kind: 'location', label: 'Portsmouth park', ...area('Portsmouth', true) },
    ],
    links: [
      { id: 'runs', source: 'H', target: 'L', type: 'runs', directed: true, grade, status: 'open' },
      { id: 'into', source: 'L', target: 'F', type: 'operates_in', directed: true, grade, status: 'open' },
      { id: 'trap', source: 'L', target: 'P', type: 'operates_in', directed: true, grade, status: 'open' },
      { id: 'out', source: 'M', target: 'K', type: 'operates_in', directed: true, grade, status: 'open' },
      { id: 'boss', source: 'R', target: 'M', type: 'runs', directed: true, grade, status: 'open' },
      { id: 'within', source: 'M', target: 'Q', type: 'operates_in', directed: true, grade, status: 'open' },
    ],
  })

  it('leaves out a link between two areas outside the partnership (London to London is not importing)', () => {
    const pairs = crossBorderPairs(bordered)
    expect(pairs.find((p) => p.importingArea === 'Southwark')).toBeUndefined()
    expect(pairs).toContainEqual({ exportingArea: 'Lambeth', importingArea: 'Havant', crossing: 'into', lines: ['L'], links: 1 })
    expect(pairs).toContainEqual({ exportingArea: 'Lambeth', importingArea: 'Portsmouth', crossing: 'into', lines: ['L'], links: 1 })
  })

  it('counts a partnership line going out where the link runs from the line, not where someone elsewhere runs it', () => {
    const pairs = crossBorderPairs(bordered)
    expect(pairs).toContainEqual({ exportingArea: 'Havant', importingArea: 'Kent', crossing: 'out', lines: ['M'], links: 1 })
    expect(pairs).toContainEqual({ exportingArea: 'Havant', importingArea: 'Portsmouth', crossing: 'within', lines: ['M'], links: 1 })
    expect(pairs).toHaveLength(4)
  })
})

describe('networkMetrics', () => {
  it('gives the node table with communities and counts', async () => {
    const result = await networkMetrics(network)
    expect(result).toMatchObject({ nodes: 12, edges: 13, components: 1 })
    expect([...result.metrics.keys()]).toEqual(network.nodes())
    expect(result.metrics.get('L1')).toEqual(expect.objectContaining({ degree: 5, community: expect.any(Number) }))
  })
})
