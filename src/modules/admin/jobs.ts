import type { RequestContext } from '../../kernel/context.ts'
import { countJobs, listJobs, retryFailedJob } from '../../db/job-queue.ts'
import type { ModuleDeps } from '../types.ts'

const SHOWN = 50

/**
 * The administrators' view of the job queue: what waits, what failed (to retry) and what ran. The
 * queue holds job names and record ids, never personal data, so the page shows it whole.
 */
export function jobsAdmin(deps: Pick<ModuleDeps, 'db' | 'audit'>) {
  const { db, audit } = deps
  return {
    async overview() {
      const [counts, queued, running, failed, done] = await Promise.all([
        countJobs(db),
        listJobs(db, 'queued', SHOWN),
        listJobs(db, 'running', SHOWN),
        listJobs(db, 'failed', SHOWN),
        listJobs(db, 'done', SHOWN),
      ])
      return { counts, queued, running, failed, done, shown: SHOWN }
    },
    /** True when the job was failed and is queued again now. */
    async retry(ctx: RequestContext, id: string): Promise<boolean> {
      const retried = await retryFailedJob(db, id)
      if (retried) await audit.record(ctx, { action: 'update', recordType: 'job', recordId: id, details: { retried: true } })
      return retried
    },
  }
}
