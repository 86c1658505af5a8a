import type { NextFunction, Request, Response, Router } from 'express'
import { NotFoundError } from '../kernel/errors.ts'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * What each route parameter looks like. A value of another shape names nothing that exists, so it
 * is a 404 before any handler or query sees it: a malformed id can never reach PostgreSQL (where a
 * bad uuid or a NUL byte fails the statement) and become a 500. Every parameter of every route
 * needs a rule here; `guardRouteParameters` refuses to start an app with one it does not know.
 */
export const ROUTE_PARAMETERS: Record<string, RegExp> = {
  id: UUID,
  sid: UUID,
  episodeId: UUID,
  cawnId: UUID,
  referralId: UUID,
  pairId: UUID,
  meetingId: UUID,
  itemId: UUID,
  fileId: UUID,
  memberId: UUID,
  workId: UUID,
  reportId: UUID,
  attendanceId: UUID,
  agendaItemId: UUID,
  linkId: UUID,
  entityId: UUID,
  activityId: UUID,
  outcomeId: UUID,
  shareId: UUID,
  requestId: UUID,
  breakGlassId: UUID,
  /** One of your sessions on Your sessions (a hash of its id: src/auth/devices.ts). */
  session: /^[0-9a-f]{32}$/,
  /** A version number: a positive integer PostgreSQL's integer holds. */
  version: /^[1-9][0-9]{0,8}$/,
  /** As the database's check on indicator, body and page slugs. */
  slug: /^[a-z0-9]+(-[a-z0-9]+)*$/,
  /** A screening tool's section key. */
  group: /^[a-z0-9_-]{1,64}$/,
  /** A network export's file name (the route lists the ones it serves). */
  file: /^[a-z0-9.-]{1,64}$/,
  /** A pending link's random token (base64url). */
  token: /^[A-Za-z0-9_-]{1,64}$/,
}

interface RouterLike {
  param: Router['param']
  stack: { rawPath?: unknown; route?: unknown; handle?: unknown }[]
}

function isRouter(handle: unknown): handle is RouterLike {
  return typeof handle === 'function' && typeof (handle as { param?: unknown }).param === 'function' && Array.isArray((handle as { stack?: unknown }).stack)
}

function parameterNames(rawPath: unknown): string[] {
  return [rawPath]
    .flat(Infinity)
    .filter((p): p is string => typeof p === 'string')
    .flatMap((p) => [...p.matchAll(/[:*]([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]))
}

function check(rule: RegExp) {
  return (_req: Request, _res: Response, next: NextFunction, value: string) => (rule.test(value) ? next() : next(new NotFoundError()))
}

/**
 * Puts the rules on a router and every router mounted inside it (Express keeps parameter handlers
 * per router), so the modules need do nothing. Throws if a route has a parameter with no rule.
 */
export function guardRouteParameters(router: RouterLike): void {
  const unknown = new Set<string>()
  const visit = (r: RouterLike) => {
    for (const [name, rule] of Object.entries(ROUTE_PARAMETERS)) r.param(name, check(rule))
    for (const layer of r.stack) {
      for (const name of parameterNames(layer.rawPath)) if (!(name in ROUTE_PARAMETERS)) unknown.add(name)
      if (isRouter(layer.handle)) visit(layer.handle)
    }
  }
  visit(router)
  if (unknown.size) throw new Error(`Route parameter(s) ${[...unknown].map((n) => `:${n}`).join(', ')} have no rule in src/web/route-params.ts`)
}
