import { Router, type Request } from 'express'
import { guardedRouter } from '../../web/routes.ts'
import { rateLimit } from 'express-rate-limit'
import { z } from 'zod'
import type { Config } from '../../config.ts'
import type { AuthService } from '../../auth/service.ts'
import type { AuditService } from '../../audit/service.ts'
import { parseForm } from '../../web/forms.ts'
import { formErrors } from '../../kernel/form-errors.ts'
import { SESSION_COOKIE } from '../../web/middleware/session.ts'
import { oidcClient } from './oidc.ts'
import { isLocalPath } from '../../web/local-path.ts'

const signInSchema = z.object({
  email: z.string().trim().min(1, 'Enter your email address').email('Enter an email address in the correct format, like name@example.org'),
  password: z.string().min(1, 'Enter your password'),
})

/** Only same-site paths are followed after sign-in, never another site. */
function safeReturnTo(value: unknown): string {
  return isLocalPath(value) ? value : '/'
}

function startSession(req: Request, userId: string, returnTo: string): Promise<string> {
  // A fresh session id at sign-in defeats session fixation.
  return new Promise((resolve, reject) => {
    req.session.regenerate((err) => {
      if (err) return reject(err)
      req.session.userId = userId
      req.session.signedInAt = Date.now()
      req.session.save((saveErr) => (saveErr ? reject(saveErr) : resolve(returnTo)))
    })
  })
}

export function authRoutes(config: Config, auth: AuthService, audit: AuditService): Router {
  const routes = guardedRouter()
  const oidc = config.oidc ? oidcClient(config.oidc) : undefined
  const signInLimiter = rateLimit({
    windowMs: 15 * 60_000,
    limit: 30,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, res) => {
      res.status(429).render('auth/views/sign-in.njk', {
        errors: formErrors([{ field: 'email', message: 'Too many attempts to sign in from this device. Wait 15 minutes and try again' }]),
        oidc,
        oidcButtonText: config.oidc?.buttonText,
      })
    },
  })

  routes.get('/sign-in', { public: true }, (req, res) => {
    if (req.ctx.user) return res.redirect('/')
    res.render('auth/views/sign-in.njk', { oidc: Boolean(oidc), oidcButtonText: config.oidc?.buttonText, signedOut: req.query.signedOut === '1', timedOut: req.query.timedOut === '1' })
  })

  routes.post('/sign-in', { public: true }, signInLimiter, async (req, res, next) => {
    try {
      const parsed = parseForm(signInSchema, req.body)
      const view = { oidc: Boolean(oidc), oidcButtonText: config.oidc?.buttonText, values: { email: req.body?.email } }
      if (!parsed.ok) return res.status(400).render('auth/views/sign-in.njk', { ...view, errors: parsed.errors })
      const result = await auth.signIn(req.ctx, parsed.value.email, parsed.value.password)
      if (!result.ok) {
        const message =
          result.error === 'locked'
            ? 'Your account is locked after too many attempts to sign in. Try again later or ask your administrator to unlock it'
            : 'The email address or password is not correct'
        return res.status(401).render('auth/views/sign-in.njk', { ...view, errors: formErrors([{ field: 'email', message }]) })
      }
      res.redirect(await startSession(req, result.userId, safeReturnTo(req.session.returnTo)))
    } catch (err) {
      next(err)
    }
  })

  routes.post('/sign-out', { public: true }, async (req, res, next) => {
    try {
      if (req.ctx.user) await audit.record(req.ctx, { action: 'sign-out', recordType: 'user', recordId: req.ctx.user.id })
      req.session.destroy((err) => {
        if (err) return next(err)
        res.clearCookie(SESSION_COOKIE)
        res.redirect('/sign-in?signedOut=1')
      })
    } catch (err) {
      next(err)
    }
  })

  if (oidc) {
    routes.get('/auth/oidc/start', { public: true }, async (req, res, next) => {
      try {
        const { url, ...checks } = await oidc.start()
        req.session.oidc = { ...checks, returnTo: req.session.returnTo }
        req.session.save(() => res.redirect(url))
      } catch (err) {
        next(err)
      }
    })
    routes.get('/auth/oidc/callback', { public: true }, async (req, res, next) => {
      try {
        const checks = req.session.oidc
        if (!checks) return res.redirect('/sign-in')
        const current = new URL(req.originalUrl, config.oidc!.redirectUri)
        const identity = await oidc.finish(current, checks)
        const result = await auth.signInWithOidc(req.ctx, identity.subject, identity.email)
        if (!result.ok) {
          return res.status(403).render('auth/views/sign-in.njk', {
            oidc: true,
            oidcButtonText: config.oidc?.buttonText,
            errors: formErrors([{ field: 'email', message: 'Your organisation account is not linked to a Lantern account. Ask your administrator for access' }]),
          })
        }
        res.redirect(await startSession(req, result.userId, safeReturnTo(checks.returnTo)))
      } catch (err) {
        next(err)
      }
    })
  }
  return routes.router
}
