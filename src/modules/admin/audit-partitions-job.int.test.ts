import { access, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../../../test/support/app.ts'
import { auditArchive, auditArchiveDir } from '../../audit/archive.ts'
import { partitionStore } from '../../audit/partition-store.ts'
import { monthsAhead } from '../../audit/partitions.ts'
import { jobRunner } from '../../composition.ts'
import { systemContext } from '../../kernel/context.ts'
import { adminModule } from './module.ts'

/**
 * The audit trail's months are made ahead, and months past the administrator's retention exported
 * and detached, by the job runner: the `audit.partitions` job queued on its schedule and run as the
 * server runs it (src/composition.ts), never by a page or by hand. A detached month is kept, never
 * dropped. The job follows the database's real time, as the trail's timestamps do.
 */
describe('the audit.partitions job', () => {
  let app: TestApp
  let dataDir: string
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'lantern-partitions-job-'))
    app = await startTestApp({ seed: false, env: { DATA_DIR: dataDir } })
  })
  afterAll(async () => {
    await app?.close()
    if (dataDir) await rm(dataDir, { recursive: true, force: true })
  })

  it('makes the coming months and exports and detaches a month past the retention, through the job runner, once a period', async () => {
    const db = app.database.db
    const store = partitionStore(db)
    expect(await store.addMonth('2020-01')).toBe(true)
    await sql`insert into audit_events (at, action, user_email, record_type, record_id) values ('2020-01-15T09:00:00Z', 'view', 'jane.smith@council.test', 'person', 'p-1')`.execute(db)
    const archive = auditArchive(db, app.deps.audit)
    await archive.setRetentionMonths(systemContext('partitions-job-test'), 12)

    const before = monthsAhead(new Date())
    const runner = jobRunner(app.deps, [adminModule])
    await runner.schedule()
    expect(await runner.drain()).toBe(1)
    const after = monthsAhead(new Date())

    // Run on either side of a month's turn, it made the months of the side it ran on.
    const attached = await store.attachedMonths()
    expect(before.every((m) => attached.includes(m)) || after.every((m) => attached.includes(m))).toBe(true)
    expect(attached).not.toContain('2020-01')
    expect((await archive.archives()).map((a) => [a.month, a.rows])).toContainEqual(['2020-01', 1])
    const kept = await sql<{ record_id: string }>`select record_id from audit_archive_2020_01`.execute(db)
    expect(kept.rows).toEqual([{ record_id: 'p-1' }])
    await access(path.join(auditArchiveDir(app.config.dataDir), 'lantern-audit-2020-01.ndjson'))
    const act = await db.selectFrom('audit_events').select('details').where('action', '=', 'archive').where('record_id', '=', '2020-01').executeTakeFirstOrThrow()
    expect(act.details).toMatchObject({ rows: 1, file: 'lantern-audit-2020-01.ndjson' })

    // Once a period, however often the runner looks.
    await runner.schedule()
    expect(await runner.drain()).toBe(0)
  })
})
