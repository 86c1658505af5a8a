import { z } from 'zod'
import { optionalId, optionalText } from '../../web/fields.ts'
import { MEETING_KINDS } from './rules.ts'

const required = (max: number, empty: string, long: string) => z.string({ message: empty }).trim().min(1, empty).max(max, long)

export const meetingFieldsSchema = z.object({
  kind: z.enum(MEETING_KINDS.map((k) => k.value) as [string, ...string[]], { message: 'Select what kind of meeting it was' }),
  chair: required(120, 'Enter who chaired the meeting', 'Who chaired the meeting must be 120 characters or fewer'),
  chairAgencyId: optionalId('Select the chair’s agency from the list'),
  others: optionalText(4000, 'The other people discussed must be 4,000 characters or fewer'),
  decisions: required(5000, 'Enter what the meeting decided', 'What the meeting decided must be 5,000 characters or fewer'),
})

export type MeetingFields = z.infer<typeof meetingFieldsSchema>

/** A correction: the people discussed stay as recorded (they decide who may see the meeting), and a reason is required. */
export const meetingEditSchema = meetingFieldsSchema.omit({ others: true }).extend({
  reason: required(1000, 'Enter why the meeting record is being changed', 'Why the record is being changed must be 1,000 characters or fewer'),
})

export type MeetingEditFields = z.infer<typeof meetingEditSchema>

export const actionFieldsSchema = z.object({
  description: required(1000, 'Enter what is to be done', 'What is to be done must be 1,000 characters or fewer'),
  ownerUserId: optionalId('Select the person from the list'),
  ownerAgencyId: optionalId('Select the agency from the list'),
  targetPersonId: optionalId('Select the adult from the list'),
  targetEntity: optionalText(400, 'The network record must be 400 characters or fewer'),
})

export type ActionFields = z.infer<typeof actionFieldsSchema>

export const closeActionSchema = z
  .object({
    status: z.enum(['done', 'cancelled'], { message: 'Select whether the action is done or cancelled' }),
    reason: optionalText(1000, 'The reason must be 1,000 characters or fewer'),
  })
  .superRefine((v, ctx) => {
    if (v.status === 'cancelled' && !v.reason) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'Enter why the action is cancelled' })
  })

export type CloseActionFields = z.infer<typeof closeActionSchema>
