import { z } from 'zod'

const optionalText = (max: number, message: string) =>
  z
    .string()
    .trim()
    .max(max, message)
    .transform((v) => (v === '' ? null : v))
    .optional()
    .transform((v) => v ?? null)

export const UNITS = [
  { value: 'count', text: 'Count (a number of things)' },
  { value: 'percent', text: 'Percentage' },
  { value: 'seconds', text: 'Time in seconds' },
  { value: 'rate', text: 'Rate (per 1,000 people, for example)' },
] as const

export const POLARITIES = [
  { value: 'up_bad', text: 'Down is better (for example, offences)' },
  { value: 'up_good', text: 'Up is better (for example, calls answered on time)' },
  { value: 'neutral', text: 'Neither: closer to the target is better' },
] as const

export const SOURCES = [
  { value: 'police_uk', text: 'police.uk street-level crime' },
  { value: 'lantern', text: 'A count Lantern keeps' },
  { value: 'manual', text: 'Entered by hand or uploaded as CSV' },
] as const

export const FREQUENCIES = [
  { value: 'month', text: 'Monthly' },
  { value: 'quarter', text: 'Quarterly' },
  { value: 'year', text: 'Yearly (financial year)' },
] as const

const values = <T extends readonly { value: string }[]>(list: T) => list.map((i) => i.value) as [T[number]['value'], ...T[number]['value'][]]

export const indicatorSchema = z
  .object({
    name: z.string().trim().min(1, 'Enter the indicator’s name').max(120, 'Name must be 120 characters or fewer'),
    definition: z.string().trim().min(1, 'Enter what the indicator counts or measures').max(2000, 'Definition must be 2,000 characters or fewer'),
    unit: z.enum(values(UNITS), { message: 'Select the unit' }),
    polarity: z.enum(values(POLARITIES), { message: 'Select whether up or down is better' }),
    sourceKind: z.enum(values(SOURCES), { message: 'Select where the values come from' }),
    policeCategory: z.string().trim().optional(),
    lanternSeries: z.string().trim().optional(),
    sourceNote: optionalText(500, 'Source note must be 500 characters or fewer'),
    frequency: z.enum(values(FREQUENCIES), { message: 'Select how often it is updated' }),
    lagDays: z.coerce
      .number({ message: 'Enter the days allowed after a period ends, as a number' })
      .int('Enter a whole number of days')
      .min(0, 'Days allowed must be 0 or more')
      .max(366, 'Days allowed must be 366 or fewer'),
    ownerAgencyId: z
      .string()
      .trim()
      .transform((v) => (v === '' ? null : v))
      .pipe(z.string().uuid('Select the owning agency').nullable()),
    owner: optionalText(120, 'Owner must be 120 characters or fewer'),
    headline: z
      .union([z.literal('yes'), z.literal(''), z.undefined()])
      .transform((v) => v === 'yes'),
  })
  .superRefine((v, ctx) => {
    if (v.sourceKind === 'police_uk' && !v.policeCategory) ctx.addIssue({ code: 'custom', path: ['policeCategory'], message: 'Enter the police.uk crime category' })
    if (v.sourceKind === 'lantern' && !v.lanternSeries) ctx.addIssue({ code: 'custom', path: ['lanternSeries'], message: 'Select the Lantern count' })
    if (v.sourceKind !== 'manual' && v.frequency !== 'month') ctx.addIssue({ code: 'custom', path: ['frequency'], message: 'police.uk and Lantern counts are monthly: select Monthly' })
  })

export type IndicatorInput = z.infer<typeof indicatorSchema>

const number = (what: string) =>
  z
    .string()
    .trim()
    .min(1, `Enter the ${what}`)
    .transform((v) => Number(v.replace(/,/g, '')))
    .pipe(z.number({ message: `Enter the ${what} as a number` }).refine(Number.isFinite, `Enter the ${what} as a number`))

export const valueSchema = z.object({
  areaId: z.string().uuid('Select the area'),
  period: z.string().trim().min(1, 'Enter the period'),
  value: number('value'),
  note: optionalText(500, 'Note must be 500 characters or fewer'),
})

export const targetSchema = z.object({
  areaId: z.string().uuid('Select the area'),
  value: number('target'),
  amberMargin: z
    .string()
    .trim()
    .transform((v) => Number(v === '' ? '10' : v))
    .pipe(z.number({ message: 'Enter the amber margin as a number' }).min(0, 'Amber margin must be 0 or more').max(100, 'Amber margin must be 100 or less')),
  note: optionalText(500, 'Note must be 500 characters or fewer'),
})

export const areaQuerySchema = z.object({ area: z.string().uuid().optional().catch(undefined) })

/** A month as the month and year inputs of a form ("9", "2026") → 'YYYY-MM-01'. */
const monthInput = (what: string) =>
  z.object({
    month: z.coerce.number({ message: `Enter the ${what} month as a number` }).int().min(1, `Enter a real ${what} month`).max(12, `Enter a real ${what} month`),
    year: z.coerce.number({ message: `Enter the ${what} year as a number` }).int().min(2000, `Enter a ${what} year from 2000`).max(2100, `Enter a real ${what} year`),
  })

export const reportSchema = z
  .object({
    title: z.string().trim().min(1, 'Enter a title').max(200, 'Title must be 200 characters or fewer'),
    meeting: optionalText(200, 'Meeting must be 200 characters or fewer'),
    areaId: z.string().uuid('Select the area'),
    from: monthInput('first'),
    to: monthInput('last'),
    commentary: optionalText(10000, 'Commentary must be 10,000 characters or fewer'),
  })
  .transform((v) => ({
    ...v,
    periodFrom: `${v.from.year}-${String(v.from.month).padStart(2, '0')}-01`,
    periodTo: `${v.to.year}-${String(v.to.month).padStart(2, '0')}-01`,
  }))
  .superRefine((v, ctx) => {
    if (v.periodTo < v.periodFrom) ctx.addIssue({ code: 'custom', path: ['to'], message: 'The last month must be the same as or after the first month' })
  })

export const objectiveSchema = z.object({
  title: z.string().trim().min(1, 'Enter the objective').max(200, 'Objective must be 200 characters or fewer'),
  description: z.string().trim().min(1, 'Describe the objective').max(2000, 'Description must be 2,000 characters or fewer'),
  leadAgencyId: z
    .string()
    .trim()
    .transform((v) => (v === '' ? null : v))
    .pipe(z.string().uuid('Select the lead agency').nullable()),
})

export const ACTION_STATUSES = [
  { value: 'not_started', text: 'Not started' },
  { value: 'in_progress', text: 'In progress' },
  { value: 'complete', text: 'Complete' },
  { value: 'stopped', text: 'Stopped' },
] as const

export const actionSchema = z.object({
  title: z.string().trim().min(1, 'Enter the action').max(300, 'Action must be 300 characters or fewer'),
  leadAgencyId: z
    .string()
    .trim()
    .transform((v) => (v === '' ? null : v))
    .pipe(z.string().uuid('Select the lead agency').nullable()),
  dueDate: z
    .string()
    .trim()
    .transform((v) => (v === '' ? null : v))
    .pipe(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Enter the due date as YYYY-MM-DD, like 2027-03-31').nullable()),
  status: z.enum(values(ACTION_STATUSES), { message: 'Select the status' }),
  progressNote: optionalText(2000, 'Progress note must be 2,000 characters or fewer'),
})

export const objectiveIndicatorSchema = z.object({
  indicatorId: z.string().uuid('Select an indicator'),
  areaId: z.string().uuid('Select the area'),
})

const isoDate = (what: string) =>
  z
    .string()
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/, `Enter the ${what} as YYYY-MM-DD, like 2025-04-01`)
    .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)), `Enter a real ${what}`)

export const strategySchema = z.object({
  title: z.string().trim().min(1, 'Enter the strategy’s title').max(200, 'Title must be 200 characters or fewer'),
  summary: z.string().trim().min(1, 'Enter a summary').max(4000, 'Summary must be 4,000 characters or fewer'),
  periodStart: isoDate('start date'),
  periodEnd: isoDate('end date'),
})

const monthText = (what: string) => z.string().trim().regex(/^\d{4}-(0[1-9]|1[0-2])$/, `Enter the ${what} as a month like 2025-04`)

/**
 * The two periods the "real or chance?" test compares, chosen on the dashboard and indicator
 * pages as months `YYYY-MM` (`from`–`to` against `vsFrom`–`vsTo`). All four empty means the
 * default (the latest complete financial year against the one before). The two periods must be
 * of the same length, so a count and its change are read the same way.
 */
export const comparisonQuerySchema = z
  .object({
    from: monthText('first month of the period'),
    to: monthText('last month of the period'),
    vsFrom: monthText('first month of the period to compare with'),
    vsTo: monthText('last month of the period to compare with'),
  })
  .transform((v) => ({ current: { from: `${v.from}-01`, to: `${v.to}-01` }, previous: { from: `${v.vsFrom}-01`, to: `${v.vsTo}-01` } }))
  .superRefine((v, ctx) => {
    const months = (s: { from: string; to: string }) => (Number(s.to.slice(0, 4)) - Number(s.from.slice(0, 4))) * 12 + Number(s.to.slice(5, 7)) - Number(s.from.slice(5, 7)) + 1
    if (v.current.to < v.current.from) ctx.addIssue({ code: 'custom', path: ['to'], message: 'The last month of the period must be the same as or after its first month' })
    if (v.previous.to < v.previous.from) ctx.addIssue({ code: 'custom', path: ['vsTo'], message: 'The last month of the period to compare with must be the same as or after its first month' })
    else if (v.current.to >= v.current.from && months(v.current) !== months(v.previous)) ctx.addIssue({ code: 'custom', path: ['vsTo'], message: 'The period to compare with must have as many months as the period' })
  })

export type ComparisonQuery = z.output<typeof comparisonQuerySchema>

/** One population estimate entered on the populations page. */
export const populationSchema = z.object({
  areaId: z.string().uuid('Select the area'),
  year: z.string().trim().regex(/^\d{4}$/, 'Enter the year as 4 digits, like 2024').transform(Number).pipe(z.number().min(1900, 'Enter a year from 1900').max(2200, 'Enter a real year')),
  population: z
    .string()
    .trim()
    .transform((v) => v.replace(/,/g, ''))
    .pipe(z.string().regex(/^\d{1,9}$/, 'Enter the population as a whole number, like 126,200'))
    .transform(Number)
    .pipe(z.number().min(1, 'Enter a population above 0')),
  source: optionalText(200, 'Source must be 200 characters or fewer'),
})
