import { z } from 'zod'
import { isIsoDate, ITEM_KINDS, ORGANISATION_KINDS, RAGS, REQUEST_TYPES, STATUSES, WORK_STATUSES, BODY_KINDS } from './domain.ts'

/**
 * Form schemas. Dates arrive as GOV.UK date inputs (name-day, name-month, name-year) and are
 * collapsed to one 'YYYY-MM-DD' field by `collapseDates` before parsing, so the error for a date
 * belongs to the field and the summary links to it.
 */

const INCOMPLETE = 'incomplete'
const INVALID = 'invalid'

/** Folds day/month/year parts into one ISO date value per field ('' when all three are empty). */
export function collapseDates(body: unknown, fields: string[]): Record<string, unknown> {
  const source = (body ?? {}) as Record<string, unknown>
  const out: Record<string, unknown> = { ...source }
  for (const field of fields) {
    if (typeof source[field] === 'string' && !(`${field}-day` in source)) continue
    const part = (p: string) => String(source[`${field}-${p}`] ?? '').trim()
    const [day, month, year] = [part('day'), part('month'), part('year')]
    if (!day && !month && !year) out[field] = ''
    else if (!day || !month || !year) out[field] = INCOMPLETE
    else if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) out[field] = INVALID
    else out[field] = `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`
  }
  return out
}

/** Splits an ISO date back into the parts a GOV.UK date input shows. */
export function dateParts(prefix: string, iso: string | null | undefined): Record<string, string> {
  if (!iso) return {}
  const [year, month, day] = iso.split('-')
  return { [`${prefix}-day`]: String(Number(day)), [`${prefix}-month`]: String(Number(month)), [`${prefix}-year`]: year }
}

function capitalise(s: string) {
  return s.charAt(0).toUpperCase() + s.slice(1)
}

function parseDate(what: string, required: boolean) {
  return (raw: unknown, ctx: z.RefinementCtx): string | undefined => {
    const v = typeof raw === 'string' ? raw.trim() : ''
    if (v === '') {
      if (required) ctx.addIssue({ code: 'custom', message: `Enter ${what}` })
      return undefined
    }
    if (v === INCOMPLETE) {
      ctx.addIssue({ code: 'custom', message: `${capitalise(what)} must include a day, month and year` })
      return undefined
    }
    if (!isIsoDate(v) || v < '1900-01-01' || v > '2200-12-31') {
      ctx.addIssue({ code: 'custom', message: `${capitalise(what)} must be a real date` })
      return undefined
    }
    return v
  }
}

/** An optional date field: `what` reads in a sentence, e.g. "the date the response is due". */
export function dateField(what: string) {
  return z.unknown().transform(parseDate(what, false))
}

/** A date that must be given. */
export function requiredDate(what: string) {
  return z.unknown().transform((raw, ctx) => parseDate(what, true)(raw, ctx) as string)
}

const text = (label: string, max: number, message = `Enter ${label}`) =>
  z
    .string({ message })
    .trim()
    .min(1, message)
    .max(max, `${capitalise(label)} must be ${max.toLocaleString('en-GB')} characters or fewer`)

const optionalText = (label: string, max: number) =>
  z
    .string()
    .trim()
    .max(max, `${capitalise(label)} must be ${max.toLocaleString('en-GB')} characters or fewer`)
    .optional()
    .transform((v) => (v ? v : undefined))

const optionalUuid = (message: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : undefined))
    .pipe(z.string().uuid(message).optional())

const checkbox = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (Array.isArray(v) ? v.includes('yes') : v === 'yes'))

const email = (label: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : undefined))
    .pipe(z.string().email(`Enter ${label} in the correct format, like name@example.org`).optional())

const enumOf = <T extends string>(values: readonly { value: T }[], message: string) =>
  z.enum(values.map((v) => v.value) as [T, ...T[]], { message })

const time = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : undefined))
  .pipe(
    z
      .string()
      .regex(/^([01]?\d|2[0-3])[:.][0-5]\d$/, 'Enter the time as hours and minutes on the 24-hour clock, like 10:30')
      .transform((v) => v.replace('.', ':').padStart(5, '0'))
      .optional(),
  )

export const bodySchema = z.object({
  name: text('the name of the body', 200),
  code: text('a short code', 12, 'Enter a short code, like PCP').regex(/^[A-Za-z0-9-]+$/, 'The short code must only include letters, numbers and hyphens'),
  kind: enumOf(BODY_KINDS, 'Select what kind of body it is'),
  description: optionalText('the description', 4000),
  agencyId: optionalUuid('Select the organisation the body belongs to'),
  responseDays: z.coerce
    .number({ message: 'Enter the response period as a number of days' })
    .int('Enter the response period as a whole number of days')
    .min(1, 'The response period must be at least 1 day')
    .max(365, 'The response period must be 365 days or fewer'),
  reminderDays: z.coerce
    .number({ message: 'Enter the reminder period as a number of days' })
    .int('Enter the reminder period as a whole number of days')
    .min(0, 'The reminder period must be 0 days or more')
    .max(60, 'The reminder period must be 60 days or fewer'),
  public: checkbox,
  clerkEmail: email('the clerk’s email address'),
})

export const memberSchema = z.object({
  memberName: text('the member’s name', 200),
  memberRole: text('their role, like Chair or Member', 120, 'Enter their role, like Chair or Member'),
  memberOrganisation: optionalText('the organisation', 200),
})

export const scrutinisedSchema = z
  .object({ scrutinisedAgencyId: optionalUuid('Select an organisation'), scrutinisedOrganisation: optionalText('the organisation', 200) })
  .refine((v) => v.scrutinisedAgencyId || v.scrutinisedOrganisation, { message: 'Select an organisation or enter its name', path: ['scrutinisedAgencyId'] })

export const MEETING_STATUSES = [
  { value: 'scheduled', text: 'Scheduled' },
  { value: 'held', text: 'Held' },
  { value: 'cancelled', text: 'Cancelled' },
] as const

export const meetingSchema = z.object({
  title: text('the title of the meeting', 200),
  meetingDate: requiredDate('the date of the meeting'),
  meetingTime: time,
  location: optionalText('the location', 300),
  status: z.enum(['scheduled', 'held', 'cancelled'], { message: 'Select whether the meeting is scheduled, held or cancelled' }),
})

export const minutesSchema = z.object({
  title: text('the title of the meeting', 200),
  meetingDate: requiredDate('the date of the meeting'),
  meetingTime: time,
  location: optionalText('the location', 300),
  status: z.enum(['scheduled', 'held', 'cancelled'], { message: 'Select whether the meeting is scheduled, held or cancelled' }),
  minutes: optionalText('the minutes', 100_000),
  minutesPublished: checkbox,
})

export const agendaItemSchema = z.object({
  number: optionalText('the item number', 12),
  title: text('the title of the agenda item', 300),
  description: optionalText('the description', 4000),
  restricted: checkbox,
})

export const FILE_KINDS = [
  { value: 'report', text: 'Report' },
  { value: 'appendix', text: 'Appendix' },
  { value: 'minutes', text: 'Minutes' },
  { value: 'strategic_assessment', text: 'Strategic assessment' },
  { value: 'material', text: 'Materials (slides, handouts)' },
  { value: 'other', text: 'Other' },
] as const

export const fileSchema = z.object({
  title: text('a title for the file', 200),
  restricted: checkbox,
})

export const itemSchema = z
  .object({
    kind: enumOf(ITEM_KINDS, 'Select whether it is a resolution, a recommendation or a request'),
    requestType: z
      .string()
      .optional()
      .transform((v) => (v ? v : undefined)),
    title: text('a short title', 200),
    text: text('the wording, as the minutes record it', 8000, 'Enter the wording, as the minutes record it'),
    addresseeAgencyId: optionalUuid('Select the organisation it is addressed to'),
    addressee: text('who it is addressed to', 200, 'Enter who it is addressed to, like the Police and Crime Commissioner'),
    addresseeEmail: email('the email address'),
    proposedBy: optionalText('who proposed it', 200),
    secondedBy: optionalText('who seconded it', 200),
    agendaItemId: optionalUuid('Select an agenda item'),
    number: z
      .string()
      .trim()
      .optional()
      .transform((v) => (v ? Number(v) : undefined))
      .pipe(z.number({ message: 'Enter the number as a whole number' }).int('Enter the number as a whole number').min(1, 'The number must be 1 or more').max(999, 'The number must be 999 or less').optional()),
    sentOn: dateField('the date it was sent'),
    responseDue: dateField('the date the response is due'),
    restricted: checkbox,
    sendNow: checkbox,
  })
  .superRefine((v, ctx) => {
    if (v.kind === 'request' && !REQUEST_TYPES.some((t) => t.value === v.requestType)) {
      ctx.addIssue({ code: 'custom', path: ['requestType'], message: 'Select whether it is a request for information or an action' })
    }
    if (v.sendNow && !v.addresseeEmail) {
      ctx.addIssue({ code: 'custom', path: ['addresseeEmail'], message: 'Enter the email address to send it to, or do not send it now' })
    }
  })

/** Correcting an item after it was recorded: its wording, addressee, dates and whether it is restricted. */
export const itemEditSchema = z.object({
  version: z.coerce.number().int().min(1),
  title: text('a short title', 200),
  text: text('the wording, as the minutes record it', 8000, 'Enter the wording, as the minutes record it'),
  addresseeAgencyId: optionalUuid('Select the organisation it is addressed to'),
  addressee: text('who it is addressed to', 200, 'Enter who it is addressed to, like the Police and Crime Commissioner'),
  addresseeEmail: email('the email address'),
  proposedBy: optionalText('who proposed it', 200),
  secondedBy: optionalText('who seconded it', 200),
  responseDue: dateField('the date the response is due'),
  restricted: checkbox,
  reason: text('why it is being changed', 500, 'Enter why it is being changed, for the record'),
})

export const statusSchema = z
  .object({
    version: z.coerce.number().int().min(1),
    status: enumOf(STATUSES, 'Select a status'),
    rag: z
      .string()
      .optional()
      .transform((v) => (v && v !== 'none' ? v : null))
      .pipe(z.enum(RAGS.map((r) => r.value) as ['green', 'amber', 'red'], { message: 'Select a RAG rating' }).nullable()),
    reason: optionalText('the reason', 4000),
    note: optionalText('the note', 4000),
  })
  .superRefine((v, ctx) => {
    if (v.status === 'not_accepted' && !v.reason) {
      ctx.addIssue({ code: 'custom', path: ['reason'], message: 'Enter the reason it was not accepted' })
    }
  })

export const responseSchema = z
  .object({
    respondedOn: requiredDate('the date of the response'),
    text: text('the response', 20_000),
    responder: optionalText('who responded', 200),
    position: z
      .string()
      .optional()
      .transform((v) => (v && v !== 'none' ? v : undefined))
      .pipe(enumOf(STATUSES, 'Select a position').optional()),
    reason: optionalText('the reason', 4000),
    answers: checkbox,
  })
  .superRefine((v, ctx) => {
    if (v.position === 'not_accepted' && !v.reason) {
      ctx.addIssue({ code: 'custom', path: ['reason'], message: 'Enter the reason it is not accepted' })
    }
  })

export const EVIDENCE_EVENTS = [
  { value: 'sent', text: 'Sent to the addressee' },
  { value: 'chased', text: 'Chased' },
  { value: 'note', text: 'Other note for the record' },
] as const

export const CHANNELS = [
  { value: 'email', text: 'Email' },
  { value: 'letter', text: 'Letter' },
  { value: 'meeting', text: 'At a meeting' },
  { value: 'phone', text: 'Phone' },
] as const

export const evidenceSchema = z.object({
  event: z.enum(['sent', 'chased', 'note'], { message: 'Select what happened' }),
  occurredOn: requiredDate('the date it happened'),
  // Empty unless the person recording it says how: the log never guesses.
  channel: z.preprocess((v) => (v === '' ? undefined : v), z.enum(['email', 'letter', 'meeting', 'phone'], { message: 'Select how' }).optional()),
  counterpart: optionalText('who it was sent to or from', 200),
  detail: optionalText('the details', 4000),
})

const csvList = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v == null ? [] : (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean)))

export const trackerFilterSchema = z.object({
  kind: csvList.pipe(z.array(enumOf(ITEM_KINDS, 'Select a kind'))),
  status: csvList.pipe(z.array(enumOf(STATUSES, 'Select a status'))),
  rag: csvList.pipe(z.array(z.enum(['green', 'amber', 'red', 'none'], { message: 'Select a RAG rating' }))),
  overdue: checkbox,
  show: z
    .enum(['open', 'all'])
    .optional()
    .catch(undefined)
    .transform((v) => v ?? 'open'),
  q: optionalText('the search', 200),
})

export type TrackerQuery = z.infer<typeof trackerFilterSchema>

// Strategy group

export const prioritySchema = z.object({
  title: text('the priority', 200),
  description: optionalText('the description', 4000),
})

export const workItemSchema = z
  .object({
    title: text('what the work is', 300, 'Enter what the work is'),
    description: optionalText('the description', 4000),
    priorityId: optionalUuid('Select a strategic priority'),
    owner: text('who owns it', 200, 'Enter who owns it, like the Willow Team'),
    ownerAgencyId: optionalUuid('Select the owner’s organisation'),
    startDate: dateField('the start date'),
    dueDate: dateField('the due date'),
    status: enumOf(WORK_STATUSES, 'Select a status'),
    rag: z
      .string()
      .optional()
      .transform((v) => (v && v !== 'none' ? v : null))
      .pipe(z.enum(['green', 'amber', 'red'], { message: 'Select a RAG rating' }).nullable()),
  })
  .superRefine((v, ctx) => {
    if (v.startDate && v.dueDate && v.dueDate < v.startDate) {
      ctx.addIssue({ code: 'custom', path: ['dueDate'], message: 'The due date must be the same as or after the start date' })
    }
  })

export const workUpdateSchema = z.object({
  version: z.coerce.number().int().min(1),
  status: enumOf(WORK_STATUSES, 'Select a status'),
  rag: z
    .string()
    .optional()
    .transform((v) => (v && v !== 'none' ? v : null))
    .pipe(z.enum(['green', 'amber', 'red'], { message: 'Select a RAG rating' }).nullable()),
  dueDate: dateField('the due date'),
  progressNote: optionalText('the progress note', 4000),
})

export const reportDueSchema = z.object({
  toBodyId: z.string().uuid('Select the committee the update is due to'),
  title: text('what is due', 300, 'Enter what is due, like a further update on the work programme'),
  reportDueDate: requiredDate('the date it is due'),
  itemId: optionalUuid('Select the resolution that asked for it'),
  note: optionalText('the note', 2000),
})

export const deliveredSchema = z.object({
  deliveredOn: requiredDate('the date it was delivered'),
  meetingId: optionalUuid('Select the meeting'),
})

// Events

export const EVENT_KINDS = [
  { value: 'workshop', text: 'Awareness workshop' },
  { value: 'briefing', text: 'Briefing' },
  { value: 'training', text: 'Training' },
  { value: 'conference', text: 'Conference' },
] as const

export const eventSchema = z.object({
  title: text('the title of the event', 300),
  kind: z.enum(['workshop', 'briefing', 'training', 'conference'], { message: 'Select what kind of event it is' }),
  eventDate: requiredDate('the date of the event'),
  startTime: time,
  location: optionalText('the location', 300),
  audience: text('who the event is for', 500, 'Enter who the event is for, like agencies working with homeless people'),
  description: optionalText('the description', 4000),
  bodyId: optionalUuid('Select the body'),
})

const organisation = {
  agencyId: optionalUuid('Select an organisation'),
  organisation: optionalText('the organisation’s name', 200),
  organisationKind: z
    .string()
    .optional()
    .transform((v) => (v ? v : undefined))
    .pipe(enumOf(ORGANISATION_KINDS, 'Select the kind of organisation').optional()),
}

function needsOrganisation(v: { agencyId?: string; organisation?: string; organisationKind?: string }, ctx: z.RefinementCtx) {
  if (!v.agencyId && !v.organisation) ctx.addIssue({ code: 'custom', path: ['agencyId'], message: 'Select an organisation, or enter the name of one that is not listed' })
  if (!v.agencyId && v.organisation && !v.organisationKind) ctx.addIssue({ code: 'custom', path: ['organisationKind'], message: 'Select the kind of organisation' })
}

export const invitationSchema = z.object(organisation).superRefine(needsOrganisation)

export const attendanceSchema = z
  .object({
    ...organisation,
    service: optionalText('the service or department', 200),
    role: text('their role, like housing officer', 200, 'Enter their role, like housing officer'),
    attendees: z.coerce
      .number({ message: 'Enter how many people attended as a number' })
      .int('Enter how many people attended as a whole number')
      .min(1, 'The number of people must be 1 or more')
      .max(500, 'The number of people must be 500 or fewer'),
  })
  .superRefine(needsOrganisation)

export const importSchema = z.object({
  bodyId: z.string().uuid('Select the body the meeting belongs to'),
})

/** Link (or unlink) a strategy action or an indicator to an item: one of the two. */
export const traceSchema = z.object({
  actionId: z.preprocess((v) => (v === '' ? undefined : v), z.string().uuid('Select a strategy action').optional()),
  indicatorId: z.preprocess((v) => (v === '' ? undefined : v), z.string().uuid('Select an indicator').optional()),
})

/** An address to follow an item by e-mail. */
export const followSchema = z.object({
  email: z
    .string({ message: 'Enter your e-mail address' })
    .trim()
    .min(1, 'Enter your e-mail address')
    .max(320, 'The e-mail address must be 320 characters or fewer')
    .email('Enter an e-mail address in the correct format, like name@example.com'),
})
