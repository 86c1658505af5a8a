import type { Request, Router } from 'express'
import { guardedRouter } from '../../web/routes.ts'
import type { ModuleDeps } from '../types.ts'
import { parseForm } from '../../web/forms.ts'
import { flash } from '../../web/middleware/current-user.ts'
import { sendCsv } from '../../lib/csv-download.ts'
import { adminService } from './service.ts'
import { AGENCY_KINDS, agencySchema, areaSchema, auditFilterSchema, editUserSchema, newAreaSchema, newUserSchema, resetPasswordSchema, teamSchema } from './schemas.ts'
import { areasAdmin } from './areas.ts'
import { jobsAdmin } from './jobs.ts'
import { AREA_KINDS } from '../../db/areas.ts'

const PAGE_SIZE = 50

const AUDIT_METADATA_COLUMNS = ['id', 'at', 'user_email', 'agency_id', 'action', 'record_type', 'record_id', 'request_id', 'method', 'path', 'token_id', 'token_name']

export function adminRoutes(deps: ModuleDeps): Router {
  const routes = guardedRouter(deps.access)
  const admin = adminService(deps)
  const { audit, access } = deps

  routes.get('/admin', { permission: 'admin:users' }, async (req, res) => {
    res.render('admin/views/index.njk')
  })

  // Background jobs
  const jobs = jobsAdmin(deps)
  routes.get('/admin/jobs', { permission: 'admin:config' }, async (req, res) => {
    res.render('admin/views/jobs.njk', await jobs.overview())
  })
  routes.post('/admin/jobs/:id/retry', { permission: 'admin:config' }, async (req, res) => {
    const retried = await jobs.retry(req.ctx, req.params.id)
    flash(req, retried ? { type: 'success', text: 'The job is queued again and will run shortly' } : { type: 'important', text: 'That job is not waiting for a retry (it may have been retried already)' })
    res.redirect('/admin/jobs')
  })

  // Agencies and teams
  routes.get('/admin/agencies', { permission: 'admin:agencies' }, async (req, res) => {
    res.render('admin/views/agencies.njk', { agencies: await admin.agencies(req.ctx), kinds: AGENCY_KINDS })
  })
  routes.post('/admin/agencies', { permission: 'admin:agencies' }, async (req, res) => {
    const parsed = parseForm(agencySchema, req.body)
    const result = parsed.ok ? await admin.addAgency(req.ctx, parsed.value) : parsed
    if (!result.ok) {
      return res.status(400).render('admin/views/agencies.njk', { agencies: await admin.agencies(req.ctx), kinds: AGENCY_KINDS, errors: result.errors, values: req.body })
    }
    flash(req, { type: 'success', text: `Agency ${parsed.ok ? parsed.value.name : ''} added` })
    res.redirect(`/admin/agencies/${result.value}`)
  })
  routes.get('/admin/agencies/:id', { permission: 'admin:agencies' }, async (req, res) => {
    res.render('admin/views/agency.njk', await admin.agencyWithTeams(req.ctx, req.params.id))
  })
  routes.post('/admin/agencies/:id/teams', { permission: 'admin:agencies' }, async (req, res) => {
    const parsed = parseForm(teamSchema, req.body)
    const result = parsed.ok ? await admin.addTeam(req.ctx, req.params.id, parsed.value.name) : parsed
    if (!result.ok) {
      return res.status(400).render('admin/views/agency.njk', { ...(await admin.agencyWithTeams(req.ctx, req.params.id)), errors: result.errors, values: req.body })
    }
    flash(req, { type: 'success', text: 'Team added' })
    res.redirect(`/admin/agencies/${req.params.id}`)
  })

  // Areas
  const areas = areasAdmin(deps)
  const areaFormValues = (a: { kind: string; parent_id: string | null; in_partnership: boolean; population: number | null }) => ({
    kind: a.kind,
    parentId: a.parent_id ?? '',
    inPartnership: a.in_partnership ? 'yes' : 'no',
    population: a.population === null ? '' : a.population.toLocaleString('en-GB'),
  })
  routes.get('/admin/areas', { permission: 'admin:agencies' }, async (req, res) => {
    res.render('admin/views/areas.njk', { areas: await areas.areas(req.ctx), kinds: AREA_KINDS })
  })
  routes.get('/admin/areas/new', { permission: 'admin:agencies' }, async (req, res) => {
    res.render('admin/views/area-form.njk', { parents: await areas.parentOptions(req.ctx), kinds: AREA_KINDS, values: { inPartnership: 'yes' }, isNew: true })
  })
  routes.post('/admin/areas/new', { permission: 'admin:agencies' }, async (req, res) => {
    const parsed = parseForm(newAreaSchema, req.body)
    const result = parsed.ok ? await areas.addArea(req.ctx, parsed.value) : parsed
    if (!result.ok) {
      return res.status(400).render('admin/views/area-form.njk', { parents: await areas.parentOptions(req.ctx), kinds: AREA_KINDS, values: req.body, errors: result.errors, isNew: true })
    }
    flash(req, { type: 'success', text: `Area ${parsed.ok ? parsed.value.name : ''} added` })
    res.redirect('/admin/areas')
  })
  routes.get('/admin/areas/:id', { permission: 'admin:agencies' }, async (req, res) => {
    const { area, parents } = await areas.area(req.ctx, req.params.id)
    res.render('admin/views/area-form.njk', { area, parents, kinds: AREA_KINDS, values: areaFormValues(area), isNew: false })
  })
  routes.post('/admin/areas/:id', { permission: 'admin:agencies' }, async (req, res) => {
    const parsed = parseForm(areaSchema, req.body)
    const result = parsed.ok ? await areas.updateArea(req.ctx, req.params.id, parsed.value) : parsed
    if (!result.ok) {
      const { area, parents } = await areas.area(req.ctx, req.params.id)
      return res.status(400).render('admin/views/area-form.njk', { area, parents, kinds: AREA_KINDS, values: req.body, errors: result.errors, isNew: false })
    }
    flash(req, { type: 'success', text: `Area ${result.value} updated` })
    res.redirect('/admin/areas')
  })

  // Users
  routes.get('/admin/users', { permission: 'admin:users' }, async (req, res) => {
    res.render('admin/views/users.njk', { users: await admin.users(req.ctx), now: new Date() })
  })
  routes.get('/admin/users/new', { permission: 'admin:users' }, async (req, res) => {
    res.render('admin/views/user-form.njk', { options: await admin.formOptions(req.ctx), values: {}, isNew: true })
  })
  routes.post('/admin/users/new', { permission: 'admin:users' }, async (req, res) => {
    const parsed = parseForm(newUserSchema, req.body)
    const result = parsed.ok ? await admin.addUser(req.ctx, parsed.value) : parsed
    if (!result.ok) {
      return res.status(400).render('admin/views/user-form.njk', { options: await admin.formOptions(req.ctx), values: req.body, errors: result.errors, isNew: true })
    }
    flash(req, { type: 'success', text: 'User added' })
    res.redirect('/admin/users')
  })
  async function userPage(req: Request, id: string, extra: Record<string, unknown> = {}) {
    const user = await admin.user(req.ctx, id)
    return {
      options: await admin.formOptions(req.ctx),
      values: { name: user.name, email: user.email, agencyId: user.agency_id, teamId: user.team_id ?? '', role: user.role },
      account: user,
      isNew: false,
      ...extra,
    }
  }
  routes.get('/admin/users/:id', { permission: 'admin:users' }, async (req, res) => {
    res.render('admin/views/user-form.njk', await userPage(req, req.params.id))
  })
  routes.post('/admin/users/:id', { permission: 'admin:users' }, async (req, res) => {
    const user = await admin.user(req.ctx, req.params.id)
    const parsed = parseForm(editUserSchema, req.body)
    const result = parsed.ok ? await admin.updateUser(req.ctx, req.params.id, parsed.value) : parsed
    if (!result.ok) {
      return res.status(400).render('admin/views/user-form.njk', await userPage(req, req.params.id, { values: { ...req.body, email: user.email }, errors: result.errors }))
    }
    flash(req, { type: 'success', text: `${parsed.ok ? parsed.value.name : 'User'} updated` })
    res.redirect('/admin/users')
  })
  routes.post('/admin/users/:id/deactivate', { permission: 'admin:users' }, async (req, res) => {
    await admin.setActive(req.ctx, req.params.id, false)
    flash(req, { type: 'success', text: 'User deactivated and signed out' })
    res.redirect('/admin/users')
  })
  routes.post('/admin/users/:id/reactivate', { permission: 'admin:users' }, async (req, res) => {
    const result = await admin.setActive(req.ctx, req.params.id, true)
    flash(req, result.ok ? { type: 'success', text: 'User reactivated' } : { type: 'important', text: result.message })
    res.redirect(result.ok ? '/admin/users' : `/admin/users/${req.params.id}`)
  })
  routes.post('/admin/users/:id/clear-sign-in-delays', { permission: 'admin:users' }, async (req, res) => {
    await admin.clearSignInDelays(req.ctx, req.params.id)
    flash(req, { type: 'success', text: 'Sign-in delays cleared: they can try again at once' })
    res.redirect(`/admin/users/${req.params.id}`)
  })
  routes.post('/admin/users/:id/password', { permission: 'admin:users' }, async (req, res) => {
    const parsed = parseForm(resetPasswordSchema, req.body)
    const result = parsed.ok ? await admin.resetPassword(req.ctx, req.params.id, parsed.value.password) : parsed
    if (!result.ok) return res.status(400).render('admin/views/user-form.njk', await userPage(req, req.params.id, { errors: result.errors }))
    flash(req, { type: 'success', text: 'Password set and the person signed out everywhere. Tell them the new password in person or by phone, never by email' })
    res.redirect(`/admin/users/${req.params.id}`)
  })
  routes.post('/admin/users/:id/two-factor/reset', { permission: 'admin:users' }, async (req, res) => {
    await admin.resetSecondFactor(req.ctx, req.params.id)
    flash(req, { type: 'success', text: 'Two-factor authentication reset and the person signed out: they set it up again when they next sign in' })
    res.redirect(`/admin/users/${req.params.id}`)
  })
  routes.get('/admin/roles', { permission: 'admin:users' }, async (req, res) => {
    res.render('admin/views/roles.njk', await admin.roles(req.ctx))
  })

  // The audit trail
  routes.get('/admin/audit', { permission: 'admin:audit' }, async (req, res) => {
    const parsed = parseForm(auditFilterSchema, req.query)
    const filter = parsed.ok ? parsed.value : { page: 1 }
    const { rows, total, totalIsAtLeast } = await audit.search(req.ctx.user!, parsed.ok ? filter : {}, PAGE_SIZE, (filter.page - 1) * PAGE_SIZE)
    await audit.record(req.ctx, { action: 'search', recordType: 'audit', details: { filter } })
    const query = new URLSearchParams(Object.entries(req.query).filter(([k, v]) => k !== 'page' && typeof v === 'string' && v) as [string, string][])
    res.render('admin/views/audit.njk', {
      rows,
      total,
      totalIsAtLeast,
      seesDetails: access.can(req.ctx, 'audit:details'),
      filter,
      values: req.query,
      errors: parsed.ok ? undefined : parsed.errors,
      actions: (await audit.actions()).map((a) => ({ value: a, text: a })),
      page: filter.page,
      pages: Math.max(1, Math.ceil(total / PAGE_SIZE)),
      query: query.toString(),
    })
  })
  routes.get('/admin/audit/export.csv', { permission: 'admin:audit' }, async (req, res) => {
    const parsed = parseForm(auditFilterSchema, req.query)
    const filter = parsed.ok ? parsed.value : {}
    await audit.record(req.ctx, { action: 'export', recordType: 'audit', details: { filter } })
    // Administrators export the metadata; the details columns only with audit:details.
    const columns = access.can(req.ctx, 'audit:details') ? [...AUDIT_METADATA_COLUMNS, 'reason', 'details'] : AUDIT_METADATA_COLUMNS
    async function* batches() {
      for await (const rows of audit.iterate(req.ctx.user!, filter)) {
        yield rows.map((r) => columns.map((c) => (c === 'details' ? (r.details ? JSON.stringify(r.details) : '') : r[c as keyof typeof r])))
      }
    }
    await sendCsv(res, 'lantern-audit.csv', columns, batches())
  })
  return routes.router
}
