import session from 'express-session'
import { sql } from 'kysely'
import type { Db } from '../db/index.ts'

/**
 * express-session store on the `sessions` table, so every Lantern instance behind a load balancer
 * sees the same sessions. Expiry follows the cookie: a rolling idle timeout.
 */
export class DatabaseSessionStore extends session.Store {
  constructor(
    private readonly db: Db,
    private readonly idleMs: number,
  ) {
    super()
  }

  private expiry(sess: session.SessionData): Date {
    const expires = sess.cookie?.expires
    return expires ? new Date(expires) : new Date(Date.now() + this.idleMs)
  }

  override get(sid: string, callback: (err: unknown, session?: session.SessionData | null) => void) {
    this.db
      .selectFrom('sessions')
      .select('data')
      .where('sid', '=', sid)
      .where('expires_at', '>', sql<Date>`now()`)
      .executeTakeFirst()
      .then((row) => callback(null, row ? (row.data as unknown as session.SessionData) : null), callback)
  }

  override set(sid: string, sess: session.SessionData, callback?: (err?: unknown) => void) {
    const data = JSON.stringify(sess)
    this.db
      .insertInto('sessions')
      .values({ sid, data, expires_at: this.expiry(sess) })
      .onConflict((oc) => oc.column('sid').doUpdateSet({ data, expires_at: this.expiry(sess) }))
      .execute()
      .then(() => callback?.(), callback)
  }

  override touch(sid: string, sess: session.SessionData, callback?: (err?: unknown) => void) {
    this.db
      .updateTable('sessions')
      .set({ expires_at: this.expiry(sess) })
      .where('sid', '=', sid)
      .execute()
      .then(() => callback?.(), callback)
  }

  override destroy(sid: string, callback?: (err?: unknown) => void) {
    this.db
      .deleteFrom('sessions')
      .where('sid', '=', sid)
      .execute()
      .then(() => callback?.(), callback)
  }

  /** Removes expired sessions; called now and then so the table does not grow without bound. */
  async prune(): Promise<number> {
    const result = await this.db.deleteFrom('sessions').where('expires_at', '<=', sql<Date>`now()`).executeTakeFirst()
    return Number(result.numDeletedRows)
  }
}
