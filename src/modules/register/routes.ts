import { Router, type Request } from 'express'
import { guardedRouter } from '../../web/routes.ts'
import { replicaReads } from '../../db/replica.ts'
import type { ModuleDeps } from '../types.ts'
import { parseForm } from '../../web/forms.ts'
import { sendCsv } from '../../lib/csv-download.ts'
import { pagination } from '../../web/pagination.ts'
import { registerService } from './service.ts'
import { similarNames } from '../linkage/index.ts'
import { CAWN_EXPIRY_WARNING_DAYS, NRM_DECISION_WAIT_DAYS } from '../referrals/index.ts'
import { filterQuery, KIND_OPTIONS, MISSING_RECENT_DAYS, PAGE_SIZES, RAG_OPTIONS, RECORDS_OPTIONS, REVIEW_DUE_DAYS, REVIEW_OPTIONS, registerFilterSchema, SORT_OPTIONS, type RegisterFilter } from './schemas.ts'
import { z } from 'zod'

const escapeHtml = (v: string) => v.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

/** The <option>s of a select, escaped, with the chosen one selected. */
export function optionTags(items: readonly { value: string; text: string }[], selected: unknown, placeholder?: string): string {
  const chosen = typeof selected === 'string' ? selected : ''
  const option = (value: string, text: string) => `<option value="${escapeHtml(value)}"${value === chosen ? ' selected' : ''}>${escapeHtml(text)}</option>`
  return (placeholder ? option('', placeholder) : '') + items.map((i) => option(i.value, i.text)).join('')
}

/** Column headers the register can be sorted by, with the direction each sorts in. */
const SORTABLE = { name: 'ascending', risk: 'descending', review: 'ascending', assessed: 'descending' } as const

const countsSchema = z.object({
  kind: z.enum(['child', 'adult']).optional().default('child'),
  by: z.enum(['current', 'home']).optional().default('current'),
})

/** The sub-navigation of the register pages, for what this user may use. */
function registerTabs(req: Request, active: string) {
  const can = (p: string) => req.ctx.user!.permissions.has(p)
  return [
    { text: 'All records', href: '/register', active: active === 'register' },
    { text: 'My caseload', href: '/register/caseload', active: active === 'caseload' },
    ...(can('team:view') ? [{ text: 'My team', href: '/register/team', active: active === 'team' }] : []),
    ...(can('aggregates:view') ? [{ text: 'Counts by area', href: '/dashboards/risk', active: active === 'counts' }] : []),
  ]
}

type Options = Awaited<ReturnType<ReturnType<typeof registerService>['options']>>

/** The tags of the MOJ filter's "Selected filters", each linking to the register without it. */
function selectedFilters(f: RegisterFilter, options: Options) {
  const without = (changes: Partial<Record<keyof RegisterFilter, unknown>>) => `/register?${filterQuery(f, { ...changes, page: 1 })}`
  const name = (list: { id: string; name: string }[], id: string | null) => list.find((x) => x.id === id)?.name ?? 'Unknown'
  const categories: { heading: { text: string }; items: { href: string; text: string }[] }[] = []
  const add = (heading: string, items: { href: string; text: string }[]) => items.length && categories.push({ heading: { text: heading }, items })
  if (f.q) add('Name or identifier', [{ href: without({ q: null }), text: f.q }])
  if (f.kind !== 'child') add('Who', [{ href: without({ kind: 'child' }), text: KIND_OPTIONS.find((k) => k.value === f.kind)!.text }])
  if (f.records !== 'open') add('Records', [{ href: without({ records: 'open' }), text: RECORDS_OPTIONS.find((o) => o.value === f.records)!.text }])
  add('Risk', f.rag.map((r) => ({ href: without({ rag: f.rag.filter((x) => x !== r) }), text: RAG_OPTIONS.find((o) => o.value === r)!.text })))
  if (f.review) add('Review', [{ href: without({ review: null }), text: REVIEW_OPTIONS.find((o) => o.value === f.review)!.text }])
  if (f.area) add('Area', [{ href: without({ area: null }), text: name(options.areas, f.area) }])
  if (f.agency) add('Agency', [{ href: without({ agency: null }), text: name(options.agencies, f.agency) }])
  if (f.team) add('Team', [{ href: without({ team: null }), text: name(options.teams, f.team) }])
  if (f.worker) add('Allocated worker', [{ href: without({ worker: null }), text: name(options.workers, f.worker) }])
  if (f.missing) add('Missing', [{ href: without({ missing: false }), text: `Missing in the last ${MISSING_RECENT_DAYS} days` }])
  if (f.missingNow) add('Missing now', [{ href: without({ missingNow: false }), text: 'Missing now' }])
  if (f.rhiOverdue) add('Return home interview', [{ href: without({ rhiOverdue: false }), text: 'Interview overdue' }])
  if (f.cawnExpiring) add('Child abduction warning notice', [{ href: without({ cawnExpiring: false }), text: `Expiring within ${CAWN_EXPIRY_WARNING_DAYS} days` }])
  if (f.nrmAwaited) add('National Referral Mechanism', [{ href: without({ nrmAwaited: false }), text: `Decision awaited over ${NRM_DECISION_WAIT_DAYS} days` }])
  if (f.outOfArea) add('Where', [{ href: without({ outOfArea: false }), text: 'Living out of area' }])
  return categories
}

export function registerRoutes(deps: ModuleDeps): Router {
  const routes = guardedRouter(deps.access)
  const register = registerService(deps)
  // The partnership's figures (counts by area) only read: a replica, when near enough, answers them.
  const figures = replicaReads(deps.replica, register, (db) => registerService({ ...deps, db }))
  const { access } = deps

  routes.get('/register', { permission: 'register:view' }, async (req, res) => {
    const parsed = parseForm(registerFilterSchema, req.query)
    // The filter's choices and the search are independent: one round trip's wait, not two.
    const [options, result] = await Promise.all([register.options(), parsed.ok ? register.search(req.ctx, parsed.value) : null])
    const values = parsed.ok ? parsed.value : (req.query as Record<string, unknown>)
    const common = {
      tabs: registerTabs(req, 'register'),
      options: {
        area: optionTags(options.areas.map((a) => ({ value: a.id, text: a.name })), values.area, 'Any area'),
        agency: optionTags(options.agencies.map((a) => ({ value: a.id, text: a.name })), values.agency, 'Any agency'),
        team: optionTags(options.teams.map((t) => ({ value: t.id, text: `${t.name} (${t.agency})` })), values.team, 'Any team'),
        worker: optionTags(options.workers.map((w) => ({ value: w.id, text: `${w.name} (${w.agency})` })), values.worker, 'Anyone'),
        sort: optionTags(SORT_OPTIONS, values.sort ?? 'risk'),
        pageSize: optionTags(PAGE_SIZES.map((n) => ({ value: String(n), text: String(n) })), String(values.pageSize ?? 25)),
      },
      ragOptions: RAG_OPTIONS,
      reviewOptions: REVIEW_OPTIONS,
      kindOptions: KIND_OPTIONS,
      recordsOptions: RECORDS_OPTIONS,
      missingDays: MISSING_RECENT_DAYS,
      reviewDays: REVIEW_DUE_DAYS,
      cawnDays: CAWN_EXPIRY_WARNING_DAYS,
      nrmDays: NRM_DECISION_WAIT_DAYS,
      canCreate: access.can(req.ctx, 'person:create'),
      canExport: access.can(req.ctx, 'person:export'),
    }
    if (!parsed.ok || !result) {
      return res.status(400).render('register/views/register.njk', { ...common, errors: parsed.ok ? undefined : parsed.errors, values: req.query, rows: [], total: 0, invalid: true })
    }
    const filter = parsed.value
    // A name typed a little differently from the record ("Kyle Mash") is found as the duplicate check would find it.
    const shown = new Set(result.rows.map((r) => r.id))
    const similar = filter.q && filter.q.trim().includes(' ') ? (await similarNames(deps, req.ctx, filter.q)).filter((m) => !shown.has(m.id)) : []
    const pages = Math.ceil(result.total / filter.pageSize)
    const query = filterQuery(filter, { page: 1 })
    res.render('register/views/register.njk', {
      ...common,
      ...result,
      similar,
      filter,
      values: { ...filter, area: filter.area ?? '', agency: filter.agency ?? '', team: filter.team ?? '', worker: filter.worker ?? '', review: filter.review ?? '' },
      selected: selectedFilters(filter, options),
      sortLinks: Object.fromEntries(
        Object.entries(SORTABLE).map(([key, direction]) => [key, { href: `/register?${filterQuery(filter, { sort: key, page: 1 })}`, ariaSort: filter.sort === key ? direction : 'none' }]),
      ),
      exportHref: `/register/export.csv${query ? `?${query}` : ''}`,
      pagination: pagination(Math.min(filter.page, Math.max(pages, 1)), pages, (n) => `/register?${filterQuery(filter, { page: n })}`),
      firstRow: (filter.page - 1) * filter.pageSize + 1,
    })
  })

  routes.get('/register/export.csv', { permission: 'person:export' }, async (req, res) => {
    const parsed = parseForm(registerFilterSchema, req.query)
    if (!parsed.ok) return res.redirect(`/register?${new URLSearchParams(req.query as Record<string, string>)}`)
    const download = await register.export(req.ctx, parsed.value)
    await sendCsv(res, download.filename, download.columns, download.batches)
  })

  routes.get('/register/caseload', { permission: 'register:view' }, async (req, res) => {
    const caseload = await register.caseload(req.ctx)
    res.render('register/views/caseload.njk', { ...caseload, tabs: registerTabs(req, 'caseload'), reviewDays: REVIEW_DUE_DAYS, missingDays: MISSING_RECENT_DAYS })
  })

  routes.get('/register/team', { permission: 'team:view' }, async (req, res) => {
    const team = await register.team(req.ctx)
    res.render('register/views/team.njk', { ...team, tabs: registerTabs(req, 'team'), reviewDays: REVIEW_DUE_DAYS, missingDays: MISSING_RECENT_DAYS, teamName: req.ctx.user!.teamName, teamId: req.ctx.user!.teamId })
  })

  routes.get('/dashboards/risk', { permission: 'aggregates:view' }, async (req, res) => {
    const parsed = countsSchema.safeParse(req.query)
    const { kind, by } = parsed.success ? parsed.data : { kind: 'child' as const, by: 'current' as const }
    const counts = await figures((s) => s.counts(req.ctx, kind, by))
    res.render('register/views/counts.njk', {
      ...counts,
      tabs: access.can(req.ctx, 'register:view') ? registerTabs(req, 'counts') : null,
      canList: access.can(req.ctx, 'register:view'),
      missingDays: MISSING_RECENT_DAYS,
    })
  })

  return routes.router
}
