import { Router, type Response } from 'express'
import { guardedRouter } from '../../web/routes.ts'
import { londonMonth } from '../../kernel/london.ts'
import type { ModuleDeps } from '../types.ts'
import { parseForm } from '../../web/forms.ts'
import { flash } from '../../web/middleware/current-user.ts'
import { reportsService } from './reports.ts'
import { reportSchema } from './schemas.ts'
import { reportPdf } from './pdf.ts'
import { addMonths } from './periods.ts'
import type { ReportContent } from './report-content.ts'
import { reportFigures } from './report-figures.ts'
import type { PerformanceReport } from './tables.ts'
import type { RequestContext } from '../../kernel/context.ts'
import { scrutinyLinksFor } from '../scrutiny/index.ts'

async function sendPdf(res: Response, report: PerformanceReport, content: ReportContent) {
  const pdf = await reportPdf(content, { status: report.status, publishedAt: report.published_at })
  res.setHeader('Content-Type', 'application/pdf')
  res.setHeader('Content-Disposition', `attachment; filename="performance-report-${content.periodFrom.slice(0, 7)}-to-${content.periodTo.slice(0, 7)}.pdf"`)
  res.send(pdf)
}

/**
 * A report's page data with its pictures drawn from its content, and the scrutiny recommendations
 * its headline indicators show progress on and its strategy actions answer (read when the page is,
 * as the viewer may see them: public items link to their public pages, for staff to the tracker).
 */
async function withFigures<T extends { content: ReportContent }>(deps: ModuleDeps, ctx: RequestContext, data: T) {
  const actionIds = (data.content.strategy?.objectives ?? []).flatMap((o) => o.actions.map((a) => a.id)).filter((id): id is string => Boolean(id))
  const today = deps.clock.today()
  const [byHeadline, actions] = await Promise.all([
    Promise.all(data.content.headlines.map((h) => (h.indicatorId ? scrutinyLinksFor(deps.db, today, ctx, { indicatorId: h.indicatorId }).then((l) => l.items) : []))),
    scrutinyLinksFor(deps.db, today, ctx, { actionIds }),
  ])
  return { ...data, figures: reportFigures(data.content), trace: { byHeadline, byAction: Object.fromEntries(actions.byAction) } }
}

function formValues(r: Pick<PerformanceReport, 'title' | 'meeting' | 'area_id' | 'period_from' | 'period_to' | 'commentary'>) {
  return {
    title: r.title,
    meeting: r.meeting ?? '',
    areaId: r.area_id,
    from: { month: String(Number(r.period_from.slice(5, 7))), year: r.period_from.slice(0, 4) },
    to: { month: String(Number(r.period_to.slice(5, 7))), year: r.period_to.slice(0, 4) },
    commentary: r.commentary ?? '',
  }
}

/** Staff: draft, preview, publish and withdraw performance reports. */
export function reportStaffRoutes(deps: ModuleDeps): Router {
  const routes = guardedRouter(deps.access)
  const service = reportsService(deps)

  routes.get('/performance-reports', { permission: 'indicators:view' }, async (req, res) => {
    res.render('indicators/views/reports.njk', await service.list(req.ctx))
  })
  routes.get('/performance-reports/new', { permission: 'report:publish' }, async (req, res) => {
    const options = await service.formOptions(req.ctx)
    const last = addMonths(londonMonth(deps.clock.now()), -1)
    const first = addMonths(last, -2)
    const area = await deps.db.selectFrom('agencies').select('area_id').where('id', '=', req.ctx.user?.agencyId ?? '').executeTakeFirst()
    res.render('indicators/views/report-form.njk', {
      options,
      values: formValues({ title: '', meeting: null, area_id: area?.area_id ?? '', period_from: first, period_to: last, commentary: null }),
      isNew: true,
    })
  })
  routes.post('/performance-reports/new', { permission: 'report:publish' }, async (req, res) => {
    const parsed = parseForm(reportSchema, req.body)
    const result = parsed.ok ? await service.save(req.ctx, parsed.value) : parsed
    if (!result.ok) return res.status(400).render('indicators/views/report-form.njk', { options: await service.formOptions(req.ctx), values: req.body, errors: result.errors, isNew: true })
    flash(req, { type: 'success', text: 'Draft report saved: check it, then publish it' })
    res.redirect(`/performance-reports/${result.value}`)
  })
  routes.get('/performance-reports/:id.pdf', { permission: 'indicators:view' }, async (req, res) => {
    const { report, content } = await service.view(req.ctx, req.params.id)
    await sendPdf(res, report, content)
  })
  routes.get('/performance-reports/:id', { permission: 'indicators:view' }, async (req, res) => {
    res.render('indicators/views/report.njk', await withFigures(deps, req.ctx, await service.view(req.ctx, req.params.id)))
  })
  routes.get('/performance-reports/:id/edit', { permission: 'report:publish' }, async (req, res) => {
    const report = await service.forEdit(req.ctx, req.params.id)
    res.render('indicators/views/report-form.njk', { options: await service.formOptions(req.ctx), values: formValues(report), report, isNew: false })
  })
  routes.post('/performance-reports/:id/edit', { permission: 'report:publish' }, async (req, res) => {
    const parsed = parseForm(reportSchema, req.body)
    const result = parsed.ok ? await service.save(req.ctx, parsed.value, req.params.id) : parsed
    if (!result.ok) {
      const report = await service.forEdit(req.ctx, req.params.id)
      return res.status(400).render('indicators/views/report-form.njk', { options: await service.formOptions(req.ctx), values: req.body, errors: result.errors, report, isNew: false })
    }
    flash(req, { type: 'success', text: 'Draft report updated' })
    res.redirect(`/performance-reports/${req.params.id}`)
  })
  routes.post('/performance-reports/:id/publish', { permission: 'report:publish' }, async (req, res) => {
    await service.publish(req.ctx, req.params.id)
    flash(req, { type: 'success', heading: 'Report published', text: 'It is now on the public site, under Performance reports.' })
    res.redirect(`/performance-reports/${req.params.id}`)
  })
  routes.post('/performance-reports/:id/withdraw', { permission: 'report:publish' }, async (req, res) => {
    await service.withdraw(req.ctx, req.params.id)
    flash(req, { type: 'success', text: 'Report withdrawn from the public site' })
    res.redirect(`/performance-reports/${req.params.id}`)
  })
  return routes.router
}

/** The public site: published reports, aggregates only, no sign-in. */
export function reportPublicRoutes(deps: ModuleDeps): Router {
  const routes = guardedRouter(deps.access)
  const service = reportsService(deps)
  routes.get('/performance', { public: true }, async (_req, res) => {
    res.render('indicators/views/public-reports.njk', { reports: await service.published() })
  })
  routes.get('/performance/:id.pdf', { public: true }, async (req, res) => {
    const { report, content } = await service.publishedReport(req.params.id)
    await sendPdf(res, report, content)
  })
  routes.get('/performance/:id', { public: true }, async (req, res) => {
    res.render('indicators/views/public-report.njk', await withFigures(deps, req.ctx, await service.publishedReport(req.params.id)))
  })
  return routes.router
}
