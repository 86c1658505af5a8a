import { z } from 'zod'
import { parseForm } from '../../web/forms.ts'
import { versionSchema } from '../../web/fields.ts'
import { ConflictError } from '../../kernel/errors.ts'
import type { Db } from '../../db/index.ts'
import type { RequestContext } from '../../kernel/context.ts'
import type { AuditService } from '../../audit/service.ts'
import { recordPersonEvent } from './timeline.ts'

/**
 * Voiding a record made in error (a missing episode, an NRM referral): the same confirm page, the
 * same required reason and the same refusal to change a voided record, whichever record it is. The
 * record is kept, shown struck through with the reason, and left out of every count.
 */
export const VOID_REASON_MAX = 1000

const voidFormSchema = z.object({
  reason: z
    .string({ message: 'Enter why this record was made in error' })
    .trim()
    .min(1, 'Enter why this record was made in error')
    .max(VOID_REASON_MAX, `The reason must be ${VOID_REASON_MAX.toLocaleString('en-GB')} characters or fewer`),
  version: versionSchema,
})

export type VoidInput = z.infer<typeof voidFormSchema>

export function readVoidForm(body: unknown) {
  return parseForm(voidFormSchema, body)
}

/** What every voided record says, for the 409 page: the record stays as it was when voided. */
export function voidedRecordError(what: string): ConflictError {
  return new ConflictError(`This ${what} was voided as recorded in error, so it can no longer be changed. Nothing you entered was saved.`)
}

export interface VoidRecord {
  personId: string
  /** The person's name as the pages show it, for the conflict message. */
  personName: string
  /** "missing episode", "NRM referral": as the conflict message names the record. */
  what: string
  recordType: string
  id: string
  /** The timeline event's kind and words. */
  eventKind: string
  summary: string
  reason: string
  /** Marks the record voided if it is still at the version the user saw: the rows it changed (0 if not). */
  markVoided: (trx: Db) => Promise<number | boolean>
}

/**
 * Voids a record in one transaction: refused (409) if someone changed it since the user opened it,
 * otherwise on the person's timeline and audited with the reason.
 */
export async function voidRecord(db: Db, audit: AuditService, ctx: RequestContext, v: VoidRecord): Promise<void> {
  await db.transaction().execute(async (trx) => {
    if (!(await v.markVoided(trx))) throw new ConflictError(`This ${v.what} for ${v.personName} was changed by someone else after you opened it. Nothing was voided.`)
    await recordPersonEvent(trx, { personId: v.personId, kind: v.eventKind, summary: v.summary, actorId: ctx.user!.id, refType: v.recordType, refId: v.id })
    await audit.record(ctx, { action: 'void', recordType: v.recordType, recordId: v.id, reason: v.reason, details: { personId: v.personId } }, trx)
  })
}
