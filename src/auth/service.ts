import type { Db } from '../db/index.ts'
import type { AuditService } from '../audit/service.ts'
import type { Config } from '../config.ts'
import type { RequestContext } from '../kernel/context.ts'
import { verifyPassword } from './passwords.ts'
import { usersStore } from './users-store.ts'

export type SignInResult =
  | { ok: true; userId: string }
  | { ok: false; error: 'invalid' | 'locked' }

/**
 * Sign-in rules: argon2id passwords, a lock-out after repeated failures (held in the database so
 * every instance agrees), and an audit event for each success, failure and lock.
 */
export function authService(db: Db, audit: AuditService, config: Pick<Config, 'lockout'>) {
  const users = usersStore(db)
  return {
    currentUser: (id: string) => users.currentUser(id),

    async signIn(ctx: RequestContext, email: string, password: string): Promise<SignInResult> {
      const user = await users.findByEmail(email)
      const passwordOk = await verifyPassword(user?.password_hash ?? null, password)
      if (!user || !user.active) {
        await audit.record(ctx, { action: 'sign-in-failed', details: { reason: user ? 'inactive' : 'unknown-account' } })
        return { ok: false, error: 'invalid' }
      }
      const auditCtx = { ...ctx, user: { id: user.id, email: user.email, agencyId: user.agency_id } } as RequestContext
      if (user.locked_until && user.locked_until > new Date()) {
        await audit.record(auditCtx, { action: 'sign-in-failed', recordType: 'user', recordId: user.id, details: { reason: 'locked' } })
        return { ok: false, error: 'locked' }
      }
      if (!passwordOk) {
        const { locked } = await users.recordFailure(user.id, config.lockout.threshold, config.lockout.minutes)
        await audit.record(auditCtx, {
          action: locked ? 'account-locked' : 'sign-in-failed',
          recordType: 'user',
          recordId: user.id,
          details: { reason: 'wrong-password' },
        })
        return { ok: false, error: locked ? 'locked' : 'invalid' }
      }
      await users.recordSuccess(user.id)
      await audit.record(auditCtx, { action: 'sign-in', recordType: 'user', recordId: user.id, details: { method: 'password' } })
      return { ok: true, userId: user.id }
    },

    /** Single sign-on: the identity provider vouches for the person; Lantern still decides who has an account. */
    async signInWithOidc(ctx: RequestContext, subject: string, email: string | undefined): Promise<SignInResult> {
      let user = await users.findByOidcSubject(subject)
      if (!user && email) {
        user = await users.findByEmail(email)
        if (user && user.oidc_subject && user.oidc_subject !== subject) user = undefined
        if (user) await users.bindOidcSubject(user.id, subject)
      }
      if (!user || !user.active) {
        await audit.record(ctx, { action: 'sign-in-failed', details: { reason: 'no-account', method: 'oidc' } })
        return { ok: false, error: 'invalid' }
      }
      await users.recordSuccess(user.id)
      const auditCtx = { ...ctx, user: { id: user.id, email: user.email, agencyId: user.agency_id } } as RequestContext
      await audit.record(auditCtx, { action: 'sign-in', recordType: 'user', recordId: user.id, details: { method: 'oidc' } })
      return { ok: true, userId: user.id }
    },
  }
}

export type AuthService = ReturnType<typeof authService>
