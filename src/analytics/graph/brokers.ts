import type { AbstractGraph, Attributes } from 'graphology-types'
import { compactFromGraphology, type CompactGraph } from './compact.ts'
import { betweenness, type BetweennessOptions } from './betweenness.ts'

export interface Broker {
  node: string
  /** Components after removing the node, minus components before (negative for an isolated node). */
  componentIncrease: number
  componentsAfter: number
  /** Size of the largest component before removal, minus its size after. */
  largestReduction: number
  largestAfter: number
  betweenness: number
}

export interface BrokerOptions extends BetweennessOptions {
  /** How many to return. Default 10. */
  limit?: number
  /** Betweenness already computed (e.g. for the node table), to save computing it again. */
  betweenness?: ReadonlyMap<string, number>
}

/**
 * The nodes whose removal splits the network most: ranked by how many components their removal
 * adds, then by how much it shrinks the largest component, then by betweenness. The network is
 * read undirected.
 */
export async function brokers<N extends Attributes, E extends Attributes>(graph: AbstractGraph<N, E>, options: BrokerOptions = {}): Promise<Broker[]> {
  const { graph: compact, keys } = compactFromGraphology(graph, { undirected: true })
  const effect = removalEffects(compact)
  let between = options.betweenness
  if (!between) {
    const result = await betweenness(compact, options)
    between = new Map(keys.map((key, i) => [key, result.betweenness[i]]))
  }
  const ranked: Broker[] = keys.map((node, i) => ({
    node,
    componentIncrease: effect.componentsAfter[i] - effect.components,
    componentsAfter: effect.componentsAfter[i],
    largestReduction: effect.largest - effect.largestAfter[i],
    largestAfter: effect.largestAfter[i],
    betweenness: between.get(node) ?? 0,
  }))
  const position = new Map(keys.map((key, i) => [key, i]))
  ranked.sort(
    (a, b) =>
      b.componentIncrease - a.componentIncrease ||
      b.largestReduction - a.largestReduction ||
      b.betweenness - a.betweenness ||
      position.get(a.node)! - position.get(b.node)!,
  )
  return ranked.slice(0, options.limit ?? 10)
}

export interface RemovalEffects {
  components: number
  largest: number
  /** By node index: the number of components once that node is removed. */
  componentsAfter: Int32Array
  /** By node index: the size of the largest component once that node is removed. */
  largestAfter: Int32Array
}

/**
 * The effect of removing each node, for every node in one depth-first pass (Hopcroft-Tarjan
 * articulation points): removing v leaves, of v's component, one piece per DFS child c with
 * low[c] >= disc[v] (of c's subtree size), plus the rest of the component if any is left.
 * Linear time, so it scales to networks where removing each node in turn would not.
 */
export function removalEffects(graph: CompactGraph): RemovalEffects {
  const { n, offsets, targets } = graph
  const disc = new Int32Array(n).fill(-1)
  const low = new Int32Array(n)
  const size = new Int32Array(n)
  const parent = new Int32Array(n)
  const cursor = new Int32Array(n)
  const pieces = new Int32Array(n)
  const pieceTotal = new Int32Array(n)
  const largestPiece = new Int32Array(n)
  const componentOf = new Int32Array(n)
  const componentSizes: number[] = []
  const stack = new Int32Array(n)
  let time = 0

  for (let root = 0; root < n; root++) {
    if (disc[root] >= 0) continue
    const component = componentSizes.length
    let top = 0
    stack[0] = root
    parent[root] = -1
    disc[root] = low[root] = time++
    cursor[root] = offsets[root]
    size[root] = 1
    componentOf[root] = component
    while (top >= 0) {
      const v = stack[top]
      if (cursor[v] < offsets[v + 1]) {
        const w = targets[cursor[v]++]
        if (disc[w] < 0) {
          parent[w] = v
          disc[w] = low[w] = time++
          cursor[w] = offsets[w]
          size[w] = 1
          componentOf[w] = component
          stack[++top] = w
        } else if (w !== parent[v] && disc[w] < low[v]) {
          low[v] = disc[w]
        }
        continue
      }
      top--
      const p = parent[v]
      if (p >= 0) {
        size[p] += size[v]
        if (low[v] < low[p]) low[p] = low[v]
        if (low[v] >= disc[p]) {
          pieces[p]++
          pieceTotal[p] += size[v]
          if (size[v] > largestPiece[p]) largestPiece[p] = size[v]
        }
      }
    }
    componentSizes.push(size[root])
  }

  const components = componentSizes.length
  let first = -1
  let second = 0
  for (let c = 0; c < components; c++) {
    if (first < 0 || componentSizes[c] > componentSizes[first]) {
      if (first >= 0) second = componentSizes[first]
      first = c
    } else if (componentSizes[c] > second) {
      second = componentSizes[c]
    }
  }
  const largest = first < 0 ? 0 : componentSizes[first]
  const componentsAfter = new Int32Array(n)
  const largestAfter = new Int32Array(n)
  for (let v = 0; v < n; v++) {
    const own = componentOf[v]
    const rest = componentSizes[own] - 1 - pieceTotal[v]
    componentsAfter[v] = components - 1 + pieces[v] + (rest > 0 ? 1 : 0)
    const elsewhere = own === first ? second : largest
    largestAfter[v] = Math.max(elsewhere, largestPiece[v], rest)
  }
  return { components, largest, componentsAfter, largestAfter }
}
