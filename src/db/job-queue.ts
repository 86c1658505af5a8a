import { sql } from 'kysely'
import type { Db } from './index.ts'

/**
 * The job queue's SQL (table `jobs`, migration 0730). Workers claim ready jobs with
 * `for update skip locked`, so two workers never take the same job; a job whose worker died is
 * taken back after its lease runs out. src/db/job-runner.ts runs them.
 */
export type JobStatus = 'queued' | 'running' | 'done' | 'failed'

export interface EnqueueOptions {
  /** At most one job with this key ever exists: a second enqueue with it does nothing. */
  singletonKey?: string
  runAfter?: Date
  maxAttempts?: number
}

export interface ClaimedJob {
  id: string
  name: string
  payload: Record<string, unknown>
  attempts: number
  max_attempts: number
}

/** Queues a job; returns its id, or null when a job with the same singleton key exists already. */
export async function enqueueJob(db: Db, name: string, payload: Record<string, unknown> = {}, options: EnqueueOptions = {}): Promise<string | null> {
  const row = await db
    .insertInto('jobs')
    .values({
      name,
      payload: JSON.stringify(payload),
      singleton_key: options.singletonKey ?? null,
      run_after: options.runAfter ?? sql<Date>`now()`,
      max_attempts: options.maxAttempts ?? 5,
    })
    .onConflict((oc) => oc.column('singleton_key').doNothing())
    .returning('id')
    .executeTakeFirst()
  return row?.id ?? null
}

/** Takes up to `limit` ready jobs of the named kinds for `workerId`, oldest first. */
export async function claimJobs(db: Db, workerId: string, names: string[], limit: number): Promise<ClaimedJob[]> {
  if (!names.length || limit < 1) return []
  const { rows } = await sql<ClaimedJob>`
    update jobs set status = 'running', attempts = attempts + 1, locked_by = ${workerId}, locked_at = now()
     where id in (select id from jobs
                   where status = 'queued' and run_after <= now() and name in (${sql.join(names)})
                   order by run_after, created_at
                   limit ${limit}
                   for update skip locked)
    returning id, name, payload, attempts, max_attempts`.execute(db)
  return rows
}

/** Marks a job done, if this worker still holds it. */
export async function completeJob(db: Db, id: string, workerId: string): Promise<void> {
  await db
    .updateTable('jobs')
    .set({ status: 'done', finished_at: sql<Date>`now()`, locked_by: null, locked_at: null, last_error: null })
    .where('id', '=', id)
    .where('locked_by', '=', workerId)
    .where('status', '=', 'running')
    .execute()
}

/**
 * Records a failed attempt: queued again after `retryDelaySeconds` doubled for each attempt made
 * (at most an hour), or failed for good once it has had its attempts.
 */
export async function failJob(db: Db, id: string, workerId: string, error: string, retryDelaySeconds: number): Promise<void> {
  await sql`
    update jobs set
      status = case when attempts >= max_attempts then 'failed' else 'queued' end,
      run_after = now() + make_interval(secs => least(3600, ${retryDelaySeconds}::float8 * power(2, attempts - 1))),
      finished_at = case when attempts >= max_attempts then now() end,
      last_error = ${error.slice(0, 2000)}, locked_by = null, locked_at = null
     where id = ${id} and locked_by = ${workerId} and status = 'running'`.execute(db)
}

/** Puts back jobs whose worker has held them past `leaseSeconds` (it died, or lost the database). */
export async function reclaimStaleJobs(db: Db, leaseSeconds: number): Promise<number> {
  const result = await sql`
    update jobs set
      status = case when attempts >= max_attempts then 'failed' else 'queued' end,
      finished_at = case when attempts >= max_attempts then now() end,
      last_error = 'the worker running it stopped before it finished', locked_by = null, locked_at = null
     where status = 'running' and locked_at < now() - make_interval(secs => ${leaseSeconds}::float8)`.execute(db)
  return Number(result.numAffectedRows ?? 0)
}

/** An administrator's retry of a failed job: queued now, with its attempts afresh. */
export async function retryFailedJob(db: Db, id: string): Promise<boolean> {
  const result = await db
    .updateTable('jobs')
    .set({ status: 'queued', attempts: 0, run_after: sql<Date>`now()`, finished_at: null })
    .where('id', '=', id)
    .where('status', '=', 'failed')
    .executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}

export async function listJobs(db: Db, status: JobStatus, limit: number) {
  return db
    .selectFrom('jobs')
    .select(['id', 'name', 'status', 'attempts', 'max_attempts', 'run_after', 'locked_by', 'locked_at', 'last_error', 'created_at', 'finished_at'])
    .where('status', '=', status)
    .orderBy(status === 'queued' ? 'run_after' : 'created_at', status === 'queued' ? 'asc' : 'desc')
    .limit(limit)
    .execute()
}

export async function countJobs(db: Db): Promise<Record<JobStatus, number>> {
  const rows = await db.selectFrom('jobs').select(['status', sql<number>`count(*)::int`.as('n')]).groupBy('status').execute()
  const counts: Record<JobStatus, number> = { queued: 0, running: 0, done: 0, failed: 0 }
  for (const r of rows) counts[r.status] = r.n
  return counts
}

/** Forgets finished jobs older than `days`: the queue is a work list, not a record. */
export async function pruneFinishedJobs(db: Db, days: number): Promise<number> {
  const result = await db
    .deleteFrom('jobs')
    .where('status', '=', 'done')
    .where('finished_at', '<', sql<Date>`now() - make_interval(days => ${days})`)
    .executeTakeFirst()
  return Number(result.numDeletedRows)
}
