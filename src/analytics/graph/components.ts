import type { AbstractGraph, Attributes } from 'graphology-types'
import { connectedComponents } from 'graphology-components'

/**
 * Connected components (weakly connected when directed), largest first; ties keep the order in
 * which their first node appears in the graph, so the answer is stable.
 */
export function components<N extends Attributes, E extends Attributes>(graph: AbstractGraph<N, E>): string[][] {
  const position = new Map(graph.nodes().map((key, i) => [key, i]))
  return connectedComponents(graph)
    .map((members) => members.sort((a, b) => position.get(a)! - position.get(b)!))
    .sort((a, b) => b.length - a.length || position.get(a[0])! - position.get(b[0])!)
}
