import { Router } from 'express'
import { csrfSync } from 'csrf-sync'

/**
 * Synchroniser-token CSRF protection on every state-changing request, tests included. The token is
 * made only when a page renders a form (res.locals.csrfToken is made when printed), so reading a
 * public page sets no cookie and stores no session.
 */
/** Forms whose own secret stands in for the CSRF token (see below). */
export const CSRF_EXEMPT_FORMS = ['/report/follow-up', '/report/follow-up/add']

export function setUpCsrf(): Router {
  const router = Router()
  const { csrfSynchronisedProtection, generateToken } = csrfSync({
    getTokenFromRequest: (req) => {
      const fromBody = (req.body as Record<string, unknown> | undefined)?._csrf
      if (typeof fromBody === 'string') return fromBody
      // Multipart uploads are parsed after this check, so their forms carry the token in the URL.
      const fromQuery = req.query?._csrf
      if (typeof fromQuery === 'string' && req.is('multipart/form-data')) return fromQuery
      const fromHeader = req.headers['x-csrf-token']
      return typeof fromHeader === 'string' ? fromHeader : undefined
    },
    // The JSON API authenticates with bearer tokens, not cookies, so it cannot be forged cross-site.
    // The reporter's follow-up forms carry their own secret (the receipt) and no cookie at all: a
    // forged form cannot know the receipt, and a CSRF token would need a session the reporter
    // must not have.
    skipCsrfProtection: (req) => req.path.startsWith('/api/') || CSRF_EXEMPT_FORMS.includes(req.path),
  })
  router.use(csrfSynchronisedProtection)
  router.use((req, res, next) => {
    // Not a getter: res.render copies res.locals, which would read it (and start a session) on
    // every page. Nunjucks prints a value through toString, so the token is made only when a
    // template writes it into a form.
    let token: string | undefined
    res.locals.csrfToken = { toString: () => (token ??= generateToken(req)) }
    next()
  })
  return router
}
