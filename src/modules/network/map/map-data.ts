import type { ScopedNetwork } from '../service.ts'
import { UndirectedGraph } from 'graphology'
import noverlapModule from 'graphology-layout-noverlap'
import { layout } from '../layout.ts'
import { iconColour } from './icons.ts'

/** How the map draws each kind of entity: the legend beside the map is made from the same list. */
export const MAP_KINDS = [
  { kind: 'child', text: 'Child: ringed in black, filled red, amber or green by their risk rating', shape: 'ringed', color: '#d4351c', ring: '#0b0c0c' },
  { kind: 'nominal', text: 'Adult of concern', shape: 'circle', color: '#1d70b8', ring: null },
  { kind: 'line', text: 'Deal line', shape: 'square', color: '#4c2c92', ring: null },
  { kind: 'location', text: 'Location', shape: 'square', color: '#505a5f', ring: null },
  { kind: 'vehicle', text: 'Vehicle', shape: 'square', color: '#00703c', ring: null },
  { kind: 'group', text: 'Group or gang (ringed in orange)', shape: 'ringed', color: '#ffffff', ring: '#f47738' },
  { kind: 'operation', text: 'Joint operation your agency takes part in, linked to each of its targets (not counted in the measures)', shape: 'circle', color: '#d53880', ring: null },
] as const

export const MAP_LINK_STYLES = [
  { status: 'open', text: 'Open link (arrow points the way it runs; label gives the type and its 3x5x2 grade)', color: '#6f777b' },
  { status: 'closed', text: 'Closed link, kept as history', color: '#b1b4b6' },
  { status: 'target', text: 'An operation’s target', color: '#d53880' },
] as const

// CommonJS with ES-style typings (as graphology-communities-louvain in analytics/graph/communities.ts).
const noverlap = noverlapModule as unknown as typeof noverlapModule.default

const RAG_COLOURS: Record<string, string> = { red: '#d4351c', amber: '#ffdd00', green: '#00703c' }

/** How far apart links between one pair are bent (edge-curve's curvature per link). */
const CURVE_STEP = 0.4

/**
 * A curvature for each link, so that links between the same pair (both ways round) are drawn
 * apart: a lone link is straight; n links between a pair spread evenly either side of the straight
 * line. Curvature bends relative to a link's own direction, so a link running the other way round
 * has its sign turned to bend to the side it was given.
 */
export function linkCurvatures(links: readonly { id: string; source_id: string; target_id: string }[]): Map<string, number> {
  const pairs = new Map<string, typeof links[number][]>()
  for (const l of links) {
    const key = l.source_id < l.target_id ? `${l.source_id}|${l.target_id}` : `${l.target_id}|${l.source_id}`
    pairs.set(key, [...(pairs.get(key) ?? []), l])
  }
  const curvatures = new Map<string, number>()
  for (const group of pairs.values()) {
    group.forEach((l, i) => {
      const offset = (i - (group.length - 1) / 2) * CURVE_STEP
      curvatures.set(l.id, offset === 0 ? 0 : l.source_id < l.target_id ? offset : -offset)
    })
  }
  return curvatures
}

export type MapPositions = Map<string, { x: number; y: number }>

/** A node's size on the map, in pixels, from its share of the largest centrality. */
const nodeSize = (share: number) => 8 + 12 * share

/**
 * The force layout, with each pair's links counted once (three links between two people must not
 * pull them on top of each other), then spread by noverlap until no node or its label's start
 * covers another. The force layout's [-1, 1] is taken as about half a map's width in pixels,
 * roughly the scale sigma draws it at, so that the spacing noverlap keeps is what the reader sees;
 * stretched sideways to the map's shape (wider than tall, and labels run to the right).
 */
function placed(nodes: Pick<ScopedNetwork['nodes'][number], 'id' | 'community' | 'label'>[], links: Pick<ScopedNetwork['links'][number], 'source_id' | 'target_id'>[], sizes: Map<string, number>): MapPositions {
  const pairs = new Map(links.map((l) => [[l.source_id, l.target_id].sort().join('|'), [l.source_id, l.target_id] as [string, string]]))
  const forced = layout(nodes, [...pairs.values()])
  const graph = new UndirectedGraph<{ x: number; y: number; size: number }>()
  for (const n of nodes) graph.addNode(n.id, { x: forced.get(n.id)!.x * 450, y: forced.get(n.id)!.y * 250, size: sizes.get(n.id)! + 3.5 * Math.min(n.label.length, 30) })
  noverlap.assign(graph, { maxIterations: 300, settings: { margin: 6, ratio: 1 } })
  return new Map(graph.mapNodes((id, a) => [id, { x: a.x, y: a.y }]))
}

/**
 * The map's data: every in-scope link as its own edge (two links between one pair are two edges,
 * drawn apart), with its direction and its graded label; nodes placed by a saved layout where there
 * is one, otherwise by the deterministic force layout, and sized by the chosen centrality.
 */
export function mapData(result: Pick<ScopedNetwork, 'nodes' | 'links' | 'description'> & Partial<Pick<ScopedNetwork, 'operations'>>, size: 'degree' | 'betweenness' | 'closeness', saved?: MapPositions) {
  const max = Math.max(1e-9, ...result.nodes.map((n) => n[size]))
  const sizes = new Map(result.nodes.map((n) => [n.id, nodeSize(n[size] / max)]))
  const operations = result.operations ?? []
  for (const op of operations) sizes.set(op.id, nodeSize(0.5))
  // Operations are placed with the network, pulled towards their targets, but never analysed.
  const targetLinks = operations.flatMap((op) => op.targets.map((t) => ({ id: `${op.id}>${t}`, source_id: op.id, target_id: t })))
  const computed = placed([...result.nodes, ...operations.map((op) => ({ id: op.id, community: -1, label: op.name }))], [...result.links, ...targetLinks], sizes)
  const style = new Map<string, (typeof MAP_KINDS)[number]>(MAP_KINDS.map((k) => [k.kind, k]))
  const linkColour = new Map<string, string>(MAP_LINK_STYLES.map((s) => [s.status, s.color]))
  const curvatures = linkCurvatures(result.links)
  return {
    description: result.description,
    size,
    savedLayout: Boolean(saved && result.nodes.some((n) => saved.has(n.id))),
    nodes: [
      ...result.nodes.map((n) => {
      const kind = style.get(n.kind)!
      const color = n.kind === 'child' && n.rag ? RAG_COLOURS[n.rag] : kind.color
      return {
        key: n.id,
        attributes: {
          label: n.label,
          kind: n.kind,
          kindText: n.kindText,
          href: n.href,
          ...(saved?.get(n.id) ?? computed.get(n.id)),
          size: sizes.get(n.id)!,
          shape: kind.shape,
          color,
          ring: kind.ring,
          icon: n.kind as string,
          iconColor: iconColour(color),
        },
      }
    }),
    ...operations.map((op) => {
      const kind = style.get('operation')!
      return {
        key: op.id,
        attributes: { label: op.name, kind: 'operation', kindText: `Joint operation (${op.status})`, href: op.href, ...(saved?.get(op.id) ?? computed.get(op.id)), size: sizes.get(op.id)!, shape: kind.shape, color: kind.color, ring: kind.ring, icon: 'operation', iconColor: iconColour(kind.color) },
      }
    }),
    ],
    edges: [
      ...result.links.map((l) => ({
      key: l.id,
      source: l.source_id,
      target: l.target_id,
      attributes: {
        label: `${l.typeText} ${l.grade}`,
        directed: l.directed,
        curvature: curvatures.get(l.id)!,
        size: l.grade_assessment === 'E' ? 1 : 2,
        color: linkColour.get(l.status) ?? linkColour.get('closed')!,
      },
    })),
    ...targetLinks.map((t) => ({
      key: t.id,
      source: t.source_id,
      target: t.target_id,
      attributes: { label: 'Targets', directed: true, curvature: 0, size: 1, color: linkColour.get('target')! },
    })),
    ],
  }
}

export type MapData = ReturnType<typeof mapData>
