import { MultiGraph } from 'graphology'
import type { MapData } from './map-data.ts'

/**
 * The graph sigma draws, from the map's data: a multigraph (a person may both run a line and hold
 * its phone, two links between one pair), each link's edge program chosen by its direction, each
 * node's by its shape. Runs in the browser and in tests; it never touches WebGL.
 */
/**
 * @sigma/edge-curve widens each link's quad by sign(curvature), so a link of curvature exactly 0
 * gets a quad of no width and is not drawn. A straight link is drawn as a curve too slight to see.
 */
const STRAIGHT = 1e-4

export function mapGraph(data: MapData) {
  const graph = new MultiGraph()
  for (const node of data.nodes) graph.addNode(node.key, { ...node.attributes, type: node.attributes.shape, forceLabel: true })
  for (const edge of data.edges) {
    const { directed, curvature, ...attributes } = edge.attributes
    graph.addEdgeWithKey(edge.key, edge.source, edge.target, { ...attributes, curvature: curvature || STRAIGHT, type: directed ? 'arrow' : 'line' })
  }
  return graph
}
