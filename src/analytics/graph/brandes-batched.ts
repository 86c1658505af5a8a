import type { CompactGraph } from './compact.ts'
import { ringAt, type BrandesTotals } from './brandes-totals.ts'
import { dependencyWeights, type DependencyKind } from './dependency-weights.ts'

/** Sources traversed together: one bit each in a 32-bit mask. */
export const BATCH = 32

/**
 * Unweighted Brandes for up to 32 sources at once, in the manner of multi-source BFS (Then et al.,
 * "The More the Merrier", VLDB 2014). Each node carries a bit mask of the sources that have reached
 * it, so one scan of a node's arcs advances every source whose frontier holds the node, and the
 * costly "seen yet?" test of single-source BFS becomes a mask operation. Path counts (sigma) stay
 * per source, in 32 adjacent slots per node, so their updates touch memory close together.
 *
 * It does the same arithmetic as the single-source kernel for each source, so the results agree to
 * rounding. The per-node slots cost 256 bytes a node, which is why very large graphs use the
 * single-source kernel instead (where cache misses, not branches, are what cost).
 */
export function batchedBrandes(graph: CompactGraph, totals: BrandesTotals, kind: DependencyKind = 'brandes', weights?: Float64Array): (sources: Int32Array) => void {
  const { n, offsets, targets } = graph
  const { dependency, reached, distanceSum, squares } = totals
  const ringTwo = ringAt(totals, 2)
  const ringThree = ringAt(totals, 3)
  const { target, share } = dependencyWeights(kind, n)
  // sigma[(v << 5) + j]: shortest paths from source j to v; in the backward pass it is replaced by
  // what v's predecessors pull from it, (1 + delta) / sigma, once sigma is no longer needed.
  const sigma = new Float64Array(n * BATCH)
  const seen = new Uint32Array(n)
  const next = new Uint32Array(n)
  const maskAbove = new Uint32Array(n)
  const pull = new Float64Array(BATCH)
  // Each source's weight (see brandesKernel), by its slot in the batch.
  const weightOf = new Float64Array(BATCH)
  // The traversal level by level: entries levelStart[d] .. levelStart[d + 1] are the nodes first
  // reached at distance d by some source, with the mask of those sources.
  let levelNodes = new Int32Array(4 * n + BATCH)
  let levelMasks = new Uint32Array(4 * n + BATCH)
  const levelStart: number[] = []

  const grow = () => {
    const nodes = new Int32Array(levelNodes.length * 2)
    nodes.set(levelNodes)
    levelNodes = nodes
    const masks = new Uint32Array(levelMasks.length * 2)
    masks.set(levelMasks)
    levelMasks = masks
  }

  const runBatch = (sources: Int32Array) => {
    let size = 0
    levelStart.length = 0
    levelStart.push(0)
    for (let j = 0; j < sources.length; j++) {
      const s = sources[j]
      weightOf[j] = weights ? weights[s] : 1
      sigma[(s << 5) + j] = 1
      if (next[s] === 0) levelNodes[size++] = s
      next[s] |= 1 << j
    }
    for (let i = 0; i < size; i++) {
      const s = levelNodes[i]
      levelMasks[i] = next[s]
      seen[s] |= next[s]
      next[s] = 0
    }
    levelStart.push(size)

    let level = 0
    for (;;) {
      const begin = size
      for (let i = levelStart[level], end = levelStart[level + 1]; i < end; i++) {
        const v = levelNodes[i]
        const frontier = levelMasks[i]
        const bv = v << 5
        for (let e = offsets[v], last = offsets[v + 1]; e < last; e++) {
          const w = targets[e]
          let m = frontier & ~seen[w]
          if (m === 0) continue
          if (next[w] === 0) {
            if (size === levelNodes.length) grow()
            levelNodes[size++] = w
          }
          next[w] |= m
          const bw = w << 5
          while (m !== 0) {
            const low = m & -m
            const j = 31 - Math.clz32(low)
            sigma[bw + j] += sigma[bv + j]
            m ^= low
          }
        }
      }
      if (size === begin) break
      level++
      for (let i = begin; i < size; i++) {
        const w = levelNodes[i]
        let m = next[w]
        levelMasks[i] = m
        seen[w] |= m
        next[w] = 0
        while (m !== 0) {
          const low = m & -m
          const s = sources[31 - Math.clz32(low)]
          reached[s] += 1
          distanceSum[s] += level
          m ^= low
        }
      }
      levelStart.push(size)
    }

    // Backward, deepest level first; maskAbove holds the masks of level d + 1.
    for (let d = level; d >= 1; d--) {
      const handBack = target[d]
      const keep = share[d]
      for (let i = levelStart[d], end = levelStart[d + 1]; i < end; i++) {
        const v = levelNodes[i]
        const mask = levelMasks[i]
        const bv = v << 5
        for (let e = offsets[v], last = offsets[v + 1]; e < last; e++) {
          const w = targets[e]
          let m = mask & maskAbove[w]
          if (m === 0) continue
          const bw = w << 5
          while (m !== 0) {
            const low = m & -m
            const j = 31 - Math.clz32(low)
            pull[j] += sigma[bw + j]
            m ^= low
          }
        }
        let m = mask
        let total = 0
        let totalSquares = 0
        while (m !== 0) {
          const low = m & -m
          const j = 31 - Math.clz32(low)
          const sv = sigma[bv + j]
          const delta = sv * pull[j]
          sigma[bv + j] = (handBack + delta) / sv
          const credit = keep * delta * weightOf[j]
          total += credit
          totalSquares += credit * credit
          pull[j] = 0
          m ^= low
        }
        dependency[v] += total
        squares[v] += totalSquares
        const ring = d === 2 ? ringTwo : d === 3 ? ringThree : undefined
        if (ring) {
          ring.dependency[v] += total
          ring.squares[v] += totalSquares
          // The sources in the mask: those exactly d steps from v.
          let count = 0
          for (let rest = mask; rest !== 0; rest &= rest - 1) count++
          ring.sources[v] += count
        }
      }
      if (d + 1 <= level) for (let i = levelStart[d + 1], end = levelStart[d + 2]; i < end; i++) maskAbove[levelNodes[i]] = 0
      for (let i = levelStart[d], end = levelStart[d + 1]; i < end; i++) maskAbove[levelNodes[i]] = levelMasks[i]
    }
    if (level >= 1) for (let i = levelStart[1], end = levelStart[2]; i < end; i++) maskAbove[levelNodes[i]] = 0
    for (let i = 0; i < size; i++) {
      const v = levelNodes[i]
      seen[v] = 0
      sigma.fill(0, v << 5, (v << 5) + BATCH)
    }
  }

  return (sources: Int32Array) => {
    for (let start = 0; start < sources.length; start += BATCH) runBatch(sources.subarray(start, start + BATCH))
  }
}
