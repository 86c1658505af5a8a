import type { Db } from '../../db/index.ts'
import type { CurrentUser } from '../../kernel/context.ts'

export interface PersonEvent {
  personId: string
  kind: string
  summary: string
  actorId: string | null
  at?: Date
  refType?: string
  refId?: string
  /** Shown only to police users (intelligence and police-only notes). */
  policeOnly?: boolean
}

/**
 * Adds an entry to a person's timeline. Every capability that records something about a person
 * (an assessment, a missing episode, a referral, a note, a merge) calls this inside its own
 * transaction, so the timeline is complete by construction.
 */
export async function recordPersonEvent(executor: Db, event: PersonEvent) {
  await executor
    .insertInto('person_events')
    .values({
      person_id: event.personId,
      kind: event.kind,
      summary: event.summary,
      actor_id: event.actorId,
      at: event.at ?? new Date(),
      ref_type: event.refType ?? null,
      ref_id: event.refId ?? null,
      police_only: event.policeOnly ?? false,
    })
    .execute()
}

/** Police-only material is for police users only, whatever else they may see. */
export function seesPoliceOnly(user: Pick<CurrentUser, 'agencyKind'>): boolean {
  return user.agencyKind === 'police'
}

/** Timeline events for the demo, written in a few statements rather than one each. */
export class DemoEvents {
  private rows: PersonEvent[] = []
  add(event: PersonEvent) {
    this.rows.push(event)
  }
  async flush(db: Db) {
    for (let i = 0; i < this.rows.length; i += 500) {
      const chunk = this.rows.slice(i, i + 500)
      await db
        .insertInto('person_events')
        .values(chunk.map((e) => ({ person_id: e.personId, kind: e.kind, summary: e.summary, actor_id: e.actorId, at: e.at ?? new Date(), ref_type: e.refType ?? null, ref_id: e.refId ?? null, police_only: e.policeOnly ?? false })))
        .execute()
    }
    this.rows = []
  }
}
