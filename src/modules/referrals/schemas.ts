import { z } from 'zod'
import { checkboxes, optionalId, optionalText } from '../../web/fields.ts'
import { EXPLOITATION_TYPES } from './rules.ts'

const decision = (message: string) =>
  z
    .string()
    .optional()
    .transform((v) => (v && v !== 'none' ? v : null))
    .pipe(z.enum(['positive', 'negative'], { message }).nullable())

export const nrmFieldsSchema = z.object({
  firstResponderAgencyId: z.string({ message: 'Select the first responder organisation' }).uuid('Select the first responder organisation'),
  reference: optionalText(40, 'Reference must be 40 characters or fewer'),
  exploitationTypes: checkboxes(
    EXPLOITATION_TYPES.map((t) => t.value),
    'Select types of exploitation from the list',
  ),
  rgDecision: decision('Select the reasonable grounds decision'),
  cgDecision: decision('Select the conclusive grounds decision'),
  notes: optionalText(2000, 'Notes must be 2,000 characters or fewer'),
})
export type NrmFields = z.infer<typeof nrmFieldsSchema>

export const cawnFieldsSchema = z.object({
  adultId: z.string({ message: 'Select the adult the notice was served on' }).uuid('Select the adult the notice was served on'),
  servedByAgencyId: optionalId('Select the agency that served the notice'),
  reference: optionalText(40, 'Reference must be 40 characters or fewer'),
  notes: optionalText(2000, 'Notes must be 2,000 characters or fewer'),
})
export type CawnFields = z.infer<typeof cawnFieldsSchema>

export const breachFieldsSchema = z.object({
  description: z.string({ message: 'Describe the breach' }).trim().min(1, 'Describe the breach').max(2000, 'The description must be 2,000 characters or fewer'),
  actionTaken: optionalText(2000, 'Action taken must be 2,000 characters or fewer'),
})
export type BreachFields = z.infer<typeof breachFieldsSchema>
