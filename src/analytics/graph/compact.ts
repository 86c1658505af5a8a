import type { AbstractGraph, Attributes } from 'graphology-types'

/**
 * A graph as compressed sparse rows: the arcs leaving node v are targets[offsets[v] .. offsets[v+1]).
 * An undirected edge is stored as two arcs. Typed arrays keep the hot loops of Brandes free of
 * objects and hash lookups, and can be handed to worker threads cheaply.
 */
export interface CompactGraph {
  readonly n: number
  readonly directed: boolean
  readonly offsets: Int32Array
  readonly targets: Int32Array
  /** Arc lengths (distances) parallel to `targets`; absent when the graph is unweighted. */
  readonly lengths?: Float64Array
}

export interface CompactOptions {
  directed?: boolean
  /** One length per edge (a distance, as igraph and NetworkX read weights for paths). */
  lengths?: ArrayLike<number>
}

/**
 * Builds a simple compact graph from parallel arrays of edge endpoints (node indices in [0, n)).
 * Self-loops are dropped and repeated arcs merged, keeping the shortest length.
 */
export function compactFromEdges(n: number, from: ArrayLike<number>, to: ArrayLike<number>, options: CompactOptions = {}): CompactGraph {
  const directed = options.directed ?? false
  const lengths = options.lengths
  const m = from.length
  const counts = new Int32Array(n + 1)
  for (let e = 0; e < m; e++) {
    const u = from[e]
    const v = to[e]
    if (u < 0 || u >= n || v < 0 || v >= n) throw new RangeError(`edge ${e} joins ${u} and ${v}, outside 0..${n - 1}`)
    if (lengths && !(lengths[e] > 0)) throw new RangeError(`edge ${e} has length ${lengths[e]}; lengths must be positive`)
    if (u === v) continue
    counts[u + 1]++
    if (!directed) counts[v + 1]++
  }
  for (let v = 0; v < n; v++) counts[v + 1] += counts[v]
  const fill = counts.slice(0, n)
  const targets = new Int32Array(counts[n])
  const arcLengths = lengths ? new Float64Array(counts[n]) : undefined
  for (let e = 0; e < m; e++) {
    const u = from[e]
    const v = to[e]
    if (u === v) continue
    const i = fill[u]++
    targets[i] = v
    if (arcLengths) arcLengths[i] = lengths![e]
    if (!directed) {
      const j = fill[v]++
      targets[j] = u
      if (arcLengths) arcLengths[j] = lengths![e]
    }
  }
  return dedupe(n, directed, counts, targets, arcLengths)
}

function dedupe(n: number, directed: boolean, offsets: Int32Array, targets: Int32Array, lengths?: Float64Array): CompactGraph {
  const outOffsets = new Int32Array(n + 1)
  let write = 0
  for (let v = 0; v < n; v++) {
    const start = offsets[v]
    const end = offsets[v + 1]
    if (lengths) {
      const order = Array.from({ length: end - start }, (_, k) => start + k)
      order.sort((a, b) => targets[a] - targets[b] || lengths[a] - lengths[b])
      const ts = order.map((i) => targets[i])
      const ls = order.map((i) => lengths[i])
      for (let k = 0; k < ts.length; k++) {
        if (k > 0 && ts[k] === ts[k - 1]) continue
        targets[write] = ts[k]
        lengths[write] = ls[k]
        write++
      }
    } else {
      targets.subarray(start, end).sort()
      for (let i = start; i < end; i++) {
        if (i > start && targets[i] === targets[i - 1]) continue
        targets[write++] = targets[i]
      }
    }
    outOffsets[v + 1] = write
  }
  return {
    n,
    directed,
    offsets: outOffsets,
    targets: targets.slice(0, write),
    lengths: lengths?.slice(0, write),
  }
}

export interface GraphologyCompact {
  graph: CompactGraph
  /** Node keys in index order (graphology's node order). */
  keys: string[]
  index: Map<string, number>
}

export interface FromGraphologyOptions<E extends Attributes> {
  /** Reads an edge's length from its attributes; leave it out for an unweighted graph. */
  length?: (attributes: E) => number
  /** Read every edge both ways, whatever the graph's type. */
  undirected?: boolean
}

/**
 * Converts a graphology graph. A graph of type 'directed' becomes directed (unless `undirected`);
 * undirected edges (in an undirected or mixed graph) become arcs both ways.
 */
export function compactFromGraphology<N extends Attributes, E extends Attributes>(
  graph: AbstractGraph<N, E>,
  options: FromGraphologyOptions<E> = {},
): GraphologyCompact {
  const { length } = options
  const directed = !options.undirected && graph.type !== 'undirected'
  const keys = graph.nodes()
  const index = new Map(keys.map((k, i) => [k, i]))
  const from: number[] = []
  const to: number[] = []
  const lengths: number[] = []
  graph.forEachEdge((_edge, attributes, source, target, _sa, _ta, undirectedEdge) => {
    from.push(index.get(source)!)
    to.push(index.get(target)!)
    if (length) lengths.push(length(attributes))
    if (directed && undirectedEdge) {
      from.push(index.get(target)!)
      to.push(index.get(source)!)
      if (length) lengths.push(length(attributes))
    }
  })
  const compact = compactFromEdges(keys.length, from, to, {
    directed,
    lengths: length ? lengths : undefined,
  })
  return { graph: compact, keys, index }
}
