import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { testDatabaseKinds, type TestDatabase } from '../../test/support/databases.ts'
import { openDatabase, type DatabaseHandle } from './index.ts'
import { createJobRunner, scheduleSlot, type JobDefinition } from './job-runner.ts'
import { listJobs, reclaimStaleJobs, retryFailedJob } from './job-queue.ts'

const quiet = { info() {}, warn() {}, error() {} }

describe.each(testDatabaseKinds())('the job runner on $name', (kind) => {
  let database: TestDatabase
  beforeAll(async () => {
    database = await kind.create()
  })
  afterAll(async () => {
    await database?.dispose()
  })

  it('runs a queued job once, as the owner, and marks it done', async () => {
    const seen: unknown[] = []
    const roles: string[] = []
    const runner = createJobRunner({
      db: database.db,
      logger: quiet,
      definitions: [
        {
          name: 'test.echo',
          async run(payload) {
            seen.push(payload)
            roles.push((await sql<{ r: string }>`select current_user as r`.execute(database.db)).rows[0].r)
          },
        },
      ],
    })
    const id = await runner.enqueue('test.echo', { recordId: 'abc' })
    expect(await runner.drain()).toBe(1)
    expect(await runner.drain()).toBe(0)
    expect(seen).toEqual([{ recordId: 'abc' }])
    expect(roles[0]).not.toBe('lantern_app')
    expect((await listJobs(database.db, 'done', 50)).map((j) => j.id)).toContain(id)
  })

  it('retries a failing job after a growing wait, fails it for good after its attempts, and an administrator can retry it', async () => {
    let calls = 0
    let succeed = false
    const runner = createJobRunner({
      db: database.db,
      logger: quiet,
      definitions: [
        {
          name: 'test.flaky',
          maxAttempts: 2,
          retryDelaySeconds: 60,
          async run() {
            calls++
            if (!succeed) throw new Error('the mail server said no')
          },
        },
      ],
    })
    const id = (await runner.enqueue('test.flaky'))!
    await runner.drain()
    const after1 = await database.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    expect(after1).toMatchObject({ status: 'queued', attempts: 1, last_error: 'the mail server said no' })
    // Not ready again until the back-off has passed.
    expect(new Date(after1.run_after).getTime() - Date.now()).toBeGreaterThan(50_000)
    expect(await runner.drain()).toBe(0)
    await database.db.updateTable('jobs').set({ run_after: new Date(Date.now() - 1000) }).where('id', '=', id).execute()
    await runner.drain()
    expect(await database.db.selectFrom('jobs').select(['status', 'attempts']).where('id', '=', id).executeTakeFirstOrThrow()).toEqual({ status: 'failed', attempts: 2 })
    expect(calls).toBe(2)
    expect(runner.stats).toEqual({ ran: 2, failed: 2 })
    expect((await listJobs(database.db, 'failed', 50)).map((j) => j.id)).toContain(id)

    succeed = true
    expect(await retryFailedJob(database.db, id)).toBe(true)
    expect(await retryFailedJob(database.db, id)).toBe(false)
    await runner.drain()
    expect(calls).toBe(3)
    expect((await database.db.selectFrom('jobs').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status).toBe('done')
  })

  it('queues a scheduled job once per period however many runners ask', async () => {
    const at = new Date('2026-03-02T07:20:00Z')
    expect(scheduleSlot(at, { seconds: 86400, offsetSeconds: 7 * 3600 })).toBe('2026-03-02T07:00:00.000Z')
    expect(scheduleSlot(new Date('2026-03-02T06:59:00Z'), { seconds: 86400, offsetSeconds: 7 * 3600 })).toBe('2026-03-01T07:00:00.000Z')
    let runs = 0
    const definitions: JobDefinition[] = [{ name: 'test.daily', every: { seconds: 86400 }, run: async () => void runs++ }]
    const a = createJobRunner({ db: database.db, logger: quiet, definitions, now: () => at })
    const b = createJobRunner({ db: database.db, logger: quiet, definitions, now: () => at })
    await a.schedule()
    await b.schedule()
    await a.schedule()
    await Promise.all([a.drain(), b.drain()])
    expect(runs).toBe(1)
  })

  it('takes back a job whose worker stopped while running it', async () => {
    const [job] = await database.db
      .insertInto('jobs')
      .values({ name: 'test.orphan', status: 'running', attempts: 1, locked_by: 'gone:1', locked_at: new Date(Date.now() - 3600_000), run_after: new Date() })
      .returning('id')
      .execute()
    expect(await reclaimStaleJobs(database.db, 60)).toBeGreaterThanOrEqual(1)
    expect(await database.db.selectFrom('jobs').select(['status', 'locked_by']).where('id', '=', job.id).executeTakeFirstOrThrow()).toEqual({ status: 'queued', locked_by: null })
  })

  it.runIf(kind.name === 'postgres')('never runs a job twice with two workers on their own connections', { timeout: 120_000 }, async () => {
    const other: DatabaseHandle = await openDatabase({ url: database.url!, poolSize: 4 })
    try {
      const runs = new Map<string, string[]>()
      const definitions = (label: string): JobDefinition[] => [
        {
          name: 'test.count',
          async run(payload) {
            const n = String(payload.n)
            runs.set(n, [...(runs.get(n) ?? []), label])
            await new Promise((r) => setTimeout(r, 5))
          },
        },
      ]
      const a = createJobRunner({ db: database.db, logger: quiet, definitions: definitions('a'), concurrency: 4 })
      const b = createJobRunner({ db: other.db, logger: quiet, definitions: definitions('b'), concurrency: 4 })
      for (let n = 0; n < 120; n++) await a.enqueue('test.count', { n })
      const [ranA, ranB] = await Promise.all([a.drain(), b.drain()])
      expect(ranA + ranB).toBe(120)
      expect(runs.size).toBe(120)
      expect([...runs.values()].every((who) => who.length === 1)).toBe(true)
      // Both took part, or the test proved nothing about two workers.
      expect(ranA).toBeGreaterThan(0)
      expect(ranB).toBeGreaterThan(0)
    } finally {
      await other.close()
    }
  })
})
