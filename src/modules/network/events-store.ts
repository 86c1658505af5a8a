import { sql, type SqlBool } from 'kysely'
import type { Db } from '../../db/index.ts'

/**
 * Links made in a window that touch one of `entityIds`, with both ends and the label each end was
 * given: for the notifications scan (watches), which reads as the owner and tells nobody until it
 * has read the link as them.
 */
export function linksMadeTouching(db: Db, entityIds: readonly string[], from: Date, to: Date) {
  if (!entityIds.length) return Promise.resolve([])
  const ids = sql`${[...entityIds]}::uuid[]`
  return db
    .selectFrom('network_links as l')
    .innerJoin('network_entities as s', 's.id', 'l.source_id')
    .innerJoin('network_entities as t', 't.id', 'l.target_id')
    .select(['l.id', 'l.created_by as actor', 'l.source_id', 's.label as source_label', 'l.target_id', 't.label as target_label'])
    .where(sql<SqlBool>`(l.source_id = any(${ids}) or l.target_id = any(${ids}))`)
    .where('l.created_at', '>', from)
    .where('l.created_at', '<=', to)
    .execute()
}
