import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { testDatabaseKinds, type TestDatabase } from '../../test/support/databases.ts'
import { migrateToLatest } from '../db/migrate.ts'
import type { Db } from '../db/index.ts'
import { systemContext } from '../kernel/context.ts'
import { auditService } from './service.ts'
import { GENESIS_HASH, linkHash } from './chain.ts'

const ctx = { ...systemContext('chain-test'), method: 'GET', path: '/chain-test' }

/** As the database owner would: the append-only trigger switched off, the change made, the trigger back on. */
async function asOwner(db: Db, change: string) {
  await sql.raw('alter table audit_events disable trigger audit_events_no_update_delete').execute(db)
  try {
    await sql.raw(change).execute(db)
  } finally {
    await sql.raw('alter table audit_events enable trigger audit_events_no_update_delete').execute(db)
  }
}

async function lastIds(db: Db, n: number) {
  const rows = await db.selectFrom('audit_events').select('id').orderBy('chain_seq', 'desc').limit(n).execute()
  return rows.map((r) => r.id).reverse()
}

describe.each(testDatabaseKinds())('the audit hash chain on $name', (kind) => {
  let database: TestDatabase
  const db = () => database.db
  const audit = () => auditService(db())

  beforeAll(async () => {
    database = await kind.create()
  })
  afterAll(async () => {
    await database?.dispose()
  })

  it('links every event to the one before, and verify accepts an untouched trail', async () => {
    for (let i = 0; i < 5; i++) await audit().record(ctx, { action: 'view', recordType: 'person', recordId: `p-${i}`, reason: `reason ${i}`, details: { q: 'Kyle', i } })
    const rows = await db().selectFrom('audit_events').select(['chain_seq', 'hash']).orderBy('chain_seq').execute()
    expect(rows.map((r) => r.chain_seq)).toEqual(rows.map((_, i) => i + 1))
    expect(new Set(rows.map((r) => r.hash)).size).toBe(rows.length)
    expect(await audit().verifyChain()).toEqual({ ok: true, rows: rows.length, lastHash: rows[rows.length - 1].hash })
  })

  it('overwrites a hash or place an insert tries to supply', async () => {
    await sql`insert into audit_events (action, chain_seq, hash) values ('forged', 1, ${'f'.repeat(64)})`.execute(db())
    const forged = await db().selectFrom('audit_events').select(['chain_seq', 'hash']).where('action', '=', 'forged').executeTakeFirstOrThrow()
    expect(forged.chain_seq).toBeGreaterThan(1)
    expect(forged.hash).not.toBe('f'.repeat(64))
    expect((await audit().verifyChain()).ok).toBe(true)
  })

  it('keeps one unbroken chain when many transactions write at once', async () => {
    const before = (await audit().verifyChain()) as { rows: number }
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        db().transaction().execute(async (trx) => {
          await audit().record(ctx, { action: 'update', recordType: 'person', recordId: `c-${i}` }, trx)
        }),
      ),
    )
    expect(await audit().verifyChain()).toMatchObject({ ok: true, rows: before.rows + 40 })
  })

  it('names the row whose content was changed by the database owner', async () => {
    const [, target] = await lastIds(db(), 3)
    await asOwner(db(), `update audit_events set reason = 'nothing to see' where id = ${target}`)
    expect(await audit().verifyChain()).toMatchObject({ ok: false, broken: { id: target, problem: expect.stringContaining('hash does not match') } })
    await asOwner(db(), `update audit_events set reason = null where id = ${target}`)
    expect((await audit().verifyChain()).ok).toBe(true)
  })

  it('names the row after a deleted one, and notices rows deleted from the end', async () => {
    await audit().record(ctx, { action: 'view', recordType: 'person', recordId: 'to-delete' })
    await audit().record(ctx, { action: 'view', recordType: 'person', recordId: 'after' })
    const [deleted, after] = await lastIds(db(), 2)
    await asOwner(db(), `delete from audit_events where id = ${deleted}`)
    expect(await audit().verifyChain()).toMatchObject({ ok: false, broken: { id: after } })
    await asOwner(db(), `delete from audit_events where id = ${after}`)
    expect(await audit().verifyChain()).toMatchObject({ ok: false, broken: { problem: expect.stringContaining('deleted from the end') } })
  })
})

describe.each(testDatabaseKinds())('the genesis of the chain on $name', (kind) => {
  it('chains the rows written before the migration from 64 zeros, in id order', { timeout: 120_000 }, async () => {
    const database = await kind.create({ migrate: false })
    try {
      await migrateToLatest(database.db, { leaveOut: ['0008_audit_chain', '0800_audit_partitions'] })
      await sql`insert into audit_events (action, record_type, details) values ('view', 'person', '{"q":"before"}'), ('search', 'person', null)`.execute(database.db)
      await migrateToLatest(database.db)
      const rows = await database.db.selectFrom('audit_events').select(['id', 'chain_seq', 'hash']).orderBy('id').execute()
      expect(rows.map((r) => r.chain_seq)).toEqual([1, 2])
      const { rows: contents } = await sql<{ content: string }>`select audit_event_content(e) as content from audit_events e order by id`.execute(database.db)
      expect(rows[0].hash).toBe(linkHash(GENESIS_HASH, contents[0].content))
      expect(rows[1].hash).toBe(linkHash(rows[0].hash, contents[1].content))
      const audit = auditService(database.db)
      await audit.record(ctx, { action: 'view' })
      expect(await audit.verifyChain()).toMatchObject({ ok: true, rows: 3 })
    } finally {
      await database.dispose()
    }
  })
})
