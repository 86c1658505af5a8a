import type { Request, Router } from 'express'
import { guardedRouter } from '../../web/routes.ts'
import type { ModuleDeps } from '../types.ts'
import { parseForm } from '../../web/forms.ts'
import { formErrors, type Result } from '../../kernel/form-errors.ts'
import { flash } from '../../web/middleware/current-user.ts'
import { readDateInput } from '../../web/date-input.ts'
import { sendCsv } from '../../lib/csv-download.ts'
import { pagination } from '../../web/pagination.ts'
import { displayName } from '../people/index.ts'
import { LEGAL_BASES, legalBasisText } from './legal-bases.ts'
import { registerFilterSchema, requestSchema, respondSchema, revokeSchema, reviewSchema, shareSchema, type ShareInput } from './schemas.ts'
import { latestReviewDate, sharingService } from './service.ts'

const REGISTER_PAGE_SIZE = 50

/** Reads a review date (a GOV.UK date input): after today, and no more than a year on. */
function readReviewDate(body: Record<string, unknown>, today: string) {
  const tomorrow = new Date(Date.parse(`${today}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)
  return readDateInput(body, 'reviewOn', 'The review date', {
    required: true,
    notBefore: tomorrow,
    notBeforeMessage: 'The review date must be in the future',
    notAfter: latestReviewDate(today),
    notAfterMessage: 'The review date must be within a year',
  })
}

/** Merges the zod answer and the date input's into one result, errors in page order. */
function readShareForm(body: Record<string, unknown>, today: string): Result<ShareInput> {
  const parsed = parseForm(shareSchema, body)
  const review = readReviewDate(body, today)
  if (parsed.ok && review.ok) return { ok: true, value: { ...parsed.value, reviewOn: review.value! } }
  return {
    ok: false,
    errors: formErrors([
      ...(parsed.ok ? [] : parsed.errors.errorList.map((e) => ({ field: e.href.slice(1), message: e.text }))),
      ...(review.ok ? [] : [{ field: 'reviewOn-day', message: review.message }]),
    ]),
  }
}

export function sharingRoutes(deps: ModuleDeps): Router {
  const routes = guardedRouter(deps.access)
  const sharing = sharingService(deps)
  const legalBases = LEGAL_BASES.map((b) => ({ value: b.value, text: b.text }))

  async function recordPage(req: Request, extra: Record<string, unknown> = {}) {
    const id = req.params.id as string
    const page = await sharing.recordPage(req.ctx, id)
    const options = page.canShare ? await sharing.recipients(req.ctx, id) : { agencies: [], users: [] }
    return { ...page, agencies: options.agencies, users: options.users, legalBases, legalBasisText, values: { recipient: 'agency' }, ...extra }
  }

  routes.get('/people/:id/sharing', { permission: 'person:view' }, async (req, res) => {
    res.render('sharing/views/record.njk', await recordPage(req))
  })

  routes.post('/people/:id/sharing', { permission: 'person:share' }, async (req, res) => {
    const form = readShareForm(req.body ?? {}, deps.clock.today())
    const result = form.ok ? await sharing.share(req.ctx, req.params.id, form.value) : form
    if (!result.ok) return res.status(400).render('sharing/views/record.njk', await recordPage(req, { values: req.body, errors: result.errors }))
    flash(req, { type: 'success', text: 'Record shared. The share is listed below with its review date.' })
    res.redirect(`/people/${req.params.id}/sharing`)
  })

  routes.get('/people/:id/sharing/:shareId/revoke', { permission: 'person:share' }, async (req, res) => {
    res.render('sharing/views/revoke.njk', { ...(await sharing.shareOf(req.ctx, req.params.id, req.params.shareId)), legalBasisText, values: {} })
  })

  routes.post('/people/:id/sharing/:shareId/revoke', { permission: 'person:share' }, async (req, res) => {
    const parsed = parseForm(revokeSchema, req.body)
    if (!parsed.ok) {
      return res.status(400).render('sharing/views/revoke.njk', { ...(await sharing.shareOf(req.ctx, req.params.id, req.params.shareId)), legalBasisText, values: req.body, errors: parsed.errors })
    }
    const name = await sharing.revoke(req.ctx, req.params.id, req.params.shareId, parsed.value.reason)
    flash(req, { type: 'success', text: `${name} can no longer see this record through this share` })
    res.redirect(`/people/${req.params.id}/sharing`)
  })

  routes.get('/people/:id/request-access', { permission: 'person:view' }, async (req, res) => {
    const page = await sharing.requestPage(req.ctx, req.params.id)
    if (page.alreadyVisible) return res.redirect(`/people/${req.params.id}`)
    res.render('sharing/views/request-access.njk', { ...page, recordId: req.params.id, legalBases, values: {} })
  })

  routes.post('/people/:id/request-access', { permission: 'person:view' }, async (req, res) => {
    const parsed = parseForm(requestSchema, req.body)
    const result = parsed.ok ? await sharing.requestAccess(req.ctx, req.params.id, parsed.value) : parsed
    if (!result.ok) {
      const page = await sharing.requestPage(req.ctx, req.params.id)
      return res.status(400).render('sharing/views/request-access.njk', { ...page, recordId: req.params.id, legalBases, values: req.body, errors: result.errors })
    }
    flash(req, { type: 'success', text: 'Request sent. You will see the answer here.' })
    res.redirect('/sharing#my-requests')
  })

  routes.get('/sharing', { permission: 'person:view' }, async (req, res) => {
    res.render('sharing/views/inbox.njk', { ...(await sharing.inbox(req.ctx)), legalBasisText, displayName })
  })

  async function requestPage(req: Request, extra: Record<string, unknown>) {
    return { ...(await sharing.request(req.ctx, req.params.requestId as string)), legalBasisText, ...extra }
  }

  routes.get('/sharing/requests/:requestId', { permission: 'person:share' }, async (req, res) => {
    res.render('sharing/views/respond.njk', await requestPage(req, { values: {} }))
  })

  routes.post('/sharing/requests/:requestId', { permission: 'person:share' }, async (req, res) => {
    const parsed = parseForm(respondSchema, req.body)
    const review = parsed.ok && parsed.value.decision === 'accept' ? readReviewDate(req.body ?? {}, deps.clock.today()) : ({ ok: true, value: null } as const)
    if (!parsed.ok || !review.ok) {
      const errors = formErrors([
        ...(parsed.ok ? [] : parsed.errors.errorList.map((e) => ({ field: e.href.slice(1), message: e.text }))),
        ...(review.ok ? [] : [{ field: 'reviewOn-day', message: review.message }]),
      ])
      return res.status(400).render('sharing/views/respond.njk', await requestPage(req, { values: req.body, errors }))
    }
    const answer =
      parsed.value.decision === 'accept'
        ? { decision: 'accept' as const, reviewOn: review.value!, endsOnReview: req.body?.endsOnReview === 'yes' }
        : { decision: 'decline' as const, reason: parsed.value.reason! }
    const result = await sharing.respond(req.ctx, req.params.requestId, answer)
    if (result.ok) flash(req, { type: 'success', text: answer.decision === 'accept' ? `Shared with ${result.value.requesterName}` : `Request from ${result.value.requesterName} declined` })
    res.redirect('/sharing')
  })

  routes.get('/sharing/register', { permission: 'sharing:register' }, async (req, res) => {
    const filter = registerFilterSchema.parse(req.query)
    const { rows, total, agencies } = await sharing.register(req.ctx, filter, REGISTER_PAGE_SIZE)
    const query = new URLSearchParams(Object.entries(req.query).filter(([k, v]) => k !== 'page' && typeof v === 'string' && v) as [string, string][]).toString()
    const pages = Math.max(1, Math.ceil(total / REGISTER_PAGE_SIZE))
    res.render('sharing/views/register.njk', {
      rows,
      total,
      filter,
      query,
      legalBasisText,
      agencies: agencies.map((a) => ({ value: a.id, text: a.name })),
      legalBases: [...legalBases, { value: 'none', text: 'Not recorded' }],
      pagination: pagination(filter.page, pages, (n) => `/sharing/register?${query ? `${query}&` : ''}page=${n}`),
    })
  })

  routes.get('/sharing/register.csv', { permission: 'sharing:register' }, async (req, res) => {
    const { page: _page, ...filter } = registerFilterSchema.parse(req.query)
    const source = await sharing.registerExport(req.ctx, filter)
    async function* batches() {
      for await (const rows of source) {
        yield rows.map((r) => [
          r.id,
          r.status,
          r.record_type,
          r.record_id,
          r.owner_agency_name,
          r.agency_name ?? '',
          r.user_name ? `${r.user_name} (${r.user_agency_name})` : '',
          r.purpose,
          legalBasisText(r.legal_basis),
          r.review_on,
          r.expires_at,
          r.granted_at,
          r.granted_by_name,
          r.revoked_at,
          r.revoked_by_name,
          r.revoke_reason,
        ])
      }
    }
    const columns = ['share_id', 'status', 'record_type', 'record_id', 'owner_agency', 'recipient_agency', 'recipient_person', 'purpose', 'legal_basis', 'review_on', 'expires_at', 'granted_at', 'granted_by', 'revoked_at', 'revoked_by', 'revoke_reason']
    await sendCsv(res, 'lantern-data-sharing-register.csv', columns, batches())
  })

  routes.get('/admin/break-glass', { anyOf: ['sharing:register', 'admin:audit'] }, (_req, res) => res.redirect(301, '/sharing/break-glass'))

  routes.get('/sharing/break-glass', { anyOf: ['sharing:register', 'admin:audit'] }, async (req, res) => {
    const all = req.query.show === 'all'
    res.render('sharing/views/break-glass.njk', { rows: await sharing.breakGlassUses(req.ctx, !all), all })
  })

  routes.get('/sharing/break-glass/:breakGlassId', { anyOf: ['sharing:register', 'admin:audit'] }, async (req, res) => {
    res.render('sharing/views/break-glass-review.njk', { use: await sharing.breakGlassUse(req.ctx, req.params.breakGlassId), values: {} })
  })

  routes.post('/sharing/break-glass/:breakGlassId', { anyOf: ['sharing:register', 'admin:audit'] }, async (req, res) => {
    const parsed = parseForm(reviewSchema, req.body)
    if (!parsed.ok) {
      return res.status(400).render('sharing/views/break-glass-review.njk', { use: await sharing.breakGlassUse(req.ctx, req.params.breakGlassId), values: req.body, errors: parsed.errors })
    }
    await sharing.reviewBreakGlass(req.ctx, req.params.breakGlassId, parsed.value)
    flash(req, { type: 'success', text: 'Review recorded' })
    res.redirect('/sharing/break-glass')
  })

  return routes.router
}
