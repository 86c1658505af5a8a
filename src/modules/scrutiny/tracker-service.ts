import type { RequestContext } from '../../kernel/context.ts'
import type { TrackerFilter } from './store.ts'
import { TRACKER_PAGE, decorate } from './decorate.ts'
import type { ScrutinyCore } from './service-core.ts'
import type { TrackerQuery } from './schemas.ts'

/** A body's tracker, the standing item: on screen a page at a time, and in full for exports (audited). */
export function trackerService(core: ScrutinyCore) {
  const { access, audit } = core.deps
  const { store, today, visibility, mayOnBody, bodyOr404 } = core

  /** One body's tracker, a page at a time (all of it when no page is given, for exports). */
  async function tracker(ctx: RequestContext, bodyId: string, query: Partial<TrackerQuery>, page?: number) {
    await access.authorise(ctx, 'scrutiny:view')
    const body = await bodyOr404(bodyId)
    const day = today()
    const filter: TrackerFilter = {
      bodyIds: [bodyId],
      kinds: query.kind,
      statuses: query.status,
      rags: query.rag,
      overdueOnly: query.overdue,
      openOnly: (query.show ?? 'open') === 'open',
      q: query.q,
    }
    const v = visibility(ctx)
    const [rows, total] = await Promise.all([
      store.tracker(filter, v, day, page ? { limit: TRACKER_PAGE, offset: (page - 1) * TRACKER_PAGE } : undefined),
      page ? store.trackerCount(filter, v, day) : Promise.resolve(0),
    ])
    return { body, rows: rows.map((r) => decorate(r, day)), total: page ? total : rows.length, page: page ?? 1, pages: page ? Math.max(1, Math.ceil(total / TRACKER_PAGE)) : 1, today: day, canEdit: await mayOnBody(ctx, 'scrutiny:edit', body) }
  }

  return {
    tracker,

    /** Rows for a CSV or the printed pack. Restricted items only when asked and visible to the user. */
    async trackerForExport(ctx: RequestContext, bodyId: string, query: Partial<TrackerQuery>, options: { includeRestricted: boolean; format: string }) {
      const result = await tracker(ctx, bodyId, query)
      const rows = options.includeRestricted ? result.rows : result.rows.filter((r) => !r.restricted)
      await audit.record(ctx, { action: 'export', recordType: 'scrutiny_tracker', recordId: bodyId, details: { format: options.format, rows: rows.length, includeRestricted: options.includeRestricted, query } })
      return { ...result, rows }
    },
  }
}
