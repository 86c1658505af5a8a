/**
 * "Is this one of these?": one new record scored against 20,000 existing people, as when a user
 * creates a person. The model is trained without labels on the 20,000 (a deduplication), the index
 * is built once, then 2,000 further generated records are looked up one by one. Prints the build
 * time, the latency percentiles and how often the right person is found.
 *
 *   node --import tsx bench/linkage-match.ts [--people 20000] [--queries 2000]
 */
import { cpus, loadavg } from 'node:os'
import { deduplicate, febrlEntity, MatchIndex, type QueryRecord, type Table } from '../src/analytics/linkage/index.ts'
import { febrlLikeGenerator } from './linkage-generate.ts'
import { benchArgs } from './support/args.ts'

const { number: argument } = benchArgs()

const PEOPLE = argument('people', 20_000)
const QUERIES = argument('queries', 2_000)

function slice(table: Table, from: number, to: number): Table {
  return { length: to - from, columns: Object.fromEntries(Object.entries(table.columns).map(([k, v]) => [k, v.slice(from, to)])) }
}

console.log(`Match index: ${PEOPLE.toLocaleString('en-GB')} people, ${QUERIES.toLocaleString('en-GB')} queries, ${cpus().length} cores, Node ${process.version}, load ${loadavg()[0].toFixed(1)}`)
const all = febrlLikeGenerator(11).people(PEOPLE + QUERIES, { duplicateShare: 0.2 })
const existing = slice(all, 0, PEOPLE)
const newcomers = slice(all, PEOPLE, PEOPLE + QUERIES)

let started = performance.now()
const model = deduplicate(existing, { idColumn: 'rec_id' }).model
const trained = performance.now() - started
started = performance.now()
const index = MatchIndex.build(model, existing)
const built = performance.now() - started

const inIndex = new Set((existing.columns.rec_id as string[]).map(febrlEntity))
const times: number[] = []
let known = 0
let found = 0
let falseAlarms = 0
for (let q = 0; q < QUERIES; q++) {
  const record: QueryRecord = Object.fromEntries(Object.entries(newcomers.columns).map(([k, v]) => [k, v[q]]))
  const entity = febrlEntity(record.rec_id!)
  const query = { ...record, rec_id: null }
  const t = performance.now()
  const matches = index.find(query, { threshold: 0.5, limit: 5 })
  times.push(performance.now() - t)
  if (inIndex.has(entity)) {
    known++
    if (matches[0] && febrlEntity(matches[0].id) === entity) found++
  } else if (matches.some((m) => febrlEntity(m.id) !== entity)) falseAlarms++
}
times.sort((a, b) => a - b)
const pct = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))].toFixed(3)
console.log(`training on the ${PEOPLE.toLocaleString('en-GB')}: ${(trained / 1000).toFixed(1)} s; index build: ${built.toFixed(0)} ms`)
console.log(`latency per query (ms): p50 ${pct(0.5)}, p95 ${pct(0.95)}, p99 ${pct(0.99)}, max ${times.at(-1)!.toFixed(3)}`)
console.log(`queries of a person already held: ${known}, right person first: ${found} (${((100 * found) / Math.max(known, 1)).toFixed(1)}%)`)
console.log(`queries of a new person: ${QUERIES - known}, with a wrong match at ≥ 0.5: ${falseAlarms}`)
