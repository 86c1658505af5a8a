import { Router, type Request, type Response } from 'express'
import { guardedRouter } from '../../web/routes.ts'
import { replicaReads } from '../../db/replica.ts'
import { z } from 'zod'
import type { ModuleDeps } from '../types.ts'
import { parseForm } from '../../web/forms.ts'
import { formErrors, type FormErrors } from '../../kernel/form-errors.ts'
import { flash } from '../../web/middleware/current-user.ts'
import { sendCsv } from '../../lib/csv-download.ts'
import { indicatorsService } from './service.ts'
import { scrutinyLinksFor } from '../scrutiny/index.ts'
import { populationsService } from './populations.ts'
import { areaQuerySchema, comparisonQuerySchema, populationSchema, FREQUENCIES, indicatorSchema, POLARITIES, SOURCES, targetSchema, UNITS, valueSchema } from './schemas.ts'
import { acceptFiles, uploadedFiles, uploadError } from './upload.ts'
import { problemText, type ImportProblem } from './police-uk/import.ts'
import { periodHint, periodLabel } from './periods.ts'
import type { Indicator } from './tables.ts'

const area = (req: Request) => areaQuerySchema.parse(req.query).area

const COMPARISON_FIELDS = ['from', 'to', 'vsFrom', 'vsTo'] as const

/**
 * The two periods the reader chose to compare: none (the default comparison), the choice, or the
 * errors to show with the answers kept.
 */
function comparison(req: Request) {
  const raw = Object.fromEntries(COMPARISON_FIELDS.map((f) => [f, typeof req.query[f] === 'string' ? (req.query[f] as string).slice(0, 20) : '']))
  if (COMPARISON_FIELDS.every((f) => raw[f].trim() === '')) return { values: raw, choice: undefined, errors: undefined }
  const parsed = parseForm(comparisonQuerySchema, raw)
  return parsed.ok ? { values: raw, choice: parsed.value, errors: undefined } : { values: raw, choice: undefined, errors: parsed.errors }
}

/** Several small forms share a page: their inputs carry a prefix, and so must the error summary's links. */
function prefixed(errors: FormErrors, prefix: string): FormErrors {
  return { ...errors, errorList: errors.errorList.map((e) => ({ ...e, href: `#${prefix}-${e.href.slice(1)}` })) }
}

function indicatorFormValues(i: Indicator) {
  return {
    name: i.name,
    definition: i.definition,
    unit: i.unit,
    polarity: i.polarity,
    sourceKind: i.source_kind,
    policeCategory: i.source_kind === 'police_uk' ? i.source_key : '',
    lanternSeries: i.source_kind === 'lantern' ? i.source_key : '',
    sourceNote: i.source_note ?? '',
    frequency: i.frequency,
    lagDays: String(i.lag_days),
    ownerAgencyId: i.owner_agency_id ?? '',
    owner: i.owner ?? '',
    headline: i.headline ? 'yes' : '',
  }
}

/** Staff pages of indicators: dashboard, catalogue, indicator pages, values, targets, police.uk import. */
export function indicatorRoutes(deps: ModuleDeps): Router {
  const routes = guardedRouter(deps.access)
  const service = indicatorsService(deps)
  // The dashboard only reads: a replica, when there is one and it is near enough, answers it.
  const analytics = replicaReads(deps.replica, service, (db) => indicatorsService({ ...deps, db }))
  const lists = { units: UNITS, polarities: POLARITIES, sources: SOURCES, frequencies: FREQUENCIES }

  /** The import page again with what is wrong with the files: the first problem in the error summary, up to ten listed. */
  async function renderImportProblems(req: Request, res: Response, problems: ImportProblem[]) {
    const shown = problems.slice(0, 10)
    const errors = formErrors([{ field: 'files', message: `${problemText(shown[0])}. Nothing was imported.` }])
    res.status(400).render('indicators/views/import.njk', { ...(await service.importsPage(req.ctx)), errors, problems: shown, moreProblems: problems.length - shown.length })
  }

  routes.get('/indicators', { permission: 'indicators:view' }, async (req, res) => {
    const chosen = comparison(req)
    const page = await analytics((s) => s.dashboard(req.ctx, area(req), chosen.choice))
    res.status(chosen.errors ? 400 : 200).render('indicators/views/dashboard.njk', { ...page, periodLabel, compare: chosen.values, errors: chosen.errors })
  })

  routes.get('/indicators/catalogue', { permission: 'indicators:view' }, async (req, res) => {
    res.render('indicators/views/catalogue.njk', { rows: await service.catalogue(req.ctx), canEdit: deps.access.can(req.ctx, 'indicators:edit'), canImport: deps.access.can(req.ctx, 'indicators:import') })
  })

  routes.get('/indicators/new', { permission: 'indicators:edit' }, async (req, res) => {
    res.render('indicators/views/indicator-form.njk', { options: await service.formOptions(req.ctx), ...lists, values: { unit: 'count', polarity: 'up_bad', frequency: 'month', lagDays: '31', sourceKind: 'manual' }, isNew: true })
  })
  routes.post('/indicators/new', { permission: 'indicators:edit' }, async (req, res) => {
    const parsed = parseForm(indicatorSchema, req.body)
    const result = parsed.ok ? await service.saveIndicator(req.ctx, parsed.value) : parsed
    if (!result.ok) {
      return res.status(400).render('indicators/views/indicator-form.njk', { options: await service.formOptions(req.ctx), ...lists, values: req.body, errors: result.errors, isNew: true })
    }
    flash(req, { type: 'success', text: 'Indicator added to the catalogue' })
    res.redirect(`/indicators/${result.value}`)
  })

  // Populations for rates per 1,000 residents (before /indicators/:slug, like the import).
  const populations = populationsService(deps)
  routes.get('/indicators/populations', { permission: 'admin:agencies' }, async (req, res) => {
    res.render('indicators/views/populations.njk', { ...(await populations.page(req.ctx)), values: {} })
  })
  routes.post('/indicators/populations', { permission: 'admin:agencies' }, async (req, res) => {
    const parsed = parseForm(populationSchema, req.body)
    const result = parsed.ok ? await populations.save(req.ctx, { ...parsed.value, source: parsed.value.source ?? null }) : parsed
    if (!result.ok) {
      const errors = 'errors' in result ? result.errors : formErrors([{ field: result.field, message: result.message }])
      return res.status(400).render('indicators/views/populations.njk', { ...(await populations.page(req.ctx)), values: req.body, errors })
    }
    flash(req, { type: 'success', text: 'Population saved' })
    res.redirect('/indicators/populations')
  })
  routes.post('/indicators/populations/upload', { permission: 'admin:agencies' }, acceptFiles('file', 1), async (req, res) => {
    const [file] = uploadedFiles(req)
    const problem = uploadError(req) ?? (file ? undefined : 'Select a CSV file of populations')
    if (problem || !file) {
      return res.status(400).render('indicators/views/populations.njk', { ...(await populations.page(req.ctx)), values: {}, errors: formErrors([{ field: 'file', message: problem ?? 'Select a CSV file of populations' }]) })
    }
    const result = await populations.upload(req.ctx, file.originalname, file.buffer)
    if (!result.ok) {
      const first = result.problems[0]
      const errors = formErrors([{ field: 'file', message: `Line ${first.line}: ${first.message}. Nothing was imported.` }])
      return res.status(400).render('indicators/views/populations.njk', { ...(await populations.page(req.ctx)), values: {}, errors, uploadProblems: result.problems })
    }
    flash(req, { type: 'success', text: `${result.rows} population estimate(s) imported from ${file.originalname}` })
    res.redirect('/indicators/populations')
  })

  // police.uk import (before /indicators/:slug so "import" is not taken for a slug).
  routes.get('/indicators/import', { permission: 'indicators:import' }, async (req, res) => {
    res.render('indicators/views/import.njk', await service.importsPage(req.ctx))
  })
  routes.post('/indicators/import', { permission: 'indicators:import' }, acceptFiles('files'), async (req, res) => {
    const files = uploadedFiles(req)
    const problem = uploadError(req) ?? (files.length ? undefined : 'Select one or more police.uk street-level CSV files')
    if (problem) {
      return res.status(400).render('indicators/views/import.njk', { ...(await service.importsPage(req.ctx)), errors: formErrors([{ field: 'files', message: problem }]) })
    }
    const result = await service.previewUpload(req.ctx, files.map((f) => ({ name: f.originalname, content: f.buffer })))
    if (!result.ok) return renderImportProblems(req, res, result.problems)
    res.redirect(303, `/indicators/import/preview/${result.uploadId}`)
  })
  routes.get('/indicators/import/preview/:id', { permission: 'indicators:import' }, async (req, res) => {
    const upload = await service.uploadPreview(req.ctx, req.params.id)
    res.render('indicators/views/import-preview.njk', { upload, summary: upload.preview })
  })
  routes.post('/indicators/import/preview/:id', { permission: 'indicators:import' }, async (req, res) => {
    const result = await service.confirmUpload(req.ctx, req.params.id)
    if (!result.ok) return renderImportProblems(req, res, result.problems)
    const { summary } = result
    flash(req, {
      type: 'success',
      heading: 'Import complete',
      text: `${summary.rows.toLocaleString('en-GB')} rows imported for ${summary.months.length} month(s)${summary.replacedRows ? `, replacing ${summary.replacedRows.toLocaleString('en-GB')} rows imported before` : ''}.`,
    })
    res.redirect(`/indicators/import/${summary.importId}`)
  })
  routes.post('/indicators/import/preview/:id/cancel', { permission: 'indicators:import' }, async (req, res) => {
    await service.cancelUpload(req.ctx, req.params.id)
    flash(req, { type: 'success', text: 'Import cancelled: nothing was imported' })
    res.redirect('/indicators/import')
  })
  routes.get('/indicators/import/:id', { permission: 'indicators:import' }, async (req, res) => {
    res.render('indicators/views/import-result.njk', await service.importResult(req.ctx, req.params.id))
  })

  routes.get('/indicators/:slug', { permission: 'indicators:view' }, async (req, res) => {
    const by = z.enum(['month', 'quarter', 'year']).optional().catch(undefined).parse(req.query.by)
    const chosen = comparison(req)
    const data = await service.indicator(req.ctx, req.params.slug, area(req), by, chosen.choice)
    const scrutiny = await scrutinyLinksFor(deps.db, deps.clock.today(), req.ctx, { indicatorId: data.indicator.id })
    res
      .status(chosen.errors ? 400 : 200)
      .render('indicators/views/indicator.njk', { ...data, scrutinyItems: scrutiny.items, periodLabel, periodHint: periodHint(data.indicator.frequency), compare: chosen.values, errors: chosen.errors })
  })

  routes.get('/indicators/:slug/data.csv', { permission: 'indicators:view' }, async (req, res) => {
    const { indicator, rows } = await service.exportRows(req.ctx, req.params.slug)
    async function* batches() {
      yield rows
    }
    await sendCsv(res, `${indicator.slug}.csv`, ['indicator', 'area_code', 'area', 'period', 'value', 'note'], batches())
  })

  routes.get('/indicators/:slug/edit', { permission: 'indicators:edit' }, async (req, res) => {
    const indicator = await service.indicatorForEdit(req.ctx, req.params.slug)
    res.render('indicators/views/indicator-form.njk', { options: await service.formOptions(req.ctx), ...lists, values: indicatorFormValues(indicator), indicator, isNew: false })
  })
  routes.post('/indicators/:slug/edit', { permission: 'indicators:edit' }, async (req, res) => {
    const parsed = parseForm(indicatorSchema, req.body)
    const result = parsed.ok ? await service.saveIndicator(req.ctx, parsed.value, req.params.slug) : parsed
    if (!result.ok) {
      const indicator = await service.indicatorForEdit(req.ctx, req.params.slug)
      return res.status(400).render('indicators/views/indicator-form.njk', { options: await service.formOptions(req.ctx), ...lists, values: req.body, errors: result.errors, indicator, isNew: false })
    }
    flash(req, { type: 'success', text: 'Indicator updated' })
    res.redirect(`/indicators/${result.value}`)
  })
  routes.post('/indicators/:slug/retire', { permission: 'indicators:edit' }, async (req, res) => {
    await service.setActive(req.ctx, req.params.slug, false)
    flash(req, { type: 'success', text: 'Indicator retired: it no longer shows on the dashboard' })
    res.redirect(`/indicators/${req.params.slug}`)
  })
  routes.post('/indicators/:slug/reinstate', { permission: 'indicators:edit' }, async (req, res) => {
    await service.setActive(req.ctx, req.params.slug, true)
    flash(req, { type: 'success', text: 'Indicator back on the dashboard' })
    res.redirect(`/indicators/${req.params.slug}`)
  })

  async function renderIndicatorWithErrors(req: Request, status: number, extra: Record<string, unknown>) {
    const data = await service.indicator(req.ctx, req.params.slug as string, (req.body as { areaId?: string }).areaId)
    return { status, view: 'indicators/views/indicator.njk', locals: { ...data, periodLabel, periodHint: periodHint(data.indicator.frequency), ...extra } }
  }

  routes.post('/indicators/:slug/targets', { permission: 'indicators:edit' }, async (req, res) => {
    const parsed = parseForm(targetSchema, req.body)
    const result = parsed.ok ? await service.setTarget(req.ctx, req.params.slug, parsed.value) : parsed
    if (!result.ok) {
      const r = await renderIndicatorWithErrors(req, 400, { targetErrors: result.errors, errors: prefixed(result.errors, 'target'), targetValues: req.body })
      return res.status(r.status).render(r.view, r.locals)
    }
    flash(req, { type: 'success', text: 'Target saved' })
    res.redirect(`/indicators/${result.value}?area=${encodeURIComponent(parsed.ok ? parsed.value.areaId : '')}`)
  })
  routes.post('/indicators/:slug/targets/remove', { permission: 'indicators:edit' }, async (req, res) => {
    const areaId = String((req.body as { areaId?: string }).areaId ?? '')
    await service.removeTarget(req.ctx, req.params.slug, areaId)
    flash(req, { type: 'success', text: 'Target removed' })
    res.redirect(`/indicators/${req.params.slug}`)
  })

  routes.post('/indicators/:slug/values', { permission: 'indicators:edit' }, async (req, res) => {
    const parsed = parseForm(valueSchema, req.body)
    const result = parsed.ok ? await service.addValue(req.ctx, req.params.slug, parsed.value) : parsed
    if (!result.ok) {
      const r = await renderIndicatorWithErrors(req, 400, { valueErrors: result.errors, errors: prefixed(result.errors, 'value'), valueValues: req.body })
      return res.status(r.status).render(r.view, r.locals)
    }
    flash(req, { type: 'success', text: 'Value saved' })
    res.redirect(`/indicators/${result.value.slug}?area=${result.value.areaId}`)
  })

  routes.post('/indicators/:slug/upload', { permission: 'indicators:import' }, acceptFiles('file', 1), async (req, res) => {
    const [file] = uploadedFiles(req)
    const problem = uploadError(req) ?? (file ? undefined : 'Select a CSV file of values')
    if (problem || !file) {
      const errors = formErrors([{ field: 'file', message: problem ?? 'Select a CSV file of values' }])
      const r = await renderIndicatorWithErrors(req, 400, { uploadErrors: errors, errors })
      return res.status(r.status).render(r.view, r.locals)
    }
    const result = await service.uploadValues(req.ctx, String(req.params.slug), file.originalname, file.buffer)
    if (!result.ok) {
      const first = result.problems[0]
      const errors = formErrors([{ field: 'file', message: `Line ${first.line}: ${first.message}. Nothing was imported.` }])
      const r = await renderIndicatorWithErrors(req, 400, { uploadErrors: errors, errors, uploadProblems: result.problems })
      return res.status(r.status).render(r.view, r.locals)
    }
    flash(req, { type: 'success', text: `${result.rows} value(s) imported from ${file.originalname}` })
    res.redirect(`/indicators/${String(req.params.slug)}`)
  })

  return routes.router
}
