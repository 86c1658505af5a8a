/**
 * FEBRL end to end, as `lantern link` does it: read the CSV files, block, train, score, write the
 * pairs at or above 0.5. FEBRL4 (dataset4a against dataset4b) and FEBRL1 (deduplication), each
 * run several times; prints the time of each stage (median run), CPU time, and the quality against
 * the truth carried by the ids (used only to score).
 *
 *   node --import tsx bench/linkage-febrl.ts [--runs 5]
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { benchArgs } from './support/args.ts'
import {
  countTruePairs,
  csvLine,
  deduplicate,
  febrlEntity,
  linkTables,
  pairQuality,
  parseCsvTable,
  type LinkageRun,
  type Table,
} from '../src/analytics/linkage/index.ts'

const RUNS = benchArgs().number('runs', 5)
const FEBRL = '../shared/data/febrl'

interface Timed {
  run: LinkageRun
  tables: Table[]
  read: number
  link: number
  write: number
  total: number
  cpu: number
}

function endToEnd(files: string[], out: string): Timed {
  const cpu = process.cpuUsage()
  const started = performance.now()
  const tables = files.map((f) => parseCsvTable(readFileSync(`${FEBRL}/${f}`, 'utf8'), f))
  const read = performance.now()
  const run = tables.length === 2 ? linkTables(tables[0], tables[1], { idColumn: 'rec_id' }) : deduplicate(tables[0], { idColumn: 'rec_id' })
  const linked = performance.now()
  let text = csvLine(['id_l', 'id_r', 'match_probability'])
  for (const m of run.matches(0.5)) text += csvLine([m.idLeft, m.idRight, m.probability.toFixed(6)])
  writeFileSync(out, text)
  const done = performance.now()
  const used = process.cpuUsage(cpu)
  return { run, tables, read: read - started, link: linked - read, write: done - linked, total: done - started, cpu: (used.user + used.system) / 1000 }
}

function report(name: string, files: string[], published: string): void {
  const runs = Array.from({ length: RUNS }, () => endToEnd(files, `bench/out/linkage-${name}-pairs.csv`))
  const sorted = [...runs].sort((a, b) => a.total - b.total)
  const median = sorted[Math.floor(sorted.length / 2)]
  const { run, tables } = median
  const entities = tables.map((t) => t.columns.rec_id.map((id) => febrlEntity(id!)))
  const truth = countTruePairs(entities[0], entities[1])
  const q = pairQuality(run.matches(0.5), truth, (a, b) => febrlEntity(a) === febrlEntity(b))
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`
  console.log(`\n${name}: ${files.join(' + ')}, ${run.data.size.toLocaleString('en-GB')} records, ${truth.toLocaleString('en-GB')} true pairs`)
  console.log(`  end to end: median ${s(median.total)}, fastest ${s(sorted[0].total)}, slowest ${s(sorted.at(-1)!.total)} over ${RUNS} runs; CPU of the median run ${s(median.cpu)}`)
  console.log(`  median run, wall: read ${s(median.read)}, ${Object.entries(run.timings).map(([k, v]) => `${k} ${s(v)}`).join(', ')}, write ${s(median.write)}`)
  console.log(`  median run, CPU: ${Object.entries(run.cpuTimings).map(([k, v]) => `${k} ${s(v)}`).join(', ')}`)
  console.log(`  candidate pairs ${run.blocking.candidatePairs.toLocaleString('en-GB')} of ${run.blocking.totalPairs.toLocaleString('en-GB')}; prior ${run.model.prior.toExponential(3)}`)
  console.log(
    `  at 0.5: precision ${q.precision.toFixed(4)}, recall ${q.recall.toFixed(4)}, F1 ${q.f1.toFixed(4)} (TP ${q.truePositives}, FP ${q.falsePositives}, FN ${q.falseNegatives}); ${published}`,
  )
}

mkdirSync('bench/out', { recursive: true })
console.log(`FEBRL end to end: ${cpus().length} cores (${cpus()[0].model}), Node ${process.version}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`)
report('febrl4', ['dataset4a.csv', 'dataset4b.csv'], 'Splink’s demo: precision 1.000, recall 0.9984, F1 0.9992')
report('febrl1', ['dataset1.csv'], 'target F1 ≥ 0.99')
