import { sendCsv } from '../../../lib/csv-download.ts'
import type { Decorated } from '../service.ts'
import { trackerQuery } from '../routes-public.ts'
import { baseUrl } from '../public-address.ts'
import { CSV_COLUMNS, csvRow, trackerPdf } from '../exports.ts'
import { M, type StaffContext } from './forms.ts'

/** Exports of the tracker: CSV, printable pack, PDF. */
export function exportRoutes({ routes, deps, scrutiny }: StaffContext) {
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
}
