import { Worker } from 'node:worker_threads'
import { fileURLToPath } from 'node:url'
import { buildSync } from 'esbuild'
import { readFileSync } from 'node:fs'
import { compiled } from '../../kernel/build.ts'
import { availableParallelism } from 'node:os'
import type { CompactGraph } from './compact.ts'
import { brandesKernel } from './brandes.ts'
import { addTotals, emptyTotals, type BrandesTotals } from './brandes-totals.ts'
import type { BetweennessError, BetweennessResult } from './betweenness-result.ts'

export type { BetweennessError, BetweennessResult }
import { BATCH } from './brandes-batched.ts'
import type { DependencyKind } from './dependency-weights.ts'
import { BetweennessEstimate } from './betweenness-estimate.ts'
import { sampleWithReplacement, seededRandom } from './rng.ts'

export interface BetweennessOptions {
  /**
   * Estimate from this many sources drawn at random (with replacement) instead of traversing from
   * every node; see `estimateBetweenness` for the estimator. Leave out, or give as many as the exact run
   * traverses (n, less the leaves it folds into their neighbours) or more, for the
   * exact value.
   */
  pivots?: number
  /**
   * Instead of a fixed number of pivots: sample until every node's estimate is within `epsilon` of
   * its exact (normalised, if `normalised`) betweenness with probability at least 1 - `delta`, or
   * compute it exactly when that would be cheaper.
   */
  epsilon?: number
  /** The chance the stated error bound fails. Default 0.05 (95% confidence). */
  delta?: number
  /** Seed of the source sample; the same seed gives the same estimate. Default 1. */
  seed?: number
  /**
   * Worker threads to use. 'auto' (the default) runs small graphs on the calling thread, where
   * starting workers would cost more than it saves, and large ones on every available core.
   */
  threads?: number | 'auto'
  /** Normalise as igraph and NetworkX do: 2*raw/((n-1)(n-2)) undirected, raw/((n-1)(n-2)) directed. Default true. */
  normalised?: boolean
}

/** Below this many arc visits (sources x (nodes + arcs)) one thread beats starting workers. */
const WORKER_THRESHOLD = 1e8

/** Exact or sampled betweenness on the calling thread. */
export function betweennessSync(graph: CompactGraph, options: BetweennessOptions = {}): BetweennessResult {
  const plan = betweennessPlan(graph, options)
  let step = plan.next()
  while (!step.done) {
    const totals = emptyTotals(graph.n, step.value.kind !== 'brandes')
    brandesKernel(graph, totals, step.value.kind, step.value.weights)(step.value.sources)
    step = plan.next({ totals, threads: 1 })
  }
  return step.value
}

/** Exact or sampled betweenness, split over worker threads when the graph is large enough. */
export async function betweenness(graph: CompactGraph, options: BetweennessOptions = {}): Promise<BetweennessResult> {
  const plan = betweennessPlan(graph, options)
  let step = plan.next()
  while (!step.done) step = plan.next(await traverse(graph, step.value, options.threads ?? 'auto'))
  return step.value
}

/** What a betweenness worker receives. */
export interface WorkerTask {
  graph: CompactGraph
  sources: Int32Array
  kind: DependencyKind
  weights?: Float64Array
  /** An Int32 counter of the next unclaimed index into `sources`, shared by all workers. */
  counter: SharedArrayBuffer
  chunk: number
}

/** Sources to traverse, and what each adds (see dependency-weights.ts). */
interface Traversal {
  sources: Int32Array
  kind: DependencyKind
  /** By source, how many sources each stands for (see `foldLeaves`). */
  weights?: Float64Array
}

interface Traversed {
  totals: BrandesTotals
  threads: number
}

async function traverse(graph: CompactGraph, { sources, kind, weights }: Traversal, threadOption: number | 'auto'): Promise<Traversed> {
  const threads = threadCount(graph, sources.length, threadOption)
  const totals = emptyTotals(graph.n, kind !== 'brandes')
  if (threads <= 1) {
    brandesKernel(graph, totals, kind, weights)(sources)
    return { totals, threads: 1 }
  }
  const counter = new SharedArrayBuffer(4)
  // Whole batches of the batched kernel; small enough that the threads finish close together.
  const task: WorkerTask = { graph, sources, kind, weights, counter, chunk: BATCH }
  const parts = await Promise.all(Array.from({ length: threads }, () => runWorker(task)))
  for (const part of parts) addTotals(totals, part)
  return { totals, threads }
}

/**
 * The traversals a result needs, as a generator so the threaded and single-thread entry points
 * share it: each yielded traversal is answered with its totals, and the generator returns the result.
 */
function* betweennessPlan(graph: CompactGraph, options: BetweennessOptions): Generator<Traversal, BetweennessResult, Traversed> {
  const { n } = graph
  // The exact run traverses from every node but the leaves it folds (half of a criminal network,
  // often): a sample that would traverse as many sources is no cheaper, so the exact value is given.
  const folded = foldLeaves(graph)
  const exactSources = folded ? folded.sources.length : n
  const exactRun = function* (): Generator<Traversal, BetweennessResult, Traversed> {
    const { totals, threads } = yield folded ? { sources: folded.sources, kind: 'brandes', weights: folded.weights } : { sources: allNodes(n), kind: 'brandes' }
    if (folded) unfoldLeaves(graph, totals, folded.leaves)
    return exactResult(graph, totals, threads, options)
  }
  const { pivots, epsilon } = options
  const delta = options.delta ?? 0.05
  if (!(delta > 0 && delta < 1)) throw new RangeError(`delta must be between 0 and 1, not ${delta}`)
  if (pivots !== undefined && epsilon !== undefined) throw new RangeError('give pivots or epsilon, not both')
  if (pivots !== undefined) {
    if (pivots >= exactSources) return yield* exactRun()
    if (!(pivots >= 1) || !Number.isInteger(pivots)) throw new RangeError(`pivots must be a positive whole number, not ${pivots}`)
  }
  if (epsilon !== undefined && !(epsilon > 0)) throw new RangeError(`epsilon must be a positive number, not ${epsilon}`)
  if (pivots === undefined && epsilon === undefined) return yield* exactRun()

  const estimate = new BetweennessEstimate(graph, options.normalised ?? true, pivots ?? FIRST_CHECK)
  const random = seededRandom(options.seed ?? 1)
  let threads = 1
  if (pivots !== undefined) {
    const sources = sampleWithReplacement(n, pivots, random)
    const done = yield { sources, kind: estimate.kind }
    estimate.add(done.totals, sources)
    return estimate.result(delta, done.threads)
  }
  // Adaptive: check the bound at 64, 128, 256, ... sources, the i-th check (from 0) spending
  // delta / 2^(i+1) of the failure chance so that all checks together stay within delta.
  for (let check = 0, size = FIRST_CHECK; ; check++, size *= 2) {
    if (size >= exactSources) return yield* exactRun()
    const sources = sampleWithReplacement(n, size - estimate.samples, random)
    const done = yield { sources, kind: estimate.kind }
    estimate.add(done.totals, sources)
    threads = Math.max(threads, done.threads)
    const result = estimate.result(delta / 2 ** (check + 1), threads)
    if (result.error!.epsilon <= epsilon!) return { ...result, error: { epsilon: result.error!.epsilon, delta } }
  }
}

/**
 * Exact betweenness without traversing from leaves (Baglioni et al., "Fast exact computation of
 * betweenness centrality in social networks", ASONAM 2012, one level of their degree-1 reduction):
 * on an undirected, unweighted graph a node v with one neighbour u reaches every other node
 * through u, so its shortest paths are u's with v in front, and its dependency on every node but
 * u is u's. So u's traversal is counted once for itself and once for each such leaf, and what the
 * leaves add to u and their own distances are worked out in `unfoldLeaves`. Criminal networks are
 * often half leaves (CAVIAR's phases: 8 of 15 to 23 of 42), and the leaves' traversals were half
 * of the work.
 */
function foldLeaves(graph: CompactGraph): { sources: Int32Array; weights: Float64Array; leaves: Int32Array } | undefined {
  if (graph.directed || graph.lengths) return undefined
  const { n, offsets, targets } = graph
  // One buffer for the three arrays: the allocations were a fifth of a small network's time.
  const buffer = new ArrayBuffer(16 * n)
  const weights = new Float64Array(buffer, 0, n).fill(1)
  const sources = new Int32Array(buffer, 8 * n, n)
  const leaves = new Int32Array(buffer, 12 * n, n)
  let leafCount = 0
  let sourceCount = 0
  for (let v = 0; v < n; v++) {
    const start = offsets[v]
    // A neighbour that is itself a leaf (a component of two) has no other traversal to stand for v's.
    if (offsets[v + 1] - start === 1) {
      const u = targets[start]
      if (offsets[u + 1] - offsets[u] >= 2) {
        leaves[leafCount++] = v
        weights[v] = 0
        weights[u] += 1
      }
    }
  }
  if (!leafCount) return undefined
  for (let v = 0; v < n; v++) if (weights[v] > 0) sources[sourceCount++] = v
  return { sources: sources.subarray(0, sourceCount), weights, leaves: leaves.subarray(0, leafCount) }
}

/** Every node, in order: the sources of an exact run. */
function allNodes(n: number): Int32Array {
  const nodes = new Int32Array(n)
  for (let i = 0; i < n; i++) nodes[i] = i
  return nodes
}

/** What the leaves folded into their neighbours' traversals add: their dependency on the neighbour, and their own reach and distances. */
function unfoldLeaves(graph: CompactGraph, totals: BrandesTotals, leaves: Int32Array): void {
  const { offsets, targets } = graph
  for (const v of leaves) {
    const u = targets[offsets[v]]
    // Every other node of the component but u itself is reached from v through u.
    totals.dependency[u] += totals.reached[u] - 1
    totals.reached[v] = totals.reached[u]
    // One step further to each of the others than from u (whose sum counts v itself at 1).
    totals.distanceSum[v] = totals.distanceSum[u] - 1 + totals.reached[u]
  }
}

/** The adaptive estimate's first check of its error bound, in sources. */
const FIRST_CHECK = 64

function threadCount(graph: CompactGraph, sources: number, threads: number | 'auto'): number {
  if (threads !== 'auto') return Math.max(1, Math.floor(threads))
  const work = sources * (graph.n + graph.targets.length)
  return work < WORKER_THRESHOLD ? 1 : Math.min(availableParallelism(), sources)
}

/** 1 / ((n - 1)(n - 2)) normalised, else what makes the sum of Brandes' dependencies the raw value. */
function dependencyScale(graph: CompactGraph, normalised: boolean): number {
  const { n } = graph
  if (normalised) return n > 2 ? 1 / ((n - 1) * (n - 2)) : 0
  return graph.directed ? 1 : 0.5
}

function exactResult(graph: CompactGraph, totals: BrandesTotals, threads: number, options: BetweennessOptions): BetweennessResult {
  const { n } = graph
  const scale = dependencyScale(graph, options.normalised ?? true)
  // The totals are this run's own, so the result is written over them rather than into new arrays.
  const { dependency: result, reached: closeness, distanceSum } = totals
  for (let i = 0; i < n; i++) result[i] *= scale
  for (let i = 0; i < n; i++) closeness[i] = closeness[i] > 0 ? closeness[i] / distanceSum[i] : NaN
  return { betweenness: result, closeness, exact: true, sources: n, threads }
}

/**
 * The worker's code: betweenness-worker.ts and the kernels it imports, bundled by esbuild into one
 * CommonJS script, so a worker starts in tens of milliseconds. Registering tsx inside each worker
 * instead took 0.3 to 1 s a worker. The production build writes it beside this module ahead of
 * time (WORKER_SCRIPT); run from source it is bundled in memory once per process.
 */
export function bundleWorkerScript(): string {
  return buildSync({
    entryPoints: [fileURLToPath(new URL('./betweenness-worker.ts', import.meta.url))],
    bundle: true,
    write: false,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
  }).outputFiles[0].text
}

export const WORKER_SCRIPT = 'betweenness-worker.cjs'

let workerScript: string | undefined
function workerCode(): string {
  workerScript ??= compiled ? readFileSync(new URL(`./${WORKER_SCRIPT}`, import.meta.url), 'utf8') : bundleWorkerScript()
  return workerScript
}

function runWorker(task: WorkerTask): Promise<BrandesTotals> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerCode(), { eval: true, workerData: task })
    let result: BrandesTotals | undefined
    worker.once('message', (totals: BrandesTotals) => {
      result = totals
    })
    worker.once('error', reject)
    worker.once('exit', (code) => {
      if (result) resolve(result)
      else reject(new Error(`betweenness worker stopped (exit code ${code}) without a result`))
    })
  })
}
