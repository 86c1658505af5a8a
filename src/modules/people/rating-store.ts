import { sql } from 'kysely'
import type { Db } from '../../db/index.ts'
import type { RagLevel } from './tables.ts'

export interface PersonRating {
  level: RagLevel
  at: Date
  reviewDue: string
}

/**
 * The rating a person's record shows, set when a risk screening is finished or confirmed. The
 * record belongs to people and the screening to risk, so risk asks for it here; risk checks the
 * permission and audits.
 */
export function personRatingStore(db: Db) {
  return {
    /** Only the version of the record the user saw: false when someone changed it since. */
    set: async (personId: string, expectedVersion: number, rating: PersonRating) =>
      Number(
        (
          await db
            .updateTable('people')
            .set({ current_rag: rating.level, current_rag_at: rating.at, next_review_due: rating.reviewDue, version: sql`version + 1`, updated_at: sql`now()` })
            .where('id', '=', personId)
            .where('version', '=', expectedVersion)
            .executeTakeFirst()
        ).numUpdatedRows,
      ) > 0,

    /** The demo story's last rating of a child, written as history rather than as a change someone made now. */
    seed: (personId: string, rating: PersonRating) =>
      db.updateTable('people').set({ current_rag: rating.level, current_rag_at: rating.at, next_review_due: rating.reviewDue }).where('id', '=', personId).execute(),
  }
}
