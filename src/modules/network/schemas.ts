import { z } from 'zod'
import { optionalDate } from '../../web/fields.ts'

const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional()

const list = (v: unknown) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v])

export const ENTITY_KIND_TEXT = { person: 'Person', line: 'Deal line', location: 'Location', vehicle: 'Vehicle', group: 'Group' } as const
export const LOCATION_TYPES = [
  { value: 'home', text: 'Home address' },
  { value: 'cuckooed_address', text: 'Cuckooed address' },
  { value: 'trap_house', text: 'Trap house' },
  { value: 'hotspot', text: 'Hotspot' },
  { value: 'school', text: 'School' },
  { value: 'hotel', text: 'Hotel or short-stay accommodation' },
  { value: 'other', text: 'Other' },
] as const
export const GROUP_TYPES = [
  { value: 'gang', text: 'Gang' },
  { value: 'ocg', text: 'Organised crime group' },
  { value: 'other', text: 'Other group' },
] as const
/**
 * Link types. `text` reads from the link's source ("Reece Holloway runs JAY"); `reverse` reads from
 * its target, so each end's page and timeline tells the link from its own point of view ("JAY is
 * run by Reece Holloway"), with {other} standing for the other end where it does not come last.
 */
export const LINK_TYPES = [
  { value: 'associates_with', text: 'Associates with', directed: false, reverse: 'Associates with' },
  { value: 'runs', text: 'Runs', directed: true, reverse: 'Is run by' },
  { value: 'holds_phone', text: 'Holds the phone of', directed: true, reverse: 'Has its phone held by' },
  { value: 'found_at', text: 'Found at', directed: true, reverse: '{other} was found here' },
  { value: 'lives_at', text: 'Lives at', directed: true, reverse: '{other} lives here' },
  { value: 'exploits', text: 'Exploits', directed: true, reverse: 'Is exploited by' },
  { value: 'member_of', text: 'Member of', directed: true, reverse: 'Has as a member' },
  { value: 'uses_vehicle', text: 'Uses vehicle', directed: true, reverse: 'Is used by' },
  { value: 'supplies', text: 'Supplies', directed: true, reverse: 'Is supplied by' },
  { value: 'operates_in', text: 'Operates from or into', directed: true, reverse: '{other} operates from or into here' },
] as const
export { SOURCE_GRADES, ASSESSMENT_GRADES, HANDLING_CODES } from '../../kernel/grading.ts'

export const entitySchema = z
  .object({
    kind: z.enum(['person', 'line', 'location', 'vehicle', 'group'], { message: 'Select what kind of entity this is' }),
    personId: optionalText.pipe(z.string().uuid('Select a person').optional()),
    label: optionalText.pipe(z.string().max(200, 'Name must be 200 characters or fewer').optional()),
    phoneNumber: optionalText.pipe(z.string().regex(/^[0-9 +]{7,20}$/, 'Enter a phone number, like 07700 900123').optional()),
    lineName: optionalText.pipe(z.string().max(60, 'Line name must be 60 characters or fewer').optional()),
    locationType: optionalText.pipe(z.enum(LOCATION_TYPES.map((t) => t.value) as [string, ...string[]], { message: 'Select the type of location' }).optional()),
    address: optionalText.pipe(z.string().max(300, 'Address must be 300 characters or fewer').optional()),
    postcode: optionalText.pipe(z.string().max(10, 'Postcode must be 10 characters or fewer').optional()),
    registration: optionalText.pipe(z.string().max(12, 'Registration must be 12 characters or fewer').optional()),
    vehicleDescription: optionalText.pipe(z.string().max(200).optional()),
    groupType: optionalText.pipe(z.enum(['gang', 'ocg', 'other'], { message: 'Select the type of group' }).optional()),
    areaId: optionalText.pipe(z.string().uuid('Select a local authority').optional()),
    description: optionalText.pipe(z.string().max(2000, 'Description must be 2000 characters or fewer').optional()),
  })
  .superRefine((v, ctx) => {
    const need = (field: string, ok: unknown, message: string) => {
      if (!ok) ctx.addIssue({ code: 'custom', path: [field], message })
    }
    if (v.kind === 'person') need('personId', v.personId, 'Select a person')
    if (v.kind === 'line') {
      need('lineName', v.lineName, 'Enter the line name')
      need('areaId', v.areaId, 'Select the exporting area')
    }
    if (v.kind === 'location') {
      need('locationType', v.locationType, 'Select the type of location')
      need('address', v.address, 'Enter the address or place')
      need('areaId', v.areaId, 'Select the local authority')
    }
    if (v.kind === 'vehicle') need('registration', v.registration, 'Enter the registration')
    if (v.kind === 'group') {
      need('label', v.label, 'Enter the group’s name')
      need('groupType', v.groupType, 'Select the type of group')
    }
  })
export type EntityInput = z.infer<typeof entitySchema>

export const linkSchema = z
  .object({
    targetId: z.string({ message: 'Select the entity this one is linked to' }).uuid('Select the entity this one is linked to'),
    type: z.enum(LINK_TYPES.map((t) => t.value) as [string, ...string[]], { message: 'Select the type of link' }),
    direction: z.enum(['from', 'to', 'none'], { message: 'Select the direction of the link' }),
    firstSeen: optionalDate('First seen must be a real date, like 2026-03-27'),
    lastSeen: optionalDate('Last seen must be a real date, like 2026-03-27'),
    sourceAgencyId: z.string().uuid('Select the source agency'),
    basis: z.string().trim().min(1, 'Enter what the link is based on').max(4000, 'Basis must be 4000 characters or fewer'),
    gradeSource: z.enum(['1', '2', '3'], { message: 'Select the source evaluation' }).transform((v) => Number(v) as 1 | 2 | 3),
    gradeAssessment: z.enum(['A', 'B', 'C', 'D', 'E'], { message: 'Select the intelligence assessment' }),
    gradeHandling: z.enum(['P', 'C'], { message: 'Select the handling code' }),
    conditionAgencies: z.preprocess(list, z.array(z.string().uuid())),
    handlingConditions: optionalText.pipe(z.string().max(1000).optional()),
  })
  .superRefine((v, ctx) => {
    if (v.firstSeen && v.lastSeen && v.firstSeen > v.lastSeen) ctx.addIssue({ code: 'custom', path: ['lastSeen'], message: 'Last seen must be the same as or after first seen' })
    if (v.gradeHandling === 'C' && !v.handlingConditions) ctx.addIssue({ code: 'custom', path: ['handlingConditions'], message: 'Enter the conditions that apply' })
  })
export type LinkInput = z.infer<typeof linkSchema>

export const linkStatusSchema = z.object({
  status: z.enum(['closed', 'wrong'], { message: 'Select whether the link has ended or was wrong' }),
  reason: z.string().trim().min(5, 'Enter the reason (at least 5 characters)').max(2000, 'Reason must be 2000 characters or fewer'),
})

export const scopeSchema = z.object({
  scope: z.enum(['all', 'operation', 'entity']).default('all'),
  operationId: optionalText.pipe(z.string().uuid('Select an operation').optional()),
  entityId: optionalText.pipe(z.string().uuid('Select a line or person').optional()),
  steps: z.preprocess((v) => (v === undefined || v === '' ? '2' : v), z.enum(['1', '2', '3'], { message: 'Select 1, 2 or 3 steps' })).transform(Number),
  from: optionalDate('From must be a real date, like 2026-03-27'),
  to: optionalDate('To must be a real date, like 2026-03-27'),
  asAt: optionalDate('As at must be a real date, like 2026-03-27'),
  grades: z.preprocess((v) => (v === undefined ? ['A', 'B', 'C', 'D'] : list(v)), z.array(z.enum(['A', 'B', 'C', 'D', 'E'])).min(1, 'Select at least one intelligence assessment grade')),
  sources: z.preprocess((v) => (v === undefined ? ['1', '2', '3'] : list(v)), z.array(z.enum(['1', '2', '3'])).min(1, 'Select at least one source evaluation')),
  closed: z.preprocess((v) => (v === undefined || v === '' ? 'yes' : v), z.enum(['yes', 'no'])),
  kinds: z.preprocess((v) => (v === undefined ? ['person', 'line', 'location', 'vehicle', 'group'] : list(v)), z.array(z.enum(['person', 'line', 'location', 'vehicle', 'group']))),
  size: z.preprocess((v) => (v === undefined || v === '' ? 'betweenness' : v), z.enum(['degree', 'betweenness', 'closeness'])),
}).superRefine((v, ctx) => {
  if (v.scope === 'operation' && !v.operationId) ctx.addIssue({ code: 'custom', path: ['operationId'], message: 'Select an operation' })
  if (v.scope === 'entity' && !v.entityId) ctx.addIssue({ code: 'custom', path: ['entityId'], message: 'Select a line or person' })
  if (v.from && v.to && v.from > v.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'To must be the same as or after from' })
  if (v.asAt && (v.from || v.to)) ctx.addIssue({ code: 'custom', path: ['asAt'], message: 'Choose either the network as at a date or links seen between two dates, not both' })
})
export type ScopeInput = z.infer<typeof scopeSchema>

/** "How is A connected to B": two different entities. */
export const pathsSchema = z
  .object({
    from: optionalText.pipe(z.string({ message: 'Select the first entity' }).uuid('Select the first entity')),
    to: optionalText.pipe(z.string({ message: 'Select the second entity' }).uuid('Select the second entity')),
  })
  .superRefine((v, ctx) => {
    if (v.from && v.to && v.from === v.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'Select a different entity from the first' })
  })
export type PathsInput = z.infer<typeof pathsSchema>
