import { z } from 'zod'
import { passwordProblem } from '../../auth/password-policy.ts'
import { AREA_KINDS } from '../../db/areas.ts'

const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional()

export const AGENCY_KINDS = [
  { value: 'county_council', text: 'County council' },
  { value: 'district_council', text: 'District or borough council' },
  { value: 'unitary_council', text: 'Unitary council' },
  { value: 'police', text: 'Police force' },
  { value: 'health', text: 'Health (NHS)' },
  { value: 'education', text: 'Education' },
  { value: 'youth_justice', text: 'Youth justice' },
  { value: 'voluntary', text: 'Voluntary or community group' },
  { value: 'oversight', text: 'Oversight (panel, commissioner’s office)' },
  { value: 'other', text: 'Other' },
] as const

export const agencySchema = z.object({
  name: z.string().trim().min(1, 'Enter the agency’s name').max(200, 'Agency name must be 200 characters or fewer'),
  shortName: z.string().trim().min(1, 'Enter a short name').max(40, 'Short name must be 40 characters or fewer'),
  kind: z.enum(AGENCY_KINDS.map((k) => k.value) as [string, ...string[]], { message: 'Select the kind of agency' }),
})

export const teamSchema = z.object({
  name: z.string().trim().min(1, 'Enter the team’s name').max(120, 'Team name must be 120 characters or fewer'),
})

const userFields = z.object({
  name: z.string().trim().min(1, 'Enter the person’s full name').max(120, 'Name must be 120 characters or fewer'),
  email: z.string().trim().min(1, 'Enter an email address').email('Enter an email address in the correct format, like name@example.org'),
  agencyId: z.string().uuid('Select an agency'),
  teamId: optionalText.pipe(z.string().uuid('Select a team').optional()),
  role: z.string().min(1, 'Select a role'),
  password: optionalText,
})

/** The password policy (src/auth/password-policy.ts) knows the person's name and email from the same form. */
export const newUserSchema = userFields.superRefine((v, ctx) => {
  const problem = v.password === undefined ? undefined : passwordProblem(v.password, { name: v.name, email: v.email })
  if (problem) ctx.addIssue({ code: 'custom', path: ['password'], message: problem })
})

export const editUserSchema = userFields.omit({ email: true, password: true })

/** A new password an administrator sets for someone (their sessions end; src/modules/admin/service.ts). */
export const resetPasswordSchema = z.object({ password: z.string().min(1, 'Enter a new password') })

export const auditFilterSchema = z.object({
  userEmail: optionalText,
  action: optionalText,
  recordType: optionalText,
  recordId: optionalText,
  from: optionalText.pipe(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Enter the from date as YYYY-MM-DD').optional()),
  to: optionalText.pipe(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Enter the to date as YYYY-MM-DD').optional()),
  page: z.coerce.number().int().min(1).default(1),
})

/** An area's kind, parent, place in the partnership and population, as an administrator sets them. */
export const areaSchema = z.object({
  kind: z.enum(AREA_KINDS.map((k) => k.value) as [string, ...string[]], { message: 'Select the kind of area' }),
  parentId: optionalText.pipe(z.string().uuid('Select the area it is part of').optional()),
  inPartnership: z.enum(['yes', 'no'], { message: 'Select whether the area is in the partnership' }),
  population: optionalText.pipe(
    z
      .string()
      .transform((v) => v.replace(/,/g, ''))
      .pipe(z.string().regex(/^\d{1,9}$/, 'Enter the population as a whole number, like 125,000'))
      .transform(Number)
      .optional(),
  ),
})

export const newAreaSchema = areaSchema.extend({
  name: z.string().trim().min(1, 'Enter the area’s name').max(120, 'Area name must be 120 characters or fewer'),
  code: z
    .string()
    .trim()
    .toUpperCase()
    .min(1, 'Enter the area’s ONS code, like E07000090')
    .max(20, 'Code must be 20 characters or fewer')
    .regex(/^[A-Z0-9-]+$/, 'Enter the code in capital letters and digits, like E07000090'),
})
