import { z } from 'zod'
import { parseForm } from '../../web/forms.ts'
import { versionSchema } from '../../web/fields.ts'
import { ConflictError } from '../../kernel/errors.ts'

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
