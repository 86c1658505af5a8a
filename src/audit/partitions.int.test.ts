import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { primaryTestDatabaseKind, testDatabaseKinds, type TestDatabase } from '../../test/support/databases.ts'
import { seedTestDemo } from '../../test/support/templates.ts'
import { migrateToLatest } from '../db/migrate.ts'
import { systemContext } from '../kernel/context.ts'
import { auditArchive, verifyArchiveFile } from './archive.ts'
import { partitionStore } from './partition-store.ts'
import { auditService } from './service.ts'

const ctx = { ...systemContext('partitions-test'), method: 'CLI', path: 'lantern audit archive' }

describe.each(testDatabaseKinds())('the audit trail partitioned by month on $name', (kind) => {
  let database: TestDatabase
  let dir: string
  const db = () => database.db

  beforeAll(async () => {
    database = await kind.create()
    dir = await mkdtemp(path.join(tmpdir(), 'lantern-audit-archive-'))
  })
  afterAll(async () => {
    await database?.dispose()
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  /** Written through the chain trigger, as the owner, at a chosen time. */
  async function event(at: string, email: string, recordId: string) {
    await sql`insert into audit_events (at, action, user_email, record_type, record_id) values (${at}::timestamptz, 'view', ${email}, 'person', ${recordId})`.execute(db())
  }

  it('exports a month past the retention, detaches it, audits the act, and the chain still holds across it', async () => {
    const store = partitionStore(db())
    expect(await store.addMonth('2025-01')).toBe(true)
    expect(await store.addMonth('2025-02')).toBe(true)
    await event('2025-01-10T09:00:00Z', 'jane.smith@council.test', 'p-1')
    await event('2025-01-31T23:59:59Z', 'jane.smith@council.test', 'p-2')
    await event('2025-02-01T00:00:01Z', 'omar@police.test', 'p-1')
    // A transaction begun before midnight that took its place in the chain after one begun just after.
    await event('2025-01-31T23:59:58Z', 'omar@police.test', 'p-3')
    await event('2025-02-02T10:00:00Z', 'jane.smith@council.test', 'p-1')

    const audit = auditService(db())
    const archive = auditArchive(db(), audit)
    await archive.setRetentionMonths(ctx, 1)
    const done = await archive.applyRetention(ctx, new Date('2025-03-15T12:00:00Z'), dir)
    expect(done.map((d) => [d.month, d.rows])).toEqual([['2025-01', 3]])
    expect(await store.attachedMonths()).not.toContain('2025-01')
    expect((await archive.archives()).map((a) => [a.month, a.table_name, a.rows])).toEqual([['2025-01', 'audit_archive_2025_01', 3]])

    const file = await verifyArchiveFile(done[0].file)
    expect(file).toMatchObject({ month: '2025-01', sha256: done[0].sha256, result: { rows: 3 } })
    expect(await audit.verifyChain()).toMatchObject({ ok: true })
    const act = await db().selectFrom('audit_events').select(['record_id', 'details']).where('action', '=', 'archive').executeTakeFirstOrThrow()
    expect(act).toMatchObject({ record_id: '2025-01', details: { rows: 3, sha256: done[0].sha256 } })

    // The detached month is kept, append-only, and its month is not made again.
    await expect(sql`delete from audit_archive_2025_01`.execute(db())).rejects.toThrow(/append-only/)
    expect(await store.addMonth('2025-01')).toBe(false)
  })

  it('finds by user, by record and by date range, and counts only up to a limit', async () => {
    const audit = auditService(db())
    const reader = { permissions: new Set(['audit:details']) } as never
    const byUser = await audit.search(reader, { userEmail: 'JANE.SMITH@council.test' }, 50, 0)
    expect(byUser.rows.map((r) => r.record_id)).toEqual(['p-1'])
    expect((await audit.search(reader, { userEmail: 'omar' }, 50, 0)).rows.map((r) => r.record_id)).toEqual(['p-1'])
    expect((await audit.search(reader, { recordType: 'person', recordId: 'p-1', from: '2025-02-01', to: '2025-02-28' }, 50, 0)).rows).toHaveLength(2)
    expect(await auditService(db()).search(reader, {}, 1, 0)).toMatchObject({ totalIsAtLeast: false })
  })

  it('notices the first attached row deleted after a month was detached', async () => {
    const audit = auditService(db())
    await sql.raw('alter table audit_events disable trigger audit_events_no_update_delete').execute(db())
    try {
      await sql`delete from audit_events where chain_seq = (select min(chain_seq) from audit_events)`.execute(db())
    } finally {
      await sql.raw('alter table audit_events enable trigger audit_events_no_update_delete').execute(db())
    }
    expect(await audit.verifyChain()).toMatchObject({ ok: false, broken: { problem: expect.stringContaining('is missing: rows were deleted before it') } })
  })
})

// Seeding the demo is the slow part, so this runs on the primary database only (PostgreSQL where
// the suite has one): the same migration runs on PGlite for every template the suite makes.
describe('moving a seeded demo’s audit trail into partitions', () => {
  it('keeps every row, id and link of the chain, and writes on after them', { timeout: 240_000 }, async () => {
    const database = await primaryTestDatabaseKind().create({ migrate: false })
    try {
      await migrateToLatest(database.db, { leaveOut: ['0800_audit_partitions'] })
      await seedTestDemo(database.db)
      // The demo's story writes no audit rows, so a year of staff views of its people is added, through the chain.
      await sql`
        insert into audit_events (at, user_id, user_email, action, record_type, record_id, path)
        select timestamptz '2025-11-01 09:00:00+00' + (i * interval '29 hours'), u.id, u.email, 'view', 'person', p.id::text, '/people/' || p.id
          from generate_series(1, 300) i
          cross join lateral (select id, email from users order by email offset i % 5 limit 1) u
          cross join lateral (select id from people order by id offset i % 50 limit 1) p`.execute(database.db)
      const audit = auditService(database.db)
      const { rows: head } = await sql<{ seq: string; hash: string }>`select seq, hash from audit_chain_head`.execute(database.db)
      const before = { ok: true, rows: Number(head[0].seq), lastHash: head[0].hash }
      expect(before.rows).toBeGreaterThanOrEqual(300)
      const { rows: months } = await sql<{ n: string }>`select count(distinct date_trunc('month', at at time zone 'UTC')) as n from audit_events`.execute(database.db)

      await migrateToLatest(database.db)
      expect(await audit.verifyChain()).toEqual(before)
      const { rows: placed } = await sql<{ partition: string }>`select distinct tableoid::regclass::text as partition from audit_events`.execute(database.db)
      expect(placed.map((p) => p.partition)).not.toContain('audit_events_default')
      expect(placed).toHaveLength(Number(months[0].n))
      await audit.record(ctx, { action: 'view', recordType: 'person', recordId: 'after-the-move' })
      expect(await audit.verifyChain()).toMatchObject({ ok: true, rows: before.rows + 1 })
    } finally {
      await database.dispose()
    }
  })
})
