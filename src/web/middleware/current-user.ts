import { Router, type NextFunction, type Request, type Response } from 'express'
import type { Config } from '../../config.ts'
import type { AuthService } from '../../auth/service.ts'
import type { NavItem } from '../../modules/types.ts'
import type { CurrentUser, RequestContext } from '../context.ts'

declare module 'express-serve-static-core' {
  interface Request {
    ctx: RequestContext
  }
}

function visibleTo(user: CurrentUser, item: NavItem): boolean {
  if (!item.permission) return true
  const needed = Array.isArray(item.permission) ? item.permission : [item.permission]
  return needed.some((p) => user.permissions.has(p))
}

/**
 * Loads the signed-in user afresh on every request (a deactivated user or a changed role takes
 * effect at once, on every instance), enforces the absolute session lifetime, and builds the
 * request context and the navigation the user may see.
 */
export function setUpCurrentUser(config: Config, auth: AuthService, nav: NavItem[]): Router {
  const router = Router()
  const items = [...nav].sort((a, b) => a.order - b.order)
  router.use(async (req, res, next) => {
    try {
      let user: CurrentUser | null = null
      const { userId, signedInAt } = req.session ?? {}
      if (userId) {
        const expired = !signedInAt || Date.now() - signedInAt > config.session.absoluteHours * 3600_000
        user = expired ? null : ((await auth.currentUser(userId)) ?? null)
        if (!user) {
          await new Promise<void>((resolve) => req.session.destroy(() => resolve()))
        }
      }
      req.ctx = { user, requestId: String(req.id), method: req.method, path: req.originalUrl.split('?')[0] }
      res.locals.user = user
      res.locals.demoMode = config.mode === 'demo'
      res.locals.currentPath = req.path
      res.locals.navigation = user
        ? items
            .filter((i) => visibleTo(user, i))
            .map((i) => ({ text: i.text, href: i.href, active: req.path === i.href || req.path.startsWith(`${i.href}/`) }))
        : []
      if (req.session?.flash?.length) {
        res.locals.flash = req.session.flash
        req.session.flash = []
      }
      next()
    } catch (err) {
      next(err)
    }
  })
  return router
}

/** Staff pages: a visitor who is not signed in is sent to sign in and brought back afterwards. */
export function requireSignIn(req: Request, res: Response, next: NextFunction) {
  if (req.ctx?.user) return next()
  if (req.method === 'GET' && req.session) req.session.returnTo = req.originalUrl
  res.redirect('/sign-in')
}

/** Adds a one-time message shown as a notification banner on the next page. */
export function flash(req: Request, message: { type: 'success' | 'important'; heading?: string; text: string }) {
  req.session.flash = [...(req.session.flash ?? []), message]
}
