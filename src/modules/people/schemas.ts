import { z } from 'zod'

const optionalText = (max: number, message: string) =>
  z
    .string()
    .trim()
    .max(max, message)
    .transform((v) => (v === '' ? null : v))
    .nullable()
    .optional()
    .transform((v) => v ?? null)

const checkbox = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (Array.isArray(v) ? v : v ? [v] : []))

export const GENDERS = [
  { value: 'female', text: 'Female' },
  { value: 'male', text: 'Male' },
  { value: 'non_binary', text: 'Non-binary' },
  { value: 'other', text: 'Other' },
  { value: 'not_known', text: 'Not known' },
] as const

/** The ONS 2021 ethnic groups, as most agencies record them. */
export const ETHNICITIES = [
  'Asian or Asian British',
  'Black, Black British, Caribbean or African',
  'Mixed or multiple ethnic groups',
  'White',
  'Other ethnic group',
  'Not known',
].map((v) => ({ value: v, text: v }))

export const FLAGS = [
  { value: 'looked_after', text: 'Looked-after child' },
  { value: 'care_leaver', text: 'Care leaver' },
  { value: 'send', text: 'Special educational needs or disability (SEND)' },
  { value: 'learning_disability', text: 'Learning disability' },
] as const

/** NHS numbers carry a modulus 11 check digit; a typo is caught here rather than in a wrong match later. */
export function validNhsNumber(value: string): boolean {
  const digits = value.replace(/\s/g, '')
  if (!/^\d{10}$/.test(digits)) return false
  const sum = [...digits.slice(0, 9)].reduce((s, d, i) => s + Number(d) * (10 - i), 0)
  const check = 11 - (sum % 11)
  const expected = check === 11 ? 0 : check
  return expected !== 10 && expected === Number(digits[9])
}

export const personSchema = z
  .object({
    kind: z.enum(['child', 'adult'], { message: 'Select whether this is a child or young person, or an adult' }),
    givenName: z.string().trim().min(1, 'Enter their first name').max(100, 'First name must be 100 characters or fewer'),
    familyName: z.string().trim().min(1, 'Enter their last name').max(100, 'Last name must be 100 characters or fewer'),
    preferredName: optionalText(100, 'Preferred name must be 100 characters or fewer'),
    approximateAge: z
      .string()
      .trim()
      .optional()
      .transform((v, ctx) => {
        if (!v) return null
        if (!/^\d+$/.test(v)) {
          ctx.addIssue({ code: 'custom', message: 'Approximate age must be a whole number, like 14' })
          return z.NEVER
        }
        const n = Number(v)
        if (n > 120) {
          ctx.addIssue({ code: 'custom', message: 'Approximate age must be 120 or less' })
          return z.NEVER
        }
        return n
      }),
    gender: z.enum(['female', 'male', 'non_binary', 'other', 'not_known'], { message: 'Select their gender' }),
    ethnicity: optionalText(100, 'Ethnicity must be 100 characters or fewer'),
    homeAreaId: z.string().uuid('Select their home local authority'),
    currentAreaId: z.string().uuid('Select where they live now'),
    school: optionalText(200, 'School must be 200 characters or fewer'),
    flags: checkbox,
    aliases: optionalText(2000, 'Aliases must be 2,000 characters or fewer'),
    nhsNumber: optionalText(20, 'NHS number must be 10 digits').refine((v) => v == null || validNhsNumber(v), 'Enter a valid NHS number, 10 digits like 943 476 5919'),
    councilCase: optionalText(40, 'Council case number must be 40 characters or fewer'),
    policeNominal: optionalText(40, 'Police nominal number must be 40 characters or fewer'),
    address: optionalText(300, 'Address must be 300 characters or fewer'),
    postcode: optionalText(10, 'Enter a real postcode').refine((v) => v == null || /^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$/i.test(v), 'Enter a real postcode, like PO9 1AB'),
  })
  .transform((v) => ({
    ...v,
    aliases: (v.aliases ?? '')
      .split(/\r?\n/)
      .map((a) => a.trim())
      .filter(Boolean),
  }))

export type PersonInput = z.infer<typeof personSchema> & { dateOfBirth: string | null }

export const NOTE_KINDS = [
  { value: 'visit', text: 'Home or placement visit' },
  { value: 'direct_work', text: 'Direct work with the child or young person' },
  { value: 'contact', text: 'Phone call or message' },
  { value: 'meeting', text: 'Meeting (strategy, MACE or multi-agency)' },
  { value: 'intelligence', text: 'Intelligence' },
  { value: 'other', text: 'Other' },
] as const

export const NOTE_SENSITIVITIES = [
  { value: 'standard', text: 'Everyone who may see this record' },
  { value: 'police_only', text: 'Police only' },
] as const

const noteList = (v: unknown) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v])

/**
 * A case note; the date it happened is read from the GOV.UK date input beside this. An intelligence
 * note is graded 3x5x2, and under handling code C says its conditions and which agencies meet them;
 * any other note carries no grade (answers left on the form from another kind are dropped).
 */
export const noteSchema = z
  .object({
    kind: z.enum(['visit', 'direct_work', 'contact', 'meeting', 'intelligence', 'other'], { message: 'Select what kind of note this is' }),
    body: z.string().trim().min(1, 'Enter the note').max(10_000, 'The note must be 10,000 characters or fewer'),
    sensitivity: z.enum(['standard', 'police_only'], { message: 'Select who may read this note' }).optional().default('standard'),
    gradeSource: z.enum(['1', '2', '3'], { message: 'Select the source evaluation' }).optional().catch(undefined),
    gradeAssessment: z.enum(['A', 'B', 'C', 'D', 'E'], { message: 'Select the intelligence assessment' }).optional().catch(undefined),
    gradeHandling: z.enum(['P', 'C'], { message: 'Select the handling code' }).optional().catch(undefined),
    handlingConditions: z.string().trim().max(1000, 'The conditions must be 1,000 characters or fewer').optional(),
    handlingAgencies: z.preprocess(noteList, z.array(z.string().uuid('Select agencies from the list'))),
  })
  .superRefine((v, ctx) => {
    if (v.kind !== 'intelligence') return
    if (!v.gradeSource) ctx.addIssue({ code: 'custom', path: ['gradeSource'], message: 'Select the source evaluation' })
    if (!v.gradeAssessment) ctx.addIssue({ code: 'custom', path: ['gradeAssessment'], message: 'Select the intelligence assessment' })
    if (!v.gradeHandling) ctx.addIssue({ code: 'custom', path: ['gradeHandling'], message: 'Select the handling code' })
    if (v.gradeHandling === 'C' && !v.handlingConditions) ctx.addIssue({ code: 'custom', path: ['handlingConditions'], message: 'Enter the conditions that apply under handling code C' })
  })
  .transform(({ gradeSource, gradeAssessment, gradeHandling, handlingConditions, handlingAgencies, ...note }) => {
    const graded = note.kind === 'intelligence' && gradeSource && gradeAssessment && gradeHandling
    const c = graded && gradeHandling === 'C'
    return {
      ...note,
      grade: graded ? { source: gradeSource, assessment: gradeAssessment, handling: gradeHandling, conditions: c ? handlingConditions! : null, agencyIds: c ? [...new Set(handlingAgencies)] : [] } : null,
    }
  })

/** What a note's list can be narrowed to: its kind and, for intelligence, its grades. */
export const noteFilterSchema = z.object({
  kind: z.preprocess((v) => (v === '' ? undefined : v), z.enum(['visit', 'direct_work', 'contact', 'meeting', 'intelligence', 'other']).optional()).catch(undefined),
  source: z.preprocess(noteList, z.array(z.enum(['1', '2', '3']))).catch([]),
  assessment: z.preprocess(noteList, z.array(z.enum(['A', 'B', 'C', 'D', 'E']))).catch([]),
  handling: z.preprocess((v) => (v === '' ? undefined : v), z.enum(['P', 'C']).optional()).catch(undefined),
})

export type NoteFilter = z.infer<typeof noteFilterSchema>

export type NoteInput = z.infer<typeof noteSchema> & { occurredOn: string }

/** Asking to close or reopen a record. */
export const closureRequestSchema = z.object({
  reason: z.string().trim().min(1, 'Enter why the record should be closed or reopened').max(2000, 'The reason must be 2,000 characters or fewer'),
})

/** A manager's answer to a request to close or reopen a record. */
export const closureDecisionSchema = z
  .object({
    outcome: z.enum(['approve', 'decline'], { message: 'Select whether you approve or decline the request' }),
    note: z
      .string()
      .trim()
      .max(2000, 'The note must be 2,000 characters or fewer')
      .optional()
      .transform((v) => v || null),
  })
  .refine((v) => v.outcome === 'approve' || v.note, { path: ['note'], message: 'Enter why you decline the request, for the practitioner who asked' })

export type ClosureDecision = z.infer<typeof closureDecisionSchema>

const retentionYears = (label: string) =>
  z
    .string()
    .trim()
    .regex(/^\d{1,2}$/, `Enter the years to keep ${label} as a whole number from 1 to 75`)
    .transform(Number)
    .refine((n) => n >= 1 && n <= 75, `Enter the years to keep ${label} as a whole number from 1 to 75`)

/** The retention period of each kind of closed record, in years. */
export const recordRetentionSchema = z.object({
  child: retentionYears('children’s records'),
  adult: retentionYears('adults’ records'),
})

/** A legal hold's reason: placing one keeps the record whole past its retention period. */
export const legalHoldSchema = z.object({
  holdReason: z.string().trim().min(1, 'Enter why the record must be kept, for example the case or claim it is held for').max(1000, 'The reason must be 1,000 characters or fewer'),
})
