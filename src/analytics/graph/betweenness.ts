import { Worker } from 'node:worker_threads'
import { fileURLToPath } from 'node:url'
import { buildSync } from 'esbuild'
import { availableParallelism } from 'node:os'
import type { CompactGraph } from './compact.ts'
import { addTotals, brandesKernel, emptyTotals, type BrandesTotals } from './brandes.ts'
import { BATCH } from './brandes-batched.ts'
import { sampleWithoutReplacement, seededRandom } from './rng.ts'

export interface BetweennessOptions {
  /**
   * Sample this many source nodes ("pivots") instead of using them all, and scale the result by
   * n / pivots (Brandes and Pich 2007). Leave out, or give n or more, for the exact value.
   */
  pivots?: number
  /** Seed of the pivot sample; the same seed gives the same estimate. Default 1. */
  seed?: number
  /**
   * Worker threads to use. 'auto' (the default) runs small graphs on the calling thread, where
   * starting workers would cost more than it saves, and large ones on every available core.
   */
  threads?: number | 'auto'
  /** Normalise as igraph and NetworkX do: 2*raw/((n-1)(n-2)) undirected, raw/((n-1)(n-2)) directed. Default true. */
  normalised?: boolean
}

export interface BetweennessResult {
  /** Betweenness by node index. */
  betweenness: Float64Array
  /**
   * Closeness by node index, as igraph 0.10 defines it: over the nodes a node reaches (along
   * outgoing arcs when directed), (number reached) / (sum of their distances); NaN for a node that
   * reaches none. Only an exact run computes it.
   */
  closeness?: Float64Array
  exact: boolean
  sources: number
  threads: number
}

/** Below this many arc visits (sources x (nodes + arcs)) one thread beats starting workers. */
const WORKER_THRESHOLD = 1e8

/** Exact or sampled betweenness on the calling thread. */
export function betweennessSync(graph: CompactGraph, options: BetweennessOptions = {}): BetweennessResult {
  const sources = chooseSources(graph, options)
  const totals = emptyTotals(graph.n)
  brandesKernel(graph, totals)(sources)
  return finish(graph, totals, sources.length, 1, options)
}

/** Exact or sampled betweenness, split over worker threads when the graph is large enough. */
export async function betweenness(graph: CompactGraph, options: BetweennessOptions = {}): Promise<BetweennessResult> {
  const sources = chooseSources(graph, options)
  const threads = threadCount(graph, sources.length, options.threads ?? 'auto')
  if (threads <= 1) return betweennessSync(graph, options)
  const counter = new SharedArrayBuffer(4)
  // Whole batches of the batched kernel; small enough that the threads finish close together.
  const chunk = BATCH
  const task: WorkerTask = { graph, sources, counter, chunk }
  const parts = await Promise.all(Array.from({ length: threads }, () => runWorker(task)))
  const totals = emptyTotals(graph.n)
  for (const part of parts) addTotals(totals, part)
  return finish(graph, totals, sources.length, threads, options)
}

/** What a betweenness worker receives. */
export interface WorkerTask {
  graph: CompactGraph
  sources: Int32Array
  /** An Int32 counter of the next unclaimed index into `sources`, shared by all workers. */
  counter: SharedArrayBuffer
  chunk: number
}

function chooseSources(graph: CompactGraph, options: BetweennessOptions): Int32Array {
  const { n } = graph
  if (options.pivots === undefined || options.pivots >= n) return Int32Array.from({ length: n }, (_, i) => i)
  if (!(options.pivots >= 1) || !Number.isInteger(options.pivots)) throw new RangeError(`pivots must be a positive whole number, not ${options.pivots}`)
  return sampleWithoutReplacement(n, options.pivots, seededRandom(options.seed ?? 1))
}

function threadCount(graph: CompactGraph, sources: number, threads: number | 'auto'): number {
  if (threads !== 'auto') return Math.max(1, Math.floor(threads))
  const work = sources * (graph.n + graph.targets.length)
  return work < WORKER_THRESHOLD ? 1 : Math.min(availableParallelism(), sources)
}

function finish(graph: CompactGraph, totals: BrandesTotals, sources: number, threads: number, options: BetweennessOptions): BetweennessResult {
  const { n } = graph
  const exact = sources === n
  let scale: number
  if (options.normalised ?? true) scale = n > 2 ? 1 / ((n - 1) * (n - 2)) : 0
  else scale = graph.directed ? 1 : 0.5
  if (!exact) scale *= n / sources
  const result = new Float64Array(n)
  for (let i = 0; i < n; i++) result[i] = totals.dependency[i] * scale
  let closeness: Float64Array | undefined
  if (exact) {
    closeness = new Float64Array(n)
    for (let i = 0; i < n; i++) closeness[i] = totals.reached[i] > 0 ? totals.reached[i] / totals.distanceSum[i] : NaN
  }
  return { betweenness: result, closeness, exact, sources, threads }
}

/**
 * The worker's code: betweenness-worker.ts and the kernels it imports, bundled once per process
 * by esbuild (already here for tsx) into one CommonJS script, so a worker starts in tens of
 * milliseconds. Registering tsx inside each worker instead took 0.3 to 1 s a worker.
 */
let workerScript: string | undefined
function workerCode(): string {
  workerScript ??= buildSync({
    entryPoints: [fileURLToPath(new URL('./betweenness-worker.ts', import.meta.url))],
    bundle: true,
    write: false,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
  }).outputFiles[0].text
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
