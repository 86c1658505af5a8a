import { randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import type { Db } from './index.ts'
import { runAsOwner } from './scope.ts'
import { claimJobs, completeJob, enqueueJob, failJob, pruneFinishedJobs, reclaimStaleJobs, type EnqueueOptions } from './job-queue.ts'

/**
 * Runs the jobs in the queue (src/db/job-queue.ts): in the server process on the embedded default,
 * and in the server and any number of `lantern worker` processes on a PostgreSQL server. Every
 * runner queues the scheduled runs that are due (once per period across all of them: the run's
 * singleton key is its name and period), then claims ready jobs. Jobs run as the database owner,
 * outside any request: a job that tells a user anything applies need-to-know itself.
 */
export interface JobDefinition {
  name: string
  run(payload: Record<string, unknown>, job: { id: string; attempt: number }): Promise<void>
  /** Queued once every `seconds` (periods counted from midnight UTC plus `offsetSeconds`). */
  every?: { seconds: number; offsetSeconds?: number }
  maxAttempts?: number
  /** The wait before the first retry, doubled for each one after. */
  retryDelaySeconds?: number
  /** How long a run may take before another worker presumes its worker dead and takes it back. */
  leaseSeconds?: number
}

interface Log {
  info(obj: object, msg?: string): void
  warn(obj: object, msg?: string): void
  error(obj: object, msg?: string): void
}

export interface JobRunnerOptions {
  db: Db
  definitions: JobDefinition[]
  logger: Log
  /** How often an idle runner looks for work. */
  pollMilliseconds?: number
  /** Jobs run at once by this runner (1 on the embedded database, which has one connection). */
  concurrency?: number
  /** Finished jobs are forgotten after this many days. */
  keepDoneDays?: number
  now?: () => Date
}

export interface JobRunner {
  readonly workerId: string
  /** Attempts this runner has made since it was built, and how many of them threw. */
  readonly stats: { ran: number; failed: number }
  enqueue(name: string, payload?: Record<string, unknown>, options?: EnqueueOptions): Promise<string | null>
  /** Queues the scheduled runs due now, across every runner once per period. */
  schedule(): Promise<void>
  /** Claims and runs ready jobs until none is left; returns how many ran. For the CLI and tests. */
  drain(): Promise<number>
  start(): void
  /** Stops claiming and waits for the jobs running now to finish. */
  stop(): Promise<void>
}

const DEFAULT_LEASE = 15 * 60

export function scheduleSlot(now: Date, every: { seconds: number; offsetSeconds?: number }): string {
  const offset = (every.offsetSeconds ?? 0) * 1000
  const period = every.seconds * 1000
  const start = Math.floor((now.getTime() - offset) / period) * period + offset
  return new Date(start).toISOString()
}

export function createJobRunner(options: JobRunnerOptions): JobRunner {
  const { db, logger } = options
  const byName = new Map(options.definitions.map((d) => [d.name, d]))
  if (byName.size !== options.definitions.length) throw new Error('two jobs have the same name')
  const workerId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`
  const names = [...byName.keys()]
  const concurrency = options.concurrency ?? 1
  const poll = options.pollMilliseconds ?? 5000
  const now = options.now ?? (() => new Date())
  const lease = Math.max(...options.definitions.map((d) => d.leaseSeconds ?? DEFAULT_LEASE), DEFAULT_LEASE)
  let running = false
  let loop: Promise<void> | undefined
  let wake: (() => void) | undefined
  let lastHousekeeping = 0
  const stats = { ran: 0, failed: 0 }

  const owner = <T>(work: () => Promise<T>) => runAsOwner('the job runner works outside any request', work)

  async function schedule() {
    await owner(async () => {
      for (const d of options.definitions) {
        if (!d.every) continue
        await enqueueJob(db, d.name, {}, { singletonKey: `${d.name}@${scheduleSlot(now(), d.every)}`, maxAttempts: d.maxAttempts })
      }
    })
  }

  async function runOne(job: Awaited<ReturnType<typeof claimJobs>>[number]) {
    const d = byName.get(job.name)!
    const started = Date.now()
    stats.ran++
    try {
      await owner(() => d.run(job.payload ?? {}, { id: job.id, attempt: job.attempts }))
      await owner(() => completeJob(db, job.id, workerId))
      logger.info({ job: job.name, id: job.id, ms: Date.now() - started }, 'job done')
    } catch (err) {
      const message = String((err as Error)?.message ?? err)
      stats.failed++
      logger.warn({ job: job.name, id: job.id, attempt: job.attempts, err: message }, 'job failed')
      await owner(() => failJob(db, job.id, workerId, message, d.retryDelaySeconds ?? 30))
    }
  }

  async function batch(): Promise<number> {
    const jobs = await owner(() => claimJobs(db, workerId, names, concurrency))
    await Promise.all(jobs.map(runOne))
    return jobs.length
  }

  async function housekeeping() {
    if (Date.now() - lastHousekeeping < 60_000) return
    lastHousekeeping = Date.now()
    await owner(async () => {
      const reclaimed = await reclaimStaleJobs(db, lease)
      if (reclaimed) logger.warn({ reclaimed }, 'jobs taken back from a worker that stopped')
      await pruneFinishedJobs(db, options.keepDoneDays ?? 14)
    })
  }

  async function drain() {
    let total = 0
    for (;;) {
      const n = await batch()
      if (!n) return total
      total += n
    }
  }

  async function work() {
    while (running) {
      try {
        await housekeeping()
        await schedule()
        await drain()
      } catch (err) {
        logger.error({ err: String((err as Error)?.message ?? err) }, 'the job runner could not reach the database; trying again')
      }
      if (!running) break
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, poll)
        wake = () => {
          clearTimeout(timer)
          resolve()
        }
      })
      wake = undefined
    }
  }

  return {
    workerId,
    stats,
    enqueue: (name, payload = {}, opts) => owner(() => enqueueJob(db, name, payload, { maxAttempts: byName.get(name)?.maxAttempts, ...opts })),
    schedule,
    drain,
    start() {
      if (running) return
      running = true
      loop = work()
      logger.info({ worker: workerId, jobs: names }, 'job runner started')
    },
    async stop() {
      running = false
      wake?.()
      await loop
    },
  }
}
