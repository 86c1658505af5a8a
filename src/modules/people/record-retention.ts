import type { ModuleDeps } from '../types.ts'
import { runAsOwner } from '../../db/scope.ts'
import type { RequestContext } from '../../kernel/context.ts'
import { peopleService, personRef } from './service.ts'
import { recordRetentionStore, type RetentionCandidate } from './record-retention-store.ts'
import { recordPersonEvent } from './timeline.ts'

/**
 * How long a closed person record is kept, per kind of record, in years after it was closed. A
 * child's record is never anonymised before their 25th birthday (when the date of birth is known):
 * the age to which children's services keep case records. Administrators set both (admin:config).
 */
export const RECORD_RETENTION = {
  child: { setting: 'people.retention_years.child', defaultYears: 6, label: 'Children and young people' },
  adult: { setting: 'people.retention_years.adult', defaultYears: 6, label: 'Adults of concern' },
} as const
export type RecordKind = keyof typeof RECORD_RETENTION
export const MIN_RETENTION_YEARS = 1
export const MAX_RETENTION_YEARS = 75

const BATCH = 500

export interface RecordRetentionPlan {
  years: Record<RecordKind, number>
  due: Pick<RetentionCandidate, 'id' | 'kind' | 'closed_at'>[]
  keptLegalHold: number
  keptLinkedOpen: number
}

const validYears = (n: number) => Number.isInteger(n) && n >= MIN_RETENTION_YEARS && n <= MAX_RETENTION_YEARS

/**
 * Retention of closed person records: the nightly job anonymises those past their period, unless
 * under a legal hold or linked to a record that is still open, in one transaction with one audit
 * event of counts (no names). What is deleted and what is kept is in docs/register.md.
 */
export function recordRetentionService(deps: ModuleDeps) {
  const { db, access, audit, clock } = deps
  const store = recordRetentionStore()
  const people = peopleService(deps)

  async function years(executor = db): Promise<Record<RecordKind, number>> {
    const out = {} as Record<RecordKind, number>
    for (const [kind, rule] of Object.entries(RECORD_RETENTION) as [RecordKind, (typeof RECORD_RETENTION)[RecordKind]][]) {
      const stored = await store.setting(executor, rule.setting)
      // Only setYears writes it: anything else was written by hand, and retention must not guess.
      if (stored !== undefined && !validYears(Number(stored))) throw new Error(`the setting ${rule.setting} is "${stored}", not a whole number of years from ${MIN_RETENTION_YEARS} to ${MAX_RETENTION_YEARS}`)
      out[kind] = stored === undefined ? rule.defaultYears : Number(stored)
    }
    return out
  }

  function split(period: Record<RecordKind, number>, rows: RetentionCandidate[]): RecordRetentionPlan {
    return {
      years: period,
      due: rows.filter((r) => !r.held && !r.linked_open).map(({ id, kind, closed_at }) => ({ id, kind, closed_at })),
      keptLegalHold: rows.filter((r) => r.held).length,
      keptLinkedOpen: rows.filter((r) => !r.held && r.linked_open).length,
    }
  }

  return {
    years: () => years(),

    /** Sets one kind's period; administrators only, audited with the old and new values. */
    async setYears(ctx: RequestContext, kind: RecordKind, value: number) {
      await access.authorise(ctx, 'admin:config')
      if (!validYears(value)) throw new RangeError(`retention years out of range: ${value}`)
      const key = RECORD_RETENTION[kind].setting
      await db.transaction().execute(async (trx) => {
        const before = await store.setting(trx, key)
        await store.saveSetting(trx, key, String(value))
        await audit.record(ctx, { action: 'update', recordType: 'setting', recordId: key, details: { from: before === undefined ? null : Number(before), to: value, defaultYears: RECORD_RETENTION[kind].defaultYears } }, trx)
      })
    },

    /**
     * What a run now would anonymise and keep: ids and dates only. Read as the owner, as the job
     * reads, since the administrator who asks may open none of these records; the page shows only
     * how many.
     */
    async plan(now = clock.now()): Promise<RecordRetentionPlan> {
      return runAsOwner('the retention plan counts every closed record, as the nightly run will', async () => {
        const period = await years()
        return split(period, await store.candidates(db, period, now, false))
      })
    },

    /** Anonymises the closed records past their period that nothing keeps. For the job: it acts as the system. */
    async apply(ctx: RequestContext, now = clock.now()): Promise<RecordRetentionPlan & { anonymised: number }> {
      const period = await years()
      return db.transaction().execute(async (trx) => {
        const plan = split(period, await store.candidates(trx, period, now, true))
        const ids = plan.due.map((r) => r.id)
        for (let i = 0; i < ids.length; i += BATCH) await store.anonymise(trx, ids.slice(i, i + BATCH))
        await audit.record(
          ctx,
          { action: 'delete', recordType: 'person', details: { purpose: 'retention', years: period, anonymised: ids.length, keptLegalHold: plan.keptLegalHold, keptLinkedOpen: plan.keptLinkedOpen } },
          trx,
        )
        return { ...plan, anonymised: ids.length }
      })
    },

    /** Places (reason) or lifts (null) a legal hold: a manager of the owning agency (person:close). Audited, on the history. */
    async setLegalHold(ctx: RequestContext, personId: string, reason: string | null) {
      const person = await people.header(ctx, personId)
      await access.authorise(ctx, 'person:close', personRef(person))
      const user = ctx.user!
      await db.transaction().execute(async (trx) => {
        await store.setLegalHold(trx, personId, reason === null ? null : { reason, by: user.id })
        await recordPersonEvent(trx, { personId, kind: reason === null ? 'hold-lifted' : 'hold-placed', summary: reason === null ? 'Legal hold lifted' : `Legal hold placed: ${reason}`, actorId: user.id })
        await audit.record(ctx, { action: 'update', recordType: 'person', recordId: personId, reason: reason ?? undefined, details: { legalHold: reason === null ? 'lifted' : 'placed' } }, trx)
      })
    },
  }
}
