import type { Request, Response, Router } from 'express'
import { guardedRouter } from '../../web/routes.ts'
import { z } from 'zod'
import type { Config } from '../../config.ts'
import type { Attempt, AuthService } from '../../auth/service.ts'
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

export const codeSchema = z.object({
  code: z.string().trim().min(1, 'Enter the code from your authenticator app, or a recovery code').max(40, 'Enter the 6-digit code from your authenticator app, or a recovery code'),
})

/** Between the password and the second factor: long enough to open the app, no longer. */
const PENDING_MS = 5 * 60_000

/** Only same-site paths are followed after sign-in, never another site. */
function safeReturnTo(value: unknown): string {
  return isLocalPath(value) ? value : '/'
}

/** What the sessions page shows of where a session was started (src/modules/auth/account-routes.ts). */
function origin(req: Request) {
  return { device: String(req.headers['user-agent'] ?? '').slice(0, 300), address: req.ip ?? '' }
}

function regenerate(req: Request): Promise<void> {
  // A fresh session id at each step of sign-in defeats session fixation.
  return new Promise((resolve, reject) => req.session.regenerate((err) => (err ? reject(err) : resolve())))
}

/** Signs the person in on a fresh session; resolves with where to go next. */
export async function startSession(req: Request, userId: string, returnTo: string): Promise<string> {
  await regenerate(req)
  req.session.userId = userId
  req.session.signedInAt = Date.now()
  req.session.origin = origin(req)
  await new Promise<void>((resolve, reject) => req.session.save((err) => (err ? reject(err) : resolve())))
  return returnTo
}

function waitText(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`
  const minutes = Math.ceil(seconds / 60)
  return `${minutes} minute${minutes === 1 ? '' : 's'}`
}

/** The same words whether or not the email address has an account (no enumeration). */
export function throttledMessage(waitSeconds: number): string {
  return `Too many attempts to sign in. Wait ${waitText(waitSeconds)} and try again`
}

export function authRoutes(config: Config, auth: AuthService, audit: AuditService): Router {
  const routes = guardedRouter()
  const oidc = config.oidc ? oidcClient(config.oidc) : undefined
  const signInView = { oidc: Boolean(oidc), oidcButtonText: config.oidc?.buttonText }

  /** The sign-in waiting for its second factor, while it is fresh. */
  function pending(req: Request) {
    const p = req.session?.pendingSignIn
    return p && Date.now() - p.at < PENDING_MS ? p : undefined
  }

  function attemptOf(req: Request, email: string): Attempt {
    return { email, address: req.ip ?? '' }
  }

  routes.get('/sign-in', { public: true }, (req, res) => {
    if (req.ctx.user) return res.redirect('/')
    res.render('auth/views/sign-in.njk', { ...signInView, signedOut: req.query.signedOut === '1', timedOut: req.query.timedOut === '1' })
  })

  routes.post('/sign-in', { public: true }, async (req, res) => {
    const parsed = parseForm(signInSchema, req.body)
    const view = { ...signInView, values: { email: req.body?.email } }
    if (!parsed.ok) return res.status(400).render('auth/views/sign-in.njk', { ...view, errors: parsed.errors })
    const returnTo = safeReturnTo(req.session.returnTo)
    const result = await auth.signIn(req.ctx, attemptOf(req, parsed.value.email), parsed.value.password)
    if (!result.ok) {
      const throttled = result.error === 'throttled'
      const message = throttled ? throttledMessage(result.waitSeconds) : 'The email address or password is not correct'
      if (throttled) res.set('Retry-After', String(result.waitSeconds))
      return res.status(throttled ? 429 : 401).render('auth/views/sign-in.njk', { ...view, errors: formErrors([{ field: 'email', message }]) })
    }
    if (result.next === 'signed-in') return res.redirect(await startSession(req, result.userId, returnTo))
    await regenerate(req)
    req.session.pendingSignIn = {
      userId: result.userId,
      email: parsed.value.email,
      at: Date.now(),
      returnTo,
      ...(result.next === 'set-up' ? { secret: auth.newEnrolment(result.userId) } : {}),
    }
    res.redirect(result.next === 'set-up' ? '/sign-in/set-up-two-factor' : '/sign-in/code')
  })

  routes.get('/sign-in/code', { public: true }, (req, res) => {
    if (!pending(req) || pending(req)?.secret) return res.redirect('/sign-in')
    res.render('auth/views/code.njk', {})
  })

  routes.post('/sign-in/code', { public: true }, async (req, res) => {
    const waiting = pending(req)
    if (!waiting || waiting.secret) return res.redirect('/sign-in')
    const parsed = parseForm(codeSchema, req.body)
    if (!parsed.ok) return res.status(400).render('auth/views/code.njk', { errors: parsed.errors })
    const result = await auth.verifyCode(req.ctx, waiting.userId, attemptOf(req, waiting.email), parsed.value.code)
    if (!result.ok) {
      const throttled = result.error === 'throttled'
      const message = throttled ? throttledMessage(result.waitSeconds) : 'The code is not correct. Enter the code your authenticator app shows now, or an unused recovery code'
      return res.status(throttled ? 429 : 401).render('auth/views/code.njk', { errors: formErrors([{ field: 'code', message }]) })
    }
    res.redirect(await startSession(req, waiting.userId, waiting.returnTo))
  })

  async function setUpPage(req: Request, res: Response, status = 200, errors?: unknown) {
    const waiting = req.session.pendingSignIn!
    const { sealed, shown } = await auth.enrolment(waiting.userId, waiting.email, waiting.secret)
    waiting.secret = sealed
    res.status(status).render('auth/views/set-up-two-factor.njk', { enrolment: shown, action: '/sign-in/set-up-two-factor', atSignIn: true, errors })
  }

  routes.get('/sign-in/set-up-two-factor', { public: true }, async (req, res) => {
    const waiting = pending(req)
    if (!waiting?.secret) return res.redirect('/sign-in')
    await setUpPage(req, res)
  })

  routes.post('/sign-in/set-up-two-factor', { public: true }, async (req, res) => {
    const waiting = pending(req)
    if (!waiting?.secret) return res.redirect('/sign-in')
    const parsed = parseForm(codeSchema, req.body)
    if (!parsed.ok) return setUpPage(req, res, 400, parsed.errors)
    const codes = await auth.enableSecondFactor(req.ctx, waiting.userId, waiting.secret, parsed.value.code, attemptOf(req, waiting.email))
    if (!codes) {
      return setUpPage(req, res, 400, formErrors([{ field: 'code', message: 'The code is not correct. Enter the 6-digit code your authenticator app shows now' }]))
    }
    const next = await startSession(req, waiting.userId, waiting.returnTo)
    // The codes are on this response only: never stored in clear, logged or put in the session.
    res.render('auth/views/recovery-codes.njk', { codes, next })
  })

  routes.post('/sign-out', { public: true }, async (req, res, next) => {
    if (req.ctx.user) await audit.record(req.ctx, { action: 'sign-out', recordType: 'user', recordId: req.ctx.user.id })
    req.session.destroy((err) => {
      if (err) return next(err)
      res.clearCookie(SESSION_COOKIE)
      res.redirect('/sign-in?signedOut=1')
    })
  })

  if (oidc) {
    routes.get('/auth/oidc/start', { public: true }, async (req, res) => {
      const { url, ...checks } = await oidc.start()
      req.session.oidc = { ...checks, returnTo: req.session.returnTo }
      req.session.save(() => res.redirect(url))
    })
    routes.get('/auth/oidc/callback', { public: true }, async (req, res) => {
      const checks = req.session.oidc
      if (!checks) return res.redirect('/sign-in')
      const current = new URL(req.originalUrl, config.oidc!.redirectUri)
      const identity = await oidc.finish(current, checks)
      const result = await auth.signInWithOidc(req.ctx, identity)
      if (!result.ok) {
        return res.status(403).render('auth/views/sign-in.njk', {
          ...signInView,
          errors: formErrors([{ field: 'email', message: 'Your organisation account is not linked to a Lantern account. Ask your administrator for access' }]),
        })
      }
      res.redirect(await startSession(req, result.userId, safeReturnTo(checks.returnTo)))
    })
  }
  return routes.router
}
