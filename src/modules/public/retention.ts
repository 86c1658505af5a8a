import type { ModuleDeps } from '../types.ts'
import type { Db } from '../../db/index.ts'
import type { RequestContext } from '../../kernel/context.ts'
import { linkTargets } from './links.ts'
import { retentionStore, type RetentionCandidateRow } from './retention-store.ts'
import { runAsOwner } from '../../db/scope.ts'

/**
 * How long reports from the public are kept. Reports are personal data (what a neighbour saw, who
 * they named, sometimes the reporter's own details), so a closed report is kept for a set period
 * after it was closed and then deleted by `lantern retention apply`, run from cron. What the
 * indicators count of it (month, area, route) is kept as a number, so a purge never rewrites the
 * history the partnership has published.
 *
 * A closed report stays past its period while it is under a legal hold, or while it is linked to
 * an open record (it has become part of that record: see `isOpen` in links.ts for each kind).
 */
export const RETENTION_SETTING = 'public_reports.retention_months'
/** Two years after closure: long enough for a pattern of reports about one place to be seen again. */
export const DEFAULT_RETENTION_MONTHS = 24
export const MIN_RETENTION_MONTHS = 1
export const MAX_RETENTION_MONTHS = 120

export interface RetentionCandidate {
  id: string
  reference: string
  received_on: string
  closed_at: Date
}

export interface RetentionPlan {
  months: number
  /** Reports closed before this moment have passed their retention period. */
  closedBefore: Date
  due: RetentionCandidate[]
  keptLegalHold: number
  keptOpenRecord: number
}

export interface ReportRetention {
  /** Null when the stored setting is not valid (written by hand): no date is shown then. */
  months: number | null
  /** When a closed report may be deleted (null while the report is open). */
  deleteAfter: Date | null
  legalHold: { reason: string; at: Date; byName: string | null } | null
  linkedToOpenRecord: boolean
}

/** Deleted in batches so one statement never carries an unbounded list of ids. */
const BATCH = 1000

export class RetentionSettingError extends Error {}

/**
 * Retention is the partnership's rule over every report, whoever looks: an administrator (who may
 * not triage) sees the plan, and a triage officer sees a report kept for a link to a record they
 * have no need to know about. Row-level security (0920) would hide both, so these read as the
 * owner; they select references, dates and yes-or-no answers, never a report's words or a link.
 */
const asRule = <T>(work: () => Promise<T>) => runAsOwner('retention applies to every report and every link, whoever looks', work)

/** The retention period in force, for the privacy notice; null when the stored setting is not valid. */
export async function reportRetentionMonths(deps: ModuleDeps): Promise<number | null> {
  try {
    return await retentionService(deps).months()
  } catch (err) {
    if (err instanceof RetentionSettingError) return null
    throw err
  }
}

export function retentionService(deps: ModuleDeps) {
  const { db, access, audit, clock } = deps
  const targets = linkTargets(deps)
  const store = retentionStore(db)

  async function months(executor: Db = db): Promise<number> {
    const row = await store.setting(RETENTION_SETTING, executor)
    if (!row) return DEFAULT_RETENTION_MONTHS
    const n = Number(row.value)
    // Only setMonths writes it; anything else there was written by hand, and must not guess.
    if (!Number.isInteger(n) || n < MIN_RETENTION_MONTHS || n > MAX_RETENTION_MONTHS) {
      throw new RetentionSettingError(`the setting ${RETENTION_SETTING} is "${row.value}", not a whole number of months from ${MIN_RETENTION_MONTHS} to ${MAX_RETENTION_MONTHS}: set it again under Administration, Report retention`)
    }
    return n
  }

  async function split(executor: Db, period: number, now: Date, rows: RetentionCandidateRow[]): Promise<RetentionPlan> {
    const closedBefore = await store.monthsBefore(executor, now, period)
    return {
      months: period,
      closedBefore,
      due: rows.filter((r) => !r.held && !r.linked_open).map(({ id, reference, received_on, closed_at }) => ({ id, reference, received_on, closed_at })),
      keptLegalHold: rows.filter((r) => r.held).length,
      keptOpenRecord: rows.filter((r) => !r.held && r.linked_open).length,
    }
  }

  return {
    months: () => months(),

    /** Sets the period; administrators only (admin:config), audited with the old and new values. */
    async setMonths(ctx: RequestContext, value: number) {
      await access.authorise(ctx, 'admin:config')
      if (!Number.isInteger(value) || value < MIN_RETENTION_MONTHS || value > MAX_RETENTION_MONTHS) throw new RetentionSettingError('out of range')
      await db.transaction().execute(async (trx) => {
        const before = await store.setting(RETENTION_SETTING, trx)
        await store.setSetting(RETENTION_SETTING, String(value), trx)
        await audit.record(ctx, { action: 'update', recordType: 'setting', recordId: RETENTION_SETTING, details: { from: before ? Number(before.value) : null, to: value, defaultMonths: DEFAULT_RETENTION_MONTHS } }, trx)
      })
    },

    /** What a purge now would delete and keep. Reads references and dates only, never report text. */
    async plan(now = clock.now()): Promise<RetentionPlan> {
      // `open` is built before any transaction starts: it reads which tables exist through `db`.
      const [period, open] = await Promise.all([months(), targets.openLinkCondition('l')])
      return split(db, period, now, await asRule(() => store.candidates(db, open, period, now, false)))
    },

    /**
     * Deletes the closed reports past their period that nothing keeps, in one transaction: their
     * monthly counts are added to the retained counts first, then the reports go (their triage,
     * history and links with them), and one audit event records the run with its counts and no
     * report text. For the CLI: it acts as the system, so it asks for no permission.
     */
    async apply(ctx: RequestContext, now = clock.now()): Promise<RetentionPlan & { deleted: number }> {
      const [period, open] = await Promise.all([months(), targets.openLinkCondition('l')])
      return db.transaction().execute(async (trx) => {
        const plan = await split(trx, period, now, await store.candidates(trx, open, period, now, true))
        const ids = plan.due.map((r) => r.id)
        for (let i = 0; i < ids.length; i += BATCH) {
          await store.purge(trx, ids.slice(i, i + BATCH))
        }
        await audit.record(
          ctx,
          {
            action: 'delete',
            recordType: 'public_report',
            details: {
              purpose: 'retention',
              retentionMonths: period,
              closedBefore: plan.closedBefore.toISOString(),
              deleted: ids.length,
              keptLegalHold: plan.keptLegalHold,
              keptOpenRecord: plan.keptOpenRecord,
            },
          },
          trx,
        )
        return { ...plan, deleted: ids.length }
      })
    },

    /** The retention of one report, for its triage page. */
    async forReport(reportId: string): Promise<ReportRetention> {
      let period: number | null
      try {
        period = await months()
      } catch (err) {
        if (!(err instanceof RetentionSettingError)) throw err
        period = null
      }
      const open = await targets.openLinkCondition('l')
      const row = await asRule(() => store.ofReport(reportId, period ?? 0, open))
      return {
        months: period,
        deleteAfter: period === null ? null : (row?.delete_after ?? null),
        legalHold: row?.legal_hold_at ? { reason: row.legal_hold_reason!, at: row.legal_hold_at, byName: row.held_by } : null,
        linkedToOpenRecord: Boolean(row?.linked_open),
      }
    },

    openMeanings: () => targets.openMeanings(),
  }
}

export type RetentionService = ReturnType<typeof retentionService>
