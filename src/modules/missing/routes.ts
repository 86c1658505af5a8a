import { Router, type Request, type Response } from 'express'
import { guardedRouter } from '../../web/routes.ts'
import type { ModuleDeps } from '../types.ts'
import { parseForm } from '../../web/forms.ts'
import { formErrors, type FormErrors, type Result } from '../../kernel/form-errors.ts'
import { flash } from '../../web/middleware/current-user.ts'
import { dateTimeParts, readDateTimeInput } from './datetime.ts'
import { episodeFieldsSchema, rhiFieldsSchema } from './schemas.ts'
import { versionSchema } from '../../web/fields.ts'
import { missingService, type EpisodeInput, type RhiInput } from './service.ts'
import { CONCERNS, FOUND_BY, RHI_STATUS_TEXT } from './rules.ts'
import { voidRoutes } from '../people/index.ts'
import { formatDateTime } from '../../web/nunjucks.ts'
import { showingSavedOnConflict } from '../../web/conflict.ts'
import type { MissingEpisode } from './tables.ts'

type Issue = { field: string; message: string }
const issuesOf = (errors: FormErrors): Issue[] => errors.errorList.map((e) => ({ field: e.href.slice(1), message: e.text }))

/** The episode form: GOV.UK date inputs with a time, and the rest through zod; errors in form order. */
export function readEpisodeForm(body: Record<string, unknown>, now: Date): Result<EpisodeInput> {
  const missing = readDateTimeInput(body, 'missing', 'they were reported missing', { required: true, now })
  const found = readDateTimeInput(body, 'found', 'they were found', { required: false, now })
  const fields = parseForm(episodeFieldsSchema, body)
  if (missing.ok && found.ok && fields.ok && missing.value) {
    return { ok: true, value: { ...fields.value, reportedMissingAt: missing.value, foundAt: found.value } }
  }
  const fieldIssues = fields.ok ? [] : issuesOf(fields.errors)
  const order = ['missing-day', 'missing-time', 'missingFromAreaId', 'policeReference', 'found-day', 'found-time', 'foundAreaId', 'foundLocation', 'foundBy', 'foundByDetail', 'concerns', 'notes']
  const issues: Issue[] = [...(missing.ok ? [] : [{ field: missing.field, message: missing.message }]), ...(found.ok ? [] : [{ field: found.field, message: found.message }]), ...fieldIssues]
  issues.sort((a, b) => order.indexOf(a.field) - order.indexOf(b.field))
  return { ok: false, errors: formErrors(issues) }
}

export function readRhiForm(body: Record<string, unknown>, now: Date): Result<RhiInput> {
  const offered = readDateTimeInput(body, 'offered', 'the interview was offered', { required: false, now })
  const held = readDateTimeInput(body, 'held', 'the interview was held', { required: false, now })
  const fields = parseForm(rhiFieldsSchema, body)
  if (offered.ok && held.ok && fields.ok) return { ok: true, value: { ...fields.value, offeredAt: offered.value, heldAt: held.value } }
  return {
    ok: false,
    errors: formErrors([
      ...(offered.ok ? [] : [{ field: offered.field, message: offered.message }]),
      ...(held.ok ? [] : [{ field: held.field, message: held.message }]),
      ...(fields.ok ? [] : issuesOf(fields.errors)),
    ]),
  }
}

function episodeValues(ep: MissingEpisode) {
  return {
    version: ep.version,
    ...dateTimeParts(ep.reported_missing_at, 'missing'),
    ...dateTimeParts(ep.found_at, 'found'),
    missingFromAreaId: ep.missing_from_area_id,
    policeReference: ep.police_reference,
    foundAreaId: ep.found_area_id,
    foundLocation: ep.found_location,
    foundBy: ep.found_by,
    foundByDetail: ep.found_by_detail,
    concerns: ep.concerns,
    notes: ep.notes,
  }
}

function rhiValues(ep: MissingEpisode) {
  return {
    version: ep.version,
    ...dateTimeParts(ep.rhi_offered_at, 'offered'),
    ...dateTimeParts(ep.rhi_held_at, 'held'),
    heldBy: ep.rhi_held_by,
    rhiAgencyId: ep.rhi_agency_id,
    declined: ep.rhi_declined ? ['yes'] : [],
    rhiNotes: ep.rhi_notes,
  }
}

export function missingRoutes(deps: ModuleDeps): Router {
  const routes = guardedRouter(deps.access)
  const missing = missingService(deps)
  const lists = { concerns: CONCERNS, foundByItems: FOUND_BY, rhiStatusText: RHI_STATUS_TEXT }

  async function renderEpisodeForm(req: Request, res: Response, status: number, extra: { values: Record<string, unknown>; errors?: FormErrors; episodeId?: string }) {
    const { person, episode } = await missing.forEdit(req.ctx, String(req.params.id), extra.episodeId ?? null)
    res.status(status).render('missing/views/episode-form.njk', { person, episode, ...(await missing.formOptions()), ...lists, ...extra })
  }

  routes.get('/people/:id/missing', { permission: 'person:view' }, async (req, res) => {
    res.render('missing/views/missing.njk', { ...(await missing.page(req.ctx, req.params.id)), ...lists })
  })

  routes.get('/people/:id/missing/new', { permission: 'person:edit' }, async (req, res) => {
    const { person } = await missing.forEdit(req.ctx, req.params.id, null)
    await renderEpisodeForm(req, res, 200, { values: { missingFromAreaId: person.current_area_id } })
  })

  routes.post('/people/:id/missing/new', { permission: 'person:edit' }, async (req, res) => {
    const form = readEpisodeForm(req.body, deps.clock.now())
    const result = form.ok ? await missing.create(req.ctx, req.params.id, form.value) : form
    if (!result.ok) return renderEpisodeForm(req, res, 400, { values: req.body, errors: result.errors })
    flash(req, { type: 'success', text: 'Missing episode recorded' })
    res.redirect(`/people/${req.params.id}/missing/${result.value}`)
  })

  routes.get('/people/:id/missing/:episodeId', { permission: 'person:view' }, async (req, res) => {
    res.render('missing/views/episode.njk', { ...(await missing.episode(req.ctx, req.params.id, req.params.episodeId)), ...lists })
  })

  routes.get('/people/:id/missing/:episodeId/edit', { permission: 'person:edit' }, async (req, res) => {
    const { episode } = await missing.forEdit(req.ctx, req.params.id, req.params.episodeId)
    await renderEpisodeForm(req, res, 200, { values: episodeValues(episode!), episodeId: req.params.episodeId })
  })

  routes.post('/people/:id/missing/:episodeId/edit', { permission: 'person:edit' }, async (req, res) => {
    const form = readEpisodeForm(req.body, deps.clock.now())
    const version = versionSchema.safeParse(req.body?.version)
    const saved = async () => episodeValues((await missing.forEdit(req.ctx, req.params.id, req.params.episodeId)).episode!)
    const result = form.ok ? await showingSavedOnConflict(missing.update(req.ctx, req.params.id, req.params.episodeId, version.success ? version.data : 0, form.value), saved) : form
    if (!result.ok) return renderEpisodeForm(req, res, 400, { values: req.body, errors: result.errors, episodeId: req.params.episodeId })
    flash(req, { type: 'success', text: 'Missing episode updated' })
    res.redirect(`/people/${req.params.id}/missing/${req.params.episodeId}`)
  })

  async function renderRhiForm(req: Request, res: Response, status: number, values: Record<string, unknown>, errors?: FormErrors) {
    const { person, episode } = await missing.forEdit(req.ctx, String(req.params.id), String(req.params.episodeId))
    res.status(status).render('missing/views/rhi-form.njk', { person, episode, values, errors, ...(await missing.formOptions()) })
  }

  routes.get('/people/:id/missing/:episodeId/return-home-interview', { permission: 'person:edit' }, async (req, res) => {
    const { episode } = await missing.forEdit(req.ctx, req.params.id, req.params.episodeId)
    await renderRhiForm(req, res, 200, rhiValues(episode!))
  })

  routes.post('/people/:id/missing/:episodeId/return-home-interview', { permission: 'person:edit' }, async (req, res) => {
    const form = readRhiForm(req.body, deps.clock.now())
    const version = versionSchema.safeParse(req.body?.version)
    const saved = async () => rhiValues((await missing.forEdit(req.ctx, req.params.id, req.params.episodeId)).episode!)
    const result = form.ok ? await showingSavedOnConflict(missing.recordRhi(req.ctx, req.params.id, req.params.episodeId, version.success ? version.data : 0, form.value), saved) : form
    if (!result.ok) return renderRhiForm(req, res, 400, req.body, result.errors)
    flash(req, { type: 'success', text: 'Return home interview recorded' })
    res.redirect(`/people/${req.params.id}/missing/${req.params.episodeId}`)
  })

  voidRoutes(routes, '/people/:id/missing/:episodeId/void', {
    section: 'missing',
    record: 'missing episode',
    async load(req) {
      const { person, episode } = await missing.forEdit(req.ctx, String(req.params.id), String(req.params.episodeId))
      const ep = episode!
      return {
        person,
        version: ep.version,
        label: `reported ${formatDateTime(ep.reported_missing_at)}`,
        summaryRows: [
          { key: { text: 'Reported missing' }, value: { text: formatDateTime(ep.reported_missing_at) } },
          { key: { text: 'Found' }, value: { text: ep.found_at ? formatDateTime(ep.found_at) : 'Not yet found' } },
        ],
        back: `/people/${person.id}/missing/${ep.id}`,
      }
    },
    void: (req, input) => missing.void(req.ctx, String(req.params.id), String(req.params.episodeId), input),
    done: (req) => `/people/${String(req.params.id)}/missing/${String(req.params.episodeId)}`,
  })

  return routes.router
}
