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
  return router
}
