import type { Db } from '../db/index.ts'
import type { AuditEvent } from '../db/schema.ts'
import type { CurrentUser, RequestContext } from '../kernel/context.ts'
import { checkLinks, GENESIS_HASH, type Break } from './chain.ts'
import { partitionStore } from './partition-store.ts'
import { auditStore, SEARCH_COUNT_LIMIT, type AuditFilter } from './store.ts'

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
  | 'void'
  | 'share'
  | 'break-glass'
  | 'access-denied'
  | 'sign-in'
  | 'sign-in-failed'
  | 'sign-out'
  | 'account-locked'
  | 'archive'
  | (string & {})

export interface AuditEntry {
  action: AuditAction
  recordType?: string
  recordId?: string
  reason?: string
  details?: Record<string, unknown>
}

/** `onWrite` hears how long each event took to write (the metrics' audit write time). */
export function auditService(db: Db, options: { onWrite?: (seconds: number) => void } = {}) {
  const store = auditStore(db)
  const partitions = partitionStore(db)
  return {
    /**
     * Writes one audit event. Pass `executor` to write it inside the transaction of the change it
     * records, as its last statement: the hash chain's head stays locked until that transaction ends.
     */
    async record(ctx: RequestContext, entry: AuditEntry, executor?: Db) {
      const started = performance.now()
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
          token_id: ctx.apiToken?.id ?? null,
          token_name: ctx.apiToken?.name ?? null,
        },
        executor,
      )
      options.onWrite?.((performance.now() - started) / 1000)
    },
    /** A page of the trail as `reader` may read it (see `readableBy`). The caller checks admin:audit. */
    async search(reader: CurrentUser, filter: AuditFilter, limit: number, offset: number) {
      const { rows, total } = await store.search(filter, limit, offset)
      return { rows: rows.map((r) => readableBy(reader, r)), total, totalIsAtLeast: total >= SEARCH_COUNT_LIMIT }
    },
    /** The whole trail in batches, newest first, as `reader` may read it. The caller checks admin:audit. */
    async *iterate(reader: CurrentUser, filter: AuditFilter) {
      for await (const rows of store.iterate(filter)) yield rows.map((r) => readableBy(reader, r))
    },
    actions: () => store.actions(),
    /** Who viewed or exported a record, with the basis of each look. The caller checks who may ask. */
    viewers: (recordType: string, recordId: string, ownerAgencyId: string, limit = 500) => store.viewers(recordType, recordId, ownerAgencyId, limit),

    /**
     * Recomputes the hash chain from the genesis, or from the last link of the months exported
     * and detached, and compares its end with the chain head. Returns the first broken row, or
     * the place and hash of the last link (to note outside Lantern: a rewrite of the whole chain
     * changes it). An exported month's own links are checked in its file (`verify-archive`).
     */
    async verifyChain(batch = 5000): Promise<{ ok: true; rows: number; lastHash: string } | { ok: false; broken: Break }> {
      const unchained = await store.unchained()
      if (unchained.length) return { ok: false, broken: { id: unchained[0], chainSeq: 0, problem: 'it has no place in the chain: it was written with the chain trigger disabled' } }
      const archived = await partitions.archivedLinks()
      let last = { seq: 0, hash: GENESIS_HASH }
      const from = await partitions.attachedFrom()
      if (from !== undefined && from > 1) {
        const before = archived.get(from - 1)
        if (before === undefined) return { ok: false, broken: { id: 0, chainSeq: from, problem: `the link before place ${from}, in an exported month, is no longer recorded` } }
        last = { seq: from - 1, hash: before }
      }
      for (;;) {
        const links = await store.chainAfter(last.seq, batch)
        if (links.length === 0) break
        const checked = checkLinks(last, links, archived)
        if ('broken' in checked) return { ok: false, broken: checked.broken }
        last = checked.last
      }
      while (archived.has(last.seq + 1)) last = { seq: last.seq + 1, hash: archived.get(last.seq + 1)! }
      const head = await store.chainHead()
      if (!head || head.seq !== last.seq || head.hash !== last.hash) {
        return { ok: false, broken: { id: 0, chainSeq: last.seq + 1, problem: `the chain ends at place ${last.seq} but its head says ${head?.seq ?? 'nothing'}: rows were deleted from the end` } }
      }
      return { ok: true, rows: last.seq, lastHash: last.hash }
    },
  }
}

/** What an administrator sees of an event: who, when, what and which record, not the search terms, reasons or details. */
const DETAIL_FIELDS = ['reason', 'details'] as const

/**
 * An event as `reader` may read it: everything with audit:details (information governance),
 * otherwise the metadata only, since search terms, reasons and details name children.
 */
export function readableBy(reader: CurrentUser, event: AuditEvent): AuditEvent {
  if (reader.permissions.has('audit:details')) return event
  return { ...event, ...Object.fromEntries(DETAIL_FIELDS.map((f) => [f, null])) }
}

export type AuditService = ReturnType<typeof auditService>
