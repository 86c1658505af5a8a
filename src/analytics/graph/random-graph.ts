import { seededRandom } from './rng.ts'

/**
 * A uniform random graph G(n, m) with `edges` distinct undirected edges and no self-loops, the same
 * for the same seed: for benchmarks and for tests that need a graph bigger than CAVIAR.
 */
export function randomEdges(nodes: number, edges: number, seed: number): { from: Int32Array; to: Int32Array } {
  const possible = (nodes * (nodes - 1)) / 2
  if (edges > possible) throw new RangeError(`${nodes} nodes allow at most ${possible} edges, not ${edges}`)
  const random = seededRandom(seed)
  const from = new Int32Array(edges)
  const to = new Int32Array(edges)
  const seen = new Set<number>()
  let count = 0
  while (count < edges) {
    const a = Math.floor(random() * nodes)
    const b = Math.floor(random() * nodes)
    if (a === b) continue
    const key = Math.min(a, b) * nodes + Math.max(a, b)
    if (seen.has(key)) continue
    seen.add(key)
    from[count] = a
    to[count] = b
    count++
  }
  return { from, to }
}
