import { afterAll, describe, expect, it } from 'vitest'
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { sql } from 'kysely'
import { openDatabase, type Db } from '../../db/index.ts'
import { migrateToLatest } from '../../db/migrate.ts'
import { auditService } from '../../audit/service.ts'
import { systemContext } from '../../kernel/context.ts'
import { testDatabaseKinds } from '../../../test/support/databases.ts'

const run = promisify(execFile)
const dataDir = mkdtempSync(path.join(tmpdir(), 'lantern-audit-cli-'))
afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

async function lantern(args: string[], env: Record<string, string>) {
  try {
    const { stdout, stderr } = await run('node', ['bin/lantern.js', ...args], { env: { ...process.env, LOG_LEVEL: 'silent', ...env } })
    return { code: 0, stdout, stderr }
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

async function writeEvents(db: Db) {
  const audit = auditService(db)
  for (const recordId of ['a', 'b', 'c']) await audit.record(systemContext('cli-test'), { action: 'view', recordType: 'person', recordId, reason: 'first reason' })
}
/** Rewrites the middle event's reason as the database owner could, the append-only trigger switched off. */
async function tamper(db: Db) {
  const row = await db.selectFrom('audit_events').select(['id', 'chain_seq']).where('record_id', '=', 'b').executeTakeFirstOrThrow()
  await sql.raw('alter table audit_events disable trigger audit_events_no_update_delete').execute(db)
  await sql`update audit_events set reason = 'rewritten' where id = ${row.id}`.execute(db)
  await sql.raw('alter table audit_events enable trigger audit_events_no_update_delete').execute(db)
  return row
}

interface Target {
  env: Record<string, string>
  /** Runs work on the database between commands. */
  use<T>(work: (db: Db) => Promise<T>): Promise<T>
  close(): Promise<void>
}

/** Each database the command may run on, reached from the test and from a `lantern` process. */
const targets = testDatabaseKinds().map((kind) => ({
  name: kind.name,
  async open(): Promise<Target> {
    if (kind.name === 'pglite') {
      // The embedded database has one user at a time: the test opens it only between commands.
      return {
        env: { DATA_DIR: dataDir, DATABASE_URL: '' },
        async use(work) {
          const handle = await openDatabase({ dataDir: path.join(dataDir, 'pglite') })
          try {
            await migrateToLatest(handle.db)
            return await work(handle.db)
          } finally {
            await handle.close()
          }
        },
        close: async () => {},
      }
    }
    const database = await kind.create()
    return { env: { DATABASE_URL: database.url! }, use: (work) => work(database.db), close: () => database.dispose() }
  },
}))

describe.each(targets)('lantern audit verify on $name', (target) => {
  it('says the chain holds, then names the row the database owner changed and exits non-zero', async () => {
    const t = await target.open()
    try {
      await t.use(writeEvents)
      const ok = await lantern(['audit', 'verify'], t.env)
      expect(ok.stderr).toBe('')
      expect(ok.code).toBe(0)
      expect(ok.stdout).toMatch(/^The audit trail's chain holds: \d+ rows, last hash [0-9a-f]{64}\.\n$/)

      const row = await t.use(tamper)
      const broken = await lantern(['audit', 'verify'], t.env)
      expect(broken.code).toBe(1)
      expect(broken.stderr).toBe(`lantern: the audit trail is broken at row ${row.id} (place ${row.chain_seq} in the chain): its content or hash was changed after it was written (its hash does not match)\n`)
    } finally {
      await t.close()
    }
    // Migrating an embedded database from nothing, then two `lantern` processes, on a busy machine.
  }, 240_000)
})
