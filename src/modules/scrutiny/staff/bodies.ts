import type { Request, Response } from 'express'
import { parseForm } from '../../../web/forms.ts'
import { bodySchema, memberSchema, scrutinisedSchema } from '../schemas.ts'
import { FILTER_OPTIONS, pageNumber, pagination, trackerQuery } from '../routes-public.ts'
import { M, options, saved, submitted, type StaffContext } from './forms.ts'

/** A body: its page with the tracker, its settings, members and the organisations it scrutinises. */
export function bodyRoutes({ routes, scrutiny }: StaffContext) {
  const agencyItems = async () => (await scrutiny.agencies()).map((a) => ({ value: a.id, text: a.name }))

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
}

function bodyValues(b: { name: string; code: string; kind: string; description: string; agency_id: string | null; response_days: number; reminder_days: number; public: boolean; clerk_email: string | null }) {
  return { name: b.name, code: b.code, kind: b.kind, description: b.description, agencyId: b.agency_id ?? '', responseDays: String(b.response_days), reminderDays: String(b.reminder_days), public: b.public ? 'yes' : '', clerkEmail: b.clerk_email ?? '' }
}
