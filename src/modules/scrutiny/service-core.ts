import type { ModuleDeps } from '../types.ts'
import type { RequestContext } from '../../kernel/context.ts'
import type { Permission } from '../../access/permissions.ts'
import { ForbiddenError, NotFoundError } from '../../kernel/errors.ts'
import { scrutinyStore, type TrackerRow, type Visibility } from './store.ts'
import type { NotificationSender } from './notifications.ts'
import type { Body } from './tables.ts'

/**
 * What every part of the scrutiny service shares, built once: the store, the sender, the clock,
 * and the rules for who may see and change a body's records.
 */
export function scrutinyCore(deps: ModuleDeps, sender: NotificationSender) {
  const { access, clock } = deps
  const today = () => clock.today()
  const store = scrutinyStore(deps.db)

  function user(ctx: RequestContext) {
    if (!ctx.user) throw new ForbiddenError('You need to sign in', { reason: 'role', canBreakGlass: false })
    return ctx.user
  }

  function visibility(ctx: RequestContext): Visibility {
    return { public: false, agencyId: user(ctx).agencyId }
  }

  const bodyRef = (body: Pick<Body, 'id' | 'agency_id'>) => ({ type: 'scrutiny_body', id: body.id, ownerAgencyId: body.agency_id ?? '' })

  /**
   * A body's records are kept by its own organisation and the one that supports it (a panel is
   * usually supported by the host council's democratic services); shares grant the same.
   */
  async function mayOnBody(ctx: RequestContext, permission: Permission, body: Pick<Body, 'id' | 'agency_id' | 'support_agency_id'>) {
    const u = ctx.user
    if (!u?.permissions.has(permission)) return false
    if (!body.agency_id || body.support_agency_id === u.agencyId) return true
    return (await access.check(ctx, permission, bodyRef(body))).allowed
  }

  async function authoriseOnBody(ctx: RequestContext, permission: Permission, body: Pick<Body, 'id' | 'agency_id' | 'support_agency_id'>) {
    if (await mayOnBody(ctx, permission, body)) return
    await access.authorise(ctx, permission, bodyRef(body))
  }

  async function bodyOr404(id: string) {
    const body = await store.body(id)
    if (!body) throw new NotFoundError()
    return body
  }

  async function itemOr404(ctx: RequestContext, id: string) {
    const [row] = await store.tracker({ ids: [id] }, visibility(ctx), today())
    if (!row) throw new NotFoundError()
    return row
  }

  /** The addressee's organisation records its own answers; the body's officers may record one received by email. */
  async function mayRespond(ctx: RequestContext, item: TrackerRow, body: Body) {
    const u = ctx.user
    if (u?.permissions.has('scrutiny:respond') && item.addressee_agency_id && item.addressee_agency_id === u.agencyId) return true
    return mayOnBody(ctx, 'scrutiny:edit', body)
  }

  /** The acting user's id for a foreign key: none for the command line, which acts as the system. */
  function actorId(ctx: RequestContext) {
    return ctx.user && ctx.user.role !== 'system' ? ctx.user.id : null
  }

  function who(ctx: RequestContext) {
    const u = user(ctx)
    return { id: u.id, name: u.name, agency: u.agencyName }
  }

  async function agencyName(id: string | undefined) {
    if (!id) return null
    const a = await store.agency(id)
    return a ? a.name : null
  }

  return { deps, store, sender, today, user, visibility, mayOnBody, authoriseOnBody, bodyOr404, itemOr404, mayRespond, actorId, who, agencyName }
}

export type ScrutinyCore = ReturnType<typeof scrutinyCore>
