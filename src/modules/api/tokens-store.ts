import { sql } from 'kysely'
import type { Db } from '../../db/index.ts'
import './tables.ts'

export function tokensStore(db: Db) {
  return {
    byHash: (hash: string) => db.selectFrom('api_tokens').selectAll().where('token_hash', '=', hash).executeTakeFirst(),
    /** Every token, or one user's. Never the hash: it is the secret's fingerprint and has no use in a list. */
    list: (userId?: string) => {
      let q = db
        .selectFrom('api_tokens as t')
        .innerJoin('users as u', 'u.id', 't.user_id')
        .innerJoin('agencies as a', 'a.id', 'u.agency_id')
        .innerJoin('roles as r', 'r.id', 'u.role')
        .leftJoin('users as revoker', 'revoker.id', 't.revoked_by')
        .select([
          't.id',
          't.name',
          't.token_hint',
          't.created_at',
          't.expires_at',
          't.revoked_at',
          't.last_used_at',
          'u.name as user_name',
          'u.email as user_email',
          'u.active as user_active',
          'a.short_name as agency_name',
          'r.name as role_name',
          'revoker.name as revoked_by',
        ])
      if (userId) q = q.where('t.user_id', '=', userId)
      return q.orderBy(sql`t.revoked_at is not null`).orderBy('t.created_at', 'desc').execute()
    },
    insert: (executor: Db, token: { userId: string; name: string; hash: string; hint: string; expiresAt: Date }) =>
      executor
        .insertInto('api_tokens')
        .values({ user_id: token.userId, name: token.name, token_hash: token.hash, token_hint: token.hint, created_by: token.userId, expires_at: token.expiresAt })
        .returning('id')
        .executeTakeFirstOrThrow(),
    /** Revokes a live token; with `ownerId`, only if it is that user's. Whether one was revoked. */
    async revoke(executor: Db, id: string, revokedBy: string, ownerId?: string) {
      let q = executor.updateTable('api_tokens').set({ revoked_at: sql`now()`, revoked_by: revokedBy }).where('id', '=', id).where('revoked_at', 'is', null)
      if (ownerId) q = q.where('user_id', '=', ownerId)
      return Number((await q.executeTakeFirst()).numUpdatedRows) > 0
    },
    /** Records use at most once a minute per token, so a busy client does not write on every call. */
    touch: (id: string) =>
      db
        .updateTable('api_tokens')
        .set({ last_used_at: sql`now()` })
        .where('id', '=', id)
        .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', sql<Date>`now() - interval '1 minute'`)]))
        .execute(),
  }
}
