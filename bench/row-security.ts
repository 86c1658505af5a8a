/**
 * What row-level security costs the register and the person page, in one run: the same statements
 * through the same pool, as the application role with a practitioner's settings (the policies apply)
 * and as the owner (PostgreSQL's superuser, so no policy applies: Lantern as it was before migration
 * 0701). Blocks of each alternate, so both see the same machine; the first of each block is dropped
 * (it pays the one `set_config` round trip a change of user costs, counted separately).
 *
 *   createdb lantern_bench_rls
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/lantern_bench_rls npx lantern seed --demo --scale county
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/lantern_bench_rls node --import tsx bench/row-security.ts [--rounds 20] [--block 25]
 *
 * Prints median and 95th percentile (ms) for each statement both ways, and the ratio; and the CPU
 * PostgreSQL's backends spent per page both ways (from /proc, so the server must run on this machine),
 * which other work on a loaded machine does not inflate as it does the elapsed times.
 */
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { openDatabase } from '../src/db/index.ts'
import { runAsOwner, runAsRequest, setRequestViewer } from '../src/db/scope.ts'
import { usersStore } from '../src/auth/users-store.ts'
import { registerStore } from '../src/modules/register/store.ts'
import { registerFilterSchema } from '../src/modules/register/index.ts'
import { peopleStore } from '../src/modules/people/store.ts'
import { visibleTo } from '../src/modules/people/index.ts'
import pg from 'pg'
import { loadAverage, processCpuMs } from './support/machine.ts'

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '20' }, block: { type: 'string', default: '25' } } })
const rounds = Number(values.rounds)
const block = Number(values.block)
const url = process.env.DATABASE_URL
if (!url) throw new Error('Set DATABASE_URL to a database seeded with --scale county')

const handle = await openDatabase({ url })
const db = handle.db
const email = 'practitioner@lantern.test'
const row = await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow()
const user = (await usersStore(db).currentUser(row.id))!
const filter = registerFilterSchema.parse({})
const today = new Date().toISOString().slice(0, 10)
const register = registerStore(db)
const people = peopleStore(db)
const visible = await db.selectFrom('people as p').select('p.id').where(visibleTo(user, 'p')).limit(200).execute()
const total = await db.selectFrom('people').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
let next = 0
// The CPU of this database's backends (the pool's connections, which stay open through a block), read
// over one connection of its own; the server's reaped children are left out, as they count every
// database's, and other engineers' tests share the server.
const monitor = new pg.Client({ connectionString: url })
await monitor.connect()
const backendCpuMs = async () => {
  const { rows } = await monitor.query<{ pid: number }>('select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()')
  return rows.reduce((t, r) => t + processCpuMs(r.pid), 0)
}
const pages: Record<string, () => Promise<unknown>> = {
  'register, first page': () => register.search(user, filter, today, new Date(`${today}T12:00:00Z`)),
  'person page (record and what hangs off it)': async () => {
    const id = visible[next++ % visible.length].id
    await people.details(id)
    await people.related(id)
  },
}

const asApplication = <T>(work: () => Promise<T>) =>
  runAsRequest(() => {
    setRequestViewer(user, { breakGlass: true })
    return work()
  })
const asOwner = <T>(work: () => Promise<T>) => runAsOwner('the comparison without policies', work)

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]
}

console.log(`${Number(total.n).toLocaleString()} people; ${user.name} (${user.roleName}, ${user.agencyName}) sees ${visible.length}+; ${rounds} rounds of ${block} each way`)
for (const [name, page] of Object.entries(pages)) {
  const times = { policies: [] as number[], owner: [] as number[] }
  const cpu = { policies: 0, owner: 0 }
  for (let r = 0; r < rounds; r++) {
    for (const [mode, run] of (r % 2 ? [['owner', asOwner], ['policies', asApplication]] : [['policies', asApplication], ['owner', asOwner]]) as [keyof typeof times, typeof asOwner][]) {
      await run(async () => {
        await page()
        const before = await backendCpuMs()
        for (let i = 0; i < block; i++) {
          const start = performance.now()
          await page()
          times[mode].push(performance.now() - start)
        }
        cpu[mode] += (await backendCpuMs()) - before
      })
    }
  }
  const m = (k: keyof typeof times) => ({ median: quantile(times[k], 0.5), p95: quantile(times[k], 0.95) })
  const p = m('policies')
  const o = m('owner')
  console.log(`${name}: with policies median ${p.median.toFixed(2)} ms, p95 ${p.p95.toFixed(2)} ms; without median ${o.median.toFixed(2)} ms, p95 ${o.p95.toFixed(2)} ms; ratio of medians ${(p.median / o.median).toFixed(2)}, of p95 ${(p.p95 / o.p95).toFixed(2)}`)
  const perPage = (k: keyof typeof cpu) => cpu[k] / times[k].length
  console.log(`  PostgreSQL CPU per page: with policies ${perPage('policies').toFixed(2)} ms, without ${perPage('owner').toFixed(2)} ms; ratio ${(perPage('policies') / perPage('owner')).toFixed(2)}`)
}
console.log(`load average at the end: ${loadAverage()}`)
await monitor.end()
await handle.close()
