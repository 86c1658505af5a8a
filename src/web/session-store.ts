import session from 'express-session'
import { sql } from 'kysely'
import type { Db } from '../db/index.ts'

/** What the session read says about the signed-in user, for the current-user cache. */
export interface UserStamp {
  userId: string
  /** `users.updated_at` of an active user (to the microsecond), or null when the account is inactive or gone. */
  stamp: string | null
}

/** At most this many sessions' expiry and user stamp are remembered by one instance. */
const REMEMBERED_SESSIONS = 20_000

/**
 * express-session store on the `sessions` table, so every Lantern instance behind a load balancer
 * sees the same sessions. Expiry follows the cookie: a rolling idle timeout.
 *
 * Two things keep a signed-in request to one statement for the session:
 * - the read also returns when the signed-in user's account last changed (`userStamp`), so the
 *   current-user middleware can reuse the user it loaded earlier instead of querying again;
 * - the idle expiry is written at most once per `touchIntervalMs` rather than on every request
 *   (express-session "touches" on every response of a rolling session). The stored expiry can
 *   therefore be up to `touchIntervalMs` earlier than "idle minutes after the last request": a
 *   session may end that much early, never late.
 */
export class DatabaseSessionStore extends session.Store {
  /** sid → the expiry (ms) the database holds, as last read or written by this instance. */
  private readonly storedExpiry = new Map<string, number>()
  /** sid → the signed-in user's stamp from the latest read. */
  private readonly stamps = new Map<string, UserStamp>()

  constructor(
    private readonly db: Db,
    private readonly idleMs: number,
    private readonly touchIntervalMs = 60_000,
  ) {
    super()
  }

  private expiry(sess: session.SessionData): Date {
    const expires = sess.cookie?.expires
    return expires ? new Date(expires) : new Date(Date.now() + this.idleMs)
  }

  private remember(sid: string, expiresAt: number) {
    if (this.storedExpiry.size >= REMEMBERED_SESSIONS && !this.storedExpiry.has(sid)) this.storedExpiry.clear()
    this.storedExpiry.set(sid, expiresAt)
  }

  private forget(sid: string) {
    this.storedExpiry.delete(sid)
    this.stamps.delete(sid)
  }

  /** The signed-in user's stamp as of this session's latest read by this instance, if any. */
  userStamp(sid: string): UserStamp | undefined {
    return this.stamps.get(sid)
  }

  override get(sid: string, callback: (err: unknown, session?: session.SessionData | null) => void) {
    // The user's row is joined only for its version: reading it here costs an index probe, where a
    // separate query for the whole user would cost a round trip and a five-table plan.
    sql<{ data: session.SessionData; expires_at: Date; user_id: string | null; user_stamp: string | null }>`
      select s.data, s.expires_at, s.data->>'userId' as user_id, u.updated_at::text as user_stamp
        from sessions s
        left join users u on u.id = (s.data->>'userId')::uuid and u.active
       where s.sid = ${sid} and s.expires_at > now()`
      .execute(this.db)
      .then(({ rows: [row] }) => {
        if (!row) {
          this.forget(sid)
          return callback(null, null)
        }
        this.remember(sid, new Date(row.expires_at).getTime())
        if (row.user_id) {
          if (this.stamps.size >= REMEMBERED_SESSIONS && !this.stamps.has(sid)) this.stamps.clear()
          this.stamps.set(sid, { userId: row.user_id, stamp: row.user_stamp })
        } else {
          this.stamps.delete(sid)
        }
        callback(null, row.data)
      }, callback)
  }

  override set(sid: string, sess: session.SessionData, callback?: (err?: unknown) => void) {
    const data = JSON.stringify(sess)
    const expiresAt = this.expiry(sess)
    this.db
      .insertInto('sessions')
      .values({ sid, data, expires_at: expiresAt })
      .onConflict((oc) => oc.column('sid').doUpdateSet({ data, expires_at: expiresAt }))
      .execute()
      .then(() => {
        this.remember(sid, expiresAt.getTime())
        callback?.()
      }, callback)
  }

  override touch(sid: string, sess: session.SessionData, callback?: (err?: unknown) => void) {
    const expiresAt = this.expiry(sess)
    const stored = this.storedExpiry.get(sid)
    if (stored !== undefined && expiresAt.getTime() - stored < this.touchIntervalMs) {
      callback?.()
      return
    }
    this.db
      .updateTable('sessions')
      .set({ expires_at: expiresAt })
      .where('sid', '=', sid)
      .execute()
      .then(() => {
        this.remember(sid, expiresAt.getTime())
        callback?.()
      }, callback)
  }

  override destroy(sid: string, callback?: (err?: unknown) => void) {
    this.forget(sid)
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
