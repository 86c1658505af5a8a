import { Router } from 'express'
import { guardedRouter } from '../../web/routes.ts'
import type { ModuleDeps } from '../types.ts'
import { parseForm } from '../../web/forms.ts'
import { flash } from '../../web/middleware/current-user.ts'
import { operationsService } from './service.ts'
import { ACTIVITY_KINDS, OPERATION_STATUSES, SEIZED_ITEMS, activitySchema, operationSchema, outcomeSchema, targetSchema } from './schemas.ts'

export function operationsRoutes(deps: ModuleDeps): Router {
  const routes = guardedRouter(deps.access)
  const ops = operationsService(deps)
  const constants = { statuses: OPERATION_STATUSES, activityKinds: ACTIVITY_KINDS, seizedItems: SEIZED_ITEMS }
  const agencyItems = async () => (await ops.agencies()).map((a) => ({ value: a.id, text: a.name }))

  routes.get('/operations', { permission: 'network:view' }, async (req, res) => {
    res.render('operations/views/list.njk', { operations: await ops.list(req.ctx), canEdit: deps.access.can(req.ctx, 'operation:edit') })
  })
  routes.get('/operations/new', { permission: 'operation:edit' }, async (req, res) => {
    res.render('operations/views/form.njk', { agencies: await agencyItems(), values: { leadAgencyId: req.ctx.user?.agencyId, status: 'active' }, ...constants })
  })
  routes.post('/operations/new', { permission: 'operation:edit' }, async (req, res) => {
    const parsed = parseForm(operationSchema, req.body)
    const result = parsed.ok ? await ops.create(req.ctx, parsed.value) : parsed
    if (!result.ok) return res.status(400).render('operations/views/form.njk', { agencies: await agencyItems(), values: req.body, errors: result.errors, ...constants })
    flash(req, { type: 'success', text: 'Operation recorded' })
    res.redirect(`/operations/${result.value}`)
  })
  routes.get('/operations/:id', { permission: 'network:view' }, async (req, res) => {
    res.render('operations/views/operation.njk', { ...(await ops.page(req.ctx, req.params.id)), values: {}, ...constants })
  })
  routes.post('/operations/:id/targets', { permission: 'operation:edit' }, async (req, res) => {
    const parsed = parseForm(targetSchema, req.body)
    const result = parsed.ok ? await ops.addTarget(req.ctx, req.params.id, parsed.value.entityId) : parsed
    if (!result.ok) return res.status(400).render('operations/views/operation.njk', { ...(await ops.page(req.ctx, req.params.id)), values: req.body, errors: result.errors, ...constants })
    flash(req, { type: 'success', text: 'Target added' })
    res.redirect(`/operations/${req.params.id}`)
  })
  routes.get('/operations/:id/activities/new', { permission: 'operation:edit' }, async (req, res) => {
    const page = await ops.page(req.ctx, req.params.id)
    res.render('operations/views/activity-form.njk', { ...page, values: {}, ...constants })
  })
  routes.post('/operations/:id/activities/new', { permission: 'operation:edit' }, async (req, res) => {
    const parsed = parseForm(activitySchema, req.body)
    const result = parsed.ok ? await ops.addActivity(req.ctx, req.params.id, parsed.value) : parsed
    if (!result.ok) return res.status(400).render('operations/views/activity-form.njk', { ...(await ops.page(req.ctx, req.params.id)), values: req.body, errors: result.errors, ...constants })
    flash(req, { type: 'success', text: 'Activity recorded' })
    res.redirect(`/operations/${req.params.id}`)
  })
  routes.get('/operations/:id/outcomes/new', { permission: 'operation:edit' }, async (req, res) => {
    const page = await ops.page(req.ctx, req.params.id)
    res.render('operations/views/outcome-form.njk', { ...page, values: {}, ...constants })
  })
  routes.post('/operations/:id/outcomes/new', { permission: 'operation:edit' }, async (req, res) => {
    const parsed = parseForm(outcomeSchema, req.body)
    const result = parsed.ok ? await ops.addOutcome(req.ctx, req.params.id, parsed.value) : parsed
    if (!result.ok) return res.status(400).render('operations/views/outcome-form.njk', { ...(await ops.page(req.ctx, req.params.id)), values: req.body, errors: result.errors, ...constants })
    flash(req, { type: 'success', text: 'Outcome recorded' })
    res.redirect(`/operations/${req.params.id}`)
  })
  return routes.router
}
