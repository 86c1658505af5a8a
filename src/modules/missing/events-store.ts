import { sql, type SqlBool } from 'kysely'
import type { Db } from '../../db/index.ts'

/**
 * What happened to missing episodes in a window, each with the worker holding the child: for the
 * notifications scan. Read as the owner; the scan tells nobody until it has read the episode as
 * them (notifications/service.ts), so these never decide who may know.
 */
export function missingEvents(db: Db) {
  // Episodes not voided, of a child some worker holds: the only ones anyone is told of.
  const held = () =>
    db
      .selectFrom('missing_episodes as e')
      .innerJoin('people as p', 'p.id', 'e.person_id')
      .select(['e.id', 'e.person_id', 'p.allocated_worker_id as holder', 'p.given_name', 'p.family_name', 'p.preferred_name'])
      .where('e.voided_at', 'is', null)
      .where('p.allocated_worker_id', 'is not', null)
  return {
    reported(from: Date, to: Date) {
      return held().select('e.created_by as actor').where('e.created_at', '>', from).where('e.created_at', '<=', to).execute()
    },
    found(from: Date, to: Date) {
      return held().select('e.updated_by as actor').where('e.found_at', 'is not', null).where('e.updated_at', '>', from).where('e.updated_at', '<=', to).execute()
    },
    /** Found since `since`, with no return home interview held or declined yet. */
    awaitingInterview(since: Date) {
      return held().select(['e.found_at', 'e.rhi_held_at', 'e.rhi_declined']).where('e.found_at', '>', since).where('e.rhi_held_at', 'is', null).where('e.rhi_declined', '=', false).execute()
    },
    /**
     * Serious episodes saved in the window whose prompt for a review is still open (no rating set
     * since), with their holder. A new episode's updated_at is the casework clock's, so the window
     * is read on created_at too.
     */
    reviewsPrompted(from: Date, to: Date) {
      return held()
        .select(['e.serious_reasons', 'e.review_prompted_at', 'e.updated_by as actor'])
        .where((eb) => eb.or([eb.and([eb('e.created_at', '>', from), eb('e.created_at', '<=', to)]), eb.and([eb('e.updated_at', '>', from), eb('e.updated_at', '<=', to)])]))
        .where(sql<SqlBool>`e.review_prompted_at > coalesce(p.current_rag_at, '-infinity'::timestamptz)`)
        .execute()
    },
  }
}
