/**
 * The plans behind bench/row-security.ts: the statements the register's first page or a person page
 * sends, captured as the application sends them, then run under EXPLAIN (ANALYZE, BUFFERS) as the
 * owner (no policy) and as the application role with the practitioner's settings, on one connection
 * each, after one warming run. Prints both plans of each statement; `VERBOSE=1` adds output columns.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/lantern_bench_rls node --import tsx bench/row-security-plans.ts [register|person]
 */
import pg from 'pg'
import { openDatabase } from '../src/db/index.ts'
import { APPLY_SETTINGS_SQL, connectionSettings, runAsRequest, setRequestViewer, settingsParameters } from '../src/db/scope.ts'
import { usersStore } from '../src/auth/users-store.ts'
import { registerFilterSchema } from '../src/modules/register/index.ts'
import { registerStore } from '../src/modules/register/store.ts'
import { peopleStore } from '../src/modules/people/store.ts'
import { visibleTo } from '../src/modules/people/index.ts'

const url = process.env.DATABASE_URL
if (!url) throw new Error('Set DATABASE_URL to a database seeded with --scale county')
const page = process.argv[2] === 'person' ? 'person' : 'register'
const handle = await openDatabase({ url })
const db = handle.db
const row = await db.selectFrom('users').select('id').where('email', '=', 'practitioner@lantern.test').executeTakeFirstOrThrow()
const user = (await usersStore(db).currentUser(row.id))!
const today = new Date().toISOString().slice(0, 10)
const person = await db.selectFrom('people as p').select('p.id').where(visibleTo(user, 'p')).limit(1).executeTakeFirstOrThrow()

// The statements as sent: every select the pool's clients run while the page is read.
const captured: { text: string; values: unknown[] }[] = []
const query = pg.Client.prototype.query as (...args: unknown[]) => unknown
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  const [text, values] = args
  if (typeof text === 'string' && /^\s*select/i.test(text) && !text.includes('set_config')) captured.push({ text, values: Array.isArray(values) ? values : [] })
  return query.apply(this, args)
} as typeof pg.Client.prototype.query
let settings: string[] = []
await runAsRequest(async () => {
  setRequestViewer(user, { breakGlass: true })
  settings = settingsParameters(connectionSettings())
  if (page === 'person') {
    await peopleStore(db).details(person.id)
    await peopleStore(db).related(person.id)
  } else {
    await registerStore(db).search(user, registerFilterSchema.parse({}), today, new Date(`${today}T12:00:00Z`))
  }
})
pg.Client.prototype.query = query as typeof pg.Client.prototype.query

for (const mode of ['owner', 'policies'] as const) {
  // JIT off, as the application's pool sets it.
  const client = new pg.Client({ connectionString: url, options: '-c jit=off' })
  await client.connect()
  if (mode === 'policies') await client.query(APPLY_SETTINGS_SQL, settings)
  for (const q of captured) {
    await client.query(q.text, q.values)
    const plan = await client.query(`explain (analyze, buffers${process.env.VERBOSE ? ', verbose' : ''}) ${q.text}`, q.values)
    console.log(`=== ${mode}: ${q.text.slice(0, 120).replace(/\s+/g, ' ')}`)
    console.log(plan.rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n'))
  }
  await client.end()
}
await handle.close()
