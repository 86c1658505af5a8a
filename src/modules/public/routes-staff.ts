import { Router, type Request, type Response } from 'express'
import { guardedRouter } from '../../web/routes.ts'
import multer from 'multer'
import { readUpload } from '../../web/uploads.ts'
import type { z } from 'zod'
import { randomBytes } from 'node:crypto'
import type { ModuleDeps } from '../types.ts'
import { parseForm } from '../../web/forms.ts'
import { formErrors, type FormErrors } from '../../kernel/form-errors.ts'
import { flash } from '../../web/middleware/current-user.ts'
import { showingSavedOnConflict } from '../../web/conflict.ts'
import {
  ACTION_OPTIONS,
  actionSchema,
  assignSchema,
  closeSchema,
  holdSchema,
  IMPORT_CHANNELS,
  importSchema,
  linkSchema,
  liftHoldSchema,
  linkSearchSchema,
  newPageSchema,
  noteSchema,
  pageEditSchema,
  queueSchema,
  reopenSchema,
  retentionSchema,
  unlinkSchema,
  FOLLOW_UP_QUESTION,
  URGENCY_OPTIONS,
  urgencySchema,
} from './schemas.ts'
import { triageService, type ReportsStoreFactory } from './service.ts'
import { staffFollowUp } from './follow-up.ts'
import { contentService } from './content-service.ts'
import { redirectAfterSave } from './redirect.ts'
import { IMPORT_COLUMNS, importTemplate } from './csv-import.ts'
import { pendingLinkPath } from '../../web/return-to.ts'
import { sendCsv } from '../../lib/csv-download.ts'
import { DEFAULT_RETENTION_MONTHS, MAX_RETENTION_MONTHS, MIN_RETENTION_MONTHS, RetentionSettingError, retentionService } from './retention.ts'

declare module 'express-session' {
  interface SessionData {
    /** "Record a new one and link it" trips under way: token to the report and kind asked for. */
    pendingLinks?: Record<string, PendingLink>
  }
}

interface PendingLink {
  reportId: string
  entityType: string
  /** When the trip started (ms): a form left open for longer than a working day is not linked. */
  at: number
}

const PENDING_LINK_HOURS = 12
const MAX_PENDING_LINKS = 20

const PAGE_SIZE = 25
const MAX_UPLOAD_BYTES = 2 * 1024 * 1024

const CHANNELS: Record<string, string> = {
  online: 'Online',
  phone_101: '101 call',
  crimestoppers: 'Crimestoppers',
  other: 'Other route',
}

/** The export's columns: the report as received and its triage state, not the reporter's contact details. */
const EXPORT_COLUMNS = [
  'reference', 'received_on', 'received_by', 'external_reference', 'area', 'status', 'urgency', 'assigned_to',
  'child_at_risk', 'when', 'when_detail', 'what_happened', 'where', 'who_involved', 'anything_else',
  'anonymous', 'closed_at', 'legal_hold',
]

/** Option lists and labels every triage view uses. */
const LABELS = { urgencyOptions: URGENCY_OPTIONS, actionOptions: ACTION_OPTIONS, channels: CHANNELS }

/** Staff pages: the triage queue and a report's triage, CSV import, and editing the public pages. */
export function publicStaffRoutes(deps: ModuleDeps, options: { makeStore?: ReportsStoreFactory } = {}): Router {
  const routes = guardedRouter(deps.access)
  const triage = triageService(deps, options.makeStore)
  const followUp = staffFollowUp(deps)
  const content = contentService(deps)
  const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 10 } }).single('file')

  // ---- The queue ---------------------------------------------------------------------------------
  routes.get('/public-reports', { permission: 'reports:triage' }, async (req, res) => {
    const query = queueSchema.parse(req.query)
    const filter = { view: query.view, area: query.area, urgency: query.urgency, channel: query.channel }
    const result = await triage.queue(req.ctx, filter, query.page, PAGE_SIZE)
    const keep = new URLSearchParams(
      Object.entries({ view: query.view, area: query.area, urgency: query.urgency, channel: query.channel }).filter(([, v]) => v) as [string, string][],
    )
    res.render('public/views/triage/queue.njk', {
      ...LABELS,
      ...result,
      query,
      pages: Math.max(1, Math.ceil(result.total / PAGE_SIZE)),
      keep: keep.toString(),
      areaItems: result.areas.map((a) => ({ value: a.id, text: a.name })),
    })
  })

  routes.get('/public-reports/summary', { permission: 'reports:summary' }, async (req, res) => {
    const summary = await triage.summary(req.ctx)
    const byMonth = new Map<string, { month: string; received: number; child_at_risk: number; open: number; closed: number }>()
    const byArea = new Map<string, { area: string; received: number; child_at_risk: number; open: number; closed: number }>()
    for (const row of summary.counts) {
      const month = byMonth.get(row.month) ?? { month: row.month, received: 0, child_at_risk: 0, open: 0, closed: 0 }
      const areaName = row.area_name ?? 'Area not given'
      const area = byArea.get(areaName) ?? { area: areaName, received: 0, child_at_risk: 0, open: 0, closed: 0 }
      for (const total of [month, area]) {
        total.received += row.received
        total.child_at_risk += row.child_at_risk
        total.open += row.open
        total.closed += row.closed
      }
      byMonth.set(row.month, month)
      byArea.set(areaName, area)
    }
    res.render('public/views/triage/summary.njk', {
      ...LABELS,
      ...summary,
      byMonth: [...byMonth.values()],
      byArea: [...byArea.values()].sort((a, b) => b.received - a.received || a.area.localeCompare(b.area)),
      canTriage: req.ctx.user!.permissions.has('reports:triage'),
    })
  })

  routes.get('/public-reports/export.csv', { permission: 'reports:triage' }, async (req, res) => {
    const query = queueSchema.parse(req.query)
    const rows = await triage.exportQueue(req.ctx, { view: query.view, area: query.area, urgency: query.urgency, channel: query.channel })
    const yesNo = (v: boolean | null | undefined) => (v ? 'yes' : 'no')
    await sendCsv(res, `lantern-public-reports-${query.view}.csv`, EXPORT_COLUMNS, (async function* () {
      for await (const batch of rows) {
        yield batch.map((r) => [
          r.reference, r.received_on, CHANNELS[r.channel], r.external_reference ?? '', r.area_name ?? '', r.status, r.urgency ?? '', r.assigned_name ?? '',
          r.child_at_risk ?? '', r.when_happened ?? '', r.when_detail ?? '', r.what_happened, r.where_happened ?? '', r.who_involved ?? '', r.anything_else ?? '',
          yesNo(r.anonymous), r.closed_at ?? '', yesNo(r.legal_hold),
        ])
      }
    })())
  })

  // ---- Import ------------------------------------------------------------------------------------
  routes.get('/public-reports/import', { permission: 'reports:triage' }, async (req, res) => {
    res.render('public/views/triage/import.njk', { channels: IMPORT_CHANNELS, columns: IMPORT_COLUMNS, values: {} })
  })

  routes.get('/public-reports/import/template.csv', { permission: 'reports:triage' }, async (req, res) => {
    res.setHeader('Content-Type', 'text/csv; charset=utf-8')
    res.setHeader('Content-Disposition', 'attachment; filename="lantern-public-reports-template.csv"')
    res.send(importTemplate())
  })

  routes.post('/public-reports/import', { permission: 'reports:triage' }, async (req, res) => {
    const refusal = await readUpload(upload, req, res)
    const render = (status: number, errors: FormErrors, problems: { line: number; message: string }[] = []) =>
      res.status(status).render('public/views/triage/import.njk', { channels: IMPORT_CHANNELS, columns: IMPORT_COLUMNS, values: req.body, errors, problems })
    if (refusal) return render(400, formErrors([{ field: 'file', message: refusal === 'too-large' ? 'The file must be smaller than 2 MB' : 'The file could not be read: choose a CSV file' }]))
    const parsed = parseForm(importSchema, req.body)
    const file = req.file
    const issues: { field: string; message: string }[] = []
    if (!parsed.ok) issues.push(...parsed.errors.errorList.map((e) => ({ field: e.href.slice(1), message: e.text })))
    if (!file || file.size === 0) issues.push({ field: 'file', message: 'Select a CSV file' })
    const text = file ? file.buffer.toString('utf8') : ''
    if (file && file.size > 0 && text.includes('\uFFFD')) issues.push({ field: 'file', message: 'The file must be saved as CSV UTF-8' })
    if (issues.length || !parsed.ok || !file) return render(400, formErrors(issues))
    const result = await triage.importReports(req.ctx, parsed.value.channel, file.originalname, text)
    if (!result.ok) {
      const summary = formErrors([
        { field: 'file', message: `The file has ${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}. Nothing has been imported: correct the file and upload it again` },
      ])
      return render(400, summary, result.problems)
    }
    flash(req, {
      type: 'success',
      text: `${result.count} report${result.count === 1 ? '' : 's'} imported from ${IMPORT_CHANNELS.find((c) => c.value === parsed.value.channel)!.text.toLowerCase()}`,
    })
    await redirectAfterSave(req, res, `/public-reports?view=new&channel=${parsed.value.channel}`, 302)
  })

  // ---- One report -----------------------------------------------------------------------------
  routes.get('/public-reports/:id', { permission: 'reports:triage' }, async (req, res) => {
    res.render('public/views/triage/report.njk', { ...LABELS, ...(await triage.report(req.ctx, req.params.id)) })
  })

  /** A small form page of its own for each triage step: one thing per page, no JavaScript needed. */
  async function formPage(req: Request, res: Response, view: string, extra: Record<string, unknown> = {}, status = 200) {
    const data = await triage.report(req.ctx, req.params.id as string)
    res.status(status).render(`public/views/triage/${view}.njk`, { ...LABELS, ...data, values: {}, ...extra })
  }

  const back = (req: Request) => `/public-reports/${req.params.id}`

  /**
   * A triage step on its own page: GET shows the form; POST reads it with its schema and acts.
   * Bad input, or a refusal from the service, shows the page again with the GOV.UK errors and
   * the answers kept (400); otherwise a success message and back to the report.
   */
  function step<S extends z.ZodType>(
    path: string,
    view: string,
    schema: S,
    act: (req: Request, value: z.infer<S>) => Promise<{ ok: true } | { ok: false; errors: FormErrors } | void>,
    done: string,
    options: { initial?: (req: Request) => Record<string, unknown>; extra?: (req: Request) => Record<string, unknown> } = {},
  ) {
    routes.get(`/public-reports/:id/${path}`, { permission: 'reports:triage' }, (req, res) => formPage(req, res, view, { ...options.extra?.(req), ...(options.initial ? { values: options.initial(req) } : {}) }))
    routes.post(`/public-reports/:id/${path}`, { permission: 'reports:triage' }, async (req, res) => {
      const parsed = parseForm(schema, req.body)
      const result = parsed.ok ? ((await act(req, parsed.value)) ?? { ok: true as const }) : parsed
      if (!result.ok) return formPage(req, res, view, { ...options.extra?.(req), errors: result.errors, values: req.body }, 400)
      flash(req, { type: 'success', text: done })
      await redirectAfterSave(req, res, back(req), 302)
    })
  }

  const id = (req: Request) => req.params.id as string
  step('assign', 'assign', assignSchema, (req, v) => triage.assign(req.ctx, id(req), v.assignee), 'Report assigned', { initial: (req) => ({ assignee: req.ctx.user!.id }) })
  step('urgency', 'urgency', urgencySchema, (req, v) => triage.grade(req.ctx, id(req), v.urgency, v.urgencyNote), 'Urgency recorded')
  step('note', 'note', noteSchema, (req, v) => triage.addNote(req.ctx, id(req), v.note), 'Note added')
  step('action', 'action', actionSchema, (req, v) => triage.recordAction(req.ctx, id(req), v.action, v.actionNote), 'Action recorded')
  step('close', 'close', closeSchema, (req, v) => triage.close(req.ctx, id(req), v.summary), 'Report closed')
  step('reopen', 'reopen', reopenSchema, (req, v) => triage.reopen(req.ctx, id(req), v.reason), 'Report reopened')
  step('hold', 'hold', holdSchema, (req, v) => triage.placeHold(req.ctx, id(req), v.reason), 'Legal hold placed: the report is kept until the hold is lifted')
  step('hold/lift', 'lift-hold', liftHoldSchema, (req, v) => triage.liftHold(req.ctx, id(req), v.reason), 'Legal hold lifted')
  step('question', 'question', FOLLOW_UP_QUESTION, (req, v) => followUp.ask(req.ctx, id(req), v.question), 'Question saved: the reporter sees it when they use their receipt')

  /** Linking: choose a kind of record and search (a GET form), then link one of the results. */
  routes.get('/public-reports/:id/link', { permission: 'reports:triage' }, async (req, res) => {
    const hasQuery = typeof req.query.q === 'string' || typeof req.query.entityType === 'string'
    if (!hasQuery) return formPage(req, res, 'link', { values: {} })
    const parsed = parseForm(linkSearchSchema, req.query)
    if (!parsed.ok) return formPage(req, res, 'link', { errors: parsed.errors, values: req.query }, 400)
    const results = await triage.searchTargets(req.ctx, req.params.id, parsed.value.entityType, parsed.value.q)
    await deps.audit.record(req.ctx, { action: 'search', recordType: parsed.value.entityType, details: { purpose: 'link public report', publicReportId: req.params.id, results: results.length } })
    return formPage(req, res, 'link', { values: req.query, results, searched: true })
  })
  routes.post('/public-reports/:id/links', { permission: 'reports:triage' }, async (req, res) => {
    const parsed = parseForm(linkSchema, req.body)
    const result = parsed.ok ? await triage.link(req.ctx, req.params.id, parsed.value.entityType, parsed.value.entityId, parsed.value.note) : parsed
    if (!result.ok) return formPage(req, res, 'link', { errors: result.errors, values: req.body }, 400)
    flash(req, { type: 'success', text: 'Report linked' })
    await redirectAfterSave(req, res, back(req), 302)
  })
  /**
   * "Record a new one and link it": the officer goes to the other capability's form with a return
   * address naming a pending link held in their own session, and comes back to it with the new
   * record's id. The token is random and single-use, so a return address followed by anyone else,
   * or twice, links nothing.
   */
  routes.get('/public-reports/:id/links/new', { permission: 'reports:triage' }, async (req, res) => {
    const entityType = typeof req.query.entityType === 'string' ? req.query.entityType : ''
    const page = await triage.newRecordPage(req.ctx, req.params.id, entityType)
    if (!page) return res.status(404).render('pages/not-found.njk')
    const token = randomBytes(24).toString('base64url')
    const now = Date.now()
    const kept = Object.entries(req.session.pendingLinks ?? {})
      .filter(([, p]) => now - p.at < PENDING_LINK_HOURS * 3_600_000)
      .slice(-(MAX_PENDING_LINKS - 1))
    req.session.pendingLinks = Object.fromEntries([...kept, [token, { reportId: req.params.id, entityType, at: now }]])
    const returnTo = pendingLinkPath(req.params.id, token)
    await redirectAfterSave(req, res, `${page.createHref}${page.createHref.includes('?') ? '&' : '?'}returnTo=${encodeURIComponent(returnTo)}`, 303)
  })
  routes.get('/public-reports/:id/links/new/:token', { permission: 'reports:triage' }, async (req, res) => {
    const pending = req.session.pendingLinks?.[req.params.token]
    // Back with a record: one just created, or one the duplicate check showed was already recorded.
    const existing = typeof req.query.existing === 'string' ? req.query.existing : undefined
    const created = typeof req.query.created === 'string' ? req.query.created : existing
    const linkPage = `/public-reports/${req.params.id}/link`
    const valid = pending && pending.reportId === req.params.id && Date.now() - pending.at < PENDING_LINK_HOURS * 3_600_000
    // Back from the form without saving: nothing to link, and the trip can be taken again.
    if (valid && !created) return res.redirect(303, linkPage)
    if (pending) {
      const { [req.params.token]: _used, ...rest } = req.session.pendingLinks!
      req.session.pendingLinks = rest
    }
    if (!valid) {
      if (created) flash(req, { type: 'important', text: `${existing ? 'The record' : 'The new record was saved but'} not linked to this report: search for it and link it here` })
      return redirectAfterSave(req, res, linkPage, 303)
    }
    const result = await triage.linkNewRecord(req.ctx, req.params.id, pending.entityType, created!, existing ? 'existing' : 'created')
    if (!result.ok) {
      flash(req, { type: 'important', text: result.message })
      return redirectAfterSave(req, res, linkPage, 303)
    }
    flash(req, { type: 'success', text: `${result.kindLabel} ‘${result.label}’ ${existing ? '' : 'recorded and '}linked to this report` })
    await redirectAfterSave(req, res, back(req), 303)
  })
  step('links/:linkId/remove', 'unlink', unlinkSchema, (req, v) => triage.unlink(req.ctx, id(req), req.params.linkId as string, v.reason), 'Link removed', { extra: (req) => ({ linkId: req.params.linkId }) })

  // ---- Retention of reports (administrators) ----------------------------------------------------
  const retention = retentionService(deps)
  const months = retentionSchema(MIN_RETENTION_MONTHS, MAX_RETENTION_MONTHS)
  async function retentionPage(req: Request, res: Response, extra: Record<string, unknown> = {}, status = 200) {
    const meanings = await retention.openMeanings()
    const common = { defaultMonths: DEFAULT_RETENTION_MONTHS, limits: { min: MIN_RETENTION_MONTHS, max: MAX_RETENTION_MONTHS }, meanings }
    try {
      const [current, plan] = await Promise.all([retention.months(), retention.plan()])
      res.status(status).render('public/views/retention.njk', {
        ...common,
        current,
        plan: { due: plan.due.length, keptLegalHold: plan.keptLegalHold, keptOpenRecord: plan.keptOpenRecord, closedBefore: plan.closedBefore },
        values: { months: String(current) },
        ...extra,
      })
    } catch (err) {
      // A value written into the settings by hand: shown as such, so it can be set again here.
      if (!(err instanceof RetentionSettingError)) throw err
      res.status(status).render('public/views/retention.njk', { ...common, invalidSetting: err.message, values: {}, ...extra })
    }
  }
  routes.get('/admin/report-retention', { permission: 'admin:config' }, (req, res) => retentionPage(req, res))
  routes.post('/admin/report-retention', { permission: 'admin:config' }, async (req, res) => {
    const parsed = parseForm(months, req.body)
    if (!parsed.ok) return retentionPage(req, res, { errors: parsed.errors, values: req.body }, 400)
    await retention.setMonths(req.ctx, parsed.value.months)
    flash(req, { type: 'success', text: `Closed reports are now kept for ${parsed.value.months} month${parsed.value.months === 1 ? '' : 's'}` })
    await redirectAfterSave(req, res, '/admin/report-retention', 302)
  })

  // ---- Public pages ------------------------------------------------------------------------------
  routes.get('/public-content', { permission: 'content:edit' }, async (req, res) => {
    res.render('public/views/content/list.njk', { pages: await content.list(req.ctx) })
  })

  routes.get('/public-content/new', { permission: 'content:edit' }, async (req, res) => {
    res.render('public/views/content/new.njk', { values: {} })
  })
  routes.post('/public-content/new', { permission: 'content:edit' }, async (req, res) => {
    const parsed = parseForm(newPageSchema, req.body)
    const preview = req.body?.intent === 'preview' && typeof req.body?.body === 'string' ? content.preview(req.body.body) : undefined
    if (preview !== undefined) return res.render('public/views/content/new.njk', { values: req.body, preview })
    const result = parsed.ok ? await content.create(req.ctx, parsed.value.slug, parsed.value) : parsed
    if (!result.ok) return res.status(400).render('public/views/content/new.njk', { values: req.body, errors: result.errors })
    flash(req, { type: 'success', text: 'Page published' })
    await redirectAfterSave(req, res, '/public-content', 302)
  })

  routes.get('/public-content/:id/edit', { permission: 'content:edit' }, async (req, res) => {
    const page = await content.page(req.ctx, req.params.id)
    res.render('public/views/content/edit.njk', { page, values: { title: page.title, summary: page.summary, body: page.body, baseVersion: page.current_version } })
  })
  routes.post('/public-content/:id/edit', { permission: 'content:edit' }, async (req, res) => {
    const page = await content.page(req.ctx, req.params.id)
    if (req.body?.intent === 'preview') {
      return res.render('public/views/content/edit.njk', { page, values: req.body, preview: content.preview(String(req.body.body ?? '')) })
    }
    const parsed = parseForm(pageEditSchema, req.body)
    if (!parsed.ok) return res.status(400).render('public/views/content/edit.njk', { page, values: req.body, errors: parsed.errors })
    const saved = async () => {
      const now = await content.page(req.ctx, req.params.id)
      return { title: now.title, summary: now.summary, body: now.body, baseVersion: now.current_version }
    }
    const published = await showingSavedOnConflict(content.publish(req.ctx, req.params.id, parsed.value.baseVersion, parsed.value), saved, undefined, { intent: '', changeNote: 'What did you change?' })
    flash(req, { type: 'success', text: `“${parsed.value.title}” published as version ${published}` })
    await redirectAfterSave(req, res, '/public-content', 302)
  })

  routes.get('/public-content/:id/history', { permission: 'content:edit' }, async (req, res) => {
    res.render('public/views/content/history.njk', await content.history(req.ctx, req.params.id))
  })
  routes.get('/public-content/:id/versions/:version', { permission: 'content:edit' }, async (req, res) => {
    const version = Number.parseInt(req.params.version, 10)
    if (!Number.isInteger(version) || version < 1) return res.status(404).render('pages/not-found.njk')
    res.render('public/views/content/version.njk', await content.version(req.ctx, req.params.id, version))
  })
  routes.post('/public-content/:id/versions/:version/restore', { permission: 'content:edit' }, async (req, res) => {
    const version = Number.parseInt(req.params.version, 10)
    const base = Number.parseInt(String(req.body?.baseVersion ?? ''), 10)
    if (!Number.isInteger(version) || version < 1 || !Number.isInteger(base)) return res.status(400).render('pages/error.njk', { heading: 'Sorry, there is a problem with that request', status: 400 })
    const restored = await content.restore(req.ctx, req.params.id, version, base)
    flash(req, { type: 'success', text: `Version ${version} restored as version ${restored}` })
    await redirectAfterSave(req, res, `/public-content/${req.params.id}/history`, 302)
  })

  return routes.router
}
