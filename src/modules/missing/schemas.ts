import { z } from 'zod'
import { CONCERNS, FOUND_BY } from './rules.ts'
import { checkboxes, optionalId, optionalText } from '../../web/fields.ts'

export const episodeFieldsSchema = z.object({
  missingFromAreaId: optionalId('Select the area they went missing from'),
  policeReference: optionalText(40, 'Police reference must be 40 characters or fewer'),
  foundAreaId: optionalId('Select the area where they were found'),
  foundLocation: optionalText(200, 'Where they were found must be 200 characters or fewer'),
  foundBy: z
    .string()
    .optional()
    .transform((v) => (v ? v : null))
    .pipe(z.enum(FOUND_BY.map((f) => f.value) as [string, ...string[]], { message: 'Select who found them' }).nullable()),
  foundByDetail: optionalText(200, 'Who found them must be 200 characters or fewer'),
  concerns: checkboxes(
    CONCERNS.map((c) => c.value),
    'Select concerns from the list',
  ),
  notes: optionalText(2000, 'Notes must be 2,000 characters or fewer'),
})

export type EpisodeFields = z.infer<typeof episodeFieldsSchema>

export const rhiFieldsSchema = z.object({
  heldBy: optionalText(120, 'Who held the interview must be 120 characters or fewer'),
  rhiAgencyId: optionalId('Select the agency that held the interview'),
  declined: checkboxes(['yes'] as const, 'Tick the box if they declined').transform((v) => v.includes('yes')),
  rhiNotes: optionalText(2000, 'Notes must be 2,000 characters or fewer'),
})

export type RhiFields = z.infer<typeof rhiFieldsSchema>

