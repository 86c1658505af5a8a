import { Router } from 'express'
import session from 'express-session'
import type { Config } from '../../config.ts'
import type { DatabaseSessionStore } from '../session-store.ts'

export const SESSION_COOKIE = 'lantern.sid'

declare module 'express-session' {
  interface SessionData {
    userId?: string
    signedInAt?: number
    returnTo?: string
    oidc?: { state: string; nonce: string; codeVerifier: string; returnTo?: string }
    flash?: { type: 'success' | 'important'; heading?: string; text: string }[]
    /** Where the session was started, for Your sessions: the browser's user agent and the address. */
    origin?: { device: string; address: string }
    /**
     * A sign-in past its password, waiting for a code (or, with `secret`, for the second factor to
     * be set up: the new TOTP secret sealed, as session rows are kept in the database).
     */
    pendingSignIn?: { userId: string; email: string; at: number; returnTo: string; secret?: string }
    /** A second factor being set up from Your account, until a code confirms it: its secret, sealed. */
    enrolSecret?: string
  }
}

/** Sessions live in the database; the cookie is HttpOnly, SameSite=Lax, Secure in production, and rolls with activity. */
export function setUpWebSession(config: Config, store: DatabaseSessionStore, secret: string): Router {
  const router = Router()
  router.use(
    session({
      name: SESSION_COOKIE,
      secret,
      store,
      resave: false,
      saveUninitialized: false,
      rolling: true,
      unset: 'destroy',
      cookie: {
        httpOnly: true,
        sameSite: 'lax',
        secure: config.secureCookies,
        maxAge: config.session.idleMinutes * 60_000,
      },
    }),
  )
  // express-session saves a changed session while the response is ending, after the headers may
  // already be on their way: a browser could follow a redirect before a sign-in, a flash message
  // or a form's answers were stored. So a redirect waits for the save, when there is anything to save.
  router.use((req, res, next) => {
    const redirect = res.redirect.bind(res) as (...args: unknown[]) => void
    res.redirect = ((...args: unknown[]) => {
      const holdsData = req.session && Object.keys(req.session).some((key) => key !== 'cookie')
      if (!holdsData) return redirect(...args)
      req.session.save((err) => (err ? next(err) : redirect(...args)))
    }) as typeof res.redirect
    next()
  })
  return router
}
