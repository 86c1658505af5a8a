import type { CompactGraph } from './compact.ts'
import { ringAt, type BrandesTotals } from './brandes-totals.ts'
import { dependencyWeights, type DependencyKind, type DependencyWeights } from './dependency-weights.ts'

/** Sources traversed together: one bit each in a 32-bit mask. */
export const BATCH = 32

/**
 * The kernel's working memory: zero between batches (each batch clears what it touched), so one
 * set serves any number of kernels in turn. Typed arrays are costly to allocate (about a
 * microsecond each, outside the heap), which on a network of 40 people cost as much as the
 * traversals themselves; so graphs up to POOLED_MAX_NODES share one set, kept between calls and
 * grown when a larger graph needs it, in one buffer.
 */
interface Scratch {
  capacity: number
  sigma: Float64Array
  seen: Uint32Array
  next: Uint32Array
  maskAbove: Uint32Array
  pull: Float64Array
  weightOf: Float64Array
  /** Grown by the batch that overflows it (see `grow`): not in the one buffer. */
  levelNodes: Int32Array
  levelMasks: Uint32Array
  levelStart: number[]
}

/** The largest graph whose scratch is kept between calls: 4,096 nodes hold 1.1 MB. */
const POOLED_MAX_NODES = 4096

let pooled: Scratch | undefined

function allocateScratch(capacity: number): Scratch {
  // Float64 parts first, so every view is aligned.
  const float64s = capacity * BATCH + 2 * BATCH
  const uint32s = 3 * capacity
  const buffer = new ArrayBuffer(8 * float64s + 4 * uint32s)
  let at = 0
  const f64 = (length: number) => {
    const view = new Float64Array(buffer, at, length)
    at += 8 * length
    return view
  }
  const u32 = (length: number) => {
    const view = new Uint32Array(buffer, at, length)
    at += 4 * length
    return view
  }
  return {
    capacity,
    sigma: f64(capacity * BATCH),
    pull: f64(BATCH),
    weightOf: f64(BATCH),
    seen: u32(capacity),
    next: u32(capacity),
    maskAbove: u32(capacity),
    levelNodes: new Int32Array(4 * capacity + BATCH),
    levelMasks: new Uint32Array(4 * capacity + BATCH),
    levelStart: [],
  }
}

function scratchFor(n: number): Scratch {
  if (n > POOLED_MAX_NODES) return allocateScratch(n)
  if (!pooled || pooled.capacity < n) pooled = allocateScratch(Math.max(n, 64))
  return pooled
}

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
  const scratch = scratchFor(graph.n)
  const credit = dependencyWeights(kind, graph.n)
  return (sources: Int32Array) => {
    for (let start = 0; start < sources.length; start += BATCH) runBatch(graph, totals, credit, weights, scratch, sources.subarray(start, start + BATCH))
  }
}

function grow(scratch: Scratch): void {
  const nodes = new Int32Array(scratch.levelNodes.length * 2)
  nodes.set(scratch.levelNodes)
  scratch.levelNodes = nodes
  const masks = new Uint32Array(scratch.levelMasks.length * 2)
  masks.set(scratch.levelMasks)
  scratch.levelMasks = masks
}

/** One batch of at most 32 sources into `totals`, leaving `scratch` zero as it found it. */
function runBatch(graph: CompactGraph, totals: BrandesTotals, { target, share }: DependencyWeights, weights: Float64Array | undefined, scratch: Scratch, sources: Int32Array): void {
  const { offsets, targets } = graph
  const { dependency, reached, distanceSum, squares } = totals
  const ringTwo = ringAt(totals, 2)
  const ringThree = ringAt(totals, 3)
  // sigma[(v << 5) + j]: shortest paths from source j to v; in the backward pass it is replaced by
  // what v's predecessors pull from it, (1 + delta) / sigma, once sigma is no longer needed.
  // weightOf: each source's weight (see brandesKernel), by its slot in the batch.
  const { sigma, seen, next, maskAbove, pull, weightOf, levelStart } = scratch
  // The traversal level by level: entries levelStart[d] .. levelStart[d + 1] are the nodes first
  // reached at distance d by some source, with the mask of those sources.
  let { levelNodes, levelMasks } = scratch
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
          if (size === levelNodes.length) {
            grow(scratch)
            levelNodes = scratch.levelNodes
            levelMasks = scratch.levelMasks
          }
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
  // A node is listed once for each level some source first reaches it at, so on a small connected
  // graph `size` is several times n: then one fill of the whole is cheaper than one per entry.
  if (size > graph.n >> 2) {
    seen.fill(0, 0, graph.n)
    sigma.fill(0, 0, graph.n << 5)
  } else {
    for (let i = 0; i < size; i++) {
      const v = levelNodes[i]
      seen[v] = 0
      sigma.fill(0, v << 5, (v << 5) + BATCH)
    }
  }
}
