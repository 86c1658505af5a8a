import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { testDatabaseKinds, type TestDatabase } from '../../test/support/databases.ts'
import { migrateToLatest } from './migrate.ts'

describe.each(testDatabaseKinds())('migrations and the audit table on $name', (kind) => {
  let database: TestDatabase
  beforeAll(async () => {
    database = await kind.create({ migrate: false })
  })
  afterAll(async () => {
    await database?.dispose()
  })

  it('applies every migration once, in order, and a second run applies none', async () => {
    const first = await migrateToLatest(database.db)
    expect(first[0]).toBe('0001_foundation')
    expect([...first].sort()).toEqual(first)
    expect(await migrateToLatest(database.db)).toEqual([])
  })

  it('lets two instances migrating at the same moment both succeed without applying anything twice', async () => {
    const results = await Promise.all([migrateToLatest(database.db), migrateToLatest(database.db)])
    expect(results.flat()).toEqual([])
    const applied = await sql<{ n: number }>`select count(*)::int as n from kysely_migration`.execute(database.db)
    const names = await sql<{ name: string }>`select name from kysely_migration`.execute(database.db)
    expect(applied.rows[0].n).toBe(new Set(names.rows.map((r) => r.name)).size)
  })

  it('keeps the audit trail append-only for the application’s own database user', async () => {
    await database.db.insertInto('audit_events').values({ action: 'view', record_type: 'person', record_id: 'x' }).execute()
    await expect(sql`update audit_events set action = 'nothing'`.execute(database.db)).rejects.toThrow(/append-only/)
    await expect(sql`delete from audit_events`.execute(database.db)).rejects.toThrow(/append-only/)
    await expect(sql`truncate audit_events`.execute(database.db)).rejects.toThrow(/append-only/)
    const rows = await database.db.selectFrom('audit_events').select('action').execute()
    expect(rows).toEqual([{ action: 'view' }])
  })

  it('brings an installation from an earlier release up to date when the new migration sorts before ones it already ran', async () => {
    const older = await kind.create({ migrate: false })
    try {
      const first = await migrateToLatest(older.db, { leaveOut: ['0112_register_indexes'] })
      expect(first).not.toContain('0112_register_indexes')
      expect(first.some((name) => name > '0112_register_indexes')).toBe(true)
      expect(await migrateToLatest(older.db)).toEqual(['0112_register_indexes'])
      expect(await migrateToLatest(older.db)).toEqual([])
    } finally {
      await older.dispose()
    }
  })
})
