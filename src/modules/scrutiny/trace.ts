import type { z } from 'zod'
import type { Db } from '../../db/index.ts'
import type { ModuleDeps } from '../types.ts'
import type { RequestContext } from '../../kernel/context.ts'
import { NotFoundError } from '../../kernel/errors.ts'
import { traceStore } from './trace-store.ts'
import { scrutinyStore, type Visibility } from './store.ts'
import { decorate, fail, type Result, type ScrutinyService } from './service.ts'
import type { traceSchema } from './schemas.ts'

/**
 * Traceability: which strategy actions answer a resolution, recommendation or request, and which
 * indicators show progress on it. Officers who may edit the body link them; the links show on the
 * item's staff and public pages, and the other way round on the indicator's and the strategy's
 * pages (through the module's index, `scrutinyLinksFor`).
 */
export function traceService(deps: ModuleDeps, scrutiny: ScrutinyService) {
  const { db, audit } = deps
  const store = traceStore(db)

  async function itemForEdit(ctx: RequestContext, itemId: string) {
    const item = await scrutiny.store.itemRow(itemId)
    if (!item) throw new NotFoundError()
    const body = await scrutiny.store.body(item.body_id)
    if (!body) throw new NotFoundError()
    await scrutiny.authoriseOnBody(ctx, 'scrutiny:edit', body)
    return item
  }

  return {
    links: (itemId: string) => Promise.all([store.actionsFor(itemId), store.indicatorsFor(itemId)]).then(([actions, indicators]) => ({ actions, indicators })),
    options: () => Promise.all([store.actionOptions(), store.indicatorOptions()]).then(([actions, indicators]) => ({ actions, indicators })),

    async link(ctx: RequestContext, itemId: string, input: z.infer<typeof traceSchema>): Promise<Result<string>> {
      await itemForEdit(ctx, itemId)
      if (!input.actionId && !input.indicatorId) return fail('actionId', 'Select a strategy action or an indicator')
      if (input.actionId && !(await store.actionExists(input.actionId))) return fail('actionId', 'Select a strategy action')
      if (input.indicatorId && !(await store.indicatorExists(input.indicatorId))) return fail('indicatorId', 'Select an indicator')
      await db.transaction().execute(async (trx) => {
        const s = traceStore(trx)
        if (input.actionId) await s.linkAction(itemId, input.actionId, ctx.user!.id)
        if (input.indicatorId) await s.linkIndicator(itemId, input.indicatorId, ctx.user!.id)
        await audit.record(ctx, { action: 'update', recordType: 'scrutiny_item', recordId: itemId, details: { linked: { actionId: input.actionId ?? null, indicatorId: input.indicatorId ?? null } } }, trx)
      })
      return { ok: true, value: itemId }
    },

    async unlink(ctx: RequestContext, itemId: string, input: z.infer<typeof traceSchema>) {
      await itemForEdit(ctx, itemId)
      await db.transaction().execute(async (trx) => {
        const s = traceStore(trx)
        if (input.actionId) await s.unlinkAction(itemId, input.actionId)
        if (input.indicatorId) await s.unlinkIndicator(itemId, input.indicatorId)
        await audit.record(ctx, { action: 'update', recordType: 'scrutiny_item', recordId: itemId, details: { unlinked: { actionId: input.actionId ?? null, indicatorId: input.indicatorId ?? null } } }, trx)
      })
    },
  }
}

/**
 * The other way round, for the indicators' and the strategy's pages: the items a viewer may see
 * (restricted ones only for those who could see them on the tracker), with where each is read.
 */
export async function scrutinyLinksFor(db: Db, today: string, ctx: RequestContext, on: { indicatorId?: string; actionIds?: string[] }) {
  const t = traceStore(db)
  const byAction = on.actionIds?.length ? await t.itemsForActions(on.actionIds) : []
  const byIndicator = on.indicatorId ? await t.itemsForIndicator(on.indicatorId) : []
  const ids = [...new Set([...byAction.map((r) => r.item_id), ...byIndicator.map((r) => r.item_id)])]
  if (!ids.length) return { items: [], byAction: new Map<string, ReturnType<typeof decorate>[]>() }
  const staff = Boolean(ctx.user?.permissions.has('scrutiny:view'))
  const visibility: Visibility = staff ? { public: false, agencyId: ctx.user!.agencyId } : { public: true }
  const rows = (await scrutinyStore(db).tracker({ ids }, visibility, today)).map((r) => decorate(r, today))
  const withHref = rows.map((r) => ({ ...r, href: staff ? `/scrutiny/manage/items/${r.id}` : r.body_public && !r.restricted ? `/scrutiny/${r.body_slug}/items/${r.id}` : null }))
  const found = new Map(withHref.map((r) => [r.id, r]))
  const grouped = new Map<string, typeof withHref>()
  for (const l of byAction) if (found.has(l.item_id)) grouped.set(l.action_id, [...(grouped.get(l.action_id) ?? []), found.get(l.item_id)!])
  return { items: withHref, byAction: grouped }
}

export type TraceService = ReturnType<typeof traceService>
