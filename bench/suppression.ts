/**
 * How long secondary suppression (feasible ranges by linear programming) takes on the largest real
 * table Lantern publishes: the register's counts by area and risk level, on the county seed, for
 * each kind of person and area basis, against the database query that reads the same counts,
 * measured in the same run.
 *
 *   createdb lantern_bench_rls
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/lantern_bench_rls npx lantern seed --demo --scale county
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/lantern_bench_rls node --import tsx bench/suppression.ts [--rounds 10]
 */
import { loadavg } from 'node:os'
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { openDatabase } from '../src/db/index.ts'
import { runAsOwner } from '../src/db/scope.ts'
import { registerStore } from '../src/modules/register/store.ts'
import { suppressedTable } from '../src/modules/register/suppression.ts'
import { RAG_COLUMNS } from '../src/modules/register/service.ts'
import { lpSolver } from '../src/analytics/suppression/index.ts'
import { Random } from '../src/demo/random.ts'

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '10' } } })
const rounds = Number(values.rounds)
const url = process.env.DATABASE_URL
if (!url) throw new Error('Set DATABASE_URL to a database seeded with --scale county')
const handle = await openDatabase({ url })
const store = registerStore(handle.db)
await lpSolver()

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`)
for (const kind of ['child', 'adult'] as const) {
  for (const by of ['current', 'home'] as const) {
    const query: number[] = []
    const suppression: number[] = []
    let hidden = 0
    let size = ''
    for (let r = 0; r < rounds; r++) {
      let t = performance.now()
      const [raw, choices] = await runAsOwner('bench', () => Promise.all([store.countsByArea(kind, by), store.options()]))
      query.push(performance.now() - t)
      const areas: (string | null)[] = choices.areas.map((a) => a.id)
      if (raw.some((x) => x.area_id == null)) areas.push(null)
      const matrix = areas.map((a) => RAG_COLUMNS.map((level) => Number(raw.find((x) => x.area_id === a && (x.current_rag ?? 'none') === level)?.n ?? 0)))
      t = performance.now()
      const table = await suppressedTable(matrix)
      suppression.push(performance.now() - t)
      hidden = table.flat().filter((c) => !c.shown).length
      size = `${matrix.length} areas x ${RAG_COLUMNS.length} levels (+ totals), ${table.flat().filter((c) => !c.shown && c.reason === 'small').length} small, ${hidden} hidden`
    }
    console.log(`${kind} by ${by}: ${size}: suppression median ${median(suppression).toFixed(1)} ms, counts query median ${median(query).toFixed(1)} ms, ratio ${(median(suppression) / median(query)).toFixed(2)}`)
  }
}
// The county seed has few small counts; a table of the same shape with many (a third of the
// cells from 1 to 4, seeded) shows the cost when suppression has real work to do.
const random = new Random(2026)
const sparse = Array.from({ length: 19 }, () => RAG_COLUMNS.map(() => (random.chance(0.33) ? random.int(1, 4) : random.int(0, 40))))
const times: number[] = []
let table: Awaited<ReturnType<typeof suppressedTable>> = []
for (let r = 0; r < rounds; r++) {
  const t = performance.now()
  table = await suppressedTable(sparse)
  times.push(performance.now() - t)
}
console.log(`synthetic 19 x 4 with many small counts: ${table.flat().filter((c) => !c.shown && c.reason === 'small').length} small, ${table.flat().filter((c) => !c.shown).length} hidden of ${table.flat().length}: suppression median ${median(times).toFixed(1)} ms`)
console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`)
await handle.close()
