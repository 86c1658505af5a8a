import { Router, type Request, type Response } from 'express'
import { guardedRouter } from '../../web/routes.ts'
import type { ModuleDeps } from '../types.ts'
import { parseForm } from '../../web/forms.ts'
import { formErrors, type FormErrors } from '../../kernel/form-errors.ts'
import { flash } from '../../web/middleware/current-user.ts'
import { optionalText } from '../../web/fields.ts'
import { confirmSchema, fieldForProblem, readSection, readToolForm, submitSchema, versionField } from './schemas.ts'
import { riskService } from './service.ts'
import { LEVEL_TEXT, STATUSES, STATUS_TEXT, describeBand } from './tool.ts'
import type { Answers } from './scoring.ts'
import { showingSavedOnConflict } from '../../web/conflict.ts'

const base = (personId: string, id: string) => `/people/${personId}/risk/screenings/${id}`
const views = { levelText: LEVEL_TEXT, statusText: STATUS_TEXT, describeBand }

/** A section's answers under the form's field names. */
const sectionValues = (indicators: readonly { key: string }[], answers: Answers) =>
  Object.fromEntries(indicators.flatMap((i) => [[`status-${i.key}`, answers[i.key]?.status ?? ''], [`note-${i.key}`, answers[i.key]?.note ?? '']]))

export function riskRoutes(deps: ModuleDeps): Router {
  const routes = guardedRouter(deps.access)
  const risk = riskService(deps)

  routes.get('/people/:id/risk', { permission: 'person:view' }, async (req, res) => {
    res.render('risk/views/risk.njk', { ...(await risk.riskPage(req.ctx, req.params.id)), ...views })
  })

  routes.post('/people/:id/risk/screenings', { permission: 'assessment:create' }, async (req, res) => {
    const id = await risk.start(req.ctx, req.params.id)
    res.redirect(base(req.params.id, id))
  })

  // A screening in progress is a task list; a submitted one is its record.
  routes.get('/people/:id/risk/screenings/:sid', { permission: 'person:view' }, async (req, res) => {
    const { assessment } = await risk.load(req.ctx, req.params.id, req.params.sid, 'person:view')
    if (assessment.status === 'draft') {
      return res.render('risk/views/task-list.njk', { ...(await risk.taskList(req.ctx, req.params.id, req.params.sid)), ...views })
    }
    res.render('risk/views/assessment.njk', { ...(await risk.view(req.ctx, req.params.id, req.params.sid)), ...views, values: {} })
  })

  async function renderSection(req: Request, res: Response, status: number, values?: Record<string, unknown>, errors?: FormErrors) {
    const data = await risk.section(req.ctx, String(req.params.id), String(req.params.sid), String(req.params.group))
    if (data.assessment.status !== 'draft') return res.redirect(base(data.person.id, data.assessment.id))
    const shown = values ?? sectionValues(data.group.indicators, data.assessment.answers)
    res.status(status).render('risk/views/section.njk', { ...data, values: { ...shown, version: values?.version ?? data.assessment.version }, errors, ...views })
  }

  routes.get('/people/:id/risk/screenings/:sid/sections/:group', { permission: 'assessment:create' }, async (req, res) => renderSection(req, res, 200))

  routes.post('/people/:id/risk/screenings/:sid/sections/:group', { permission: 'assessment:create' }, async (req, res) => {
    const { tool } = await risk.load(req.ctx, req.params.id, req.params.sid)
    const group = tool.groups.find((g) => g.key === req.params.group)
    if (!group) return res.status(404).render('pages/not-found.njk')
    const version = versionField.safeParse(req.body)
    const input = readSection(req.body, group.indicators.map((i) => i.key))
    // Someone saved first: their answers beside these, each question and answer in the form's words.
    const saved = async () => {
      const data = await risk.section(req.ctx, req.params.id, req.params.sid, group.key)
      if (data.assessment.status !== 'draft') throw new Error('The screening is no longer a draft: there is nothing to overwrite')
      return { ...sectionValues(group.indicators, data.assessment.answers), version: data.assessment.version }
    }
    const statusChoices = STATUSES.map((value) => ({ value, text: STATUS_TEXT[value] }))
    const choices = Object.fromEntries(group.indicators.map((i) => [`status-${i.key}`, statusChoices]))
    const labels = { action: '', ...Object.fromEntries(group.indicators.flatMap((i) => [[`status-${i.key}`, i.text], [`note-${i.key}`, `Note on “${i.text}”`]])) }
    const result = await showingSavedOnConflict(risk.saveSection(req.ctx, req.params.id, req.params.sid, group.key, version.success ? version.data.version : 0, input), saved, choices, labels)
    if (!result.ok) return renderSection(req, res, 400, req.body, result.errors)
    if (!input.complete) {
      flash(req, { type: 'success', text: `Your answers to “${group.title}” are saved as a draft` })
      return res.redirect(base(req.params.id, req.params.sid))
    }
    const index = tool.groups.findIndex((g) => g.key === group.key)
    const next = tool.groups[index + 1]
    res.redirect(next ? `${base(req.params.id, req.params.sid)}/sections/${next.key}` : `${base(req.params.id, req.params.sid)}/summary`)
  })

  async function renderSummary(req: Request, res: Response, status: number, values?: Record<string, unknown>, errors?: FormErrors) {
    const data = await risk.summary(req.ctx, String(req.params.id), String(req.params.sid))
    if (data.assessment.status !== 'draft') return res.redirect(base(data.person.id, data.assessment.id))
    res.status(status).render('risk/views/summary.njk', {
      ...data,
      values: values ?? { finalLevel: data.result?.level, analysis: data.assessment.analysis, version: data.assessment.version, personVersion: data.personVersion },
      errors,
      ...views,
    })
  }

  routes.get('/people/:id/risk/screenings/:sid/summary', { permission: 'assessment:create' }, async (req, res) => renderSummary(req, res, 200))

  routes.post('/people/:id/risk/screenings/:sid/summary', { permission: 'assessment:create' }, async (req, res) => {
    const parsed = parseForm(submitSchema, req.body)
    const result = parsed.ok ? await risk.submit(req.ctx, req.params.id, req.params.sid, parsed.value) : parsed
    if (!result.ok) return renderSummary(req, res, 400, req.body, result.errors)
    flash(
      req,
      result.value === 'awaiting_confirmation'
        ? { type: 'important', heading: 'Red – awaiting manager confirmation', text: 'The child is rated Red now. A manager needs to confirm the rating.' }
        : { type: 'success', text: `Screening finished: rated ${LEVEL_TEXT[parsed.ok ? parsed.value.finalLevel : 'green']}` },
    )
    res.redirect(`/people/${req.params.id}/risk`)
  })

  routes.post('/people/:id/risk/screenings/:sid/discard', { permission: 'assessment:create' }, async (req, res) => {
    const version = versionField.safeParse(req.body)
    await risk.discard(req.ctx, req.params.id, req.params.sid, version.success ? version.data.version : 0)
    flash(req, { type: 'success', text: 'The draft screening was deleted' })
    res.redirect(`/people/${req.params.id}/risk`)
  })

  routes.post('/people/:id/risk/screenings/:sid/confirm', { permission: 'assessment:confirm-red' }, async (req, res) => {
    const parsed = parseForm(confirmSchema, req.body)
    const result = parsed.ok ? await risk.confirm(req.ctx, req.params.id, req.params.sid, parsed.value) : parsed
    if (!result.ok) {
      return res.status(400).render('risk/views/assessment.njk', { ...(await risk.view(req.ctx, req.params.id, req.params.sid)), ...views, values: req.body, errors: result.errors })
    }
    flash(req, { type: 'success', text: result.value === 'red' ? 'Red rating confirmed' : `Red not confirmed: rated ${LEVEL_TEXT[result.value]}` })
    res.redirect(`/people/${req.params.id}/risk`)
  })

  routes.get('/risk/awaiting-confirmation', { permission: 'assessment:confirm-red' }, async (req, res) => {
    res.render('risk/views/awaiting.njk', { rows: await risk.awaiting(req.ctx) })
  })

  // The screening tool (administrators)
  routes.get('/admin/screening-tool', { permission: 'admin:config' }, async (req, res) => {
    const versions = await risk.tools(req.ctx)
    const latest = await risk.tool(req.ctx, versions[0].version)
    res.render('risk/views/tool.njk', { versions, ...latest, ...views })
  })

  routes.get('/admin/screening-tool/versions/:version', { permission: 'admin:config' }, async (req, res) => {
    const version = Number(req.params.version)
    if (!Number.isInteger(version) || version < 1) return res.status(404).render('pages/not-found.njk')
    const versions = await risk.tools(req.ctx)
    res.render('risk/views/tool.njk', { versions, ...(await risk.tool(req.ctx, version)), ...views, viewingOld: version !== versions[0].version })
  })

  async function latest(req: Request) {
    const versions = await risk.tools(req.ctx)
    return risk.tool(req.ctx, versions[0].version)
  }

  function toolFormValues(tool: Awaited<ReturnType<typeof latest>>['tool']) {
    const values: Record<string, unknown> = {
      'points-recent': tool.statusPoints.recent,
      'points-current': tool.statusPoints.current,
      'review-red': tool.reviewWeeks.red,
      'review-amber': tool.reviewWeeks.amber,
      'review-green': tool.reviewWeeks.green,
    }
    for (const b of tool.bands) {
      values[`${b.level}-min`] = b.min
      if (b.max != null) values[`${b.level}-max`] = b.max
    }
    for (const g of tool.groups) for (const i of g.indicators) Object.assign(values, { [`weight-${i.key}`]: i.weight, [`text-${i.key}`]: i.text })
    return values
  }

  routes.get('/admin/screening-tool/edit', { permission: 'admin:config' }, async (req, res) => {
    const current = await latest(req)
    res.render('risk/views/tool-edit.njk', { ...current, values: { ...toolFormValues(current.tool), basedOn: current.version }, ...views })
  })

  routes.post('/admin/screening-tool/edit', { permission: 'admin:config' }, async (req, res) => {
    const current = await latest(req)
    const basedOn = Number(req.body?.basedOn)
    const changeNote = optionalText(500, 'The description must be 500 characters or fewer').safeParse(req.body?.changeNote)
    const form = readToolForm(req.body, current.tool)
    let errors: FormErrors | null = null
    if (!changeNote.success) errors = formErrors([{ field: 'changeNote', message: 'The description must be 500 characters or fewer' }])
    else if (!form.ok) errors = formErrors(form.issues)
    else {
      const result = await risk.saveTool(req.ctx, basedOn, form.tool, changeNote.data)
      if (result.ok) {
        flash(req, { type: 'success', text: `Version ${result.value} of the screening tool saved. New screenings use it; earlier ones keep theirs.` })
        return res.redirect('/admin/screening-tool')
      }
      errors = result.problems ? formErrors(result.problems.map((p) => ({ field: fieldForProblem(p.path, form.tool), message: p.message }))) : result.errors
    }
    res.status(400).render('risk/views/tool-edit.njk', { ...current, values: req.body, errors, ...views })
  })

  routes.get('/admin/screening-tool/definition', { permission: 'admin:config' }, async (req, res) => {
    const current = await latest(req)
    res.render('risk/views/tool-definition.njk', { ...current, values: { basedOn: current.version, definition: JSON.stringify(current.tool, null, 2) } })
  })

  routes.post('/admin/screening-tool/definition', { permission: 'admin:config' }, async (req, res) => {
    const current = await latest(req)
    const basedOn = Number(req.body?.basedOn)
    const changeNote = optionalText(500, 'The description must be 500 characters or fewer').safeParse(req.body?.changeNote)
    let definition: unknown
    let errors: FormErrors | null = null
    try {
      definition = JSON.parse(String(req.body?.definition ?? ''))
    } catch (err) {
      errors = formErrors([{ field: 'definition', message: `The definition is not valid JSON: ${(err as Error).message}` }])
    }
    if (!errors && !changeNote.success) errors = formErrors([{ field: 'changeNote', message: 'The description must be 500 characters or fewer' }])
    if (!errors) {
      const result = await risk.saveTool(req.ctx, basedOn, definition, changeNote.success ? changeNote.data : null)
      if (result.ok) {
        flash(req, { type: 'success', text: `Version ${result.value} of the screening tool saved. New screenings use it; earlier ones keep theirs.` })
        return res.redirect('/admin/screening-tool')
      }
      if (result.problems) {
        // Every problem is listed: the definition is one field, so the summary names where each is.
        const list = result.problems.map((p) => ({ text: p.path ? `${p.path}: ${p.message}` : p.message, href: '#definition' }))
        errors = { errorList: list, fields: { definition: { text: list.map((l) => l.text).join('. ') } } }
      } else errors = result.errors
    }
    res.status(400).render('risk/views/tool-definition.njk', { ...current, values: req.body, errors })
  })

  return routes.router
}
