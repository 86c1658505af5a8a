import { afterAll, describe, expect, it } from 'vitest'
import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { sql } from 'kysely'
import { openDatabase, type Db } from './index.ts'
import { testDatabaseKinds } from '../../test/support/databases.ts'
import { auditArchive } from '../audit/archive.ts'
import { partitionStore } from '../audit/partition-store.ts'
import { auditService } from '../audit/service.ts'
import { systemContext } from '../kernel/context.ts'

const run = promisify(execFile)
const work = mkdtempSync(path.join(tmpdir(), 'lantern-backup-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

async function lantern(args: string[], env: Record<string, string>) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/lantern.js', ...args], { env: { ...process.env, LANTERN_MODE: 'demo', SESSION_SECRET: '', ...env } })
    return { code: 0, stdout, stderr }
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

/** Row counts of a few tables and a few known rows: what a restore must bring back exactly. */
async function snapshot(db: Db) {
  const counts: Record<string, number> = {}
  for (const table of ['agencies', 'users', 'people', 'risk_assessments', 'network_links', 'crime_counts', 'audit_events', 'kysely_migration']) {
    counts[table] = (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(db)).rows[0].n
  }
  const admin = await db.selectFrom('users').select(['name', 'role', 'active']).where('email', '=', 'admin@lantern.test').executeTakeFirst()
  const people = await db.selectFrom('people').select(['given_name', 'family_name', 'date_of_birth']).orderBy('family_name').orderBy('given_name').limit(3).execute()
  return { counts, admin, people }
}

/**
 * What the application role may do to each table, sequence and function, the row security on each
 * table, its policies and the default privileges later tables get: the migrations' revokes (the
 * audit trail add-and-read only, its chain head and the migrations' own tables out of reach) must
 * come back from a restore exactly as they were.
 */
async function privileges(db: Db) {
  const relations = await sql<{ name: string; rls: boolean; forced: boolean; app: string[] }>`
    select c.relname as name, c.relrowsecurity as rls, c.relforcerowsecurity as forced,
      array(select p from unnest(array['select', 'insert', 'update', 'delete', 'truncate', 'references', 'trigger']) p
            where case when c.relkind = 'S' then p in ('select', 'update') and has_sequence_privilege('lantern_app', c.oid, p)
                       else has_table_privilege('lantern_app', c.oid, p) end) as app
      from pg_class c where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p', 'v', 'm', 'S')
     order by c.relname`.execute(db)
  const functions = await sql<{ name: string; execute: boolean }>`
    select p.oid::regprocedure::text as name, has_function_privilege('lantern_app', p.oid, 'execute') as execute
      from pg_proc p where p.pronamespace = 'public'::regnamespace order by 1`.execute(db)
  const policies = await sql`select tablename, policyname, permissive, roles::text, cmd, qual, with_check from pg_policies where schemaname = 'public' order by 1, 2`.execute(db)
  const defaults = await sql`select defaclobjtype::text as kind, defaclacl::text as acl from pg_default_acl order by 1, 2`.execute(db)
  const schema = await sql<{ usage: boolean; create: boolean }>`
    select has_schema_privilege('lantern_app', 'public', 'usage') as usage, has_schema_privilege('lantern_app', 'public', 'create') as create`.execute(db)
  return { relations: relations.rows, functions: functions.rows, policies: policies.rows, defaults: defaults.rows, schema: schema.rows[0] }
}

const months = (db: Db) => auditArchive(db, auditService(db))
const archiving = { ...systemContext('backup-test'), method: 'CLI', path: 'lantern audit archive' }

/** Two months of the audit trail in their partitions, the first exported and detached. */
async function auditMonths(db: Db, dir: string) {
  for (const month of ['2025-01', '2025-02']) await partitionStore(db).addMonth(month)
  for (const at of ['2025-01-10T09:00:00Z', '2025-01-31T23:59:59Z', '2025-02-01T00:00:01Z', '2025-02-02T10:00:00Z']) {
    await sql`insert into audit_events (at, action, user_email, record_type, record_id) values (${at}::timestamptz, 'view', 'jane.smith@council.test', 'person', 'p-1')`.execute(db)
  }
  await months(db).archiveMonth(archiving, '2025-01', dir)
}

/** The trail's months, attached and detached, its chain head and whether its chain holds. */
async function auditTrail(db: Db) {
  const archived = (await months(db).archives()).map((a) => ({ month: a.month, table: a.table_name, rows: a.rows, sha256: a.file_sha256 }))
  const detachedRows = (await sql<{ n: number }>`select count(*)::int as n from audit_archive_2025_01`.execute(db)).rows[0].n
  const head = (await sql<{ seq: string; hash: string }>`select seq::text, hash from audit_chain_head`.execute(db)).rows[0]
  return { attached: await partitionStore(db).attachedMonths(), archived, detachedRows, head, chain: await auditService(db).verifyChain() }
}

/** Roles belong to the whole server: the test's own is dropped once its database is. */
async function dropRole(role: string) {
  const server = await openDatabase({ url: process.env.TEST_DATABASE_URL! })
  try {
    await sql.raw(`drop role if exists ${role}`).execute(server.db)
  } finally {
    await server.close()
  }
}

/** What a bad day does: a change and a deletion. */
async function damage(db: Db) {
  // The trail goes on, and a month is detached after the backup: the restore brings it back attached.
  await auditService(db).record(archiving, { action: 'view', recordType: 'person', recordId: 'after-the-backup' })
  await months(db).archiveMonth(archiving, '2025-02', path.join(work, 'after-the-backup'))
  await db.updateTable('users').set({ name: 'Changed after the backup' }).where('email', '=', 'admin@lantern.test').execute()
  await db.deleteFrom('crime_counts').execute()
}

describe.each(testDatabaseKinds())('lantern backup and restore on $name', (kind) => {
  it('backs up, and after a change restores exactly what was backed up; refuses a bad archive or an occupied database without --force, replacing nothing', async () => {
    const dataDir = path.join(work, kind.name)
    const database = await kind.create({ demo: true, dataDir: path.join(dataDir, 'pglite') })
    // The command reaches the database the way an operator's does: DATA_DIR, or DATABASE_URL.
    // On PostgreSQL as production runs it (docs/deploy.md): a web login that owns nothing, and the
    // owner's login; the commands must use the owner's, since the web login may not read the
    // migrations' own tables nor replace anything.
    const webRole = `lantern_backup_web_${randomBytes(4).toString('hex')}`
    let env: Record<string, string> = { DATA_DIR: dataDir, DATABASE_URL: '' }
    if (database.url) {
      await sql.raw(`create role ${webRole} login in role lantern_app`).execute(database.db)
      const web = new URL(database.url)
      web.username = webRole
      env = { DATABASE_URL: web.href, DATABASE_OWNER_URL: database.url }
    }
    const open = async () => (database.url ? database : await openDatabase({ dataDir: path.join(dataDir, 'pglite') }))
    const done = async (handle: { close(): Promise<void> }) => {
      if (!database.url) await handle.close()
    }
    try {
      await auditMonths(database.db, path.join(work, `${kind.name}-audit-archive`))
      const original = await snapshot(database.db)
      const originalTrail = await auditTrail(database.db)
      expect(originalTrail).toMatchObject({ archived: [{ month: '2025-01', table: 'audit_archive_2025_01', rows: 2 }], detachedRows: 2, chain: { ok: true } })
      expect(originalTrail.attached).toContain('2025-02')
      const originalPrivileges = await privileges(database.db)
      const app = (name: string) => originalPrivileges.relations.find((r) => r.name === name)?.app
      expect(app('audit_events')).toEqual(['select', 'insert'])
      expect(app('audit_chain_head')).toEqual([])
      expect(app('kysely_migration')).toEqual([])
      // The months, attached or detached, are reached through the trail only.
      for (const month of ['audit_events_2025_02', 'audit_events_default', 'audit_archive_2025_01', 'audit_archives']) expect(app(month)).toEqual([])
      expect(originalPrivileges.relations.find((r) => r.name === 'people')).toMatchObject({ rls: true, forced: true })
      expect(original.counts.crime_counts).toBeGreaterThan(0)
      expect(original.admin).toBeDefined()
      if (!database.url) await database.close()

      const file = path.join(work, `${kind.name}.backup`)
      const backedUp = await lantern(['backup', file], env)
      expect(backedUp.stdout, backedUp.stderr).toContain('Backed up the database')
      expect(statSync(file).mode & 0o777).toBe(0o600)

      let handle = await open()
      await damage(handle.db)
      const damaged = await snapshot(handle.db)
      expect((await auditTrail(handle.db)).attached).not.toContain('2025-02')
      expect(damaged.counts.crime_counts).toBe(0)
      await done(handle)

      const occupied = await lantern(['restore', file], env)
      expect(occupied.code).toBe(1)
      expect(occupied.stderr).toMatch(/^lantern: .*already holds .*: back it up first, then add --force\n$/)
      const bad = path.join(work, 'not-a-backup.bin')
      writeFileSync(bad, 'this is not a backup')
      const refused = await lantern(['restore', bad, '--force'], env)
      expect(refused.code).toBe(1)
      expect(refused.stderr).toBe(`lantern: ${bad} is not a Lantern backup\n`)
      const missing = await lantern(['restore', path.join(work, 'no-such.backup'), '--force'], env)
      expect(missing.stderr).toMatch(/^lantern: cannot read .*no-such\.backup: ENOENT\n$/)

      handle = await open()
      expect(await snapshot(handle.db)).toEqual(damaged)
      await done(handle)

      const restored = await lantern(['restore', file, '--force'], env)
      expect(restored.stdout, restored.stderr).toContain('Restored the database')
      handle = await open()
      expect(await snapshot(handle.db)).toEqual(original)
      expect(await privileges(handle.db)).toEqual(originalPrivileges)
      expect(await auditTrail(handle.db)).toEqual(originalTrail)
      await done(handle)
      const verified = await lantern(['audit', 'verify'], env)
      expect(verified.stdout, verified.stderr).toContain("The audit trail's chain holds")
    } finally {
      await database.dispose().catch(() => undefined)
      if (database.url) await dropRole(webRole)
    }
  }, 600_000)
})
