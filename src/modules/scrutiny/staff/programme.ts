import type { Request, Response } from 'express'
import { dateParts, deliveredSchema, fileSchema, prioritySchema, reportDueSchema, workItemSchema, workUpdateSchema } from '../schemas.ts'
import { M, options, retarget, saved, submitted, type StaffContext, uploaded } from './forms.ts'
import { showingSavedOnConflict } from '../../../web/conflict.ts'
import { RAGS, WORK_STATUSES } from '../domain.ts'

/** A work item as its form shows it: for the edit page, and the saved side of a conflict. */
function workValues(work: { version: number; status: string; rag: string | null; progress_note: string | null; due_date: string | null }) {
  return { version: String(work.version), status: work.status, rag: work.rag ?? 'none', progressNote: work.progress_note, ...dateParts('dueDate', work.due_date) }
}

/** The strategy group's work programme: priorities, work items, updates owed and its strategic assessment. */
export function programmeRoutes({ routes, scrutiny, strategy }: StaffContext) {
  async function renderProgramme(req: Request, res: Response, extra: Record<string, unknown> = {}, status = 200) {
    const page = await strategy.page(req.ctx, req.params.id as string)
    res.status(status).render('scrutiny/views/staff/programme.njk', {
      ...page,
      priorityOptions: page.priorities.map((p) => ({ value: p.id, text: p.title })),
      agencyOptions: page.agencies.map((a) => ({ value: a.id, text: a.name })),
      bodyOptions: page.bodies.map((b) => ({ value: b.id, text: b.name })),
      options: options(),
      workValues: { status: 'planned', rag: 'none' },
      ...extra,
    })
  }
  routes.get(`${M}/bodies/:id/work-programme`, { permission: 'scrutiny:view' }, (req, res) => renderProgramme(req, res))
  routes.post(`${M}/bodies/:id/priorities`, { permission: 'scrutiny:edit' }, async (req, res) => {
    const result = await submitted(req, prioritySchema, (v) => strategy.addPriority(req.ctx, req.params.id, v))
    if (!result.ok) return renderProgramme(req, res, { priorityValues: req.body, errors: retarget(result.errors, { title: 'priorityTitle' }) }, 400)
    saved(req, res, 'Strategic priority added', `${M}/bodies/${req.params.id}/work-programme#priorities`)
  })
  routes.post(`${M}/bodies/:id/work`, { permission: 'scrutiny:edit' }, async (req, res) => {
    const result = await submitted(req, workItemSchema, (v) => strategy.addWorkItem(req.ctx, req.params.id, v), ['startDate', 'dueDate'])
    if (!result.ok) return renderProgramme(req, res, { workValues: req.body, errors: result.errors }, 400)
    saved(req, res, 'Added to the work programme', `${M}/bodies/${req.params.id}/work-programme#work`)
  })
  routes.get(`${M}/bodies/:id/work/:workId`, { permission: 'scrutiny:edit' }, async (req, res) => {
    const page = await strategy.page(req.ctx, req.params.id)
    const work = page.work.find((w) => w.id === req.params.workId)
    if (!work) return res.status(404).render('pages/not-found.njk')
    res.render('scrutiny/views/staff/work-item.njk', {
      ...page,
      work,
      options: options(),
      values: workValues(work),
    })
  })
  routes.post(`${M}/bodies/:id/work/:workId`, { permission: 'scrutiny:edit' }, async (req, res) => {
    const result = await submitted(
      req,
      workUpdateSchema,
      (v) =>
        showingSavedOnConflict(
          strategy.updateWorkItem(req.ctx, req.params.id, req.params.workId, v),
          async () => {
            const work = (await strategy.page(req.ctx, req.params.id)).work.find((w) => w.id === req.params.workId)
            if (!work) throw new Error('gone')
            return workValues(work)
          },
          { status: WORK_STATUSES, rag: [...RAGS, { value: 'none', text: 'None' }] },
        ),
      ['dueDate'],
    )
    if (!result.ok) {
      const page = await strategy.page(req.ctx, req.params.id)
      const work = page.work.find((w) => w.id === req.params.workId)
      return res.status(400).render('scrutiny/views/staff/work-item.njk', { ...page, work, options: options(), values: req.body, errors: result.errors })
    }
    saved(req, res, 'Work item updated', `${M}/bodies/${req.params.id}/work-programme#work`)
  })
  routes.post(`${M}/bodies/:id/reports-due`, { permission: 'scrutiny:edit' }, async (req, res) => {
    const result = await submitted(req, reportDueSchema, (v) => strategy.addReportDue(req.ctx, req.params.id, v), ['reportDueDate'])
    if (!result.ok) return renderProgramme(req, res, { reportValues: req.body, errors: retarget(result.errors, { title: 'reportTitle' }) }, 400)
    saved(req, res, 'Update due to the committee added', `${M}/bodies/${req.params.id}/work-programme#updates`)
  })
  routes.post(`${M}/bodies/:id/reports-due/:reportId/delivered`, { permission: 'scrutiny:edit' }, async (req, res) => {
    const result = await submitted(req, deliveredSchema, (v) => strategy.markDelivered(req.ctx, req.params.id, req.params.reportId, v), ['deliveredOn'])
    if (!result.ok) return renderProgramme(req, res, { deliveredFor: req.params.reportId, deliveredValues: req.body, errors: retarget(result.errors, { deliveredOn: `deliveredOn-${req.params.reportId}` }) }, 400)
    saved(req, res, 'Update recorded as delivered', `${M}/bodies/${req.params.id}/work-programme#updates`)
  })
  routes.post(`${M}/bodies/:id/assessment`, { permission: 'scrutiny:edit' }, async (req, res) => {
    const result = await uploaded(req, res, fileSchema, (v, file) => scrutiny.attachFile(req.ctx, { bodyId: req.params.id, kind: 'strategic_assessment' }, v, file))
    if (!result.ok) return renderProgramme(req, res, { assessmentValues: req.body, errors: retarget(result.errors, { title: 'assessmentTitle' }) }, 400)
    saved(req, res, 'Strategic assessment uploaded', `${M}/bodies/${req.params.id}/work-programme#assessment`)
  })
}
