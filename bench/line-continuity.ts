/**
 * Line continuity on generated call data with a known answer (`src/analytics/continuity/synthetic.ts`):
 * deal lines sharing part of their customers, some closing on the same day and carrying on under
 * a successor number, each closure followed by a rival line poaching some customers from other
 * places at other hours, and customers changing phone. For every closed line, the candidates are
 * chosen by the library's own rule (`candidateNumbers`, the rule the calls module runs in SQL) and
 * scored; a flag on the known successor is a true positive, a flag on anything else (a rival,
 * another closed line's successor, a customer's new phone) a false positive, a successor not
 * flagged a false negative.
 *
 * The peer, in the same run on the same calls: the same candidates ranked by contacts alone (the
 * obvious first try: "who rings the old line's customers?"), flagged at the same threshold.
 *
 *   node --import tsx bench/line-continuity.ts [--seeds 10] [--lines 40] [--closed 12] [--shared 0.2] [--kept 0.8]
 */
import {
  candidateNumbers,
  CONTINUITY_WINDOW,
  DEFAULT_CONTINUITY,
  profileOf,
  profilesOf,
  scoreSuccessors,
  type ContinuityOptions,
} from '../src/analytics/continuity/index.ts'
import { generateCalls, type SyntheticCall } from '../src/analytics/continuity/synthetic.ts'
import { seededRandom } from '../src/analytics/graph/index.ts'
import { benchArgs } from './support/args.ts'
import { machineLine } from './support/machine.ts'

const args = benchArgs()
const SEEDS = args.number('seeds', 10)
const LINES = args.number('lines', 40)
const CLOSED = args.number('closed', 12)
const SHARED = args.number('shared', 0.2)
const KEPT = args.number('kept', 0.8)
const DAY_MS = 86_400_000

const CONTACTS_ONLY: ContinuityOptions = { ...DEFAULT_CONTINUITY, weights: { contacts: 1, places: 0, hours: 0 } }
const METHODS: Record<string, ContinuityOptions> = { 'contacts, places and hours (Lantern)': DEFAULT_CONTINUITY, 'contacts alone (peer)': CONTACTS_ONLY }

interface Tally {
  tp: number
  fp: number
  fn: number
  /** Closures whose best-scored candidate is the successor. */
  top: number
  closures: number
  candidates: number
  falseBy: Record<string, number>
  ms: number
}

const tally = (): Tally => ({ tp: 0, fp: 0, fn: 0, top: 0, closures: 0, candidates: 0, falseBy: {}, ms: 0 })
const totals = Object.fromEntries(Object.keys(METHODS).map((m) => [m, tally()])) as Record<string, Tally>
const start = new Date('2026-01-05T00:00:00Z')

console.log(`Line continuity: ${SEEDS} generated sets of ${LINES} lines, ${CLOSED} closing on day 90 of 180; ${Math.round(SHARED * 100)}% of customers shared between lines; a successor keeps ${Math.round(KEPT * 100)}% of its customers`)
console.log(machineLine())
let callCount = 0
for (let seed = 1; seed <= SEEDS; seed++) {
  const { calls, lines } = generateCalls({
    random: seededRandom(seed),
    start,
    days: 180,
    lines: LINES,
    closed: CLOSED,
    closeDay: 90,
    customersPerLine: 30,
    sharedCustomers: SHARED,
    callsPerDay: 20,
    kept: KEPT,
    newPhones: LINES,
  })
  callCount += calls.length
  const timed = calls.map((c: SyntheticCall) => ({ ...c, at: c.startedAt.getTime() }))
  const successorOf = new Map(lines.filter((l) => l.successor).map((l) => [l.successor!, l.number]))
  const rivals = new Set(lines.flatMap((l) => (l.rival ? [l.rival] : [])))
  const kindOf = (n: string) => (successorOf.has(n) ? 'another closed line’s successor' : rivals.has(n) ? 'a rival line' : 'a customer’s new phone or other number')
  for (const line of lines.filter((l) => l.closedOn)) {
    const closedAt = Date.parse(`${line.closedOn}T00:00:00Z`)
    const own = new Set([line.number])
    const before = timed.filter((c) => c.at >= closedAt - CONTINUITY_WINDOW.daysBefore * DAY_MS && c.at < closedAt + DAY_MS)
    for (const [name, options] of Object.entries(METHODS)) {
      const t = totals[name]
      const began = performance.now()
      const profile = profileOf(own, before)
      const candidates = candidateNumbers(timed, own, new Set(profile.contacts.keys()), closedAt)
      const newSince = closedAt - CONTINUITY_WINDOW.newDaysBefore * DAY_MS
      const until = closedAt + CONTINUITY_WINDOW.daysAfter * DAY_MS
      const after = timed.filter((c) => c.at >= newSince && c.at < until)
      const scores = scoreSuccessors(own, profile, profilesOf(candidates, after), options)
      t.ms += performance.now() - began
      t.closures++
      t.candidates += candidates.size
      if (scores[0]?.number === line.successor) t.top++
      let found = false
      for (const s of scores.filter((x) => x.flagged)) {
        if (s.number === line.successor) {
          t.tp++
          found = true
        } else {
          t.fp++
          const kind = kindOf(s.number)
          t.falseBy[kind] = (t.falseBy[kind] ?? 0) + 1
        }
      }
      if (!found) t.fn++
    }
  }
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`
console.log(`${callCount.toLocaleString('en-GB')} calls in all`)
console.log('| Method | Closures | Candidates | Flagged | Precision | Recall | Successor ranked first | False flags | Scoring time |')
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |')
for (const [name, t] of Object.entries(totals)) {
  const precision = t.tp + t.fp ? t.tp / (t.tp + t.fp) : 1
  const recall = t.tp / (t.tp + t.fn)
  const falses = Object.entries(t.falseBy).map(([k, v]) => `${v} ${k}`).join('; ') || 'none'
  console.log(`| ${name} | ${t.closures} | ${t.candidates} | ${t.tp + t.fp} | ${pct(precision)} | ${pct(recall)} | ${pct(t.top / t.closures)} | ${falses} | ${t.ms.toFixed(0)} ms |`)
}
const [lantern, peer] = Object.values(totals)
console.log(`Scoring time, Lantern against the peer in the same run: ${(lantern.ms / peer.ms).toFixed(2)}x (the same work: only the weights differ)`)
