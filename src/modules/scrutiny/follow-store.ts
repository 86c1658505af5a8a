import { sql } from 'kysely'
import type { Db } from '../../db/index.ts'
import type { FollowerSeen } from './tables.ts'

/** Followers of public tracker items and the messages sent to them (migration 0743). */
export function followStore(db: Db) {
  return {
    byItemAndEmail: (itemId: string, email: string) =>
      db.selectFrom('scrutiny_followers').selectAll().where('item_id', '=', itemId).where(sql<boolean>`lower(email) = ${email.toLowerCase()}`).executeTakeFirst(),
    byToken: (token: string) => db.selectFrom('scrutiny_followers').selectAll().where('token', '=', token).executeTakeFirst(),
    insert: (v: { item_id: string; email: string; token: string; requested_on: string }) => db.insertInto('scrutiny_followers').values(v).returning('id').executeTakeFirstOrThrow(),
    confirm: (id: string, on: string, seen: FollowerSeen) =>
      db.updateTable('scrutiny_followers').set({ confirmed_on: on, seen: JSON.stringify(seen) }).where('id', '=', id).where('confirmed_on', 'is', null).execute(),
    remove: (id: string) => db.deleteFrom('scrutiny_followers').where('id', '=', id).execute(),
    /** Requests never confirmed are not kept: an address nobody confirmed is not a follower. */
    removeUnconfirmedBefore: (day: string) => db.deleteFrom('scrutiny_followers').where('confirmed_on', 'is', null).where('requested_on', '<', day).executeTakeFirst(),
    confirmed: () => db.selectFrom('scrutiny_followers').selectAll().where('confirmed_on', 'is not', null).orderBy('item_id').execute(),
    seen: (id: string, seen: FollowerSeen) => db.updateTable('scrutiny_followers').set({ seen: JSON.stringify(seen) }).where('id', '=', id).execute(),
    queue: (v: { follower_id: string; kind: 'confirm' | 'update'; subject: string; body: string; created_on: string }) =>
      db.insertInto('scrutiny_follower_messages').values(v).returning('id').executeTakeFirstOrThrow(),
    pending: (ids?: string[]) => {
      let q = db
        .selectFrom('scrutiny_follower_messages as m')
        .innerJoin('scrutiny_followers as f', 'f.id', 'm.follower_id')
        .select(['m.id', 'm.subject', 'm.body', 'm.attempts', 'f.email'])
        .where('m.status', '=', 'pending')
        .orderBy('m.created_on')
        .limit(500)
      if (ids?.length) q = q.where('m.id', 'in', ids)
      return q.execute()
    },
    delivered: (id: string, transport: string) => db.updateTable('scrutiny_follower_messages').set({ status: 'sent', transport, attempts: sql<number>`attempts + 1`, last_error: null }).where('id', '=', id).execute(),
    failedOnce: (id: string, attempts: number, error: string, givingUp: boolean) =>
      db.updateTable('scrutiny_follower_messages').set({ attempts, last_error: error, status: givingUp ? 'failed' : 'pending' }).where('id', '=', id).execute(),
  }
}
