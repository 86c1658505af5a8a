import type { Request, Response } from 'express'
import { sendCsv } from '../../../lib/csv-download.ts'
import { attendanceSchema, eventSchema, fileSchema, invitationSchema } from '../schemas.ts'
import { ORGANISATION_KINDS } from '../domain.ts'
import { M, options, retarget, saved, submitted, type StaffContext, uploaded } from './forms.ts'

/** Awareness events: invitations, attendance, materials and the attendance CSV. */
export function eventRoutes({ routes, deps, scrutiny, events }: StaffContext) {
  routes.get(`${M}/events`, { anyOf: ['events:edit', 'scrutiny:view'] }, async (req, res) => {
    res.render('scrutiny/views/staff/events.njk', { ...(await events.list(req.ctx)), canEdit: events.canEdit(req.ctx) })
  })
  routes.get(`${M}/events/new`, { permission: 'events:edit' }, async (req, res) => {
    const bodies = await scrutiny.store.bodies(false)
    res.render('scrutiny/views/staff/event-form.njk', { bodies: bodies.map((b) => ({ value: b.id, text: b.name })), values: { kind: 'workshop' }, options: options() })
  })
  routes.post(`${M}/events/new`, { permission: 'events:edit' }, async (req, res) => {
    const result = await submitted(req, eventSchema, (v) => events.create(req.ctx, v), ['eventDate'])
    if (!result.ok) {
      const bodies = await scrutiny.store.bodies(false)
      return res.status(400).render('scrutiny/views/staff/event-form.njk', { bodies: bodies.map((b) => ({ value: b.id, text: b.name })), values: req.body, errors: result.errors, options: options() })
    }
    saved(req, res, 'Event added. Record who was invited and who attended.', `${M}/events/${result.value}`)
  })

  async function renderEvent(req: Request, res: Response, extra: Record<string, unknown> = {}, status = 200) {
    const page = await events.event(req.ctx, req.params.id as string)
    res.status(status).render('scrutiny/views/staff/event.njk', {
      ...page,
      agencyOptions: page.agencies.map((a) => ({ value: a.id, text: a.name })),
      canEdit: events.canEdit(req.ctx),
      options: options(),
      attendanceValues: { attendees: '1' },
      ...extra,
    })
  }
  routes.get(`${M}/events/:id`, { anyOf: ['events:edit', 'scrutiny:view'] }, (req, res) => renderEvent(req, res))
  routes.post(`${M}/events/:id/invitations`, { permission: 'events:edit' }, async (req, res) => {
    const result = await submitted(req, invitationSchema, (v) => events.invite(req.ctx, req.params.id, v))
    if (!result.ok) return renderEvent(req, res, { invitationValues: req.body, errors: retarget(result.errors, { agencyId: 'inviteAgencyId', organisationKind: 'inviteOrganisationKind' }) }, 400)
    saved(req, res, 'Invitation recorded', `${M}/events/${req.params.id}#invited`)
  })
  routes.post(`${M}/events/:id/attendance`, { permission: 'events:edit' }, async (req, res) => {
    const result = await submitted(req, attendanceSchema, (v) => events.recordAttendance(req.ctx, req.params.id, v))
    if (!result.ok) return renderEvent(req, res, { attendanceValues: req.body, errors: result.errors }, 400)
    saved(req, res, 'Attendance recorded', `${M}/events/${req.params.id}#attendance`)
  })
  routes.post(`${M}/events/:id/attendance/:attendanceId/remove`, { permission: 'events:edit' }, async (req, res) => {
    await events.removeAttendance(req.ctx, req.params.id, req.params.attendanceId)
    saved(req, res, 'Attendance removed', `${M}/events/${req.params.id}#attendance`)
  })
  routes.post(`${M}/events/:id/materials`, { permission: 'events:edit' }, async (req, res) => {
    const result = await uploaded(req, res, fileSchema, (v, file) => events.addMaterial(req.ctx, req.params.id, v.title, file))
    if (!result.ok) return renderEvent(req, res, { materialValues: req.body, errors: retarget(result.errors, { title: 'materialTitle' }) }, 400)
    saved(req, res, 'Material uploaded', `${M}/events/${req.params.id}#materials`)
  })
  routes.get(`${M}/events/:id/attendance.csv`, { anyOf: ['events:edit', 'scrutiny:view'] }, async (req, res) => {
    const page = await events.event(req.ctx, req.params.id)
    await deps.audit.record(req.ctx, { action: 'export', recordType: 'scrutiny_event', recordId: req.params.id, details: { format: 'csv' } })
    await sendCsv(res, `attendance-${page.event.event_date}.csv`, ['event', 'date', 'organisation', 'kind_of_organisation', 'service', 'role', 'attendees'], [
      page.attendance.map((a) => [page.event.title, page.event.event_date, a.organisation, ORGANISATION_KINDS.find((k) => k.value === a.organisation_kind)?.text ?? a.organisation_kind, a.service, a.role, a.attendees]),
    ])
  })
}
