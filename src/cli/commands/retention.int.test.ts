import { afterAll, describe, expect, it } from 'vitest'
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { sql } from 'kysely'
import { openDatabase } from '../../db/index.ts'
import { migrateToLatest } from '../../db/migrate.ts'

const run = promisify(execFile)
const dataDir = mkdtempSync(path.join(tmpdir(), 'lantern-retention-cli-'))

async function lantern(args: string[]) {
  try {
    const { stdout, stderr } = await run('node', ['bin/lantern.js', ...args], { env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'silent' } })
    return { code: 0, stdout, stderr }
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

/** The embedded database the command uses (DATA_DIR/pglite), opened between runs: PGlite has one user at a time. */
async function withData<T>(work: (db: Awaited<ReturnType<typeof openDatabase>>['db']) => Promise<T>): Promise<T> {
  const handle = await openDatabase({ dataDir: path.join(dataDir, 'pglite') })
  try {
    await migrateToLatest(handle.db)
    return await work(handle.db)
  } finally {
    await handle.close()
  }
}

afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

describe('lantern retention apply', () => {
  it('lists with --dry-run, then deletes only closed reports past the period, keeping the counts; a bad setting stops it', async () => {
    await withData(async (db) => {
      // Two online reports closed 30 months ago and one closed last month; no demo data needed.
      for (const [reference, token, monthsAgo] of [['OLDA-AAAA', 'journey-token-old-aaaa', 30], ['OLDB-BBBB', 'journey-token-old-bbbb', 30], ['NEWC-CCCC', 'journey-token-new-cccc', 1]] as const) {
        await sql`insert into public_reports (reference, journey_token, channel, received_on, what_happened, anonymous)
                  values (${reference}, ${token}, 'online', (now() - make_interval(months => ${monthsAgo + 1}))::date, 'Retention CLI probe text', true)`.execute(db)
        await sql`insert into public_report_triage (report_id, status, closed_at)
                  select id, 'closed', now() - make_interval(months => ${monthsAgo}) from public_reports where reference = ${reference}`.execute(db)
      }
    })

    const dry = await lantern(['retention', 'apply', '--dry-run'])
    expect(dry.code).toBe(0)
    expect(dry.stdout).toMatch(/^Reports from the public closed before \d{4}-\d{2}-\d{2} \(retention 24 months\): 2 would be deleted\.\n/)
    expect(dry.stdout).toMatch(/ {2}OLDA-AAAA {2}received \d{4}-\d{2}-\d{2} {2}closed \d{4}-\d{2}-\d{2}\n/)
    expect(dry.stdout).toContain('OLDB-BBBB')
    expect(dry.stdout).not.toContain('NEWC-CCCC')
    expect(dry.stdout).not.toContain('Retention CLI probe text')
    expect(dry.stdout).toContain('Nothing was deleted (--dry-run).')

    const applied = await lantern(['retention', 'apply'])
    expect(applied.code).toBe(0)
    expect(applied.stdout).toMatch(/^Deleted 2 reports from the public closed before \d{4}-\d{2}-\d{2} \(retention 24 months\); their monthly counts are kept for the indicators\. Kept: 0 under a legal hold, 0 linked to an open record\.\n$/)

    await withData(async (db) => {
      expect((await db.selectFrom('public_reports').select('reference').execute()).map((r) => r.reference)).toEqual(['NEWC-CCCC'])
      const kept = await db.selectFrom('public_report_retained_counts').select(['channel', 'reports']).execute()
      expect(kept).toEqual([{ channel: 'online', reports: 2 }])
      const audit = await db.selectFrom('audit_events').select(['action', 'record_type', 'method', 'details']).where('record_type', '=', 'public_report').execute()
      expect(audit).toEqual([{ action: 'delete', record_type: 'public_report', method: 'CLI', details: expect.objectContaining({ purpose: 'retention', deleted: 2, retentionMonths: 24 }) }])
      await db.insertInto('settings').values({ key: 'public_reports.retention_months', value: 'two years' }).execute()
    })

    const refused = await lantern(['retention', 'apply'])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('public_reports.retention_months is "two years", not a whole number of months')
    await withData(async (db) => {
      expect(await db.selectFrom('public_reports').select('reference').execute()).toHaveLength(1)
    })
    // Three `lantern` processes, each starting Node and TypeScript: give a busy machine room.
  }, 600_000)
})
