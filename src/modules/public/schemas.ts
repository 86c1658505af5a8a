import { z } from 'zod'

const optionalText = (max: number, message: string) =>
  z
    .string()
    .trim()
    .max(max, message)
    .transform((v) => (v === '' ? undefined : v))
    .optional()

const requiredText = (max: number, empty: string, tooLong: string) => z.string({ message: empty }).trim().min(1, empty).max(max, tooLong)

// ---- The public journey: one schema per question ----------------------------------------------

export const WHEN_OPTIONS = [
  { value: 'now', text: 'It is happening now' },
  { value: 'today', text: 'Earlier today' },
  { value: 'week', text: 'In the last 7 days' },
  { value: 'month', text: 'In the last month' },
  { value: 'longer', text: 'More than a month ago' },
  { value: 'ongoing', text: 'It keeps happening' },
] as const

export const CHILD_OPTIONS = [
  { value: 'yes', text: 'Yes' },
  { value: 'no', text: 'No' },
  { value: 'not_sure', text: 'I’m not sure' },
] as const

export const CONTACT_OPTIONS = [
  { value: 'anonymous', text: 'No, I want to stay anonymous' },
  { value: 'contact', text: 'Yes, you can contact me' },
] as const

const values = <T extends readonly { value: string }[]>(list: T) => list.map((o) => o.value) as unknown as [T[number]['value'], ...T[number]['value'][]]

export const whatSchema = z.object({
  what: requiredText(5000, 'Enter what you saw or heard', 'What you saw or heard must be 5,000 characters or fewer'),
})

export const whereSchema = z.object({
  where: requiredText(1000, 'Enter where it happened', 'Where it happened must be 1,000 characters or fewer'),
  area: z.string({ message: 'Select the area it is in, or ‘I don’t know’' }).min(1, 'Select the area it is in, or ‘I don’t know’'),
})

export const whenSchema = z.object({
  when: z.enum(values(WHEN_OPTIONS), { message: 'Select when it happened' }),
  whenDetail: optionalText(1000, 'More detail about when must be 1,000 characters or fewer'),
})

export const whoSchema = z.object({
  who: optionalText(3000, 'Who was involved must be 3,000 characters or fewer'),
})

export const childSchema = z.object({
  child: z.enum(values(CHILD_OPTIONS), { message: 'Select yes if you think a child or young person is at risk' }),
})

export const anythingElseSchema = z.object({
  anythingElse: optionalText(5000, 'Anything else must be 5,000 characters or fewer'),
})

const PHONE = /^\+?[0-9 ()-]{7,20}$/

export const contactSchema = z.object({
  contact: z.enum(values(CONTACT_OPTIONS), { message: 'Select whether you want to give your contact details' }),
})

export const contactDetailsSchema = z
  .object({
    contactName: optionalText(200, 'Your name must be 200 characters or fewer'),
    contactPhone: optionalText(40, 'Enter a phone number, like 01632 960 001 or 07700 900 982').pipe(
      z.string().regex(PHONE, 'Enter a phone number, like 01632 960 001 or 07700 900 982').optional(),
    ),
    contactEmail: optionalText(320, 'Enter an email address in the correct format, like name@example.com').pipe(
      z.string().email('Enter an email address in the correct format, like name@example.com').optional(),
    ),
  })
  .superRefine((v, ctx) => {
    if (!v.contactPhone && !v.contactEmail) {
      ctx.addIssue({ code: 'custom', path: ['contactPhone'], message: 'Enter a phone number or an email address' })
    }
  })

export const PAGE_SCHEMAS = {
  'what-you-saw': whatSchema,
  where: whereSchema,
  when: whenSchema,
  who: whoSchema,
  child: childSchema,
  'anything-else': anythingElseSchema,
  contact: contactSchema,
  'contact-details': contactDetailsSchema,
} as const

/** The honeypot: a field people never see (hidden by CSS, away from assistive technology) that bots fill in. */
export const HONEYPOT_FIELD = 'homepage'

// ---- Staff triage ------------------------------------------------------------------------------

export const URGENCY_OPTIONS = [
  { value: 'immediate', text: 'Immediate: risk to someone now', tag: 'red' },
  { value: 'high', text: 'High: act within 24 hours', tag: 'orange' },
  { value: 'medium', text: 'Medium: act within 5 working days', tag: 'yellow' },
  { value: 'low', text: 'Low: record for intelligence', tag: 'grey' },
] as const

export const ACTION_OPTIONS = [
  { value: 'police_intelligence', text: 'Passed to police intelligence' },
  { value: 'safeguarding_referral', text: 'Safeguarding referral made' },
  { value: 'no_further_action', text: 'No further action' },
  { value: 'other', text: 'Other action' },
] as const

export const assignSchema = z.object({
  assignee: z.string().uuid('Select who to assign this report to'),
})

export const urgencySchema = z.object({
  urgency: z.enum(values(URGENCY_OPTIONS), { message: 'Select how urgent this report is' }),
  urgencyNote: optionalText(4000, 'Reason must be 4,000 characters or fewer'),
})

export const noteSchema = z.object({
  note: requiredText(4000, 'Enter a note', 'Note must be 4,000 characters or fewer'),
})

export const actionSchema = z
  .object({
    action: z.enum(values(ACTION_OPTIONS), { message: 'Select the action taken' }),
    actionNote: optionalText(4000, 'Details must be 4,000 characters or fewer'),
  })
  .superRefine((v, ctx) => {
    if (v.action === 'no_further_action' && !v.actionNote) ctx.addIssue({ code: 'custom', path: ['actionNote'], message: 'Enter why no further action is needed' })
    if (v.action === 'other' && !v.actionNote) ctx.addIssue({ code: 'custom', path: ['actionNote'], message: 'Describe the action taken' })
  })

export const closeSchema = z.object({
  summary: requiredText(2000, 'Enter a closing summary', 'Closing summary must be 2,000 characters or fewer'),
})

export const reopenSchema = z.object({
  reason: requiredText(2000, 'Enter why you are reopening this report', 'Reason must be 2,000 characters or fewer'),
})

export const holdSchema = z.object({
  reason: requiredText(1000, 'Enter why the report must be kept', 'Reason must be 1,000 characters or fewer'),
})

export const liftHoldSchema = z.object({
  reason: requiredText(1000, 'Enter why the legal hold can be lifted', 'Reason must be 1,000 characters or fewer'),
})

/** Whole months, as an administrator types them (the limits are the retention module's). */
export const retentionSchema = (min: number, max: number) =>
  z.object({
    months: z
      .string({ message: 'Enter how many months to keep closed reports' })
      .trim()
      .min(1, 'Enter how many months to keep closed reports')
      .regex(/^\d+$/, 'Enter the number of months as a whole number, like 24')
      .transform(Number)
      .pipe(z.number().min(min, `Keep closed reports for at least ${min} month`).max(max, `Keep closed reports for at most ${max} months (${max / 12} years)`)),
  })

export const linkSchema = z.object({
  entityType: z.string().min(1, 'Select what to link the report to'),
  entityId: z.string().uuid('Select a record to link'),
  note: optionalText(1000, 'Note must be 1,000 characters or fewer'),
})

export const unlinkSchema = z.object({
  reason: requiredText(1000, 'Enter why this link is wrong', 'Reason must be 1,000 characters or fewer'),
})

export const linkSearchSchema = z.object({
  entityType: z.string().min(1, 'Select what to link the report to'),
  q: requiredText(100, 'Enter a name, address or number to search for', 'Search must be 100 characters or fewer'),
})

export const QUEUE_VIEWS = ['new', 'open', 'mine', 'closed', 'all'] as const

export const queueSchema = z.object({
  view: z.enum(QUEUE_VIEWS).catch('open').default('open'),
  area: optionalText(64, '').pipe(z.string().uuid().optional()).catch(undefined),
  urgency: z.enum(values(URGENCY_OPTIONS)).optional().catch(undefined),
  channel: z.enum(['online', 'phone_101', 'crimestoppers', 'other']).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1),
})

export const IMPORT_CHANNELS = [
  { value: 'phone_101', text: '101 call summaries' },
  { value: 'crimestoppers', text: 'Crimestoppers forwards' },
  { value: 'other', text: 'Another route (for example email or a partner agency)' },
] as const

export const importSchema = z.object({
  channel: z.enum(values(IMPORT_CHANNELS), { message: 'Select where these reports came from' }),
})

// ---- Public pages ------------------------------------------------------------------------------

export const pageEditSchema = z.object({
  title: requiredText(200, 'Enter a title', 'Title must be 200 characters or fewer'),
  summary: requiredText(500, 'Enter a summary', 'Summary must be 500 characters or fewer'),
  body: requiredText(50_000, 'Enter the page content', 'Page content must be 50,000 characters or fewer'),
  changeNote: requiredText(500, 'Describe what you changed', 'Description of the change must be 500 characters or fewer'),
  baseVersion: z.coerce.number().int().min(0),
})

export const newPageSchema = pageEditSchema.omit({ baseVersion: true }).extend({
  slug: z
    .string()
    .trim()
    .min(1, 'Enter the web address of the page')
    .max(60, 'Web address must be 60 characters or fewer')
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'Web address must use only lower-case letters, numbers and hyphens, like bus-drivers'),
})

/** The receipt a reporter types back in; normalised and checked against the hash by the service. */
export const FOLLOW_UP_RECEIPT = z.object({
  receipt: z
    .string({ message: 'Enter your receipt' })
    .trim()
    .min(1, 'Enter your receipt')
    .max(100, 'Enter your receipt as it was shown to you: 32 letters and numbers'),
})

export const FOLLOW_UP_ADDITION = z.object({
  text: z
    .string({ message: 'Enter what you want to add' })
    .trim()
    .min(1, 'Enter what you want to add')
    .max(5000, 'What you add must be 5,000 characters or fewer'),
})

export const FOLLOW_UP_QUESTION = z.object({
  question: z
    .string({ message: 'Enter your question for the reporter' })
    .trim()
    .min(1, 'Enter your question for the reporter')
    .max(2000, 'The question must be 2,000 characters or fewer'),
})
