import { sql } from 'kysely'
import type { Db } from '../db/index.ts'

/** SQL for a person's own signed-in sessions (Your sessions). */
export function accountSessionsStore(db: Db) {
  return {
    of(userId: string) {
      return db
        .selectFrom('sessions')
        .select(['sid', 'data', 'expires_at'])
        .where(sql<boolean>`data->>'userId' = ${userId}`)
        .where('expires_at', '>', sql<Date>`now()`)
        .execute()
    },
    async end(userId: string, sid: string): Promise<boolean> {
      const result = await db.deleteFrom('sessions').where('sid', '=', sid).where(sql<boolean>`data->>'userId' = ${userId}`).executeTakeFirst()
      return Number(result.numDeletedRows) > 0
    },
  }
}
