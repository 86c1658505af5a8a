/**
 * What the audit trail's hash chain costs per event: the same audit writes with the chain trigger
 * (migration 0008) and without it, one writer at a time and many at once, each event in its own
 * transaction as the application writes them; then `verifyChain` over what was written.
 *
 *   TEST_DATABASE_URL=postgres://… node --import tsx bench/audit-chain.ts [--events 4000] [--writers 8]
 *
 * Without TEST_DATABASE_URL it runs on the embedded PGlite (one connection, so one writer only).
 * "Without" is the same database with the chain trigger disabled and the chain columns nullable.
 */
import { sql } from 'kysely'
import { openDatabase, type DatabaseHandle, type Db } from '../src/db/index.ts'
import { migrateToLatest } from '../src/db/migrate.ts'
import { auditService } from '../src/audit/service.ts'
import { systemContext } from '../src/kernel/context.ts'
import { benchArgs } from './support/args.ts'
import { benchDatabase } from './support/database.ts'
import { machineLine } from './support/machine.ts'

const args = benchArgs()
const EVENTS = args.number('events', 4000)
const WRITERS = args.number('writers', 8)
const serverUrl = process.env.TEST_DATABASE_URL

const ctx = { ...systemContext('bench'), method: 'GET', path: '/people/bench' }
const entry = (i: number) => ({ action: 'view', recordType: 'person', recordId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, details: { page: 'bench', i } })

/** Events per second and mean ms per event, writing EVENTS events with `writers` transactions at a time. */
async function write(db: Db, writers: number) {
  const audit = auditService(db)
  let next = 0
  const started = performance.now()
  await Promise.all(
    Array.from({ length: writers }, async () => {
      while (next < EVENTS) {
        const i = next++
        await db.transaction().execute((trx) => audit.record(ctx, entry(i), trx))
      }
    }),
  )
  const ms = performance.now() - started
  return { perSecond: Math.round((EVENTS / ms) * 1000), msPerEvent: (ms / EVENTS) * (writers === 1 ? 1 : writers) }
}

async function withoutChain(db: Db) {
  await sql.raw('alter table audit_events disable trigger audit_events_chain').execute(db)
  await sql.raw('alter table audit_events alter column chain_seq drop not null, alter column hash drop not null').execute(db)
}

async function open(label: string): Promise<{ handle: DatabaseHandle; done: () => Promise<void> }> {
  if (!serverUrl) {
    const handle = await openDatabase({})
    await migrateToLatest(handle.db)
    return { handle, done: () => handle.close() }
  }
  const bench = await benchDatabase(serverUrl, `audit_${label}`)
  const handle = await openDatabase({ url: bench.url, poolSize: WRITERS })
  await migrateToLatest(handle.db)
  return {
    handle,
    done: async () => {
      await handle.close()
      await bench.drop()
    },
  }
}

console.log(`Audit chain bench on ${serverUrl ? 'PostgreSQL' : 'PGlite'}: ${EVENTS} events per run. ${machineLine()}`)
const writerCounts = serverUrl ? [1, WRITERS] : [1]
for (const writers of writerCounts) {
  const plain = await open('plain')
  await withoutChain(plain.handle.db)
  const before = await write(plain.handle.db, writers)
  await plain.done()
  const chained = await open('chained')
  const after = await write(chained.handle.db, writers)
  const started = performance.now()
  const verified = await auditService(chained.handle.db).verifyChain()
  const verifyMs = performance.now() - started
  await chained.done()
  console.log(
    `${writers} writer(s): without the chain ${before.perSecond} events/s (${before.msPerEvent.toFixed(3)} ms each), ` +
      `with it ${after.perSecond} events/s (${after.msPerEvent.toFixed(3)} ms each), ` +
      `+${(after.msPerEvent - before.msPerEvent).toFixed(3)} ms per event; verify ${verified.ok ? 'holds' : 'BROKEN'} over ${EVENTS} rows in ${verifyMs.toFixed(0)} ms`,
  )
}
