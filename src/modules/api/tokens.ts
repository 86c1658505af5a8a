import { createHash, randomBytes } from 'node:crypto'
import { z } from 'zod'
import type { ModuleDeps } from '../types.ts'
import type { CurrentUser, RequestContext } from '../../kernel/context.ts'
import { usersStore } from '../../auth/users-store.ts'
import { ForbiddenError, NotFoundError } from '../../kernel/errors.ts'
import type { Result } from '../../kernel/form-errors.ts'
import { tokensStore } from './tokens-store.ts'

/** Every token starts with this, so secret scanners and people recognise a leaked one. */
export const TOKEN_PREFIX = 'lantern_pat_'
export const EXPIRY_CHOICES = [30, 90, 180, 365] as const

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex')
}

/** 32 random bytes (256 bits), URL-safe. */
export function newToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url')
}

export const issueSchema = z.object({
  name: z.string().trim().min(1, 'Enter what the token is for').max(100, 'What the token is for must be 100 characters or fewer'),
  days: z.enum(EXPIRY_CHOICES.map(String) as [string, ...string[]], { message: 'Select when the token expires' }).transform(Number),
})

export type TokenCheck =
  | { ok: true; user: CurrentUser; token: { id: string; name: string } }
  | { ok: false; reason: 'missing' | 'malformed' | 'unknown' | 'revoked' | 'expired' | 'inactive'; tokenId?: string; userId?: string }

/**
 * Personal API tokens: a user issues their own, and it acts as them, with their role and
 * need-to-know, until it expires or is revoked. Nobody issues a token for anyone else, so no one
 * holds a credential that reads as another person. Administrators see every token (never the
 * secret) and revoke any. Only the SHA-256 hash is stored.
 */
export function tokensService({ db, access, audit, config }: ModuleDeps) {
  const store = tokensStore(db)
  const users = usersStore(db)

  function signedIn(ctx: RequestContext): CurrentUser {
    if (!ctx.user) throw new ForbiddenError('Sign in to manage your API tokens', { reason: 'role', canBreakGlass: false })
    return ctx.user
  }

  return {
    /** Every token, for administrators. */
    async list(ctx: RequestContext) {
      await access.authorise(ctx, 'admin:api-tokens')
      return store.list()
    },

    /** The signed-in user's own tokens. */
    async mine(ctx: RequestContext) {
      return store.list(signedIn(ctx).id)
    },

    /** Issues a token for the signed-in user and returns it: the only time it is ever seen. */
    async issue(ctx: RequestContext, input: z.infer<typeof issueSchema>): Promise<Result<{ id: string; token: string; expiresAt: Date }>> {
      const user = signedIn(ctx)
      const token = newToken()
      const expiresAt = new Date(Date.now() + input.days * 86_400_000)
      const id = await db.transaction().execute(async (trx) => {
        const row = await store.insert(trx, { userId: user.id, name: input.name, hash: hashToken(token), hint: token.slice(-4), expiresAt })
        await audit.record(ctx, { action: 'create', recordType: 'api_token', recordId: row.id, details: { name: input.name, expiresAt: expiresAt.toISOString() } }, trx)
        return row.id
      })
      return { ok: true, value: { id, token, expiresAt } }
    },

    /** Revokes one of the signed-in user's own tokens. */
    async revokeOwn(ctx: RequestContext, id: string) {
      const user = signedIn(ctx)
      await revoke(ctx, id, user.id)
    },

    /** Revokes anyone's token, for administrators. */
    async revokeAny(ctx: RequestContext, id: string) {
      await access.authorise(ctx, 'admin:api-tokens')
      await revoke(ctx, id)
    },

    /** Who a bearer token acts as, or why it is refused. */
    async authenticate(header: string | undefined): Promise<TokenCheck> {
      if (!header) return { ok: false, reason: 'missing' }
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header)
      if (!match || !match[1].startsWith(TOKEN_PREFIX) || match[1].length > 200) return { ok: false, reason: 'malformed' }
      const row = await store.byHash(hashToken(match[1]))
      if (!row) return { ok: false, reason: 'unknown' }
      if (row.revoked_at) return { ok: false, reason: 'revoked', tokenId: row.id, userId: row.user_id }
      if (row.expires_at.getTime() <= Date.now()) return { ok: false, reason: 'expired', tokenId: row.id, userId: row.user_id }
      // A demo account's token is nobody's in production, as its sessions are.
      const user = await users.currentUser(row.user_id, { refuseDemo: config.mode === 'production' })
      if (!user) return { ok: false, reason: 'inactive', tokenId: row.id, userId: row.user_id }
      await store.touch(row.id)
      return { ok: true, user, token: { id: row.id, name: row.name } }
    },
  }

  async function revoke(ctx: RequestContext, id: string, ownerId?: string) {
    await db.transaction().execute(async (trx) => {
      if (!(await store.revoke(trx, id, ctx.user!.id, ownerId))) throw new NotFoundError()
      await audit.record(ctx, { action: 'revoke', recordType: 'api_token', recordId: id }, trx)
    })
  }
}

export type TokensService = ReturnType<typeof tokensService>
