import { Router, type Request, type Response } from 'express'
import { guardedRouter } from '../../web/routes.ts'
import type { ModuleDeps } from '../types.ts'
import { parseForm } from '../../web/forms.ts'
import { formErrors, type FormErrors } from '../../kernel/form-errors.ts'
import { flash } from '../../web/middleware/current-user.ts'
import { dateParts, readDateInput, type DateResult } from '../../web/date-input.ts'
import { versionSchema } from '../../web/fields.ts'
import { breachFieldsSchema, cawnFieldsSchema, nrmFieldsSchema } from './schemas.ts'
import { referralsService, type BreachInput, type CawnInput, type NrmInput } from './service.ts'
import { DECISIONS, EXPLOITATION_TYPES } from './rules.ts'
import type { Cawn, NrmReferral } from './tables.ts'
import { voidRoutes } from '../people/index.ts'
import { showingSavedOnConflict } from '../../web/conflict.ts'
import { formatDate } from '../../web/nunjucks.ts'

type Issue = { field: string; message: string }
type Read<T> = { ok: true; value: T } | { ok: false; errors: FormErrors }

const issuesOf = (errors: FormErrors): Issue[] => errors.errorList.map((e) => ({ field: e.href.slice(1), message: e.text }))
const pastDate = (body: Record<string, unknown>, name: string, label: string, required: boolean, today: string): DateResult =>
  readDateInput(body, name, label, { required, notAfter: today, notAfterMessage: `${label} must be today or in the past` })
const dateIssue = (r: DateResult, name: string): Issue[] => (r.ok ? [] : [{ field: `${name}-day`, message: r.message }])

export function readNrmForm(body: Record<string, unknown>, today: string): Read<NrmInput> {
  const referred = pastDate(body, 'referred', 'Referral date', true, today)
  const rg = pastDate(body, 'rg', 'Reasonable grounds decision date', false, today)
  const cg = pastDate(body, 'cg', 'Conclusive grounds decision date', false, today)
  const fields = parseForm(nrmFieldsSchema, body)
  if (referred.ok && referred.value && rg.ok && cg.ok && fields.ok) return { ok: true, value: { ...fields.value, referredOn: referred.value, rgDecisionOn: rg.value, cgDecisionOn: cg.value } }
  const order = ['referred-day', 'firstResponderAgencyId', 'reference', 'exploitationTypes', 'rgDecision', 'rg-day', 'cgDecision', 'cg-day', 'notes']
  const issues = [...dateIssue(referred, 'referred'), ...dateIssue(rg, 'rg'), ...dateIssue(cg, 'cg'), ...(fields.ok ? [] : issuesOf(fields.errors))]
  issues.sort((a, b) => order.indexOf(a.field) - order.indexOf(b.field))
  return { ok: false, errors: formErrors(issues) }
}

export function readCawnForm(body: Record<string, unknown>, today: string): Read<CawnInput> {
  const served = pastDate(body, 'served', 'Date served', true, today)
  const expires = readDateInput(body, 'expires', 'Expiry date', { required: false })
  const fields = parseForm(cawnFieldsSchema, body)
  if (served.ok && served.value && expires.ok && fields.ok) return { ok: true, value: { ...fields.value, servedOn: served.value, expiresOn: expires.value } }
  const order = ['adultId', 'served-day', 'expires-day', 'servedByAgencyId', 'reference', 'notes']
  const issues = [...dateIssue(served, 'served'), ...dateIssue(expires, 'expires'), ...(fields.ok ? [] : issuesOf(fields.errors))]
  issues.sort((a, b) => order.indexOf(a.field) - order.indexOf(b.field))
  return { ok: false, errors: formErrors(issues) }
}

export function readBreachForm(body: Record<string, unknown>, today: string): Read<BreachInput> {
  const occurred = pastDate(body, 'occurred', 'Date of the breach', true, today)
  const fields = parseForm(breachFieldsSchema, body)
  if (occurred.ok && occurred.value && fields.ok) return { ok: true, value: { ...fields.value, occurredOn: occurred.value } }
  return { ok: false, errors: formErrors([...dateIssue(occurred, 'occurred'), ...(fields.ok ? [] : issuesOf(fields.errors))]) }
}

const nrmValues = (n: NrmReferral) => ({
  version: n.version,
  ...dateParts(n.referred_on, 'referred'),
  ...dateParts(n.rg_decision_on, 'rg'),
  ...dateParts(n.cg_decision_on, 'cg'),
  firstResponderAgencyId: n.first_responder_agency_id,
  reference: n.reference,
  exploitationTypes: n.exploitation_types,
  rgDecision: n.rg_decision ?? 'none',
  cgDecision: n.cg_decision ?? 'none',
  notes: n.notes,
})

const cawnValues = (c: Cawn) => ({
  version: c.version,
  adultId: c.adult_id,
  ...dateParts(c.served_on, 'served'),
  ...dateParts(c.expires_on, 'expires'),
  servedByAgencyId: c.served_by_agency_id,
  reference: c.reference,
  notes: c.notes,
})

export function referralsRoutes(deps: ModuleDeps): Router {
  const routes = guardedRouter(deps.access)
  const referrals = referralsService(deps)
  const lists = { exploitationTypes: EXPLOITATION_TYPES, decisions: DECISIONS }
  const version = (req: Request) => {
    const v = versionSchema.safeParse(req.body?.version)
    return v.success ? v.data : 0
  }

  routes.get('/people/:id/referrals', { permission: 'person:view' }, async (req, res) => {
    res.render('referrals/views/referrals.njk', { ...(await referrals.page(req.ctx, req.params.id)), ...lists })
  })

  // NRM referrals
  async function nrmForm(req: Request, res: Response, status: number, values: Record<string, unknown>, errors?: FormErrors) {
    const id = req.params.referralId ? String(req.params.referralId) : null
    const { person, referral } = await referrals.forEditNrm(req.ctx, String(req.params.id), id)
    res.status(status).render('referrals/views/nrm-form.njk', { person, referral, values, errors, ...(await referrals.options(req.ctx)), ...lists })
  }
  routes.get('/people/:id/referrals/nrm/new', { permission: 'person:edit' }, async (req, res) => nrmForm(req, res, 200, { rgDecision: 'none', cgDecision: 'none' }))
  routes.post('/people/:id/referrals/nrm/new', { permission: 'person:edit' }, async (req, res) => {
    const form = readNrmForm(req.body, deps.clock.today())
    const result = form.ok ? await referrals.createNrm(req.ctx, req.params.id, form.value) : form
    if (!result.ok) return nrmForm(req, res, 400, req.body, result.errors)
    flash(req, { type: 'success', text: 'NRM referral recorded' })
    res.redirect(`/people/${req.params.id}/referrals`)
  })
  routes.get('/people/:id/referrals/nrm/:referralId', { permission: 'person:edit' }, async (req, res) => {
    const { referral } = await referrals.forEditNrm(req.ctx, req.params.id, req.params.referralId)
    await nrmForm(req, res, 200, nrmValues(referral!))
  })
  routes.post('/people/:id/referrals/nrm/:referralId', { permission: 'person:edit' }, async (req, res) => {
    const form = readNrmForm(req.body, deps.clock.today())
    const saved = async () => nrmValues((await referrals.forEditNrm(req.ctx, req.params.id, req.params.referralId)).referral!)
    const result = form.ok ? await showingSavedOnConflict(referrals.updateNrm(req.ctx, req.params.id, req.params.referralId, version(req), form.value), saved) : form
    if (!result.ok) return nrmForm(req, res, 400, req.body, result.errors)
    flash(req, { type: 'success', text: 'NRM referral updated' })
    res.redirect(`/people/${req.params.id}/referrals`)
  })

  voidRoutes(routes, '/people/:id/referrals/nrm/:referralId/void', {
    section: 'referrals',
    record: 'NRM referral',
    async load(req) {
      const { person, referral } = await referrals.forEditNrm(req.ctx, String(req.params.id), String(req.params.referralId))
      const n = referral!
      return {
        person,
        version: n.version,
        label: `of ${formatDate(n.referred_on)}`,
        summaryRows: [
          { key: { text: 'Referred' }, value: { text: formatDate(n.referred_on) } },
          { key: { text: 'Reference' }, value: { text: n.reference ?? 'None recorded' } },
        ],
        back: `/people/${person.id}/referrals`,
      }
    },
    void: (req, input) => referrals.voidNrm(req.ctx, String(req.params.id), String(req.params.referralId), input),
    done: (req) => `/people/${String(req.params.id)}/referrals`,
  })

  // CAWNs
  async function cawnForm(req: Request, res: Response, status: number, values: Record<string, unknown>, errors?: FormErrors) {
    const id = req.params.cawnId ? String(req.params.cawnId) : null
    const { person, cawn } = await referrals.forEditCawn(req.ctx, String(req.params.id), id)
    res.status(status).render('referrals/views/cawn-form.njk', { person, cawn, values, errors, ...(await referrals.options(req.ctx)) })
  }
  routes.get('/people/:id/referrals/cawn/new', { permission: 'person:edit' }, async (req, res) => cawnForm(req, res, 200, {}))
  routes.post('/people/:id/referrals/cawn/new', { permission: 'person:edit' }, async (req, res) => {
    const form = readCawnForm(req.body, deps.clock.today())
    const result = form.ok ? await referrals.createCawn(req.ctx, req.params.id, form.value) : form
    if (!result.ok) return cawnForm(req, res, 400, req.body, result.errors)
    flash(req, { type: 'success', text: 'Child abduction warning notice recorded' })
    if (result.warning) flash(req, { type: 'important', heading: 'Another notice is in force', text: result.warning })
    res.redirect(`/people/${req.params.id}/referrals/cawn/${result.value}`)
  })
  async function cawnPage(req: Request, res: Response, status: number, values: Record<string, unknown>, errors?: FormErrors) {
    res.status(status).render('referrals/views/cawn.njk', { ...(await referrals.cawn(req.ctx, String(req.params.id), String(req.params.cawnId))), values, errors })
  }
  routes.get('/people/:id/referrals/cawn/:cawnId', { permission: 'person:view' }, async (req, res) => cawnPage(req, res, 200, {}))
  routes.get('/people/:id/referrals/cawn/:cawnId/edit', { permission: 'person:edit' }, async (req, res) => {
    const { cawn } = await referrals.forEditCawn(req.ctx, req.params.id, req.params.cawnId)
    await cawnForm(req, res, 200, cawnValues(cawn!))
  })
  routes.post('/people/:id/referrals/cawn/:cawnId/edit', { permission: 'person:edit' }, async (req, res) => {
    const form = readCawnForm(req.body, deps.clock.today())
    const saved = async () => cawnValues((await referrals.forEditCawn(req.ctx, req.params.id, req.params.cawnId)).cawn!)
    const result = form.ok ? await showingSavedOnConflict(referrals.updateCawn(req.ctx, req.params.id, req.params.cawnId, version(req), form.value), saved) : form
    if (!result.ok) return cawnForm(req, res, 400, req.body, result.errors)
    flash(req, { type: 'success', text: 'Notice updated' })
    res.redirect(`/people/${req.params.id}/referrals/cawn/${req.params.cawnId}`)
  })
  routes.post('/people/:id/referrals/cawn/:cawnId/breaches', { permission: 'person:edit' }, async (req, res) => {
    const form = readBreachForm(req.body, deps.clock.today())
    const result = form.ok ? await referrals.addBreach(req.ctx, req.params.id, req.params.cawnId, form.value) : form
    if (!result.ok) return cawnPage(req, res, 400, req.body, result.errors)
    flash(req, { type: 'success', text: 'Breach recorded' })
    res.redirect(`/people/${req.params.id}/referrals/cawn/${req.params.cawnId}`)
  })

  return routes.router
}
