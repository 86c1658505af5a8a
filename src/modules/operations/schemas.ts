import { z } from 'zod'
import { optionalDate } from '../../web/fields.ts'


const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional()
const list = (v: unknown) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v])
const requiredDate = (empty: string, bad: string) =>
  z
    .string({ message: empty })
    .trim()
    .min(1, empty)
    .regex(/^\d{4}-\d{2}-\d{2}$/, bad)
    .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v), bad)

export const OPERATION_STATUSES = [
  { value: 'planned', text: 'Planned' },
  { value: 'active', text: 'Active' },
  { value: 'concluded', text: 'Concluded' },
] as const

export const ACTIVITY_KINDS = [
  { value: 'warrant', text: 'Warrant executed' },
  { value: 'arrest', text: 'Arrest' },
  { value: 'seizure', text: 'Seizure' },
  { value: 'safeguarding_visit', text: 'Safeguarding visit' },
  { value: 'safeguarding_referral', text: 'Referred for safeguarding' },
  { value: 'closure_order', text: 'Closure order' },
  { value: 'cawn', text: 'Child abduction warning notice (CAWN)' },
  { value: 'nrm_referral', text: 'National Referral Mechanism (NRM) referral' },
  { value: 'line_closure', text: 'Deal line closed' },
] as const

export const activityText = (kind: string): string => ACTIVITY_KINDS.find((k) => k.value === kind)?.text ?? kind

/** The line an activity writes on the history of the person it was about (the service's and the demo's). */
export const activitySummary = (operationName: string, kind: string): string => `${operationName}: ${activityText(kind)}`

export const SEIZED_ITEMS = [
  { value: 'drugs', text: 'Drugs' },
  { value: 'cash', text: 'Cash' },
  { value: 'weapon', text: 'Weapons' },
] as const

export const operationSchema = z
  .object({
    name: z.string().trim().min(1, 'Enter the operation’s name').max(120, 'Name must be 120 characters or fewer'),
    leadAgencyId: z.string().uuid('Select the lead agency'),
    partnerAgencyIds: z.preprocess(list, z.array(z.string().uuid())),
    status: z.enum(['planned', 'active', 'concluded'], { message: 'Select the status' }),
    startedOn: requiredDate('Enter the date the operation started', 'Start date must be a real date, like 2026-03-27'),
    endedOn: optionalDate('End date must be a real date, like 2026-03-27'),
    summary: optionalText.pipe(z.string().max(4000, 'Summary must be 4000 characters or fewer').optional()),
  })
  .superRefine((v, ctx) => {
    if (v.endedOn && v.endedOn < v.startedOn) ctx.addIssue({ code: 'custom', path: ['endedOn'], message: 'End date must be the same as or after the start date' })
    if (v.status === 'concluded' && !v.endedOn) ctx.addIssue({ code: 'custom', path: ['endedOn'], message: 'Enter the date a concluded operation ended' })
  })
export type OperationInput = z.infer<typeof operationSchema>

/** Editing keeps an operation open: it is concluded on its own page, with what it achieved. */
export const editOperationSchema = z
  .object({
    name: operationSchema.shape.name,
    leadAgencyId: operationSchema.shape.leadAgencyId,
    partnerAgencyIds: operationSchema.shape.partnerAgencyIds,
    status: z.enum(['planned', 'active'], { message: 'Select planned or active' }),
    startedOn: operationSchema.shape.startedOn,
    summary: operationSchema.shape.summary,
    version: z.coerce.number().int(),
  })
export type EditOperationInput = z.infer<typeof editOperationSchema>

export const concludeSchema = z.object({
  endedOn: requiredDate('Enter the date the operation ended', 'End date must be a real date, like 2026-03-27'),
  conclusion: z.string().trim().min(1, 'Enter what the operation achieved').max(4000, 'Summary must be 4000 characters or fewer'),
  version: z.coerce.number().int(),
})
export type ConcludeInput = z.infer<typeof concludeSchema>

const reason = (empty: string) => z.string({ message: empty }).trim().min(1, empty).max(1000, 'Reason must be 1000 characters or fewer')

export const reopenSchema = z.object({ reason: reason('Enter why the operation is reopened'), version: z.coerce.number().int() })
export const withdrawSchema = z.object({ reason: reason('Enter why it is withdrawn'), version: z.coerce.number().int().optional() })
export type WithdrawInput = z.infer<typeof withdrawSchema>

export const targetSchema = z.object({ entityId: z.string().uuid('Select a target') })

export const activitySchema = z
  .object({
    kind: z.enum(ACTIVITY_KINDS.map((k) => k.value) as [string, ...string[]], { message: 'Select what was done' }),
    occurredOn: requiredDate('Enter the date', 'Date must be a real date, like 2026-03-27'),
    entityId: optionalText.pipe(z.string().uuid('Select who or what it concerned').optional()),
    seizedItem: optionalText.pipe(z.enum(['drugs', 'cash', 'weapon'], { message: 'Select what was seized' }).optional()),
    itemDescription: optionalText.pipe(z.string().max(200).optional()),
    quantity: optionalText
      .refine((v) => v === undefined || /^\d+(\.\d+)?$/.test(v.replace(/,/g, '')), 'Quantity must be a number, like 28.5')
      .transform((v) => (v === undefined ? undefined : Number(v.replace(/,/g, ''))))
      .refine((v) => v === undefined || v > 0, 'Quantity must be more than 0'),
    unit: optionalText.pipe(z.string().max(20).optional()),
    description: optionalText.pipe(z.string().max(2000, 'Details must be 2000 characters or fewer').optional()),
  })
  .superRefine((v, ctx) => {
    if (v.kind === 'seizure') {
      if (!v.seizedItem) ctx.addIssue({ code: 'custom', path: ['seizedItem'], message: 'Select what was seized' })
      if (v.quantity === undefined) ctx.addIssue({ code: 'custom', path: ['quantity'], message: 'Enter the quantity seized' })
    }
    if (['arrest', 'cawn', 'nrm_referral', 'closure_order', 'line_closure', 'safeguarding_referral'].includes(v.kind) && !v.entityId) {
      ctx.addIssue({ code: 'custom', path: ['entityId'], message: 'Select who or what it concerned' })
    }
  })
export type ActivityInput = z.infer<typeof activitySchema>

/** A correction says why, and changes only the version the officer saw. */
export const correctionSchema = z.object({ reason: reason('Enter why the activity is corrected'), version: z.coerce.number().int() })
export const outcomeCorrectionSchema = z.object({ reason: reason('Enter why the charge or conviction is corrected'), version: z.coerce.number().int() })

export const outcomeSchema = z.object({
  entityId: z.string().uuid('Select the person'),
  kind: z.enum(['charge', 'conviction'], { message: 'Select charge or conviction' }),
  offence: z.string().trim().min(1, 'Enter the offence').max(300, 'Offence must be 300 characters or fewer'),
  modernSlavery: z.preprocess((v) => v === 'yes', z.boolean()),
  occurredOn: requiredDate('Enter the date', 'Date must be a real date, like 2026-03-27'),
  sentence: optionalText.pipe(z.string().max(300).optional()),
})
export type OutcomeInput = z.infer<typeof outcomeSchema>

/** The period of the outcomes page, in London days, either end left open. */
export const periodSchema = z
  .object({
    from: optionalDate('The start of the period must be a real date, like 2026-03-27'),
    to: optionalDate('The end of the period must be a real date, like 2026-03-27'),
  })
  .superRefine((v, ctx) => {
    if (v.from && v.to && v.to < v.from) ctx.addIssue({ code: 'custom', path: ['to'], message: 'The end of the period must be the same as or after its start' })
  })
