/**
 * Exact betweenness on a 10,000-node, 50,000-link random graph: graphology-metrics, Lantern (one
 * thread and worker threads) and python-igraph side by side in one run, checked for agreement;
 * the CAVIAR fixtures re-checked live against igraph; and the sampled estimate on 100,000 nodes.
 *
 *   node --import tsx bench/graph-betweenness.ts [--skip-graphology]
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os'
import path from 'node:path'
import { UndirectedGraph } from 'graphology'
import betweennessModule from 'graphology-metrics/centrality/betweenness.js'
import { betweenness, betweennessSync, compactFromEdges, graphFromParsed, networkMetrics, parseAdjacencyCsv, randomEdges } from '../src/analytics/graph/index.ts'

// CommonJS with ES-style typings (see src/analytics/graph/communities.ts).
const graphologyBetweenness = betweennessModule as unknown as typeof betweennessModule.default

const NODES = 10_000
const EDGES = 50_000
const SEED = 42
const LARGE_NODES = 100_000
const LARGE_EDGES = 500_000
const PIVOTS = 500
const skipGraphology = process.argv.includes('--skip-graphology')

interface Row {
  method: string
  seconds: number | null
  /** Processor time of every thread involved: shows the work done, whatever else the machine runs. */
  cpuSeconds: number | null
  maxDifference: number | null
  note: string
}
const rows: Row[] = []

function cpuSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start)
  return (used.user + used.system) / 1e6
}

/** Wall-clock and processor seconds (all of this process's threads, workers included). */
function seconds<T>(work: () => T): [T, number, number] {
  const start = performance.now()
  const cpu = process.cpuUsage()
  const result = work()
  return [result, (performance.now() - start) / 1000, cpuSince(cpu)]
}

async function secondsAsync<T>(work: () => Promise<T>): Promise<[T, number, number]> {
  const start = performance.now()
  const cpu = process.cpuUsage()
  const result = await work()
  return [result, (performance.now() - start) / 1000, cpuSince(cpu)]
}

function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]))
  return worst
}

/** A python3 that can import igraph (Debian's python3-igraph lives in /usr/bin/python3), or null. */
function findPython(): string | null {
  for (const candidate of ['/usr/bin/python3', 'python3']) {
    const probe = spawnSync(candidate, ['-c', 'import igraph'], { encoding: 'utf8' })
    if (probe.status === 0) return candidate
  }
  return null
}

console.log(`Machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} cores, Node ${process.version}, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`)
console.log(`Graph: G(n=${NODES}, m=${EDGES}) random, seed ${SEED}, undirected, unweighted\n`)

const { from, to } = randomEdges(NODES, EDGES, SEED)
const [compact, compactSeconds] = seconds(() => compactFromEdges(NODES, from, to))
console.log(`compact graph built in ${compactSeconds.toFixed(3)} s`)

const [single, singleSeconds, singleCpu] = seconds(() => betweennessSync(compact))
const reference = single.betweenness
rows.push({ method: 'Lantern, 1 thread', seconds: singleSeconds, cpuSeconds: singleCpu, maxDifference: 0, note: 'the reference for the differences' })
const [threaded, threadedSeconds, threadedCpu] = await secondsAsync(() => betweenness(compact))
rows.push({
  method: `Lantern, ${threaded.threads} worker threads`,
  seconds: threadedSeconds,
  cpuSeconds: threadedCpu,
  maxDifference: maxDifference(threaded.betweenness, reference),
  note: 'includes starting the workers',
})

const python = findPython()
let igraphSeconds: number | null = null
if (python) {
  const dir = mkdtempSync(path.join(tmpdir(), 'lantern-bench-'))
  const file = path.join(dir, 'edges.csv')
  let csv = 'source,target\n'
  for (let e = 0; e < EDGES; e++) csv += `${from[e]},${to[e]}\n`
  writeFileSync(file, csv)
  const run = spawnSync(python, ['bench/igraph-reference.py', 'edges', file], { encoding: 'utf8', maxBuffer: 1 << 28 })
  rmSync(dir, { recursive: true })
  if (run.status !== 0) throw new Error(`igraph failed: ${run.stderr}`)
  const out = JSON.parse(run.stdout) as { igraph: string; seconds: number; cpu_seconds: number; betweenness: number[] }
  igraphSeconds = out.seconds
  rows.push({ method: `python-igraph ${out.igraph} (C)`, seconds: out.seconds, cpuSeconds: out.cpu_seconds, maxDifference: maxDifference(out.betweenness, reference), note: 'betweenness call only' })
} else {
  rows.push({ method: 'python-igraph', seconds: null, cpuSeconds: null, maxDifference: null, note: 'skipped: no python3 with igraph (apt-get install python3-igraph)' })
}

if (!skipGraphology) {
  const graph = new UndirectedGraph()
  for (let i = 0; i < NODES; i++) graph.addNode(String(i))
  for (let e = 0; e < EDGES; e++) graph.addEdge(String(from[e]), String(to[e]))
  const [values, graphologySeconds, graphologyCpu] = seconds(() => graphologyBetweenness(graph))
  rows.push({
    method: 'graphology-metrics 2.4 (defaults)',
    seconds: graphologySeconds,
    cpuSeconds: graphologyCpu,
    maxDifference: maxDifference(
      graph.nodes().map((k) => values[k]),
      reference,
    ),
    note: "default getEdgeWeight 'weight': Dijkstra",
  })
  const [plain, plainSeconds, plainCpu] = seconds(() => graphologyBetweenness(graph, { getEdgeWeight: null }))
  rows.push({
    method: 'graphology-metrics 2.4 (unweighted)',
    seconds: plainSeconds,
    cpuSeconds: plainCpu,
    maxDifference: maxDifference(
      graph.nodes().map((k) => plain[k]),
      reference,
    ),
    note: 'getEdgeWeight: null, breadth-first',
  })
}

// The sampled estimate: its accuracy on the graph above, then its time on 100,000 nodes.
const [sampled, sampledSeconds, sampledCpu] = await secondsAsync(() => betweenness(compact, { pivots: PIVOTS, seed: 1 }))
const top = (xs: ArrayLike<number>, k: number) => new Set(Array.from({ length: xs.length }, (_, i) => i).sort((i, j) => xs[j] - xs[i]).slice(0, k))
const exactTop = top(reference, 100)
const overlap = [...top(sampled.betweenness, 100)].filter((i) => exactTop.has(i)).length
const relative = Array.from(reference, (x, i) => Math.abs(sampled.betweenness[i] - x) / x).filter(Number.isFinite)
relative.sort((a, b) => a - b)
rows.push({
  method: `Lantern sampled, ${PIVOTS} pivots`,
  seconds: sampledSeconds,
  cpuSeconds: sampledCpu,
  maxDifference: maxDifference(sampled.betweenness, reference),
  note: `median relative error ${(100 * relative[Math.floor(relative.length / 2)]).toFixed(1)}%, ${overlap}/100 of the exact top 100`,
})

const [large, largeBuildSeconds] = seconds(() => {
  const edges = randomEdges(LARGE_NODES, LARGE_EDGES, SEED)
  return compactFromEdges(LARGE_NODES, edges.from, edges.to)
})
const [largeResult, largeSeconds, largeCpu] = await secondsAsync(() => betweenness(large, { pivots: PIVOTS, seed: 1 }))
rows.push({
  method: `Lantern sampled, ${PIVOTS} pivots, G(${LARGE_NODES}, ${LARGE_EDGES})`,
  seconds: largeSeconds,
  cpuSeconds: largeCpu,
  maxDifference: null,
  note: `${largeResult.threads} threads; generating and compacting the graph took ${largeBuildSeconds.toFixed(1)} s more`,
})

console.log('\n| method | wall s | CPU s | max difference from Lantern 1 thread | note |')
console.log('|---|---:|---:|---:|---|')
const fixed = (x: number | null) => (x === null ? 'n/a' : x.toFixed(2))
for (const row of rows) {
  const diff = row.maxDifference === null ? 'n/a' : row.maxDifference.toExponential(1)
  console.log(`| ${row.method} | ${fixed(row.seconds)} | ${fixed(row.cpuSeconds)} | ${diff} | ${row.note} |`)
}
if (igraphSeconds !== null) {
  console.log(`\nLantern with workers / python-igraph: ${(threadedSeconds / igraphSeconds).toFixed(2)} (below 1 is faster)`)
  console.log(`Lantern one thread / python-igraph:  ${(singleSeconds / igraphSeconds).toFixed(2)}`)
}

// The CAVIAR fixtures, re-checked live against igraph and against Lantern.
if (python) {
  const run = spawnSync(python, ['bench/igraph-reference.py', 'caviar', '../shared/data'], { encoding: 'utf8' })
  if (run.status !== 0) throw new Error(`igraph failed: ${run.stderr}`)
  const live = JSON.parse(run.stdout) as { networks: Record<string, { metrics: Record<string, { degree: number; betweenness: number }> }> }
  const fixture = JSON.parse(readFileSync('src/analytics/graph/fixtures/caviar-igraph.json', 'utf8')) as typeof live
  let worst = 0
  let degreeMismatches = 0
  for (const [name, network] of Object.entries(live.networks)) {
    const ours = await networkMetrics(graphFromParsed(parseAdjacencyCsv(readFileSync(`../shared/data/networks/${name}`, 'utf8'))))
    for (const [label, want] of Object.entries(network.metrics)) {
      const got = ours.metrics.get(label)!
      const kept = fixture.networks[name].metrics[label]
      worst = Math.max(worst, Math.abs(got.betweenness - want.betweenness), Math.abs(kept.betweenness - want.betweenness))
      if (got.degree !== want.degree || kept.degree !== want.degree) degreeMismatches++
    }
  }
  console.log(
    `\nCAVIAR (11 phases and the full network), live igraph vs Lantern and vs the fixtures: ` +
      `largest betweenness difference ${worst.toExponential(1)}, degree mismatches ${degreeMismatches}`,
  )
}
