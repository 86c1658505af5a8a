import { z } from 'zod'

/** A query-string value that may be given once, several times, or not at all. */
const many = <T extends string>(values: readonly [T, ...T[]], message: string) =>
  z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => (v == null ? [] : Array.isArray(v) ? v : [v]).filter((s) => s !== ''))
    .pipe(z.array(z.enum(values, { message })))

/** An optional id from a select: '' means "any". */
const optionalId = (message: string) =>
  z
    .string()
    .optional()
    .transform((v) => (v ? v : null))
    .pipe(z.string().uuid(message).nullable())

const checked = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (Array.isArray(v) ? v.length > 0 : Boolean(v)))

export const RAG_OPTIONS = [
  { value: 'red', text: 'Red' },
  { value: 'amber', text: 'Amber' },
  { value: 'green', text: 'Green' },
  { value: 'none', text: 'Not rated' },
] as const

export const REVIEW_OPTIONS = [
  { value: '', text: 'Any' },
  { value: 'due', text: 'Due in the next 14 days' },
  { value: 'overdue', text: 'Overdue' },
  { value: 'due_or_overdue', text: 'Due or overdue' },
] as const

export const KIND_OPTIONS = [
  { value: 'child', text: 'Children and young people' },
  { value: 'adult', text: 'Adults of concern' },
  { value: 'all', text: 'Everyone' },
] as const

/** Closed records are read-only history: out of the register unless asked for. */
export const RECORDS_OPTIONS = [
  { value: 'open', text: 'Open records' },
  { value: 'closed', text: 'Closed records' },
  { value: 'all', text: 'Open and closed' },
] as const

export const SORT_OPTIONS = [
  { value: 'risk', text: 'Risk (Red first)' },
  { value: 'review', text: 'Review due (soonest first)' },
  { value: 'name', text: 'Name (A to Z)' },
  { value: 'assessed', text: 'Last assessed (most recent first)' },
] as const

/** How many days ahead a review counts as due. */
export const REVIEW_DUE_DAYS = 14
/** "Missing recently" means reported missing within this many days. */
export const MISSING_RECENT_DAYS = 30
export const PAGE_SIZES = [25, 50, 100] as const

/**
 * The register's filter, sort and page, from a query string (the register page, its CSV export and
 * the API all read the same one). Unknown values are errors, not silently ignored.
 */
export const registerFilterSchema = z.object({
  q: z.string().trim().max(100, 'Search must be 100 characters or fewer').optional().transform((v) => v || null),
  rag: many(['red', 'amber', 'green', 'none'], 'Select a risk level from the list'),
  area: optionalId('Select an area from the list'),
  agency: optionalId('Select an agency from the list'),
  team: optionalId('Select a team from the list'),
  worker: optionalId('Select a worker from the list'),
  review: z.enum(['', 'due', 'overdue', 'due_or_overdue'], { message: 'Select when the review is due from the list' }).optional().transform((v) => v || null),
  missing: checked,
  missingNow: checked,
  rhiOverdue: checked,
  cawnExpiring: checked,
  nrmAwaited: checked,
  outOfArea: checked,
  kind: z.enum(['child', 'adult', 'all'], { message: 'Select who to show' }).optional().default('child'),
  records: z.enum(['open', 'closed', 'all'], { message: 'Select open or closed records from the list' }).optional().default('open'),
  sort: z.enum(['risk', 'review', 'name', 'assessed'], { message: 'Select how to sort from the list' }).optional().default('risk'),
  page: z.coerce.number({ message: 'Page must be a number' }).int('Page must be a whole number').min(1, 'Page must be 1 or more').max(100_000, 'Page is too large').optional().default(1),
  pageSize: z.coerce
    .number({ message: 'Page size must be 25, 50 or 100' })
    .refine((n) => (PAGE_SIZES as readonly number[]).includes(n), 'Page size must be 25, 50 or 100')
    .optional()
    .default(25),
})

export type RegisterFilter = z.infer<typeof registerFilterSchema>

/** The filter as a query string again (for links: sort headers, pages, removing one filter). */
export function filterQuery(filter: RegisterFilter, changes: Partial<Record<keyof RegisterFilter, unknown>> = {}): string {
  const f = { ...filter, ...changes } as RegisterFilter
  const params = new URLSearchParams()
  if (f.q) params.set('q', f.q)
  for (const r of f.rag) params.append('rag', r)
  if (f.area) params.set('area', f.area)
  if (f.agency) params.set('agency', f.agency)
  if (f.team) params.set('team', f.team)
  if (f.worker) params.set('worker', f.worker)
  if (f.review) params.set('review', f.review)
  if (f.missing) params.set('missing', 'yes')
  if (f.missingNow) params.set('missingNow', 'yes')
  if (f.rhiOverdue) params.set('rhiOverdue', 'yes')
  if (f.cawnExpiring) params.set('cawnExpiring', 'yes')
  if (f.nrmAwaited) params.set('nrmAwaited', 'yes')
  if (f.outOfArea) params.set('outOfArea', 'yes')
  if (f.kind !== 'child') params.set('kind', f.kind)
  if (f.records !== 'open') params.set('records', f.records)
  if (f.sort !== 'risk') params.set('sort', f.sort)
  if (f.pageSize !== 25) params.set('pageSize', String(f.pageSize))
  if (f.page > 1) params.set('page', String(f.page))
  return params.toString()
}

/** What to write in the audit trail for a search: the filter without paging noise. */
export function filterForAudit(filter: RegisterFilter): Record<string, unknown> {
  const { page: _page, pageSize: _size, ...rest } = filter
  return Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== null && v !== false && !(Array.isArray(v) && v.length === 0)))
}
