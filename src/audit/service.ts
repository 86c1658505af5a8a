import type { Db } from '../db/index.ts'
import type { RequestContext } from '../kernel/context.ts'
import { auditStore, type AuditFilter } from './store.ts'

/** The verbs of the audit trail. Views, searches and exports of personal data are recorded as well as changes. */
export type AuditAction =
  | 'view'
  | 'search'
  | 'export'
  | 'create'
  | 'update'
  | 'delete'
  | 'merge'
  | 'unmerge'
  | 'share'
  | 'break-glass'
  | 'access-denied'
  | 'sign-in'
  | 'sign-in-failed'
  | 'sign-out'
  | 'account-locked'
  | (string & {})

export interface AuditEntry {
  action: AuditAction
  recordType?: string
  recordId?: string
  reason?: string
  details?: Record<string, unknown>
}

export function auditService(db: Db) {
  const store = auditStore(db)
  return {
    /** Writes one audit event. Pass `executor` to write it inside the transaction of the change it records. */
    async record(ctx: RequestContext, entry: AuditEntry, executor?: Db) {
      await store.insert(
        {
          user_id: ctx.user?.id ?? null,
          user_email: ctx.user?.email ?? null,
          agency_id: ctx.user?.agencyId ?? null,
          action: entry.action,
          record_type: entry.recordType ?? null,
          record_id: entry.recordId ?? null,
          request_id: ctx.requestId,
          method: ctx.method ?? null,
          path: ctx.path ?? null,
          reason: entry.reason ?? null,
          details: entry.details ?? null,
        },
        executor,
      )
    },
    search: (filter: AuditFilter, limit: number, offset: number) => store.search(filter, limit, offset),
    iterate: (filter: AuditFilter) => store.iterate(filter),
    actions: () => store.actions(),
  }
}

export type AuditService = ReturnType<typeof auditService>
