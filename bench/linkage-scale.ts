/**
 * Deduplication at scale: FEBRL-like generated people (default 1,000,000 records, 40% of them
 * corrupted duplicates), with the default settings chosen from the column names. Prints the time
 * of each stage, the peak resident memory, the candidate pairs and the quality against the
 * generator's truth (used only to score). A progress bar shows on a terminal.
 *
 *   node --import tsx bench/linkage-scale.ts [--records 1000000] [--seed 7]
 */
import { SingleBar } from 'cli-progress'
import { mkdirSync, openSync, writeSync, closeSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { countTruePairs, csvLine, deduplicate, febrlEntity, pairQuality, type ProgressEvent } from '../src/analytics/linkage/index.ts'
import { febrlLikeGenerator } from './linkage-generate.ts'
import { benchArgs } from './support/args.ts'

const { number: argument } = benchArgs()

const RECORDS = argument('records', 1_000_000)
const SEED = argument('seed', 7)
const THRESHOLD = 0.5
const mb = (bytes: number) => `${Math.round(bytes / 2 ** 20).toLocaleString('en-GB')} MB`
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`

// The work is synchronous, so the heap is sampled from the progress callback, not a timer.
let peakHeap = 0
const sampleHeap = () => {
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)
}

function progressBar(): (event: ProgressEvent) => void {
  if (!process.stderr.isTTY) return sampleHeap
  const bar = new SingleBar({ format: '{stage} [{bar}] {percentage}% {value}/{total} {detail}', stream: process.stderr, clearOnComplete: true })
  let stage = ''
  return (event) => {
    sampleHeap()
    if (event.stage !== stage) {
      if (stage) bar.stop()
      stage = event.stage
      bar.start(Math.max(event.total, 1), event.done, { stage, detail: event.detail ?? '' })
    } else bar.update(event.done, { detail: event.detail ?? '' })
    if (event.stage === 'prior' && event.done === event.total) bar.stop()
  }
}

console.log(`Linkage at scale: ${RECORDS.toLocaleString('en-GB')} records, seed ${SEED}, ${cpus().length} cores, Node ${process.version}, load ${loadavg()[0].toFixed(1)}`)
const started = performance.now()
const cpuAtStart = process.cpuUsage()
const table = febrlLikeGenerator(SEED).people(RECORDS)
const generated = performance.now()
console.log(`generated in ${seconds(generated - started)}`)

const run = deduplicate(table, {
  idColumn: 'rec_id',
  onProgress: progressBar(),
  onBlocking: (report) => {
    if (process.stderr.isTTY) process.stderr.write('\n')
    console.log(`candidate pairs: ${report.candidatePairs.toLocaleString('en-GB')} of ${report.totalPairs.toLocaleString('en-GB')}`)
    for (const r of report.rules) console.log(`  ${r.rule}: ${r.pairs.toLocaleString('en-GB')} (${r.newPairs.toLocaleString('en-GB')} new)`)
  },
})
const linked = performance.now()

mkdirSync('bench/out', { recursive: true })
const fd = openSync('bench/out/linkage-scale-pairs.csv', 'w')
let buffer = csvLine(['id_l', 'id_r', 'match_probability'])
let written = 0
for (const match of run.matches(THRESHOLD)) {
  buffer += csvLine([match.idLeft, match.idRight, match.probability.toFixed(6)])
  written++
  if (buffer.length > 1 << 20) {
    writeSync(fd, buffer)
    buffer = ''
  }
}
writeSync(fd, buffer)
closeSync(fd)
const clusters = new Set(run.clusters(THRESHOLD).map((c) => c.cluster)).size
const finished = performance.now()
sampleHeap()

const ids = table.columns.rec_id as string[]
const truth = countTruePairs(ids.map(febrlEntity))
const quality = pairQuality(run.matches(THRESHOLD), truth, (a, b) => febrlEntity(a) === febrlEntity(b))

console.log(`stages, wall: ${Object.entries(run.timings).map(([k, v]) => `${k} ${seconds(v)}`).join(', ')}`)
console.log(`stages, CPU:  ${Object.entries(run.cpuTimings).map(([k, v]) => `${k} ${seconds(v)}`).join(', ')}`)
console.log(`link (encode, block, train, score): ${seconds(linked - generated)}; write pairs and clusters: ${seconds(finished - linked)}`)
console.log(`total without generation: ${seconds(finished - generated)}; with generation: ${seconds(finished - started)}`)
const cpu = process.cpuUsage(cpuAtStart)
console.log(`CPU time of the whole run: ${seconds((cpu.user + cpu.system) / 1000)}; load average at the end ${loadavg().map((l) => l.toFixed(1)).join(' ')}`)
console.log(`peak RSS ${mb(process.resourceUsage().maxRSS * 1024)}, peak heap used ${mb(peakHeap)}`)
console.log(`prior ${run.model.prior.toExponential(3)} (expected matching pairs ${Math.round(run.model.training.prior.expectedMatches).toLocaleString('en-GB')}, true ${truth.toLocaleString('en-GB')})`)
console.log(`EM sessions: ${run.model.training.sessions.map((s) => `${s.rule} (${s.sampledPairs.toLocaleString('en-GB')} of ${s.pairs.toLocaleString('en-GB')} pairs, ${s.iterations} iterations)`).join('; ')}`)
console.log(`matches ≥ ${THRESHOLD}: ${written.toLocaleString('en-GB')} pairs, ${clusters.toLocaleString('en-GB')} clusters`)
console.log(
  `precision ${quality.precision.toFixed(4)}, recall ${quality.recall.toFixed(4)}, F1 ${quality.f1.toFixed(4)} ` +
    `(TP ${quality.truePositives.toLocaleString('en-GB')}, FP ${quality.falsePositives.toLocaleString('en-GB')}, FN ${quality.falseNegatives.toLocaleString('en-GB')})`,
)
