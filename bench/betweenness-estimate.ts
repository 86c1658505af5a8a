/**
 * Sampled betweenness against python-igraph's betweenness(cutoff = 2), the quick approximation an
 * analyst would otherwise reach for: on the CAVIAR criminal network (11 phases and the whole) and
 * on G(10,000, 50,000), in the same run, each method's rank correlation (Spearman) and top-k
 * overlap with the exact betweenness, and its time (median of the runs; igraph's time is the
 * betweenness call alone, as Lantern's is).
 *
 *   node --import tsx bench/betweenness-estimate.ts [--sample 64] [--threads 2] [--runs 5] [--warmup 500] [--only caviar|random]
 *
 * Lantern's estimate uses `--sample` sources (exact when the graph has no more nodes than that);
 * the exact reference is Lantern's exact betweenness, which equals igraph's to 1e-15
 * (bench/graph-betweenness.ts, caviar.test.ts). Needs /usr/bin/python3 with igraph (Debian
 * python3-igraph) for the igraph columns, and says so when it is missing.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import {
  betweenness,
  compactFromEdges,
  compactFromGraphology,
  graphFromParsed,
  parseAdjacencyCsv,
  randomEdges,
  spearman,
  topOverlap,
  type CompactGraph,
} from '../src/analytics/graph/index.ts'
import { benchArgs } from './support/args.ts'
import { loadAverage, machineLine } from './support/machine.ts'

const args = benchArgs()
const SAMPLE = args.number('sample', 64)
const THREADS = args.number('threads', 2)
const RUNS = args.number('runs', 5)
const ONLY = args.option('only', '')
const DATA = '../shared/data/networks'

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

/** A python3 that can import igraph (Debian's python3-igraph lives in /usr/bin/python3), or null. */
function findPython(): string | null {
  for (const candidate of ['/usr/bin/python3', 'python3']) {
    if (spawnSync(candidate, ['-c', 'import igraph'], { encoding: 'utf8' }).status === 0) return candidate
  }
  return null
}

/** igraph's cutoff betweenness of the graph's edges, `runs` times: values and each run's seconds. */
function igraphCutoff(python: string, graph: CompactGraph, runs: number): { version: string; seconds: number[]; cpu: number[]; betweenness: number[] } {
  const dir = mkdtempSync(path.join(tmpdir(), 'lantern-bench-'))
  try {
    const file = path.join(dir, 'edges.csv')
    let csv = `source,target,n=${graph.n}\n`
    for (let v = 0; v < graph.n; v++) for (let e = graph.offsets[v]; e < graph.offsets[v + 1]; e++) if (graph.targets[e] > v) csv += `${v},${graph.targets[e]}\n`
    writeFileSync(file, csv)
    const run = spawnSync(python, ['bench/igraph-reference.py', 'cutoff', file, '2', String(runs)], { encoding: 'utf8', maxBuffer: 1 << 28 })
    if (run.status !== 0) throw new Error(`igraph failed: ${run.stderr}`)
    const out = JSON.parse(run.stdout) as { igraph: string; seconds: number[]; cpu_seconds: number[]; betweenness: number[] }
    return { version: out.igraph, seconds: out.seconds, cpu: out.cpu_seconds, betweenness: out.betweenness }
  } finally {
    rmSync(dir, { recursive: true })
  }
}

function caviar(file: string): CompactGraph {
  return compactFromGraphology(graphFromParsed(parseAdjacencyCsv(readFileSync(path.join(DATA, file), 'utf8'))), { undirected: true }).graph
}

// CAVIAR's networks are small enough that starting worker threads would cost more than the
// work: they run on one thread ('auto'), as Lantern runs them.
// Each CAVIAR graph is also run WARMUP times before it is timed, as igraph's compiled code needs no
// warming and a JIT does: the cold first call is shown apart.
const WARMUP = args.number('warmup', 500)
const allGraphs: { name: string; graph: CompactGraph; sample: number; runs: number; threads: number | 'auto'; warmup?: number }[] = [
  ...Array.from({ length: 11 }, (_, i) => ({ name: `CAVIAR phase ${i + 1}`, graph: caviar(`caviar-phases/phase${i + 1}.csv`), sample: SAMPLE, runs: 200, threads: 'auto' as const, warmup: WARMUP })),
  { name: 'CAVIAR full', graph: caviar('caviar-full.csv'), sample: SAMPLE, runs: 200, threads: 'auto', warmup: WARMUP },
  // On CAVIAR the default sample is the whole network (exact); a quarter of it shows the estimator itself.
  { name: 'CAVIAR full, a quarter sampled', graph: caviar('caviar-full.csv'), sample: 28, runs: 200, threads: 'auto', warmup: WARMUP },
  (() => {
    const { from, to } = randomEdges(10_000, 50_000, 42)
    return { name: 'G(10,000, 50,000), seed 42', graph: compactFromEdges(10_000, from, to), sample: SAMPLE, runs: RUNS, threads: THREADS }
  })(),
]
const graphs = allGraphs.filter(({ name }) => !ONLY || (ONLY === 'caviar') === name.startsWith('CAVIAR'))

console.log(`Machine: ${machineLine()}`)
const python = findPython()
if (!python) console.log('python-igraph NOT FOUND: no /usr/bin/python3 or python3 that imports igraph (apt-get install python3-igraph); the igraph columns are empty')
console.log(`Lantern: --sample ${SAMPLE} sources, --threads ${THREADS} on G(10,000, 50,000) (one thread on CAVIAR, warmed by ${WARMUP} calls before timing; the first, cold call in brackets); median of the runs; top-k is the top 100, or a tenth of the nodes (at least 3) on smaller graphs\n`)
console.log('| graph | nodes | top-k | Lantern | Lantern Spearman | Lantern top-k | Lantern s (first run) | Lantern CPU s | igraph cutoff=2 Spearman | igraph top-k | igraph s | igraph CPU s | ratio Lantern / igraph, wall (CPU) | stated bound (95%) | load |')
console.log('|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|')
for (const { name, graph, sample, runs, threads, warmup } of graphs) {
  const coldStart = performance.now()
  const exact = (await betweenness(graph, { threads })).betweenness
  const cold = (performance.now() - coldStart) / 1000
  for (let w = 0; w < (warmup ?? 0); w++) await betweenness(graph, { pivots: sample, seed: 1, threads })
  const k = graph.n >= 1000 ? 100 : Math.max(3, Math.ceil(graph.n / 10))
  const seconds: number[] = []
  // Processor time of every thread of this process, workers included.
  const cpu: number[] = []
  let estimate
  for (let r = 0; r < runs; r++) {
    const start = performance.now()
    const cpuStart = process.cpuUsage()
    estimate = await betweenness(graph, { pivots: sample, seed: 1, threads })
    seconds.push((performance.now() - start) / 1000)
    const used = process.cpuUsage(cpuStart)
    cpu.push((used.user + used.system) / 1e6)
  }
  const ours = estimate!
  const what = ours.exact ? 'exact (sample >= the exact run)' : `${ours.sources} sources`
  let igraph = { spearman: 'n/a', top: 'n/a', seconds: 'n/a', cpu: 'n/a', ratio: 'n/a' }
  if (python) {
    const out = igraphCutoff(python, graph, runs)
    const theirs = median(out.seconds)
    igraph = {
      spearman: spearman(out.betweenness, exact).toFixed(4),
      top: String(topOverlap(out.betweenness, exact, k)),
      seconds: fmt(theirs),
      cpu: fmt(median(out.cpu)),
      ratio: `${(median(seconds) / theirs).toFixed(2)} (${(median(cpu) / Math.max(median(out.cpu), 1e-9)).toFixed(2)})`,
    }
  }
  const bound = ours.error ? ours.error.epsilon.toPrecision(2) : '0 (exact)'
  console.log(
    `| ${name} | ${graph.n} | ${k} | ${what} | ${spearman(ours.betweenness, exact).toFixed(4)} | ${topOverlap(ours.betweenness, exact, k)} | ${fmt(median(seconds))} (${fmt(warmup ? cold : seconds[0])}) | ${fmt(median(cpu))} | ${igraph.spearman} | ${igraph.top} | ${igraph.seconds} | ${igraph.cpu} | ${igraph.ratio} | ${bound} | ${loadAverage()} |`,
  )
}

function fmt(s: number): string {
  return s < 0.01 ? s.toExponential(1) : s.toFixed(3)
}
