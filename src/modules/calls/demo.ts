import type { DemoSeed } from '../../demo/context.ts'
import { daysAgo } from '../../demo/context.ts'
import { Random } from '../../demo/random.ts'
import { generateCalls } from '../../analytics/continuity/synthetic.ts'
import { callsStore } from './store.ts'
import { flagLineSuccessors } from './continuity.ts'

/** Days of call data before the JAY line's closure (4 days before the demo's today). */
const DAYS_BEFORE_CLOSURE = 60

/**
 * The police's telephone data on the JAY and TOMMY lines: two months of calls with their
 * customers, then the JAY number closed on its DDTRO and a new number texting most of the same
 * customers from the same places: flagged as a likely successor for the analyst to review. Every
 * number is in Ofcom's range for drama (07700 900xxx).
 */
export async function seedCalls(seed: DemoSeed) {
  const { db, refs, today } = seed
  // Its own generator: drawing from the story's would change every later capability's demo data.
  const random = new Random(17)
  const { calls, lines } = generateCalls({
    random: () => random.next(),
    start: daysAgo(today, DAYS_BEFORE_CLOSURE + 4),
    days: DAYS_BEFORE_CLOSURE + 4,
    lines: 2,
    closed: 1,
    closeDay: DAYS_BEFORE_CLOSURE,
    customersPerLine: 30,
    sharedCustomers: 0.2,
    callsPerDay: 20,
    kept: 0.8,
    newPhones: 3,
    prefix: '+447700900',
    width: 3,
    firstNumber: 500,
  })
  // The generated lines are the demo's own two.
  const own = new Map([
    [lines[0].number, '+447700900461'],
    [lines[1].number, '+447700900872'],
  ])
  const as = (n: string) => own.get(n) ?? n
  const rows = calls.map((c) => ({ caller: as(c.caller), callee: as(c.callee), startedAt: c.startedAt, durationSeconds: c.durationSeconds, cellSite: c.cellSite }))
  const police = refs.agencies.police
  const store = callsStore(db)
  const { id } = await store.insertImport({ file_name: 'harbour-telephone-data.csv', owner_agency_id: police, grade_handling: 'C', handling_conditions: 'Police only: communications data.', imported_by: refs.users.analyst })
  for (let i = 0; i < rows.length; i += 2000) await store.insertCalls(id, police, rows.slice(i, i + 2000))
  await store.finishImport(id, rows.length, rows[0]?.startedAt ?? null, rows[rows.length - 1]?.startedAt ?? null)
  refs.calls = { import: id, jaySuccessor: lines[0].successor! }
  await flagLineSuccessors(db, police, refs.users.analyst)
}
