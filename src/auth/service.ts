import type { Db } from '../db/index.ts'
import type { AuditService } from '../audit/service.ts'
import type { Config } from '../config.ts'
import { systemContext, type CurrentUser, type RequestContext } from '../kernel/context.ts'
import { hashPassword, verifyPassword } from './passwords.ts'
import { passwordProblem } from './password-policy.ts'
import { signInThrottle, type ThrottleReport } from './throttle.ts'
import { acceptedStep, enrolment, hashRecoveryCode, looksLikeRecoveryCode, newRecoveryCodes, newTotpSecret } from './totp.ts'
import { totpSecrets } from './totp-secrets.ts'
import type { SecretBox } from './secret-box.ts'
import { usersStore } from './users-store.ts'
import { accountSessionsStore } from './sessions-store.ts'
import { describeDevice, sessionKey } from './devices.ts'

/** Where a sign-in stands after the password: in, a code to ask for, or a second factor to set up first. */
export type SignInResult =
  | { ok: true; userId: string; next: 'signed-in' | 'code' | 'set-up' }
  | { ok: false; error: 'invalid' }
  | { ok: false; error: 'throttled'; waitSeconds: number }

export type CodeResult = { ok: true; method: 'totp' | 'recovery-code' } | { ok: false; error: 'invalid' } | { ok: false; error: 'throttled'; waitSeconds: number }

/** Who is signing in and from where: the throttle's keys (src/auth/throttle.ts). */
export interface Attempt {
  email: string
  address: string
}

/** The identity an OpenID Connect provider vouched for. */
export interface OidcIdentity {
  issuer: string
  subject: string
  email?: string
  emailVerified: boolean
}

function as(ctx: RequestContext, user: { id: string; email: string; agency_id: string }): RequestContext {
  return { ...ctx, user: { id: user.id, email: user.email, agencyId: user.agency_id } as CurrentUser }
}

/**
 * Sign-in and account rules (docs/security.md, "Accounts"): argon2id passwords under a policy,
 * failed attempts throttled in the database without ever locking an account or telling whether
 * one exists, a TOTP second factor with one-time recovery codes, OpenID Connect bound by issuer
 * and subject, and demo accounts refused everywhere in production. Every outcome is audited.
 */
export function authService(db: Db, audit: AuditService, config: Pick<Config, 'lockout' | 'mode' | 'session'>, box: SecretBox) {
  const users = usersStore(db)
  const secrets = totpSecrets(box)
  const sessions = accountSessionsStore(db)
  const throttle = signInThrottle(db, config.lockout)
  const production = config.mode === 'production'

  /** A second factor is required, in production, of administrators and of roles that see personal data. */
  function secondFactorRequired(user: CurrentUser): boolean {
    return production && (user.seesPersonalData || [...user.permissions].some((p) => p.startsWith('admin:')))
  }

  async function signedIn(ctx: RequestContext, user: { id: string; email: string; agency_id: string }, attempt: Attempt | undefined, method: string) {
    if (attempt) await throttle.succeeded(attempt.email, attempt.address)
    await users.recordSuccess(user.id)
    await audit.record(as(ctx, user), { action: 'sign-in', recordType: 'user', recordId: user.id, details: { method } })
  }

  /**
   * Attempts refused while a delay lasts are written to the audit trail in sums, never one row
   * each: a row when refusals start, then at most one a quarter hour (src/auth/throttle.ts).
   */
  async function refusedWhileThrottled(ctx: RequestContext, attempt: Attempt, where: 'sign-in' | 'code' | 'change-password'): Promise<number> {
    const { waitSeconds, report } = await throttle.refuse(attempt.email, attempt.address)
    if (report) {
      const account = await users.findByEmail(attempt.email)
      await audit.record(ctx, { action: 'sign-in-throttled', recordType: account ? 'user' : undefined, recordId: account?.id, details: { ...report, where } })
    }
    return waitSeconds
  }

  return {
    currentUser: (id: string) => users.currentUser(id, { refuseDemo: production }),
    secondFactorRequired,

    async signIn(ctx: RequestContext, attempt: Attempt, password: string): Promise<SignInResult> {
      // Refused before the password is checked: no guess is tried while the delay lasts.
      const waitSeconds = await refusedWhileThrottled(ctx, attempt, 'sign-in')
      if (waitSeconds > 0) return { ok: false, error: 'throttled', waitSeconds }
      const user = await users.findByEmail(attempt.email)
      const passwordOk = await verifyPassword(user?.password_hash ?? null, password)
      const refusal = !user ? 'unknown-account' : !user.active ? 'inactive' : production && user.demo_account ? 'demo-account' : !passwordOk ? 'wrong-password' : undefined
      if (refusal || !user) {
        await throttle.failed(attempt.email, attempt.address)
        await audit.record(user ? as(ctx, user) : ctx, { action: 'sign-in-failed', recordType: user ? 'user' : undefined, recordId: user?.id, details: { reason: refusal } })
        return { ok: false, error: 'invalid' }
      }
      if (user.totp_enabled_at) return { ok: true, userId: user.id, next: 'code' }
      const current = await users.currentUser(user.id)
      if (current && secondFactorRequired(current)) return { ok: true, userId: user.id, next: 'set-up' }
      await signedIn(ctx, user, attempt, 'password')
      return { ok: true, userId: user.id, next: 'signed-in' }
    },

    /** The second step: a code from the authenticator app, or one of the recovery codes (each works once). */
    async verifyCode(ctx: RequestContext, userId: string, attempt: Attempt, code: string): Promise<CodeResult> {
      const waitSeconds = await refusedWhileThrottled(ctx, attempt, 'code')
      if (waitSeconds > 0) return { ok: false, error: 'throttled', waitSeconds }
      const user = await users.findById(userId)
      if (!user || !user.active || !user.totp_secret || (production && user.demo_account)) return { ok: false, error: 'invalid' }
      let method: 'totp' | 'recovery-code' | undefined
      if (looksLikeRecoveryCode(code)) {
        if (await users.useRecoveryCode(user.id, hashRecoveryCode(code))) method = 'recovery-code'
      } else {
        const secret = secrets.openStored(user.id, user.totp_secret)
        const step = secret === undefined ? null : acceptedStep(secret, code)
        if (step !== null && (await users.useTotpStep(user.id, step))) method = 'totp'
      }
      if (!method) {
        await throttle.failed(attempt.email, attempt.address)
        await audit.record(as(ctx, user), { action: 'sign-in-failed', recordType: 'user', recordId: user.id, details: { reason: 'wrong-code' } })
        return { ok: false, error: 'invalid' }
      }
      await signedIn(ctx, user, attempt, `password+${method}`)
      if (method === 'recovery-code') {
        await audit.record(as(ctx, user), { action: 'recovery-code-used', recordType: 'user', recordId: user.id, details: { left: await users.unusedRecoveryCodes(user.id) } })
      }
      return { ok: true, method }
    },

    /** A new secret for the set-up page, sealed for the session it waits in until confirmed. */
    newEnrolment: (userId: string) => secrets.sealEnrolment(userId, newTotpSecret()),

    /**
     * What the set-up page shows (QR code, and the secret to type) for the enrolment waiting in the
     * session; a new one, to keep in its place, when there is none or it no longer opens.
     */
    async enrolment(userId: string, email: string, sealed: string | undefined) {
      let secret = sealed === undefined ? undefined : secrets.openEnrolment(userId, sealed)
      if (secret === undefined || sealed === undefined) {
        secret = newTotpSecret()
        sealed = secrets.sealEnrolment(userId, secret)
      }
      return { sealed, shown: await enrolment(secret, email) }
    },

    /**
     * Turns the second factor on once the person proves their app holds the enrolment's secret;
     * returns the new recovery codes, to be shown once. `attempt` when this completes a sign-in.
     */
    async enableSecondFactor(ctx: RequestContext, userId: string, sealedEnrolment: string, code: string, attempt?: Attempt): Promise<string[] | undefined> {
      const user = await users.findById(userId)
      if (!user || !user.active || (production && user.demo_account)) return undefined
      const secret = secrets.openEnrolment(userId, sealedEnrolment)
      const step = secret === undefined ? null : acceptedStep(secret, code)
      if (secret === undefined || step === null) {
        if (attempt) await throttle.failed(attempt.email, attempt.address)
        return undefined
      }
      const codes = newRecoveryCodes()
      await users.enableTotp(user.id, secrets.sealStored(user.id, secret), step, codes.map(hashRecoveryCode))
      await audit.record(as(ctx, user), { action: 'two-factor-enabled', recordType: 'user', recordId: user.id })
      if (attempt) await signedIn(ctx, user, attempt, 'password+totp-set-up')
      return codes
    },

    /** New recovery codes replace the old ones, after a current code from the app. */
    async regenerateRecoveryCodes(ctx: RequestContext, code: string): Promise<string[] | undefined> {
      const user = ctx.user && (await users.findById(ctx.user.id))
      if (!user?.totp_secret) return undefined
      const secret = secrets.openStored(user.id, user.totp_secret)
      const step = secret === undefined ? null : acceptedStep(secret, code)
      if (step === null || !(await users.useTotpStep(user.id, step))) return undefined
      const codes = newRecoveryCodes()
      await users.replaceRecoveryCodes(user.id, codes.map(hashRecoveryCode))
      await audit.record(ctx, { action: 'recovery-codes-regenerated', recordType: 'user', recordId: user.id })
      return codes
    },

    async secondFactorStatus(userId: string) {
      const user = await users.findById(userId)
      return { enabledAt: user?.totp_enabled_at ?? null, recoveryCodesLeft: user?.totp_enabled_at ? await users.unusedRecoveryCodes(userId) : 0 }
    },

    /** A person changes their own password: the current one first; their other sessions end. */
    /**
     * Changes the signed-in person's password. Their current password is a sign-in secret too, so
     * wrong ones are throttled exactly as at sign-in (a stolen session must not become a way to
     * guess it): while a delay lasts, nothing is checked.
     */
    async changePassword(
      ctx: RequestContext,
      sid: string,
      current: string,
      next: string,
      address: string,
    ): Promise<{ ok: true } | { ok: false; field: 'currentPassword' | 'newPassword'; message: string; waitSeconds?: number }> {
      const user = ctx.user && (await users.findById(ctx.user.id))
      if (!user) return { ok: false, field: 'currentPassword', message: 'Your account cannot change its password here' }
      const waitSeconds = await refusedWhileThrottled(ctx, { email: user.email, address }, 'change-password')
      if (waitSeconds > 0) {
        return { ok: false, field: 'currentPassword', message: `Too many wrong passwords. Wait ${Math.max(1, Math.ceil(waitSeconds / 60))} minutes and try again`, waitSeconds }
      }
      if (!user.password_hash || !(await verifyPassword(user.password_hash, current))) {
        await throttle.failed(user.email, address)
        await audit.record(ctx, { action: 'password-change-failed', recordType: 'user', recordId: user.id })
        return { ok: false, field: 'currentPassword', message: 'Your current password is not correct' }
      }
      const problem = passwordProblem(next, { name: user.name, email: user.email })
      if (problem) return { ok: false, field: 'newPassword', message: problem }
      await users.setPassword(user.id, await hashPassword(next), sid)
      await audit.record(ctx, { action: 'password-change', recordType: 'user', recordId: user.id, details: { otherSessionsEnded: true } })
      return { ok: true }
    },

    /** Your sessions: each signed-in session of the person, this one first, by when it was last used. */
    async sessions(ctx: RequestContext, currentSid: string) {
      if (!ctx.user) return []
      const idleMs = config.session.idleMinutes * 60_000
      const rows = await sessions.of(ctx.user.id)
      return rows
        .map((row) => {
          const data = row.data as { signedInAt?: number; origin?: { device?: string; address?: string } }
          return {
            key: sessionKey(row.sid),
            current: row.sid === currentSid,
            device: describeDevice(data.origin?.device),
            address: data.origin?.address || 'Not known',
            startedAt: data.signedInAt ? new Date(data.signedInAt) : null,
            lastSeenAt: new Date(new Date(row.expires_at).getTime() - idleMs),
          }
        })
        .sort((a, b) => Number(b.current) - Number(a.current) || b.lastSeenAt.getTime() - a.lastSeenAt.getTime())
    },

    /** Signs out one of the person's other sessions, named by its key (never by its id, which is a secret). */
    async endSession(ctx: RequestContext, key: string): Promise<boolean> {
      if (!ctx.user) return false
      const row = (await sessions.of(ctx.user.id)).find((r) => sessionKey(r.sid) === key)
      if (!row || !(await sessions.end(ctx.user.id, row.sid))) return false
      await audit.record(ctx, { action: 'session-ended', recordType: 'user', recordId: ctx.user.id, details: { session: key } })
      return true
    },

    /** Single sign-on: the identity provider vouches for the person; Lantern still decides who has an account. */
    async signInWithOidc(ctx: RequestContext, identity: OidcIdentity): Promise<{ ok: true; userId: string } | { ok: false; error: 'invalid' }> {
      let user = await users.findByOidcSubject(identity.issuer, identity.subject)
      let bind = Boolean(user && !user.oidc_issuer)
      // An email address matches an account only when the provider says it verified it; and never
      // an account already bound to another subject.
      if (!user && identity.email && identity.emailVerified) {
        user = await users.findByEmail(identity.email)
        if (user && user.oidc_subject) user = undefined
        bind = Boolean(user)
      }
      if (!user || !user.active || (production && user.demo_account)) {
        await audit.record(ctx, {
          action: 'sign-in-failed',
          details: { reason: user ? 'inactive' : identity.email && !identity.emailVerified ? 'email-not-verified' : 'no-account', method: 'oidc' },
        })
        return { ok: false, error: 'invalid' }
      }
      if (bind) await users.bindOidcSubject(user.id, identity.issuer, identity.subject)
      await signedIn(ctx, user, undefined, 'oidc')
      return { ok: true, userId: user.id }
    },

    /** Writes the sums of refusals that have stopped, then forgets counters of no more use. Run every few minutes. */
    async sweepThrottle() {
      const ended: ThrottleReport[] = await throttle.endedRefusals()
      for (const report of ended) await audit.record(systemContext('sign-in-throttle'), { action: 'sign-in-throttled', details: { ...report, ended: true } })
      await throttle.prune()
    },
  }
}

export type AuthService = ReturnType<typeof authService>

/**
 * What administrators do to others' accounts (src/modules/admin): each caller checks permission
 * and audits first. It needs no secret key: it clears, never reads, a second factor.
 */
export function accountAdministration(db: Db, config: Pick<Config, 'lockout'>) {
  const users = usersStore(db)
  const throttle = signInThrottle(db, config.lockout)
  return {
    clearDelays: (email: string) => throttle.clear(email),
    resetSecondFactor: (userId: string) => users.resetTotp(userId),
    async setPassword(user: { id: string; name: string; email: string }, password: string): Promise<string | undefined> {
      const problem = passwordProblem(password, user)
      if (problem) return problem
      await users.setPassword(user.id, await hashPassword(password))
      return undefined
    },
  }
}
