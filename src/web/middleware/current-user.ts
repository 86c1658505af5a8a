import { Router, type NextFunction, type Request, type Response } from 'express'
import type { Config } from '../../config.ts'
import type { AuthService } from '../../auth/service.ts'
import type { NavItem } from '../nav.ts'
import type { CurrentUser, RequestContext } from '../../kernel/context.ts'
import { DatabaseSessionStore } from '../session-store.ts'

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

/** How long a loaded user is reused while their account is unchanged (see setUpCurrentUser). */
export const CURRENT_USER_REUSE_MS = 60_000
const REMEMBERED_USERS = 5_000

/**
 * Loads the signed-in user, enforces the absolute session lifetime, and builds the request context
 * and the navigation the user may see.
 *
 * The user (with their agency, team, role and permissions) is loaded once and reused for up to
 * `CURRENT_USER_REUSE_MS` while their account is unchanged: the session read
 * (DatabaseSessionStore) returns when the account last changed, in the same statement, and a
 * different answer loads the user afresh. So a change to the user (role, agency, team, name) or
 * deactivation takes effect on the next request, on every instance; deactivation also deletes
 * their sessions. Only changes to an agency, a team or a role themselves (a renamed team, a
 * role's permissions, which migrations grant) wait for the reuse to run out.
 */
export function setUpCurrentUser(config: Config, auth: AuthService, nav: NavItem[]): Router {
  const router = Router()
  const items = [...nav].sort((a, b) => a.order - b.order)
  const loaded = new Map<string, { user: CurrentUser; stamp: string; at: number }>()

  async function signedInUser(req: Request, userId: string): Promise<CurrentUser | undefined> {
    const store = req.sessionStore instanceof DatabaseSessionStore ? req.sessionStore : null
    const seen = store?.userStamp(req.sessionID)
    const stamp = seen?.userId === userId ? seen.stamp : null
    const kept = loaded.get(userId)
    if (stamp !== null && kept && kept.stamp === stamp && Date.now() - kept.at < CURRENT_USER_REUSE_MS) return kept.user
    const user = await auth.currentUser(userId)
    if (user && stamp !== null) {
      if (loaded.size >= REMEMBERED_USERS && !loaded.has(userId)) loaded.clear()
      loaded.set(userId, { user, stamp, at: Date.now() })
    } else {
      loaded.delete(userId)
    }
    return user
  }

  router.use(async (req, res, next) => {
    try {
      let user: CurrentUser | null = null
      const { userId, signedInAt } = req.session ?? {}
      if (userId) {
        const expired = !signedInAt || Date.now() - signedInAt > config.session.absoluteHours * 3600_000
        user = expired ? null : ((await signedInUser(req, userId)) ?? null)
        if (!user) {
          await new Promise<void>((resolve) => req.session.destroy(() => resolve()))
        }
      }
      req.ctx = { user, requestId: String(req.id), method: req.method, path: req.originalUrl.split('?')[0], authenticatedBy: user ? 'session' : undefined }
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
