import { Router, type Request, type Response } from 'express'
import { guardedRouter } from '../../web/routes.ts'
import type { z } from 'zod'
import type { ModuleDeps } from '../types.ts'
import { parseForm } from '../../web/forms.ts'
import { formErrors, type FormErrors } from '../../kernel/form-errors.ts'
import { flash } from '../../web/middleware/current-user.ts'
import { sendCsv } from '../../lib/csv-download.ts'
import { MAX_FILE_BYTES, scrutinyService, type Decorated, type Result, type UploadedFile } from './service.ts'
import { strategyService } from './strategy.ts'
import { eventsService } from './events.ts'
import { traceService } from './trace.ts'
import { runFollowerUpdates } from './follow.ts'
import { runAsOwner } from '../../db/scope.ts'
import {
  agendaItemSchema,
  attendanceSchema,
  bodySchema,
  CHANNELS,
  collapseDates,
  dateParts,
  deliveredSchema,
  EVENT_KINDS,
  EVIDENCE_EVENTS,
  eventSchema,
  evidenceSchema,
  traceSchema,
  fileSchema,
  importSchema,
  invitationSchema,
  itemEditSchema,
  itemSchema,
  MEETING_STATUSES,
  meetingSchema,
  memberSchema,
  minutesSchema,
  prioritySchema,
  reportDueSchema,
  responseSchema,
  scrutinisedSchema,
  statusSchema,
  workItemSchema,
  workUpdateSchema,
} from './schemas.ts'
import { BODY_KINDS, ITEM_KINDS, ORGANISATION_KINDS, RAGS, REQUEST_TYPES, STATUSES, WORK_STATUSES, statusLabel } from './domain.ts'
import { baseUrl, FILTER_OPTIONS, pageNumber, pagination, trackerQuery } from './routes-public.ts'
import { csvRow, CSV_COLUMNS, trackerPdf } from './exports.ts'
import { megabytes, receiveFile } from './upload.ts'
import { MAX_MODERNGOV_BYTES } from './moderngov.ts'

const M = '/scrutiny/manage'

/** Points the error summary's links at the ids a page really uses when a form's fields are renamed there. */
function retarget(errors: FormErrors, ids: Record<string, string>): FormErrors {
  return { ...errors, errorList: errors.errorList.map((e) => ({ ...e, href: ids[e.href.slice(1)] ? `#${ids[e.href.slice(1)]}` : e.href })) }
}

/**
 * A posted form read with its schema (GOV.UK date inputs folded into ISO dates first) and acted
 * on: the service's answer, or the form's own errors. A service that answers nothing succeeded.
 */
async function submitted<S extends z.ZodType, T = undefined>(req: Request, schema: S, act: (value: z.infer<S>) => Promise<Result<T> | void>, dates: string[] = []): Promise<Result<T>> {
  const parsed = parseForm(schema, collapseDates(req.body, dates))
  if (!parsed.ok) return parsed
  return (await act(parsed.value)) ?? { ok: true, value: undefined as T }
}

/** A form with one file: a file over the size limit is a form error like the form's own. */
async function uploaded<S extends z.ZodType, T>(
  req: Request,
  res: Response,
  schema: S,
  act: (value: z.infer<S>, file: UploadedFile | undefined) => Promise<Result<T>>,
  maxBytes = MAX_FILE_BYTES,
): Promise<Result<T>> {
  const { file, tooLarge } = await receiveFile(req, res, maxBytes)
  if (tooLarge) return { ok: false, errors: formErrors([{ field: 'file', message: `The selected file must be smaller than ${megabytes(maxBytes)}` }]) }
  return submitted(req, schema, (value) => act(value, file))
}

/** Saved: the success message goes to the next page, and the browser there. */
function saved(req: Request, res: Response, text: string, url: string) {
  flash(req, { type: 'success', text })
  res.redirect(url)
}

function options() {
  return {
    bodyKinds: BODY_KINDS,
    itemKinds: ITEM_KINDS.map((k) => ({ value: k.value, text: k.text })),
    requestTypes: REQUEST_TYPES,
    statuses: STATUSES,
    rags: RAGS,
    workStatuses: WORK_STATUSES,
    meetingStatuses: MEETING_STATUSES,
    evidenceEvents: EVIDENCE_EVENTS,
    channels: CHANNELS,
    eventKinds: EVENT_KINDS,
    organisationKinds: ORGANISATION_KINDS,
  }
}

/** The staff side of scrutiny under /scrutiny/manage: every page behind sign-in and a permission. */
export function scrutinyStaffRoutes(deps: ModuleDeps): Router {
  const routes = guardedRouter(deps.access)
  const scrutiny = scrutinyService(deps)
  const strategy = strategyService(deps, scrutiny)
  const events = eventsService(deps)
  const tracing = traceService(deps, scrutiny)

  const agencyItems = async () => (await scrutiny.agencies()).map((a) => ({ value: a.id, text: a.name }))

  // Overview

  routes.get(M, { anyOf: ['scrutiny:view', 'events:edit'] }, async (req, res) => {
    const canEvents = req.ctx.user!.permissions.has('events:edit')
    const overview = req.ctx.user!.permissions.has('scrutiny:view') ? await scrutiny.overview(req.ctx) : null
    if (!overview) return res.redirect(`${M}/events`)
    res.render('scrutiny/views/staff/overview.njk', { ...overview, canEvents, canCreate: req.ctx.user!.permissions.has('scrutiny:edit') })
  })

  // Bodies

  async function renderBodyForm(req: Request, res: Response, extra: Record<string, unknown>, status = 200) {
    res.status(status).render('scrutiny/views/staff/body-form.njk', { ...extra, agencies: await agencyItems(), options: options() })
  }

  routes.get(`${M}/bodies/new`, { permission: 'scrutiny:edit' }, async (req, res) => {
    await renderBodyForm(req, res, { isNew: true, values: { responseDays: '28', reminderDays: '7', public: 'yes', agencyId: req.ctx.user!.agencyId } })
  })
  routes.post(`${M}/bodies/new`, { permission: 'scrutiny:edit' }, async (req, res) => {
    const result = await submitted(req, bodySchema, (v) => scrutiny.createBody(req.ctx, v))
    if (!result.ok) return renderBodyForm(req, res, { isNew: true, values: req.body, errors: result.errors }, 400)
    saved(req, res, 'Body added', `${M}/bodies/${result.value}`)
  })

  routes.get(`${M}/bodies/:id`, { permission: 'scrutiny:view' }, async (req, res) => {
    const { query, errors } = trackerQuery(req)
    const [page, tracker] = await Promise.all([scrutiny.body(req.ctx, req.params.id), scrutiny.tracker(req.ctx, req.params.id, query, pageNumber(req))])
    const qs = new URLSearchParams(Object.entries(req.query).filter(([k]) => k !== 'page').flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, String(x)]) : typeof v === 'string' ? [[k, v]] : [])) as [string, string][]).toString()
    res.render('scrutiny/views/staff/body.njk', {
      ...page,
      rows: tracker.rows,
      total: tracker.total,
      page: tracker.page,
      pages: tracker.pages,
      pagination: pagination(`${M}/bodies/${req.params.id}`, req, tracker.page, tracker.pages),
      query,
      values: req.query,
      errors,
      filterOptions: FILTER_OPTIONS,
      qs,
    })
  })

  routes.get(`${M}/bodies/:id/settings`, { permission: 'scrutiny:edit' }, async (req, res) => {
    const page = await scrutiny.body(req.ctx, req.params.id)
    await scrutiny.authoriseOnBody(req.ctx, 'scrutiny:edit', page.body)
    const b = page.body
    await renderBodyForm(req, res, {
      ...page,
      isNew: false,
      values: { name: b.name, code: b.code, kind: b.kind, description: b.description, agencyId: b.agency_id ?? '', responseDays: String(b.response_days), reminderDays: String(b.reminder_days), public: b.public ? 'yes' : '', clerkEmail: b.clerk_email ?? '' },
    })
  })
  routes.post(`${M}/bodies/:id/settings`, { permission: 'scrutiny:edit' }, async (req, res) => {
    const result = await submitted(req, bodySchema, (v) => scrutiny.updateBody(req.ctx, req.params.id, v))
    if (!result.ok) return renderBodyForm(req, res, { ...(await scrutiny.body(req.ctx, req.params.id)), isNew: false, values: req.body, errors: result.errors }, 400)
    saved(req, res, 'Settings saved', `${M}/bodies/${req.params.id}/settings`)
  })
  routes.post(`${M}/bodies/:id/members`, { permission: 'scrutiny:edit' }, async (req, res) => {
    const parsed = parseForm(memberSchema, req.body)
    if (!parsed.ok) {
      const page = await scrutiny.body(req.ctx, req.params.id)
      return renderBodyForm(req, res, { ...page, isNew: false, values: bodyValues(page.body), memberValues: req.body, memberErrors: parsed.errors, errors: parsed.errors }, 400)
    }
    await scrutiny.addMember(req.ctx, req.params.id, parsed.value)
    saved(req, res, `${parsed.value.memberName} added as ${parsed.value.memberRole}`, `${M}/bodies/${req.params.id}/settings#members`)
  })
  routes.post(`${M}/bodies/:id/members/:memberId/remove`, { permission: 'scrutiny:edit' }, async (req, res) => {
    await scrutiny.removeMember(req.ctx, req.params.id, req.params.memberId)
    saved(req, res, 'Member removed', `${M}/bodies/${req.params.id}/settings#members`)
  })
  routes.post(`${M}/bodies/:id/scrutinises`, { permission: 'scrutiny:edit' }, async (req, res) => {
    const result = await submitted(req, scrutinisedSchema, (v) => scrutiny.addScrutinised(req.ctx, req.params.id, v))
    if (!result.ok) {
      const page = await scrutiny.body(req.ctx, req.params.id)
      return renderBodyForm(req, res, { ...page, isNew: false, values: bodyValues(page.body), scrutinisedValues: req.body, errors: result.errors }, 400)
    }
    saved(req, res, 'Organisation added', `${M}/bodies/${req.params.id}/settings#scrutinises`)
  })

  // Exports of the tracker: CSV, printable pack, PDF

  routes.get(`${M}/bodies/:id/tracker.csv`, { permission: 'scrutiny:view' }, async (req, res) => {
    const { query } = trackerQuery(req)
    const result = await scrutiny.trackerForExport(req.ctx, req.params.id, query, { includeRestricted: true, format: 'csv' })
    const base = baseUrl(deps, req)
    await sendCsv(res, `${result.body.slug}-tracker-${result.today}.csv`, [...CSV_COLUMNS, 'restricted'], [
      result.rows.map((r) => csvRow(r, `${base}${M}/items/${r.id}`, { restrictedColumn: true })),
    ])
  })

  function packHeading(kind: string) {
    return kind === 'strategy_group' ? 'Actions tracker' : 'Resolutions and recommendations tracker'
  }

  routes.get(`${M}/bodies/:id/pack`, { permission: 'scrutiny:view' }, async (req, res) => {
    const { query } = trackerQuery(req)
    const includeRestricted = req.query.restricted === 'yes'
    const result = await scrutiny.trackerForExport(req.ctx, req.params.id, query, { includeRestricted, format: 'print' })
    const pdfQuery = new URLSearchParams(req.url.split('?')[1] ?? '').toString()
    res.render('scrutiny/views/staff/pack.njk', { ...result, heading: packHeading(result.body.kind), includeRestricted, pdfQuery })
  })

  routes.get(`${M}/bodies/:id/pack.pdf`, { permission: 'scrutiny:view' }, async (req, res) => {
    const { query } = trackerQuery(req)
    const includeRestricted = req.query.restricted === 'yes'
    const result = await scrutiny.trackerForExport(req.ctx, req.params.id, query, { includeRestricted, format: 'pdf' })
    const pdf = await trackerPdf({ bodyName: result.body.name, heading: packHeading(result.body.kind), generatedOn: result.today, rows: result.rows as Decorated[], includesRestricted: includeRestricted && result.rows.some((r) => r.restricted) })
    res.setHeader('Content-Type', 'application/pdf')
    res.setHeader('Content-Disposition', `attachment; filename="${result.body.slug}-tracker-${result.today}.pdf"`)
    res.send(pdf)
  })

  // Meetings

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

  // Items

  async function renderItemForm(req: Request, res: Response, values: Record<string, unknown>, errors?: unknown, status = 200) {
    const page = await scrutiny.newItemForm(req.ctx, req.params.id as string)
    res.status(status).render('scrutiny/views/staff/item-form.njk', {
      ...page,
      agencies: page.agencies.map((a) => ({ value: a.id, text: a.name })),
      agendaOptions: page.agenda.map((a) => ({ value: a.id, text: `${a.number ? `${a.number}. ` : ''}${a.title}${a.restricted ? ' (restricted)' : ''}` })),
      values,
      errors,
      options: options(),
    })
  }
  routes.get(`${M}/meetings/:id/items/new`, { permission: 'scrutiny:edit' }, (req, res) => {
    const kind = ITEM_KINDS.some((k) => k.value === req.query.kind) ? String(req.query.kind) : 'recommendation'
    return renderItemForm(req, res, { kind })
  })
  routes.post(`${M}/meetings/:id/items/new`, { permission: 'scrutiny:edit' }, async (req, res) => {
    const result = await submitted(req, itemSchema, (v) => scrutiny.createItem(req.ctx, req.params.id, v), ['sentOn', 'responseDue'])
    if (!result.ok) return renderItemForm(req, res, req.body, result.errors, 400)
    flash(req, { type: 'success', text: 'Recorded on the tracker' })
    if (req.body.another === 'yes') return res.redirect(`${M}/meetings/${req.params.id}/items/new?kind=${encodeURIComponent(String(req.body.kind))}`)
    res.redirect(`${M}/items/${result.value}`)
  })

  async function renderItem(req: Request, res: Response, extra: Record<string, unknown> = {}, status = 200) {
    const page = await scrutiny.item(req.ctx, req.params.id as string)
    const [trace, traceOptions] = await Promise.all([tracing.links(page.item.id), page.canEdit ? tracing.options() : Promise.resolve({ actions: [], indicators: [] })])
    res.status(status).render('scrutiny/views/staff/item.njk', {
      ...page,
      trace,
      traceOptions: {
        actions: [{ value: '', text: 'Select a strategy action' }, ...traceOptions.actions.filter((a) => !trace.actions.some((x) => x.id === a.id)).map((a) => ({ value: a.id, text: `${a.objective_title}: ${a.title}` }))],
        indicators: [{ value: '', text: 'Select an indicator' }, ...traceOptions.indicators.filter((i) => !trace.indicators.some((x) => x.id === i.id)).map((i) => ({ value: i.id, text: i.name }))],
      },
      statusOptions: page.statuses.map((s) => ({ value: s, text: statusLabel(s), hint: STATUSES.find((x) => x.value === s)!.hint })),
      positionOptions: page.responderStatuses.map((s) => ({ value: s, text: statusLabel(s) })),
      statusValues: { status: page.item.status, rag: page.item.rag ?? 'none', reason: page.item.status_reason ?? '' },
      responseValues: { responder: req.ctx.user!.agencyName, ...dateParts('respondedOn', page.today) },
      // No method chosen for them: the log says how only when the person recording it does.
      evidenceValues: { event: 'sent', channel: '', ...dateParts('occurredOn', page.today) },
      options: options(),
      ...extra,
    })
  }
  routes.get(`${M}/items/:id`, { permission: 'scrutiny:view' }, (req, res) => renderItem(req, res))
  async function renderItemEdit(req: Request, res: Response, values?: Record<string, unknown>, errors?: FormErrors, status = 200) {
    const page = await scrutiny.item(req.ctx, req.params.id as string)
    await scrutiny.authoriseOnBody(req.ctx, 'scrutiny:edit', page.body)
    const i = page.item
    res.status(status).render('scrutiny/views/staff/item-edit.njk', {
      ...page,
      agencies: (await scrutiny.agencies()).map((a) => ({ value: a.id, text: a.name })),
      values: values ?? {
        version: String(i.version),
        title: i.title,
        text: i.text,
        addressee: i.addressee,
        addresseeAgencyId: i.addressee_agency_id ?? '',
        addresseeEmail: i.addressee_email ?? '',
        proposedBy: i.proposed_by ?? '',
        secondedBy: i.seconded_by ?? '',
        restricted: i.restricted ? 'yes' : '',
        ...dateParts('responseDue', i.response_due),
      },
      errors,
    })
  }
  routes.get(`${M}/items/:id/edit`, { permission: 'scrutiny:edit' }, (req, res) => renderItemEdit(req, res))
  routes.post(`${M}/items/:id/edit`, { permission: 'scrutiny:edit' }, async (req, res) => {
    const result = await submitted(req, itemEditSchema, (v) => scrutiny.updateItem(req.ctx, req.params.id, v), ['responseDue'])
    if (!result.ok) return renderItemEdit(req, res, req.body, result.errors, 400)
    saved(req, res, 'Details corrected; the change and its reason are in the evidence log', `${M}/items/${req.params.id}`)
  })
  routes.post(`${M}/items/:id/status`, { permission: 'scrutiny:edit' }, async (req, res) => {
    const result = await submitted(req, statusSchema, (v) => scrutiny.updateStatus(req.ctx, req.params.id, v))
    if (!result.ok) return renderItem(req, res, { statusValues: req.body, errors: result.errors, open: 'status' }, 400)
    saved(req, res, 'Status updated', `${M}/items/${req.params.id}`)
  })
  routes.post(`${M}/items/:id/responses`, { anyOf: ['scrutiny:respond', 'scrutiny:edit'] }, async (req, res) => {
    const result = await submitted(req, responseSchema, (v) => scrutiny.recordResponse(req.ctx, req.params.id, v), ['respondedOn'])
    if (!result.ok) return renderItem(req, res, { responseValues: req.body, errors: retarget(result.errors, { text: 'responseText', reason: 'positionReason' }), open: 'response' }, 400)
    saved(req, res, 'Response recorded', `${M}/items/${req.params.id}`)
  })
  routes.post(`${M}/items/:id/trace`, { permission: 'scrutiny:edit' }, async (req, res) => {
    const result = await submitted(req, traceSchema, (v) => tracing.link(req.ctx, req.params.id, v))
    if (!result.ok) return renderItem(req, res, { errors: result.errors }, 400)
    saved(req, res, 'Linked', `${M}/items/${req.params.id}#trace`)
  })
  routes.post(`${M}/items/:id/trace/remove`, { permission: 'scrutiny:edit' }, async (req, res) => {
    const result = await submitted(req, traceSchema, (v) => tracing.unlink(req.ctx, req.params.id, v))
    if (!result.ok) return renderItem(req, res, { errors: result.errors }, 400)
    saved(req, res, 'Link removed', `${M}/items/${req.params.id}#trace`)
  })
  routes.post(`${M}/items/:id/evidence`, { permission: 'scrutiny:edit' }, async (req, res) => {
    const result = await submitted(req, evidenceSchema, (v) => scrutiny.recordEvidence(req.ctx, req.params.id, v), ['occurredOn'])
    if (!result.ok) return renderItem(req, res, { evidenceValues: req.body, errors: result.errors, open: 'evidence' }, 400)
    saved(req, res, 'Added to the evidence log', `${M}/items/${req.params.id}#evidence`)
  })

  // Files (staff may read restricted ones of their own bodies)

  routes.get(`${M}/files/:fileId`, { permission: 'scrutiny:view' }, async (req, res) => {
    const file = await scrutiny.file(req.ctx, req.params.fileId)
    if (!file.content) return res.redirect(file.url!)
    res.setHeader('Content-Type', file.content_type!)
    res.setHeader('Content-Disposition', `attachment; filename="${file.filename!.replace(/[^\w.()' -]/g, '_')}"`)
    res.send(file.content)
  })

  // Outbox of reminders

  routes.get(`${M}/outbox`, { permission: 'scrutiny:edit' }, async (req, res) => {
    res.render('scrutiny/views/staff/outbox.njk', await scrutiny.outbox(req.ctx))
  })
  routes.post(`${M}/outbox/run`, { permission: 'scrutiny:edit' }, async (req, res) => {
    // Followers' updates need the public address for their links: without it they wait.
    const base = deps.config.publicBaseUrl
    const r = await scrutiny.runReminders(req.ctx, (sender, day) =>
      base ? runAsOwner('the followers’ addresses, for their update e-mails', () => runFollowerUpdates(deps.db, sender, day, base)) : Promise.resolve(null),
    )
    const went = r.delivers ? `${r.sent} e-mailed` : `${r.sent} written to the log only (no mail server)`
    saved(req, res, `${r.queued} reminder${r.queued === 1 ? '' : 's'} queued; ${went}, ${r.retrying + r.failed} could not be sent, ${r.cancelled} no longer needed.`, `${M}/outbox`)
  })

  // The strategy group's work programme

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
      values: { version: String(work.version), status: work.status, rag: work.rag ?? 'none', progressNote: work.progress_note, ...dateParts('dueDate', work.due_date) },
    })
  })
  routes.post(`${M}/bodies/:id/work/:workId`, { permission: 'scrutiny:edit' }, async (req, res) => {
    const result = await submitted(req, workUpdateSchema, (v) => strategy.updateWorkItem(req.ctx, req.params.id, req.params.workId, v), ['dueDate'])
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

  // Awareness events

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

  return routes.router
}

function bodyValues(b: { name: string; code: string; kind: string; description: string; agency_id: string | null; response_days: number; reminder_days: number; public: boolean; clerk_email: string | null }) {
  return { name: b.name, code: b.code, kind: b.kind, description: b.description, agencyId: b.agency_id ?? '', responseDays: String(b.response_days), reminderDays: String(b.reminder_days), public: b.public ? 'yes' : '', clerkEmail: b.clerk_email ?? '' }
}

