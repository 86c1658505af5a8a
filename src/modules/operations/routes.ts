import { Router, type Request, type Response } from 'express'
import type { ZodType } from 'zod'
import { NotFoundError } from '../../kernel/errors.ts'
import type { Parsed } from '../../kernel/form-errors.ts'
import { guardedRouter } from '../../web/routes.ts'
import type { ModuleDeps } from '../types.ts'
import { parseForm } from '../../web/forms.ts'
import { flash } from '../../web/middleware/current-user.ts'
import { showingSavedOnConflict } from '../../web/conflict.ts'
import { sendCsv } from '../../lib/csv-download.ts'
import type { OutcomeCounts } from './outcomes.ts'
import { operationsService } from './service.ts'
import {
  ACTIVITY_KINDS,
  OPERATION_STATUSES,
  SEIZED_ITEMS,
  activitySchema,
  concludeSchema,
  correctionSchema,
  editOperationSchema,
  operationSchema,
  outcomeCorrectionSchema,
  outcomeSchema,
  periodSchema,
  reopenSchema,
  targetSchema,
  withdrawSchema,
  type WithdrawInput,
} from './schemas.ts'

/** The outcomes download's columns: the Home Office's County Lines Programme measures. */
const OUTCOME_COLUMNS = ['operation', 'lead_agency', 'status', 'county_lines_closed', 'type_1_closures', 'type_2_closures', 'line_holders_charged', 'arrests', 'nrm_referrals', 'safeguarding_referrals']

export function operationsRoutes(deps: ModuleDeps): Router {
  const routes = guardedRouter(deps.access)
  const ops = operationsService(deps)
  const constants = { statuses: OPERATION_STATUSES, activityKinds: ACTIVITY_KINDS, seizedItems: SEIZED_ITEMS }
  const agencyItems = async () => (await ops.agencies()).map((a) => ({ value: a.id, text: a.name }))
  const param = (req: Request, name: 'id' | 'entityId' | 'activityId' | 'outcomeId') => String(req.params[name])
  const done = (req: Request, res: Response, text: string) => {
    flash(req, { type: 'success', text })
    res.redirect(`/operations/${param(req, 'id')}`)
  }

  /** Parses a form, saves it, and goes back to the operation; on bad input shows the form again with the answers kept. */
  type Shown = (req: Request, res: Response, values?: Record<string, unknown>, errors?: unknown) => Promise<unknown>
  async function saveOrShow<T>(req: Request, res: Response, schema: ZodType<T>, save: (input: T) => Promise<Parsed<unknown>>, show: Shown, message: string) {
    const parsed = parseForm(schema, req.body)
    const result = parsed.ok ? await save(parsed.value) : parsed
    if (!result.ok) return show(req, res, req.body, result.errors)
    done(req, res, message)
  }

  /** A correction: the record's own form and a reason, read together so that every error is shown at once. */
  type Reason = { reason: string; version: number }
  function correctionRoute<T>(path: string, schema: ZodType<T>, why: ZodType<Reason>, show: Shown, save: (req: Request, input: T, why: Reason) => Promise<Parsed<unknown>>, message: string) {
    routes.get(path, { permission: 'operation:edit' }, (req, res) => show(req, res))
    routes.post(path, { permission: 'operation:edit' }, async (req, res) => {
      const parsed = parseForm(schema, req.body)
      const reason = parseForm(why, req.body)
      if (!parsed.ok || !reason.ok) {
        const errorList = [...(reason.ok ? [] : reason.errors.errorList), ...(parsed.ok ? [] : parsed.errors.errorList)]
        const fields = { ...(parsed.ok ? {} : parsed.errors.fields), ...(reason.ok ? {} : reason.errors.fields) }
        return show(req, res, req.body, { errorList, fields })
      }
      const result = await save(req, parsed.value, reason.value)
      if (!result.ok) return show(req, res, req.body, result.errors)
      done(req, res, message)
    })
  }

  /** A withdrawal: only a reason, and the record kept. */
  function withdrawalRoute(path: string, show: Shown, save: (req: Request, input: WithdrawInput) => Promise<void>, message: string) {
    routes.get(path, { permission: 'operation:edit' }, (req, res) => show(req, res))
    routes.post(path, { permission: 'operation:edit' }, async (req, res) => {
      const parsed = parseForm(withdrawSchema, req.body)
      if (!parsed.ok) return show(req, res, req.body, parsed.errors)
      await save(req, parsed.value)
      done(req, res, message)
    })
  }

  routes.get('/operations', { permission: 'network:view' }, async (req, res) => {
    res.render('operations/views/list.njk', { ...(await ops.list(req.ctx)), canEdit: deps.access.can(req.ctx, 'operation:edit') })
  })
  routes.get('/operations/new', { permission: 'operation:edit' }, async (req, res) => {
    res.render('operations/views/form.njk', { agencies: await agencyItems(), values: { leadAgencyId: req.ctx.user?.agencyId, status: 'active' }, ...constants })
  })
  routes.post('/operations/new', { permission: 'operation:edit' }, async (req, res) => {
    const parsed = parseForm(operationSchema, req.body)
    const result = parsed.ok ? await ops.create(req.ctx, parsed.value) : parsed
    if (!result.ok) return res.status(400).render('operations/views/form.njk', { agencies: await agencyItems(), values: req.body, errors: result.errors, ...constants })
    flash(req, { type: 'success', text: 'Operation recorded' })
    res.redirect(`/operations/${result.value}`)
  })
  // Declared before /operations/:id, which would take "outcomes" for an operation's id.
  routes.get('/operations/outcomes', { permission: 'network:view' }, async (req, res) => {
    const parsed = parseForm(periodSchema, req.query)
    if (!parsed.ok) return res.status(400).render('operations/views/outcomes.njk', { values: req.query, errors: parsed.errors })
    const query = new URLSearchParams(Object.entries(parsed.value).filter((e): e is [string, string] => Boolean(e[1]))).toString()
    res.render('operations/views/outcomes.njk', { ...(await ops.outcomes(req.ctx, parsed.value, 'view')), values: req.query, period: parsed.value, csvHref: `/operations/outcomes.csv${query ? `?${query}` : ''}` })
  })
  routes.get('/operations/outcomes.csv', { permission: 'network:view' }, async (req, res) => {
    const parsed = parseForm(periodSchema, req.query)
    if (!parsed.ok) return res.status(400).render('operations/views/outcomes.njk', { values: req.query, errors: parsed.errors })
    const { operations, totals } = await ops.outcomes(req.ctx, parsed.value, 'export')
    const figures = (c: OutcomeCounts) => [c.linesClosed, c.type1, c.type2, c.lineHoldersCharged, c.arrests, c.nrmReferrals, c.safeguardingReferrals]
    const rows = [...operations.map((o) => [o.name, o.lead_agency_name, o.status, ...figures(o.counts)]), ['All operations', '', '', ...figures(totals)]]
    res.setHeader('Cache-Control', 'no-store')
    await sendCsv(res, `operation-outcomes_${parsed.value.from ?? 'start'}_${parsed.value.to ?? 'now'}.csv`, OUTCOME_COLUMNS, [rows])
  })

  routes.get('/operations/:id', { permission: 'network:view' }, async (req, res) => {
    res.render('operations/views/operation.njk', { ...(await ops.page(req.ctx, req.params.id)), values: {}, ...constants })
  })

  /** The operation as its edit form shows it. */
  const editValues = async (req: Request) => {
    const { op, partners } = await ops.forEdit(req.ctx, param(req, 'id'))
    return { op, values: { name: op.name, leadAgencyId: op.lead_agency_id, partnerAgencyIds: partners.map((p) => p.id), status: op.status, startedOn: op.started, summary: op.summary, version: op.version } }
  }
  const editForm = async (req: Request, res: Response, values?: Record<string, unknown>, errors?: unknown) => {
    const current = await editValues(req)
    res.status(errors ? 400 : 200).render('operations/views/edit.njk', { op: current.op, agencies: await agencyItems(), values: values ?? current.values, errors, statuses: OPERATION_STATUSES.filter((s) => s.value !== 'concluded') })
  }
  routes.get('/operations/:id/edit', { permission: 'operation:edit' }, (req, res) => editForm(req, res))
  routes.post('/operations/:id/edit', { permission: 'operation:edit' }, (req, res) =>
    saveOrShow(
      req,
      res,
      editOperationSchema,
      (input) =>
        showingSavedOnConflict(
          ops.update(req.ctx, param(req, 'id'), input),
          async () => (await editValues(req)).values,
          async () => {
            const agencies = await agencyItems()
            return { leadAgencyId: agencies, partnerAgencyIds: agencies, status: OPERATION_STATUSES }
          },
          { leadAgencyId: 'Lead agency', partnerAgencyIds: 'Partner agencies', startedOn: 'Started on' },
        ),
      editForm,
      'Operation updated',
    ),
  )

  const concludeForm = async (req: Request, res: Response, values?: Record<string, unknown>, errors?: unknown) => {
    const { op } = await ops.forEdit(req.ctx, param(req, 'id'))
    res.status(errors ? 400 : 200).render('operations/views/conclude.njk', { op, values: values ?? { version: op.version }, errors })
  }
  /** The operation as it is saved now, for a conclusion that lost: its summary too, which is what an edit in between changes. */
  const concludedValues = async (req: Request) => {
    const { op } = await ops.forEdit(req.ctx, param(req, 'id'))
    return { endedOn: op.ended, conclusion: op.conclusion, summary: op.summary, version: op.version }
  }
  routes.get('/operations/:id/conclude', { permission: 'operation:edit' }, (req, res) => concludeForm(req, res))
  routes.post('/operations/:id/conclude', { permission: 'operation:edit' }, (req, res) =>
    saveOrShow(
      req,
      res,
      concludeSchema,
      (input) => showingSavedOnConflict(ops.conclude(req.ctx, param(req, 'id'), input), () => concludedValues(req), undefined, { endedOn: 'Ended on', conclusion: 'What the operation achieved' }),
      concludeForm,
      'Operation concluded',
    ),
  )
  routes.post('/operations/:id/reopen', { permission: 'operation:reopen' }, async (req, res) => {
    const parsed = parseForm(reopenSchema, req.body)
    const result = parsed.ok ? await ops.reopen(req.ctx, param(req, 'id'), parsed.value) : parsed
    if (!result.ok) return res.status(400).render('operations/views/operation.njk', { ...(await ops.page(req.ctx, param(req, 'id'))), values: req.body, errors: result.errors, ...constants })
    done(req, res, 'Operation reopened')
  })

  routes.post('/operations/:id/targets', { permission: 'operation:edit' }, async (req, res) => {
    const parsed = parseForm(targetSchema, req.body)
    const result = parsed.ok ? await ops.addTarget(req.ctx, param(req, 'id'), parsed.value.entityId) : parsed
    if (!result.ok) return res.status(400).render('operations/views/operation.njk', { ...(await ops.page(req.ctx, param(req, 'id'))), values: req.body, errors: result.errors, ...constants })
    done(req, res, 'Target added')
  })
  const withdrawTargetForm = async (req: Request, res: Response, values: Record<string, unknown> = {}, errors?: unknown) => {
    const page = await ops.page(req.ctx, param(req, 'id'))
    const target = page.targets.find((t) => t.id === param(req, 'entityId'))
    if (!target) throw new NotFoundError()
    res.status(errors ? 400 : 200).render('operations/views/withdraw.njk', { op: page.op, what: `${target.label} as a target`, action: `/operations/${page.op.id}/targets/${target.id}/withdraw`, values, errors })
  }
  routes.get('/operations/:id/targets/:entityId/withdraw', { permission: 'operation:edit' }, (req, res) => withdrawTargetForm(req, res))
  routes.post('/operations/:id/targets/:entityId/withdraw', { permission: 'operation:edit' }, async (req, res) => {
    const parsed = parseForm(withdrawSchema, req.body)
    if (!parsed.ok) return withdrawTargetForm(req, res, req.body, parsed.errors)
    await ops.withdrawTarget(req.ctx, param(req, 'id'), param(req, 'entityId'), parsed.value)
    done(req, res, 'Target withdrawn')
  })

  routes.get('/operations/:id/activities/new', { permission: 'operation:edit' }, async (req, res) => {
    const page = await ops.page(req.ctx, param(req, 'id'))
    res.render('operations/views/activity-form.njk', { ...page, values: {}, ...constants })
  })
  routes.post('/operations/:id/activities/new', { permission: 'operation:edit' }, async (req, res) => {
    const parsed = parseForm(activitySchema, req.body)
    const result = parsed.ok ? await ops.addActivity(req.ctx, param(req, 'id'), parsed.value) : parsed
    if (!result.ok) return res.status(400).render('operations/views/activity-form.njk', { ...(await ops.page(req.ctx, param(req, 'id'))), values: req.body, errors: result.errors, ...constants })
    done(req, res, 'Activity recorded')
  })

  /** The activity as its correction form shows it. */
  const activityValues = async (req: Request) => {
    const { activity: a } = await ops.activity(req.ctx, param(req, 'id'), param(req, 'activityId'))
    return { activity: a, values: { kind: a.kind, occurredOn: a.occurred, entityId: a.entity_id, seizedItem: a.seized_item, itemDescription: a.item_description, quantity: a.quantity == null ? null : String(a.quantity), unit: a.unit, description: a.description, version: a.version } }
  }
  const correctForm = async (req: Request, res: Response, values?: Record<string, unknown>, errors?: unknown) => {
    const page = await ops.page(req.ctx, param(req, 'id'))
    const current = await activityValues(req)
    res.status(errors ? 400 : 200).render('operations/views/activity-form.njk', { ...page, activity: current.activity, values: values ?? current.values, errors, ...constants })
  }
  const activityChoices = async (req: Request) => {
    const page = await ops.page(req.ctx, param(req, 'id'))
    return { kind: ACTIVITY_KINDS, seizedItem: SEIZED_ITEMS, entityId: [...page.targetOptions, ...page.people] }
  }
  const activityLabels = { kind: 'What was done', occurredOn: 'Date', entityId: 'Who or what it concerned', seizedItem: 'What was seized', description: 'Details', reason: 'Why it is corrected' }
  correctionRoute(
    '/operations/:id/activities/:activityId/edit',
    activitySchema,
    correctionSchema,
    correctForm,
    (req, input, why) =>
      showingSavedOnConflict(
        ops.correctActivity(req.ctx, param(req, 'id'), param(req, 'activityId'), input, why),
        async () => (await activityValues(req)).values,
        () => activityChoices(req),
        activityLabels,
      ),
    'Activity corrected',
  )
  const withdrawActivityForm = async (req: Request, res: Response, values?: Record<string, unknown>, errors?: unknown) => {
    const { op, activity: a } = await ops.activity(req.ctx, param(req, 'id'), param(req, 'activityId'))
    const what = `${a.kindText.toLowerCase()} on ${a.occurred}${a.entityLabel ? ` (${a.entityLabel})` : ''}`
    const hint = a.nrm_referral_id ? 'This is the NRM referral on the child’s record too: withdrawing it here voids it there, with this reason.' : null
    res.status(errors ? 400 : 200).render('operations/views/withdraw.njk', { op, what: `the ${what}`, hint, action: `/operations/${op.id}/activities/${a.id}/withdraw`, values: values ?? { version: a.version }, errors })
  }
  withdrawalRoute('/operations/:id/activities/:activityId/withdraw', withdrawActivityForm, (req, input) => ops.withdrawActivity(req.ctx, param(req, 'id'), param(req, 'activityId'), input), 'Activity withdrawn')

  routes.get('/operations/:id/outcomes/new', { permission: 'operation:edit' }, async (req, res) => {
    const page = await ops.page(req.ctx, param(req, 'id'))
    res.render('operations/views/outcome-form.njk', { ...page, values: {}, ...constants })
  })
  routes.post('/operations/:id/outcomes/new', { permission: 'operation:edit' }, async (req, res) => {
    const parsed = parseForm(outcomeSchema, req.body)
    const result = parsed.ok ? await ops.addOutcome(req.ctx, param(req, 'id'), parsed.value) : parsed
    if (!result.ok) return res.status(400).render('operations/views/outcome-form.njk', { ...(await ops.page(req.ctx, param(req, 'id'))), values: req.body, errors: result.errors, ...constants })
    done(req, res, 'Outcome recorded')
  })

  /** The charge or conviction as its correction form shows it. */
  const outcomeValues = async (req: Request) => {
    const { outcome: o } = await ops.outcome(req.ctx, param(req, 'id'), param(req, 'outcomeId'))
    return { outcome: o, values: { entityId: o.entity_id, kind: o.kind, offence: o.offence, modernSlavery: o.modern_slavery ? 'yes' : 'no', occurredOn: o.occurred_on, sentence: o.sentence, version: o.version } }
  }
  const correctOutcomeForm = async (req: Request, res: Response, values?: Record<string, unknown>, errors?: unknown) => {
    const page = await ops.page(req.ctx, param(req, 'id'))
    const current = await outcomeValues(req)
    res.status(errors ? 400 : 200).render('operations/views/outcome-form.njk', { ...page, outcome: current.outcome, values: values ?? current.values, errors, ...constants })
  }
  const outcomeChoices = async (req: Request) => ({
    entityId: (await ops.page(req.ctx, param(req, 'id'))).people,
    kind: [{ value: 'charge', text: 'Charge' }, { value: 'conviction', text: 'Conviction' }],
    modernSlavery: [{ value: 'yes', text: 'Yes' }, { value: 'no', text: 'No' }],
  })
  const outcomeLabels = { entityId: 'Person', kind: 'Outcome', modernSlavery: 'Is it a Modern Slavery Act offence?', occurredOn: 'Date', sentence: 'Sentence', reason: 'Why is it corrected?' }
  correctionRoute(
    '/operations/:id/outcomes/:outcomeId/edit',
    outcomeSchema,
    outcomeCorrectionSchema,
    correctOutcomeForm,
    (req, input, why) =>
      showingSavedOnConflict(ops.correctOutcome(req.ctx, param(req, 'id'), param(req, 'outcomeId'), input, why), async () => (await outcomeValues(req)).values, () => outcomeChoices(req), outcomeLabels),
    'Charge or conviction corrected',
  )
  const withdrawOutcomeForm = async (req: Request, res: Response, values?: Record<string, unknown>, errors?: unknown) => {
    const { op, outcome: o } = await ops.outcome(req.ctx, param(req, 'id'), param(req, 'outcomeId'))
    const what = `the ${o.kind} of ${o.entityLabel} on ${o.occurred_on}`
    res.status(errors ? 400 : 200).render('operations/views/withdraw.njk', { op, what, hint: null, action: `/operations/${op.id}/outcomes/${o.id}/withdraw`, values: values ?? { version: o.version }, errors })
  }
  withdrawalRoute('/operations/:id/outcomes/:outcomeId/withdraw', withdrawOutcomeForm, (req, input) => ops.withdrawOutcome(req.ctx, param(req, 'id'), param(req, 'outcomeId'), input), 'Charge or conviction withdrawn')
  return routes.router
}
