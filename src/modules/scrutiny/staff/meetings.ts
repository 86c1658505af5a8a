import type { Request, Response } from 'express'
import { flash } from '../../../web/middleware/current-user.ts'
import { agendaItemSchema, dateParts, fileSchema, importSchema, meetingSchema, minutesSchema } from '../schemas.ts'
import { MAX_MODERNGOV_BYTES } from '../moderngov.ts'
import { M, options, retarget, saved, submitted, type StaffContext, uploaded } from './forms.ts'

/** Meetings, their agenda and reports, and meetings imported from ModernGov. */
export function meetingRoutes({ routes, scrutiny }: StaffContext) {
  routes.get(`${M}/bodies/:id/meetings/new`, { permission: 'scrutiny:edit' }, async (req, res) => {
    const page = await scrutiny.body(req.ctx, req.params.id)
    await scrutiny.authoriseOnBody(req.ctx, 'scrutiny:edit', page.body)
    res.render('scrutiny/views/staff/meeting-form.njk', { ...page, values: { status: 'held', title: page.body.name }, options: options() })
  })
  routes.post(`${M}/bodies/:id/meetings/new`, { permission: 'scrutiny:edit' }, async (req, res) => {
    const result = await submitted(req, meetingSchema, (v) => scrutiny.createMeeting(req.ctx, req.params.id, v), ['meetingDate'])
    if (!result.ok) return res.status(400).render('scrutiny/views/staff/meeting-form.njk', { ...(await scrutiny.body(req.ctx, req.params.id)), values: req.body, errors: result.errors, options: options() })
    saved(req, res, 'Meeting recorded. Add its agenda items, then the resolutions, recommendations and requests it made.', `${M}/meetings/${result.value}`)
  })

  async function renderMeeting(req: Request, res: Response, extra: Record<string, unknown> = {}, status = 200) {
    const page = await scrutiny.meeting(req.ctx, req.params.id as string)
    res.status(status).render('scrutiny/views/staff/meeting.njk', {
      ...page,
      minutesValues: {
        title: page.meeting.title,
        ...dateParts('meetingDate', page.meeting.meeting_date),
        meetingTime: page.meeting.meeting_time ?? '',
        location: page.meeting.location,
        status: page.meeting.status,
        minutes: page.meeting.minutes,
        minutesPublished: page.meeting.minutes_published ? 'yes' : '',
      },
      options: options(),
      ...extra,
    })
  }
  routes.get(`${M}/meetings/:id`, { permission: 'scrutiny:view' }, (req, res) => renderMeeting(req, res))
  routes.post(`${M}/meetings/:id/details`, { permission: 'scrutiny:edit' }, async (req, res) => {
    const result = await submitted(req, minutesSchema, (v) => scrutiny.updateMeeting(req.ctx, req.params.id, v), ['meetingDate'])
    if (!result.ok) return renderMeeting(req, res, { minutesValues: req.body, detailsForm: true, errors: retarget(result.errors, { title: 'meetingTitle' }) }, 400)
    saved(req, res, 'Meeting updated', `${M}/meetings/${req.params.id}`)
  })
  routes.post(`${M}/meetings/:id/agenda`, { permission: 'scrutiny:edit' }, async (req, res) => {
    const result = await submitted(req, agendaItemSchema, (v) => scrutiny.addAgendaItem(req.ctx, req.params.id, v))
    if (!result.ok) return renderMeeting(req, res, { agendaValues: req.body, errors: retarget(result.errors, { title: 'agendaTitle', restricted: 'agendaRestricted' }) }, 400)
    saved(req, res, 'Agenda item added', `${M}/meetings/${req.params.id}#agenda`)
  })
  routes.post(`${M}/meetings/:id/agenda/:agendaItemId/files`, { permission: 'scrutiny:edit' }, async (req, res) => {
    const id = req.params.agendaItemId
    const result = await uploaded(req, res, fileSchema, (v, file) => scrutiny.attachFile(req.ctx, { agendaItemId: id }, v, file))
    if (!result.ok) return renderMeeting(req, res, { uploadFor: id, uploadValues: req.body, errors: retarget(result.errors, { title: `title-${id}`, file: `file-${id}` }) }, 400)
    saved(req, res, 'Report attached', `${M}/meetings/${req.params.id}#agenda`)
  })

  // Import from ModernGov

  routes.get(`${M}/import`, { permission: 'scrutiny:edit' }, async (req, res) => {
    const bodies = await scrutiny.bodyOptions(req.ctx)
    res.render('scrutiny/views/staff/import.njk', { bodies: bodies.map((b) => ({ value: b.id, text: b.name })), values: { bodyId: req.query.body ?? '' } })
  })
  routes.post(`${M}/import`, { permission: 'scrutiny:edit' }, async (req, res) => {
    const result = await uploaded(req, res, importSchema, (v, file) => scrutiny.importModernGov(req.ctx, v.bodyId, file), MAX_MODERNGOV_BYTES)
    if (!result.ok) {
      const bodies = await scrutiny.bodyOptions(req.ctx)
      return res.status(400).render('scrutiny/views/staff/import.njk', { bodies: bodies.map((b) => ({ value: b.id, text: b.name })), values: req.body, errors: result.errors })
    }
    const r = result.value
    flash(req, {
      type: 'success',
      heading: r.created ? 'Meeting imported' : 'Meeting updated from ModernGov',
      text: `${r.added} agenda item${r.added === 1 ? '' : 's'} added, ${r.updated} updated, ${r.documents} document link${r.documents === 1 ? '' : 's'}. ${r.restricted} restricted item${r.restricted === 1 ? ' is' : 's are'} never shown to the public.`,
    })
    res.redirect(`${M}/meetings/${r.meetingId}`)
  })
}
