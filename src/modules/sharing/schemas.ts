import { z } from 'zod'
import { optionalId, optionalText } from '../../web/fields.ts'
import { LEGAL_BASIS_VALUES } from './legal-bases.ts'

const purpose = z
  .string({ message: 'Enter the purpose of sharing' })
  .trim()
  .min(1, 'Enter the purpose of sharing')
  .min(10, 'Purpose must be 10 characters or more')
  .max(1000, 'Purpose must be 1,000 characters or fewer')

const legalBasis = z.enum(LEGAL_BASIS_VALUES, { message: 'Select the legal basis for sharing' })

/** A new share: recipient, purpose and legal basis (the review date is a GOV.UK date input, read beside it). */
export const shareSchema = z
  .object({
    recipient: z.enum(['agency', 'person'], { message: 'Select who to share with' }),
    agencyId: optionalId('Select an agency'),
    userId: optionalId('Select a person'),
    purpose,
    legalBasis,
    endsOnReview: z
      .string()
      .optional()
      .transform((v) => v === 'yes'),
  })
  .superRefine((v, ctx) => {
    if (v.recipient === 'agency' && !v.agencyId) ctx.addIssue({ code: 'custom', path: ['agencyId'], message: 'Select an agency' })
    if (v.recipient === 'person' && !v.userId) ctx.addIssue({ code: 'custom', path: ['userId'], message: 'Select a person' })
  })
export type ShareInput = z.infer<typeof shareSchema> & { reviewOn: string }

export const revokeSchema = z.object({
  reason: z.string({ message: 'Enter why the share is ending' }).trim().min(1, 'Enter why the share is ending').max(500, 'Reason must be 500 characters or fewer'),
})

export const requestSchema = z.object({ purpose, legalBasis })
export type RequestInput = z.infer<typeof requestSchema>

/** The owner's answer to a request; an acceptance also takes a review date (a date input). */
export const respondSchema = z
  .object({
    decision: z.enum(['accept', 'decline'], { message: 'Select whether to share the record' }),
    reason: optionalText(500, 'Reason must be 500 characters or fewer'),
  })
  .superRefine((v, ctx) => {
    if (v.decision === 'decline' && !v.reason) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'Enter why you are declining the request' })
  })

export const reviewSchema = z
  .object({
    outcome: z.enum(['appropriate', 'not_appropriate'], { message: 'Select whether the access was appropriate' }),
    note: optionalText(1000, 'Note must be 1,000 characters or fewer'),
  })
  .superRefine((v, ctx) => {
    if (v.outcome === 'not_appropriate' && !v.note) ctx.addIssue({ code: 'custom', path: ['note'], message: 'Enter what was not appropriate and what happens next' })
  })

export const SHARE_STATUSES = ['live', 'expired', 'revoked'] as const
export type ShareStatus = (typeof SHARE_STATUSES)[number]

/** The data-sharing register's filters: anything unreadable is ignored rather than refused. */
export const registerFilterSchema = z.object({
  status: z.enum(SHARE_STATUSES).optional().catch(undefined),
  agencyId: z.string().uuid().optional().catch(undefined),
  legalBasis: z.enum([...LEGAL_BASIS_VALUES, 'none']).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).catch(1).default(1),
})
export type RegisterFilter = z.infer<typeof registerFilterSchema>
