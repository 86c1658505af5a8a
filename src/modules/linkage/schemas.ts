import { z } from 'zod'

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `Must be ${max} characters or fewer`)
    .optional()
    .transform((v) => (v ? v : null))

const TWO_DIFFERENT = 'Choose two different records: these are the same record twice'

export const mergeRequestSchema = z
  .object({
    survivorId: z.string().uuid('Choose the record to keep'),
    mergedId: z.string().uuid('Choose the record to merge into it'),
    reason: z.string().trim().min(1, 'Enter why these records are the same person').max(2000, 'Must be 2000 characters or fewer'),
  })
  .refine((v) => v.survivorId !== v.mergedId, { path: ['survivorId'], message: TWO_DIFFERENT })

export const notSameSchema = z
  .object({
    a: z.string().uuid('Choose two records'),
    b: z.string().uuid('Choose two records'),
    reason: optionalText(2000),
  })
  .refine((v) => v.a !== v.b, { path: ['a'], message: TWO_DIFFERENT })

export const noteSchema = z.object({ note: optionalText(2000) })

export const decisionSchema = z.object({
  decision: z.enum(['accepted', 'rejected', 'unsure'], { message: 'Select whether these are the same person' }),
})

export const uploadSchema = z.object({
  name: z.string().trim().min(1, 'Enter a name for this run').max(200, 'Name must be 200 characters or fewer'),
  kind: z.enum(['dedupe', 'link', 'register'], { message: 'Select what to match' }),
})

export const runSettingsSchema = z.object({
  reviewFrom: z.coerce.number({ message: 'Enter the lowest likelihood to review, between 0.01 and 0.99' }).min(0.01, 'Enter the lowest likelihood to review, between 0.01 and 0.99').max(0.99, 'Enter the lowest likelihood to review, between 0.01 and 0.99'),
  matchFrom: z.coerce.number({ message: 'Enter the likelihood for a match, between 0.5 and 1' }).min(0.5, 'Enter the likelihood for a match, between 0.5 and 1').max(1, 'Enter the likelihood for a match, between 0.5 and 1'),
})

export const peopleRunSchema = runSettingsSchema.extend({
  name: z.string().trim().min(1, 'Enter a name for this run').max(200, 'Name must be 200 characters or fewer'),
})
