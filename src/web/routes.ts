import { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express'
import type { RouteParameters } from 'express-serve-static-core'
import type { AccessService } from '../access/service.ts'
import type { Permission } from '../access/permissions.ts'
import { ForbiddenError } from '../kernel/errors.ts'

/**
 * Who may open a route, declared where the route is registered. The guard made from it runs before
 * the route's own handlers, so no error page, redirect or validation message can show data to
 * someone the route is not for. Record-level need-to-know (`authorise(ctx, permission, record)`)
 * stays in the services: this is the role check every request passes first.
 */
export type RouteAccess =
  /** Open to anyone, signed in or not: the public site, sign-in, health checks. */
  | { readonly public: true }
  /** Any signed-in user (or API token): pages about the user themselves, the dashboard. */
  | { readonly signedIn: true }
  /** Users whose role holds the permission. */
  | { readonly permission: Permission }
  /** Users whose role holds at least one of the permissions (a page that serves two roles differently). */
  | { readonly anyOf: readonly [Permission, ...Permission[]] }

const DECLARED = Symbol('lantern.routeAccess')

type Guard = RequestHandler & { [DECLARED]: RouteAccess }

/** The declaration a route's first handler carries, if it was registered through `guardedRouter`. */
export function routeAccessOf(handler: unknown): RouteAccess | undefined {
  return typeof handler === 'function' ? (handler as Partial<Guard>)[DECLARED] : undefined
}

function needsSignIn(): ForbiddenError {
  return new ForbiddenError('You need to sign in', { reason: 'role', canBreakGlass: false })
}

function guardFor(rule: RouteAccess, access: AccessService | undefined): Guard {
  if (('permission' in rule || 'anyOf' in rule) && !access) throw new Error('A route that needs a permission is registered on a router built without the access service')
  const check = async (req: Request): Promise<void> => {
    if ('public' in rule) return
    if ('signedIn' in rule) {
      if (!req.ctx?.user) throw needsSignIn()
      return
    }
    if ('permission' in rule) {
      await access!.authorise(req.ctx, rule.permission)
      return
    }
    if (rule.anyOf.some((p) => access!.can(req.ctx, p))) return
    // Refused: authorise with the first one throws and audits the denial.
    await access!.authorise(req.ctx, rule.anyOf[0])
  }
  const guard = (req: Request, _res: Response, next: NextFunction) => {
    check(req).then(() => next(), next)
  }
  return Object.assign(guard, { [DECLARED]: rule })
}

/** A handler typed with the route's own parameters, as Express types `router.get(path, handler)`. */
type Handler<P extends string> = RequestHandler<RouteParameters<P>>

/**
 * An Express router whose every route states who may open it. `routes.router` is mounted as any
 * router; the app's route table is checked by a test for routes registered any other way.
 *
 *     const routes = guardedRouter(deps.access)
 *     routes.get('/network', { permission: 'network:view' }, async (req, res) => { ... })
 */
export function guardedRouter(access?: AccessService) {
  const router = Router()
  const routes = {
    router,
    get<P extends string>(path: P | P[], rule: RouteAccess, ...handlers: Handler<P>[]) {
      router.get(path, guardFor(rule, access), ...(handlers as RequestHandler[]))
      return routes
    },
    post<P extends string>(path: P | P[], rule: RouteAccess, ...handlers: Handler<P>[]) {
      router.post(path, guardFor(rule, access), ...(handlers as RequestHandler[]))
      return routes
    },
    /** Middleware for the routes registered after it (API authentication, an error handler). */
    use: router.use.bind(router) as Router['use'],
  }
  return routes
}

export type GuardedRouter = ReturnType<typeof guardedRouter>
