import type { Request, Response, Router } from 'express'
import type { z } from 'zod'
import { guardedRouter } from '../../web/routes.ts'
import type { ModuleDeps } from '../types.ts'
import { parseForm } from '../../web/forms.ts'
import { readDateInput, dateParts } from '../../web/date-input.ts'
import { formErrors, type FormErrors } from '../../kernel/form-errors.ts'
import { flash } from '../../web/middleware/current-user.ts'
import { versionSchema } from '../../web/fields.ts'
import { showingSavedOnConflict } from '../../web/conflict.ts'
import { actionFieldsSchema, closeActionSchema, meetingEditSchema, meetingFieldsSchema } from './schemas.ts'
import { plansService, type ActionInput, type MeetingEdit, type MeetingInput } from './service.ts'
import type { Attendee } from './tables.ts'
import type { Choices } from '../../kernel/errors.ts'
import { readAttendees, ACTION_STATE_TEXT, ATTENDEE_ROWS, MEETING_KINDS } from './rules.ts'
import { meetingPdf } from './pdf.ts'

type Issue = { field: string; message: string }
const issuesOf = (errors: FormErrors): Issue[] => errors.errorList.map((e) => ({ field: e.href.slice(1), message: e.text }))

/** Errors in the order the fields stand on the form, so the summary reads top to bottom. */
function inOrder(issues: Issue[], order: string[]): FormErrors {
  const at = (field: string) => {
    const i = order.findIndex((f) => field === f || field.startsWith(f))
    return i < 0 ? order.length : i
  }
  return formErrors([...issues].sort((a, b) => at(a.field) - at(b.field)))
}

/** The meeting form, new (with the other people discussed) or a correction (with a reason): one reading of its date, fields and attendee rows. */
function readMeeting<S extends typeof meetingFieldsSchema | typeof meetingEditSchema>(body: Record<string, unknown>, schema: S) {
  const held = readDateInput(body, 'held', 'The date of the meeting', { required: true })
  const fields = parseForm(schema, body)
  const { attendees, issues } = readAttendees(body)
  if (held.ok && held.value && fields.ok && !issues.length) return { ok: true as const, value: { ...(fields.value as z.infer<S>), heldOn: held.value, attendees } }
  const all = [...(held.ok ? [] : [{ field: 'held-day', message: held.message }]), ...(fields.ok ? [] : issuesOf(fields.errors)), ...issues]
  return { ok: false as const, errors: inOrder(all, ['kind', 'held-day', 'chair', 'chairAgencyId', 'attendee-', 'others', 'decisions', 'reason']) }
}

export const readMeetingForm = (body: Record<string, unknown>): { ok: true; value: MeetingInput } | { ok: false; errors: FormErrors } => readMeeting(body, meetingFieldsSchema)
export const readMeetingEditForm = (body: Record<string, unknown>): { ok: true; value: MeetingEdit } | { ok: false; errors: FormErrors } => readMeeting(body, meetingEditSchema)

/** A meeting as its form holds it: to fill in the correction form, and as the saved side of a conflict. */
export function meetingFormValues(m: { kind: string; held_on: string; chair: string; chair_agency_id: string | null; attendees: Attendee[]; decisions: string; version: number }): Record<string, string> {
  const rows = m.attendees.flatMap((a, i) =>
    Object.entries({ name: a.name, role: a.role ?? '', agency: a.agencyId ?? '', attended: a.attended ? 'yes' : 'apologies' }).map(([k, v]) => [`attendee-${i + 1}-${k}`, v]),
  )
  return { kind: m.kind, ...dateParts(m.held_on, 'held'), chair: m.chair, chairAgencyId: m.chair_agency_id ?? '', ...Object.fromEntries(rows), decisions: m.decisions, version: String(m.version) }
}

export function readActionForm(body: Record<string, unknown>): { ok: true; value: ActionInput } | { ok: false; errors: FormErrors } {
  const due = readDateInput(body, 'due', 'The due date', { required: true })
  const fields = parseForm(actionFieldsSchema, body)
  // One owner, a person or an agency: said with the rest of the form's errors.
  const owner =
    body.ownerUserId && body.ownerAgencyId
      ? [{ field: 'ownerUserId', message: 'Select a person or an agency to own the action, not both' }]
      : !body.ownerUserId && !body.ownerAgencyId
        ? [{ field: 'ownerUserId', message: 'Select the person or the agency who owns the action' }]
        : []
  if (due.ok && due.value && fields.ok && !owner.length) return { ok: true, value: { ...fields.value, dueOn: due.value } }
  const all = [...(due.ok ? [] : [{ field: 'due-day', message: due.message }]), ...(fields.ok ? [] : issuesOf(fields.errors)), ...owner]
  return { ok: false, errors: inOrder(all, ['description', 'ownerUserId', 'ownerAgencyId', 'due-day', 'targetPersonId', 'targetEntity']) }
}

const ATTENDED = [
  { value: 'yes', text: 'Attended' },
  { value: 'apologies', text: 'Sent apologies' },
]

export function plansRoutes(deps: ModuleDeps): Router {
  const routes = guardedRouter(deps.access)
  const plans = plansService(deps)
  const lists = { meetingKinds: MEETING_KINDS, attended: ATTENDED, stateText: ACTION_STATE_TEXT, attendeeRows: Array.from({ length: ATTENDEE_ROWS }, (_, i) => i + 1) }

  routes.get('/people/:id/plan', { permission: 'person:view' }, async (req, res) => {
    res.render('plans/views/plan.njk', { ...(await plans.personPlan(req.ctx, req.params.id)), ...lists })
  })

  async function renderMeetingForm(req: Request, res: Response, status: number, values: Record<string, unknown>, errors?: FormErrors) {
    res.status(status).render('plans/views/meeting-form.njk', { ...(await plans.meetingForm(req.ctx, String(req.params.id))), values, errors, ...lists })
  }

  routes.get('/people/:id/plan/meetings/new', { permission: 'person:edit' }, async (req, res) => {
    await renderMeetingForm(req, res, 200, { ...dateParts(deps.clock.today(), 'held') })
  })

  routes.post('/people/:id/plan/meetings/new', { permission: 'person:edit' }, async (req, res) => {
    const form = readMeetingForm(req.body ?? {})
    const result = form.ok ? await plans.recordMeeting(req.ctx, req.params.id, form.value) : form
    if (!result.ok) return renderMeetingForm(req, res, 400, req.body ?? {}, result.errors)
    flash(req, { type: 'success', text: 'Meeting recorded. Add the actions agreed.' })
    res.redirect(`/plans/meetings/${result.value}`)
  })

  async function renderEditForm(req: Request, res: Response, status: number, values: Record<string, unknown> | null, errors?: FormErrors) {
    const page = await plans.meetingForEdit(req.ctx, String(req.params.id))
    res.status(status).render('plans/views/meeting-edit.njk', { ...page, values: values ?? meetingFormValues(page.meeting), errors, ...lists })
  }

  routes.get('/plans/meetings/:id/edit', { permission: 'person:edit' }, async (req, res) => {
    await renderEditForm(req, res, 200, null)
  })

  routes.post('/plans/meetings/:id/edit', { permission: 'person:edit' }, async (req, res) => {
    const form = readMeetingEditForm(req.body ?? {})
    const version = versionSchema.safeParse(req.body?.version)
    const saved = async () => meetingFormValues((await plans.meetingForEdit(req.ctx, req.params.id)).meeting)
    const choices = async (): Promise<Choices> => {
      const { agencies } = await plans.meetingForEdit(req.ctx, req.params.id)
      const rows = lists.attendeeRows.map((n) => [`attendee-${n}-agency`, agencies])
      return { kind: MEETING_KINDS, chairAgencyId: agencies, ...Object.fromEntries(rows), ...Object.fromEntries(lists.attendeeRows.map((n) => [`attendee-${n}-attended`, ATTENDED])) }
    }
    const result = form.ok ? await showingSavedOnConflict(plans.editMeeting(req.ctx, req.params.id, version.success ? version.data : 0, form.value), saved, choices) : form
    if (!result.ok) return renderEditForm(req, res, 400, req.body ?? {}, result.errors)
    flash(req, { type: 'success', text: 'Meeting record corrected' })
    res.redirect(`/plans/meetings/${result.value}`)
  })

  routes.get('/plans/actions', { permission: 'person:view' }, async (req, res) => {
    res.render('plans/views/actions.njk', { ...(await plans.actionsList(req.ctx)), ...lists })
  })

  routes.get('/plans/meetings/:id', { permission: 'person:view' }, async (req, res) => {
    res.render('plans/views/meeting.njk', { ...(await plans.meeting(req.ctx, req.params.id)), ...lists })
  })

  routes.get('/plans/meetings/:id/record.pdf', { permission: 'person:view' }, async (req, res) => {
    const pdf = await meetingPdf(await plans.meeting(req.ctx, req.params.id, 'pdf'))
    res.setHeader('Content-Disposition', `attachment; filename="meeting-${req.params.id}.pdf"`)
    res.setHeader('Cache-Control', 'no-store')
    res.type('application/pdf').send(pdf)
  })

  async function renderActionForm(req: Request, res: Response, status: number, values: Record<string, unknown>, errors?: FormErrors) {
    res.status(status).render('plans/views/action-form.njk', { ...(await plans.actionForm(req.ctx, String(req.params.id))), values, errors, ...lists })
  }

  routes.get('/plans/meetings/:id/actions/new', { permission: 'person:edit' }, async (req, res) => {
    await renderActionForm(req, res, 200, { ownerUserId: req.ctx.user!.id })
  })

  routes.post('/plans/meetings/:id/actions/new', { permission: 'person:edit' }, async (req, res) => {
    const form = readActionForm(req.body ?? {})
    const result = form.ok ? await plans.addAction(req.ctx, req.params.id, form.value) : form
    if (!result.ok) return renderActionForm(req, res, 400, req.body ?? {}, result.errors)
    flash(req, { type: 'success', text: 'Action added' })
    res.redirect(`/plans/meetings/${req.params.id}#action-${result.value}`)
  })

  async function renderCloseForm(req: Request, res: Response, status: number, values: Record<string, unknown>, errors?: FormErrors) {
    res.status(status).render('plans/views/close-action.njk', { ...(await plans.actionForClose(req.ctx, String(req.params.id))), values, errors, ...lists })
  }

  routes.get('/plans/actions/:id/close', { permission: 'person:edit' }, async (req, res) => {
    await renderCloseForm(req, res, 200, {})
  })

  routes.post('/plans/actions/:id/close', { permission: 'person:edit' }, async (req, res) => {
    const form = parseForm(closeActionSchema, req.body ?? {})
    const version = versionSchema.safeParse(req.body?.version)
    const saved = async () => {
      const { action } = await plans.actionForClose(req.ctx, req.params.id)
      return { version: action.version, status: action.status, reason: action.cancel_reason }
    }
    const result = form.ok ? await showingSavedOnConflict(plans.closeAction(req.ctx, req.params.id, version.success ? version.data : 0, form.value), saved) : form
    if (!result.ok) return renderCloseForm(req, res, 400, req.body ?? {}, result.errors)
    flash(req, { type: 'success', text: form.ok && form.value.status === 'done' ? 'Action marked as done' : 'Action cancelled' })
    res.redirect(`/plans/meetings/${result.value}`)
  })

  return routes.router
}
