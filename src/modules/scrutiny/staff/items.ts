import type { Request, Response } from 'express'
import type { FormErrors } from '../../../kernel/form-errors.ts'
import { flash } from '../../../web/middleware/current-user.ts'
import { showingSavedOnConflict } from '../../../web/conflict.ts'
import { dateParts, evidenceSchema, itemEditSchema, itemSchema, responseSchema, statusSchema, traceSchema } from '../schemas.ts'
import { ITEM_KINDS, STATUSES, statusLabel } from '../domain.ts'
import { M, options, retarget, saved, submitted, type StaffContext } from './forms.ts'

/** Resolutions, recommendations and requests: recorded, corrected, responded to, traced and logged. */
export function itemRoutes({ routes, scrutiny, tracing }: StaffContext) {
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
  /** An item as its correction form shows it: for the edit page, and the saved side of a conflict. */
  function itemValues(i: Awaited<ReturnType<typeof scrutiny.item>>['item']) {
    return {
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
    }
  }

  async function renderItemEdit(req: Request, res: Response, values?: Record<string, unknown>, errors?: FormErrors, status = 200) {
    const page = await scrutiny.item(req.ctx, req.params.id as string)
    await scrutiny.authoriseOnBody(req.ctx, 'scrutiny:edit', page.body)
    const i = page.item
    res.status(status).render('scrutiny/views/staff/item-edit.njk', {
      ...page,
      agencies: (await scrutiny.agencies()).map((a) => ({ value: a.id, text: a.name })),
      values: values ?? itemValues(i),
      errors,
    })
  }
  routes.get(`${M}/items/:id/edit`, { permission: 'scrutiny:edit' }, (req, res) => renderItemEdit(req, res))
  routes.post(`${M}/items/:id/edit`, { permission: 'scrutiny:edit' }, async (req, res) => {
    const id = req.params.id as string
    const result = await submitted(
      req,
      itemEditSchema,
      (v) =>
        showingSavedOnConflict(
          scrutiny.updateItem(req.ctx, id, v),
          async () => itemValues((await scrutiny.item(req.ctx, id)).item),
          async () => {
            const agencies = (await scrutiny.agencies()).map((a) => ({ value: a.id, text: a.name }))
            return { addresseeAgencyId: agencies, restricted: [{ value: 'yes', text: 'Restricted' }] }
          },
        ),
      ['responseDue'],
    )
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
}
