import { createReadStream } from 'node:fs'
import { unlink } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import type { Request, Response, Router } from 'express'
import multer from 'multer'
import { guardedRouter } from '../../web/routes.ts'
import { readDateInput } from '../../web/date-input.ts'
import { flash } from '../../web/middleware/current-user.ts'
import { readUpload } from '../../web/uploads.ts'
import { formErrors } from '../../kernel/form-errors.ts'
import type { ModuleDeps } from '../types.ts'
import { callsService } from './service.ts'
import { problemText } from './csv.ts'
import { dailyChart, everyDay, hourOfWeekChart, hourOfWeekTable, monthlyTable } from './charts.ts'

/** A year of a busy line's call data is a few hundred megabytes at most. */
export const MAX_UPLOAD_MB = 500

/**
 * Receives the call data file onto disk, never whole in memory, so the import streams it from there
 * whatever its size. The form's CSRF token travels in its action URL, as the body is parsed here,
 * after the CSRF check.
 */
const upload = multer({ storage: multer.diskStorage({ destination: tmpdir() }), limits: { fileSize: MAX_UPLOAD_MB * 1024 * 1024, files: 1, fields: 50 } }).single('file')

async function receive(req: Request, res: Response): Promise<{ file?: Express.Multer.File; problem?: string }> {
  const refusal = await readUpload(upload, req, res)
  if (refusal) return { problem: refusal === 'too-large' ? `The file must be smaller than ${MAX_UPLOAD_MB} MB` : 'The upload could not be read: try again' }
  return { file: req.file && req.file.size > 0 ? req.file : undefined }
}

const list = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : typeof value === 'string' && value ? [value] : [])

/** Phone data: the imports page, a line's calls, and decisions on flagged successors. */
export function callsRoutes(deps: ModuleDeps): Router {
  const routes = guardedRouter(deps.access)
  const calls = callsService(deps)
  const { access } = deps

  async function renderImports(req: Request, res: Response, status = 200, extra: Record<string, unknown> = {}) {
    const page = await calls.overview(req.ctx)
    res.status(status).render('calls/views/imports.njk', { ...page, canEdit: access.can(req.ctx, 'network:edit'), maxMb: MAX_UPLOAD_MB, values: { handling: 'P' }, ...extra })
  }

  routes.get('/network/calls', { permission: 'network:view' }, (req, res) => renderImports(req, res))

  routes.post('/network/calls', { permission: 'network:edit' }, async (req, res) => {
    const { file, problem } = await receive(req, res)
    try {
      const values = { ...req.body, shareWith: list(req.body.shareWith) }
      const handling = values.handling === 'C' ? 'C' : values.handling === 'P' ? 'P' : null
      const conditions = typeof values.conditions === 'string' ? values.conditions.trim() : ''
      const issues = [
        ...(problem ? [{ field: 'file', message: problem }] : !file ? [{ field: 'file', message: 'Select a CSV file of call data' }] : []),
        ...(!handling ? [{ field: 'handling', message: 'Select a handling code' }] : []),
        ...(handling === 'C' && !conditions ? [{ field: 'conditions', message: 'Enter the handling conditions' }] : []),
        ...(conditions.length > 500 ? [{ field: 'conditions', message: 'Handling conditions must be 500 characters or fewer' }] : []),
      ]
      if (issues.length) return await renderImports(req, res, 400, { errors: formErrors(issues), values })
      const outcome = await calls.importCalls(req.ctx, { name: file!.originalname, size: file!.size, open: () => createReadStream(file!.path) }, { handling: handling!, conditions: conditions || null, shareWith: values.shareWith })
      if (!outcome.ok) {
        const shown = outcome.problems.map((p) => ({ field: 'file', message: problemText(p) }))
        const errors = formErrors([])
        // Every problem in the summary, each pointing at the file input: a file has many bad lines.
        errors.errorList = shown.map((s) => ({ text: s.message, href: '#file' }))
        errors.fields.file = { text: `Nothing was imported: ${outcome.problems.length === 1 ? 'a problem' : `${outcome.problems.length} problems`} in the file` }
        return await renderImports(req, res, 400, { errors, values })
      }
      const s = outcome.summary
      flash(req, { type: 'success', text: `Imported ${s.calls.toLocaleString('en-GB')} calls from ${file!.originalname}${s.flagged ? `; ${s.flagged} possible successor${s.flagged === 1 ? '' : 's'} of closed lines to review` : ''}` })
      res.redirect(303, '/network/calls')
    } finally {
      if (file) await unlink(file.path).catch(() => undefined)
    }
  })

  async function renderEntity(req: Request<{ id: string }>, res: Response, status = 200, extra: Record<string, unknown> = {}) {
    const page = await calls.entityCalls(req.ctx, req.params.id)
    const days = everyDay(page.byDay)
    const label = page.entity.label
    res.status(status).render('calls/views/entity-calls.njk', {
      ...page,
      days,
      dailySvg: dailyChart(days, `Calls a day, ${label}`),
      hourSvg: hourOfWeekChart(page.byHour, `Calls by hour of the week, ${label}`),
      hourRows: hourOfWeekTable(page.byHour),
      monthly: monthlyTable(page.topMonthly.contacts, page.topMonthly.rows),
      canEdit: access.can(req.ctx, 'network:edit'),
      values: {},
      ...extra,
    })
  }

  routes.get('/network/entities/:id/calls', { permission: 'network:view' }, (req, res) => renderEntity(req, res))

  routes.post('/network/entities/:id/calls/numbers', { permission: 'network:edit' }, async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>
    const from = readDateInput(body, 'from', 'Date from', { required: true })
    const to = readDateInput(body, 'to', 'Date to')
    const basis = typeof body.basis === 'string' ? body.basis.trim() : ''
    const issues = [
      ...(!String(body.number ?? '').trim() ? [{ field: 'number', message: 'Enter a telephone number' }] : []),
      ...(!from.ok ? [{ field: 'from', message: from.message }] : []),
      ...(!to.ok ? [{ field: 'to', message: to.message }] : []),
      ...(from.ok && to.ok && from.value && to.value && to.value < from.value ? [{ field: 'to', message: 'Date to must be on or after the date from' }] : []),
      ...(!basis ? [{ field: 'basis', message: 'Enter what the attribution rests on' }] : basis.length > 1000 ? [{ field: 'basis', message: 'Basis must be 1,000 characters or fewer' }] : []),
    ]
    const result = issues.length ? { ok: false as const, errors: formErrors(issues) } : await calls.attribute(req.ctx, req.params.id, { number: String(body.number), from: (from as { value: string }).value, to: (to as { value: string | null }).value, basis })
    if (!result.ok) return renderEntity(req, res, 400, { values: body, errors: result.errors })
    flash(req, { type: 'success', text: 'Number attributed' })
    res.redirect(303, `/network/entities/${req.params.id}/calls`)
  })

  routes.post('/network/entities/:id/calls/successors', { permission: 'network:edit' }, async (req, res) => {
    const flagged = await calls.rescore(req.ctx, req.params.id)
    flash(req, { type: 'success', text: flagged ? `${flagged} possible successor${flagged === 1 ? '' : 's'} to review` : 'No new number looks like this line' })
    res.redirect(303, `/network/entities/${req.params.id}/calls#successors`)
  })

  routes.post('/network/calls/successors/:id', { permission: 'network:edit' }, async (req, res) => {
    const decision = req.body?.decision === 'accept' ? 'accepted' : req.body?.decision === 'reject' ? 'rejected' : null
    const reason = typeof req.body?.reason === 'string' && req.body.reason.trim() ? req.body.reason.trim().slice(0, 1000) : null
    if (!decision) {
      flash(req, { type: 'important', text: 'Choose to accept or reject the number' })
      return res.redirect(303, '/network/calls')
    }
    const { done, lineId } = await calls.decide(req.ctx, req.params.id, decision, reason)
    flash(req, { type: done ? 'success' : 'important', text: done ? (decision === 'accepted' ? 'Number linked to the line' : 'Number rejected as a successor') : 'Someone has already decided on this number' })
    res.redirect(303, `/network/entities/${lineId}/calls#successors`)
  })

  return routes.router
}
