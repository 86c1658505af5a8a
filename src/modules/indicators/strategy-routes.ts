import { Router } from 'express'
import { guardedRouter } from '../../web/routes.ts'
import type { ModuleDeps } from '../types.ts'
import { parseForm } from '../../web/forms.ts'
import { flash } from '../../web/middleware/current-user.ts'
import { strategyService, STATUS_TEXT } from './strategy.ts'
import { scrutinyLinksFor } from '../scrutiny/index.ts'
import { ACTION_STATUSES, actionSchema, objectiveIndicatorSchema, objectiveSchema, strategySchema } from './schemas.ts'

/** The partnership strategy: objectives, their indicators and the actions that serve them. */
export function strategyRoutes(deps: ModuleDeps): Router {
  const routes = guardedRouter(deps.access)
  const service = strategyService(deps)
  const statuses = ACTION_STATUSES

  routes.get('/strategy', { permission: 'indicators:view' }, async (req, res) => {
    res.render('indicators/views/strategy.njk', { ...(await service.overview(req.ctx)), statusText: STATUS_TEXT, today: service.today() })
  })

  routes.get('/strategy/edit', { permission: 'strategy:edit' }, async (req, res) => {
    await service.options(req.ctx)
    const { progress } = await service.overview(req.ctx)
    const s = progress?.strategy
    res.render('indicators/views/strategy-form.njk', { values: s ? { title: s.title, summary: s.summary, periodStart: s.period_start, periodEnd: s.period_end } : {}, isNew: !s })
  })
  routes.post('/strategy/edit', { permission: 'strategy:edit' }, async (req, res) => {
    const parsed = parseForm(strategySchema, req.body)
    const result = parsed.ok ? await service.saveStrategy(req.ctx, parsed.value) : parsed
    if (!result.ok) return res.status(400).render('indicators/views/strategy-form.njk', { values: req.body, errors: result.errors })
    flash(req, { type: 'success', text: 'Strategy saved' })
    res.redirect('/strategy')
  })

  routes.get('/strategy/objectives/new', { permission: 'strategy:edit' }, async (req, res) => {
    res.render('indicators/views/objective-form.njk', { options: await service.options(req.ctx), values: {}, isNew: true })
  })
  routes.post('/strategy/objectives/new', { permission: 'strategy:edit' }, async (req, res) => {
    const parsed = parseForm(objectiveSchema, req.body)
    const result = parsed.ok ? await service.saveObjective(req.ctx, parsed.value) : parsed
    if (!result.ok) return res.status(400).render('indicators/views/objective-form.njk', { options: await service.options(req.ctx), values: req.body, errors: result.errors, isNew: true })
    flash(req, { type: 'success', text: 'Objective added' })
    res.redirect(`/strategy/objectives/${result.value}`)
  })

  routes.get('/strategy/objectives/:id', { permission: 'indicators:view' }, async (req, res) => {
    const data = await service.objective(req.ctx, req.params.id)
    const scrutiny = await scrutinyLinksFor(deps.db, deps.clock.today(), req.ctx, { actionIds: data.objective.actions.map((a: { id: string }) => a.id) })
    res.render('indicators/views/objective.njk', { ...data, answers: Object.fromEntries(scrutiny.byAction), statusText: STATUS_TEXT, statuses, options: data.canEdit ? await service.options(req.ctx) : null })
  })
  routes.get('/strategy/objectives/:id/edit', { permission: 'strategy:edit' }, async (req, res) => {
    const o = await service.objectiveForEdit(req.ctx, req.params.id)
    res.render('indicators/views/objective-form.njk', { options: await service.options(req.ctx), values: { title: o.title, description: o.description, leadAgencyId: o.lead_agency_id ?? '' }, objective: o, isNew: false })
  })
  routes.post('/strategy/objectives/:id/edit', { permission: 'strategy:edit' }, async (req, res) => {
    const parsed = parseForm(objectiveSchema, req.body)
    const result = parsed.ok ? await service.saveObjective(req.ctx, parsed.value, req.params.id) : parsed
    if (!result.ok) {
      const o = await service.objectiveForEdit(req.ctx, req.params.id)
      return res.status(400).render('indicators/views/objective-form.njk', { options: await service.options(req.ctx), values: req.body, errors: result.errors, objective: o, isNew: false })
    }
    flash(req, { type: 'success', text: 'Objective updated' })
    res.redirect(`/strategy/objectives/${req.params.id}`)
  })

  routes.post('/strategy/objectives/:id/indicators', { permission: 'strategy:edit' }, async (req, res) => {
    const parsed = parseForm(objectiveIndicatorSchema, req.body)
    const result = parsed.ok ? await service.linkIndicator(req.ctx, req.params.id, parsed.value) : parsed
    if (!result.ok) {
      const data = await service.objective(req.ctx, req.params.id)
      return res.status(400).render('indicators/views/objective.njk', { ...data, statusText: STATUS_TEXT, statuses, options: await service.options(req.ctx), errors: result.errors, linkValues: req.body })
    }
    flash(req, { type: 'success', text: 'Indicator linked to the objective' })
    res.redirect(`/strategy/objectives/${req.params.id}`)
  })
  routes.post('/strategy/objectives/:id/indicators/remove', { permission: 'strategy:edit' }, async (req, res) => {
    const body = req.body as { indicatorId?: string; areaId?: string }
    await service.unlinkIndicator(req.ctx, req.params.id, String(body.indicatorId ?? ''), String(body.areaId ?? ''))
    flash(req, { type: 'success', text: 'Indicator removed from the objective' })
    res.redirect(`/strategy/objectives/${req.params.id}`)
  })

  routes.get('/strategy/objectives/:id/actions/new', { permission: 'strategy:edit' }, async (req, res) => {
    const objective = await service.objectiveForEdit(req.ctx, req.params.id)
    res.render('indicators/views/action-form.njk', { options: await service.options(req.ctx), statuses, objective, values: { status: 'not_started' }, isNew: true })
  })
  routes.post('/strategy/objectives/:id/actions/new', { permission: 'strategy:edit' }, async (req, res) => {
    const parsed = parseForm(actionSchema, req.body)
    const result = parsed.ok ? await service.saveAction(req.ctx, parsed.value, { objectiveId: req.params.id }) : parsed
    if (!result.ok) {
      const objective = await service.objectiveForEdit(req.ctx, req.params.id)
      return res.status(400).render('indicators/views/action-form.njk', { options: await service.options(req.ctx), statuses, objective, values: req.body, errors: result.errors, isNew: true })
    }
    flash(req, { type: 'success', text: 'Action added' })
    res.redirect(`/strategy/objectives/${req.params.id}`)
  })
  routes.get('/strategy/actions/:id', { permission: 'strategy:edit' }, async (req, res) => {
    const { action, objective } = await service.actionForEdit(req.ctx, req.params.id)
    res.render('indicators/views/action-form.njk', {
      options: await service.options(req.ctx),
      statuses,
      objective,
      action,
      values: { title: action.title, leadAgencyId: action.lead_agency_id ?? '', dueDate: action.due_date ?? '', status: action.status, progressNote: action.progress_note ?? '' },
      isNew: false,
    })
  })
  routes.post('/strategy/actions/:id', { permission: 'strategy:edit' }, async (req, res) => {
    const parsed = parseForm(actionSchema, req.body)
    const result = parsed.ok ? await service.saveAction(req.ctx, parsed.value, { actionId: req.params.id }) : parsed
    if (!result.ok) {
      const { action, objective } = await service.actionForEdit(req.ctx, req.params.id)
      return res.status(400).render('indicators/views/action-form.njk', { options: await service.options(req.ctx), statuses, objective, action, values: req.body, errors: result.errors, isNew: false })
    }
    flash(req, { type: 'success', text: 'Action updated' })
    res.redirect(`/strategy/objectives/${result.value}`)
  })
  return routes.router
}
