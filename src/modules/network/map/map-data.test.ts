import { describe, expect, it } from 'vitest'
import { linkCurvatures, mapData } from './map-data.ts'
import { mapGraph } from './graph.ts'
import { mapSvg } from './svg.ts'
import { MAP_ICONS } from './icons.ts'

const node = (id: string, kind: string, label: string) => ({ id, label, kind, kindText: kind, area: null, rag: kind === 'child' ? 'red' : null, degree: 1, betweenness: 0, closeness: 0, community: 0, href: `/network/entities/${id}` })
const link = (id: string, source: string, target: string, typeText: string, directed = true) =>
  ({ id, source_id: source, target_id: target, typeText, directed, grade: '1BP', grade_assessment: 'B', status: 'open' }) as never

// Dwayne both runs the JAY line and holds its phone; Reece and Dwayne associate (no direction),
// and the line "is operated into" the flat while the flat is linked back the other way round.
const result = {
  description: 'JAY and everything within 2 steps',
  nodes: [node('jay', 'nominal', 'Dwayne (Jay) Okoro'), node('line', 'line', 'JAY (07700 900461)'), node('reece', 'nominal', 'Reece Holloway'), node('flat', 'location', 'Flat 3'), node('kyle', 'child', 'Kyle Marsh')],
  links: [
    link('runs', 'jay', 'line', 'Runs'),
    link('holds', 'jay', 'line', 'Holds the phone of'),
    link('assoc', 'reece', 'jay', 'Associates with', false),
    link('into', 'line', 'flat', 'Operates from or into'),
    link('back', 'flat', 'line', 'Associates with'),
    link('kyle', 'kyle', 'line', 'Holds the phone of'),
  ],
}

describe('the network map’s data', () => {
  it('draws two links between one pair as two edges the graph accepts, bent apart, whichever way round they run', () => {
    const data = mapData(result as never, 'degree')
    const graph = mapGraph(data)
    expect(graph.size).toBe(6)
    expect(graph.edges('jay', 'line')).toHaveLength(2)
    const c = (id: string) => graph.getEdgeAttribute(id, 'curvature') as number
    expect(c('runs')).not.toBe(c('holds'))
    expect(c('runs')).toBeCloseTo(-c('holds'))
    // Opposite links: bending is relative to a link's own direction, so equal curvature would overlap.
    expect(c('into')).toBeCloseTo(c('back'))
    expect(c('into')).not.toBe(0)
    expect(Math.abs(c('assoc'))).toBeLessThan(0.01) // straight to the eye
  })

  it('gives each link an arrow when it has a direction, and a label with its type and 3x5x2 grade', () => {
    const graph = mapGraph(mapData(result as never, 'degree'))
    expect(graph.getEdgeAttributes('runs')).toMatchObject({ type: 'arrow', label: 'Runs 1BP' })
    expect(graph.getEdgeAttributes('assoc')).toMatchObject({ type: 'line', label: 'Associates with 1BP' })
  })

  it('gives every link, the straight ones too, a curvature the curve program can draw', () => {
    // @sigma/edge-curve widens a link's quad by sign(curvature): at exactly 0 the quad has no width
    // and the link is not drawn at all, which left the map's straight links (most of them) missing.
    const graph = mapGraph(mapData(result as never, 'degree'))
    for (const edge of graph.edges()) expect(Math.abs(graph.getEdgeAttribute(edge, 'curvature') as number)).toBeGreaterThan(0)
    expect(Math.abs(graph.getEdgeAttribute('assoc', 'curvature') as number)).toBeLessThan(0.01)
  })

  it('draws each kind in its own shape and colour, and marks children with a ring', () => {
    const graph = mapGraph(mapData(result as never, 'degree'))
    expect(graph.getNodeAttributes('line')).toMatchObject({ type: 'square', color: '#4c2c92', label: 'JAY (07700 900461)' })
    expect(graph.getNodeAttributes('jay')).toMatchObject({ type: 'circle', color: '#1d70b8' })
    expect(graph.getNodeAttributes('kyle')).toMatchObject({ type: 'ringed', color: '#d4351c', ring: '#0b0c0c' })
  })

  it('gives every node its kind’s pictogram, dark on a light fill and white on the rest', () => {
    const data = mapData(result as never, 'degree')
    for (const n of data.nodes) expect(MAP_ICONS[n.attributes.icon], n.key).toBeTruthy()
    expect(data.nodes.find((n) => n.key === 'line')!.attributes).toMatchObject({ icon: 'line', iconColor: '#ffffff' })
    const amber = mapData({ ...result, nodes: [{ ...node('kyle', 'child', 'Kyle Marsh'), rag: 'amber' }] } as never, 'degree')
    expect(amber.nodes[0].attributes).toMatchObject({ icon: 'child', color: '#ffdd00', iconColor: '#0b0c0c' })
  })

  it('draws an operation as a node of its own with a link to each of its targets, outside the measures', () => {
    const operations = [{ id: 'op', name: 'Operation Harbour', status: 'active', href: '/operations/op', targets: ['line', 'jay'], targetLabels: [] }]
    const graph = mapGraph(mapData({ ...result, operations } as never, 'degree'))
    expect(graph.getNodeAttributes('op')).toMatchObject({ kind: 'operation', icon: 'operation', label: 'Operation Harbour', href: '/operations/op', color: '#d53880' })
    expect(graph.outNeighbors('op').sort()).toEqual(['jay', 'line'])
    expect(graph.getEdgeAttributes(graph.edges('op', 'line')[0])).toMatchObject({ type: 'arrow', label: 'Targets', color: '#d53880' })
    expect(Number.isFinite(graph.getNodeAttribute('op', 'x'))).toBe(true)
  })

  it('places entities where the analyst saved them, and the rest by the layout', () => {
    const data = mapData(result as never, 'degree', new Map([['jay', { x: 0.5, y: -0.25 }]]))
    expect(data.savedLayout).toBe(true)
    expect(data.nodes.find((n) => n.key === 'jay')!.attributes).toMatchObject({ x: 0.5, y: -0.25 })
    expect(Number.isFinite(data.nodes.find((n) => n.key === 'flat')!.attributes.x)).toBe(true)
  })

  it('spreads three links between one pair evenly either side of the straight line', () => {
    const c = linkCurvatures([link('a', 'p', 'q', ''), link('b', 'q', 'p', ''), link('c', 'p', 'q', '')] as never)
    expect([...c.values()].map((v) => Math.abs(v)).sort()).toEqual([0, 0.4, 0.4])
    expect(c.get('a')).toBeCloseTo(-0.4)
    expect(c.get('c')).toBeCloseTo(0.4)
  })
})

describe('the map as an SVG picture', () => {
  it('draws every entity in its shape with its label, and every link with its arrow and graded label, escaped', () => {
    const data = mapData({ ...result, nodes: [...result.nodes, node('odd', 'group', 'Crew <&> "Co"')], links: [...result.links, link('crew', 'jay', 'odd', 'Member of')] } as never, 'degree')
    const svg = mapSvg(data, 'Network map of JAY')
    expect(svg.match(/<path d="M[^"]* Q/g)).toHaveLength(7)
    expect(svg.match(/marker-end=/g)).toHaveLength(6)
    expect(svg).toContain('>Runs 1BP</text>')
    expect(svg).toContain('>Holds the phone of 1BP</text>')
    expect(svg).toContain('>JAY (07700 900461)</text>')
    expect(svg).toContain('Crew &lt;&amp;&gt; &quot;Co&quot;')
    expect(svg.match(/<rect x=/g)).toHaveLength(2)
    expect(svg).toContain('<title id="title">Network map of JAY</title>')
    expect(svg).toContain(`<path d="${MAP_ICONS.line}"`)
    expect(svg.match(/fill-rule="evenodd"/g)).toHaveLength(6)
  })
})
