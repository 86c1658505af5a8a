import { describe, expect, it } from 'vitest'
import { buildNetwork } from './network.ts'
import { countyLine } from './fixtures/county-line.ts'

const edgeLinks = (network: ReturnType<typeof buildNetwork>) =>
  network
    .mapEdges((_e, attributes) => attributes.links.map((l) => l.id))
    .flat()
    .sort()

describe('buildNetwork scopes', () => {
  it('by default leaves out E-graded and wrong links, keeps closed ones, and only linked entities', () => {
    const network = buildNetwork(countyLine)
    const ids = edgeLinks(network)
    expect(ids).not.toContain('l13')
    expect(ids).not.toContain('l14')
    expect(ids).toContain('l15')
    expect(network.hasNode('X1')).toBe(false)
    expect(network.getNodeAttributes('C1')).toMatchObject({ kind: 'child', rag: 'red' })
  })

  it('holds links of the same pair on one edge', () => {
    const network = buildNetwork(countyLine)
    expect(network.getEdgeAttributes(network.edge('L1', 'C1')!).links.map((l) => l.id)).toEqual(['l2', 'l16'])
  })

  it('includes E grades when asked, and narrows by source and handling', () => {
    expect(edgeLinks(buildNetwork(countyLine, { assessments: ['A', 'B', 'C', 'D', 'E'] }))).toContain('l13')
    expect(edgeLinks(buildNetwork(countyLine, { handling: ['P'] }))).not.toContain('l7')
    expect(edgeLinks(buildNetwork(countyLine, { sources: [1] }))).not.toContain('l7')
  })

  it('keeps the links seen within a date range', () => {
    expect(edgeLinks(buildNetwork(countyLine, { from: '2024-01-01' }))).not.toContain('l15')
    const early = edgeLinks(buildNetwork(countyLine, { to: '2020-12-31' }))
    expect(early).toEqual(['l15'])
    expect(edgeLinks(buildNetwork(countyLine, { from: '2020-03-01', to: '2024-04-01' }))).not.toContain('l16')
  })

  it('selects statuses', () => {
    expect(edgeLinks(buildNetwork(countyLine, { statuses: ['open'] }))).not.toContain('l15')
    expect(edgeLinks(buildNetwork(countyLine, { statuses: ['wrong'] }))).toEqual(['l14'])
  })

  it("builds one entity's network within N steps, with the links among those entities", () => {
    const one = buildNetwork(countyLine, { around: { ids: ['L1'], steps: 1 } })
    expect(one.nodes().sort()).toEqual(['C1', 'L1', 'N1', 'N2', 'P1', 'P2'])
    expect(one.hasEdge('C1', 'P1')).toBe(true)
    const two = buildNetwork(countyLine, { around: { ids: ['L1'], steps: 2 } })
    expect(two.nodes().sort()).toEqual(['C1', 'C2', 'C3', 'G1', 'L1', 'N1', 'N2', 'N3', 'P1', 'P2', 'V1'])
    expect(buildNetwork(countyLine, { around: { ids: ['X1'], steps: 3 } }).nodes()).toEqual(['X1'])
  })

  it('keeps unlinked entities when asked', () => {
    expect(buildNetwork(countyLine, { includeIsolated: true }).hasNode('X1')).toBe(true)
  })

  it('refuses links to entities it does not have', () => {
    const broken = { entities: countyLine.entities, links: [...countyLine.links, { ...countyLine.links[0], id: 'bad', target: 'nobody' }] }
    expect(() => buildNetwork(broken)).toThrow(/link bad names entity nobody/)
    expect(() => buildNetwork(countyLine, { around: { ids: ['nobody'], steps: 1 } })).toThrow(/nobody/)
  })
})
