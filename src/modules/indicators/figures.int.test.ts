import { describe, expect, it } from 'vitest'
import { sharedTestApp } from '../../../test/support/shared-app.ts'
import { pageText as text, signedInAs, TestClient } from '../../../test/support/http.ts'
import type { ReportContent } from './report-content.ts'

const app = sharedTestApp()

const signedIn = (email: string) => signedInAs(app.baseUrl, email)

const county = () => app.database.db.selectFrom('areas').select('id').where('kind', '=', 'county').executeTakeFirstOrThrow()
const rowOf = (html: string, slug: string) => html.match(new RegExp(`<tr[^>]*>(?:(?!</tr>)[\\s\\S])*/indicators/${slug}\\?(?:(?!</tr>)[\\s\\S])*</tr>`))![0]
const byTestId = (html: string, id: string) => text(html.match(new RegExp(`<[a-z]+[^>]*data-testid="${id}"[^>]*>([\\s\\S]*?)</(?:p|td|div)>`))![1])

async function annualReport(client: TestClient) {
  const id = (await (await client.get('/performance')).text()).match(/href="\/performance\/([0-9a-f-]{36})">Annual performance report/)![1]
  return (await client.get(`/performance/${id}`)).text()
}

describe('the panel’s weapons question, on the dashboard and in the report', () => {
  it('gets the same periods, the same test, the same overdispersion allowance and the same adjusted verdict', async () => {
    const panel = await signedIn('panel@lantern.test')
    const { id } = await county()
    const dashboard = await (await panel.get(`/indicators?area=${id}`)).text()
    const cell = byTestId(rowOf(dashboard, 'possession-of-weapons'), 'comparison')
    const page = byTestId(await (await panel.get(`/indicators/possession-of-weapons?area=${id}`)).text(), 'year-on-year')
    const report = text(await annualReport(new TestClient(app.baseUrl)))
    const explanation = report.match(/From financial year 2024\/25 to financial year 2025\/26, possession of weapons offences rose[^]*?the adjusted p-value is [\d.]+\./)![0]
    // The report's whole explanation (exact test, the quasi-Poisson allowance when the months are
    // overdispersed, Benjamini-Hochberg) is the indicator page's, word for word.
    expect(page.startsWith(explanation)).toBe(true)
    expect(explanation).toContain('rose from 412 to 466 (+13.1%)')
    const adjusted = explanation.match(/the adjusted p-value is ([\d.]+)\./)![1]
    expect(cell).toBe(`financial year 2025/26 against financial year 2024/25: up 13% (412 to 466): could be chance (adjusted p-value ${adjusted})`)
    expect(report).toMatch(/Possession of weapons offences 466 412 \d+ 0\.32 up 13% Could be chance/)
  })

  it('gets the report’s adjusted p-value for an analyst too, who sees counts the report withholds', async () => {
    const analyst = await signedIn('analyst@lantern.test')
    const { id } = await county()
    const report = text(await annualReport(new TestClient(app.baseUrl)))
    const published = report.match(/possession of weapons offences rose[^]*?the adjusted p-value is ([\d.]+)\./)![1]
    // The analyst's own family holds tests of small counts that no publication shows; they must not move a published figure.
    expect(report).toContain('are not shown where they are from 1 to 4')
    const dashboard = await (await analyst.get(`/indicators?area=${id}`)).text()
    expect(byTestId(rowOf(dashboard, 'possession-of-weapons'), 'comparison')).toMatch(new RegExp(`\\(adjusted p-value ${published.replace('.', '\\.')}\\)$`))
    const page = byTestId(await (await analyst.get(`/indicators/possession-of-weapons?area=${id}`)).text(), 'year-on-year')
    expect(page).toContain(`the adjusted p-value is ${published}.`)
  })
})

describe('rates per 1,000 residents on the staff pages', () => {
  it('puts the rate for the periods compared beside the counts on the dashboard, the same as the report’s', async () => {
    const panel = await signedIn('panel@lantern.test')
    const { id } = await county()
    const dashboard = await (await panel.get(`/indicators?area=${id}`)).text()
    expect(text(dashboard)).toContain('Per 1,000 residents')
    expect(byTestId(rowOf(dashboard, 'possession-of-weapons'), 'rate')).toBe('0.32 in financial year 2025/26')
    // A percentage has no rate.
    expect(byTestId(rowOf(dashboard, '101-calls-answered-60s'), 'rate')).toBe('–')
  })

  it('compares the areas within by rate on the indicator page, highest first, with counts and residents', async () => {
    const analyst = await signedIn('analyst@lantern.test')
    const { id } = await county()
    const html = await (await analyst.get(`/indicators/possession-of-weapons?area=${id}`)).text()
    const table = html.match(/<table[^>]*data-testid="area-rates"[\s\S]*?<\/table>/)![0]
    expect(text(table)).toContain('Possession of weapons offences by area, financial year 2025/26')
    const rows = [...table.matchAll(/<tr class="govuk-table__row">\s*<th scope="row"[^>]*><a[^>]*>([^<]+)<\/a><\/th>\s*<td[^>]*>([\d,]+)<\/td>\s*<td[^>]*>([\d,]+)<\/td>\s*<td[^>]*>([\d.]+)<\/td>/g)]
    expect(rows.length).toBeGreaterThanOrEqual(11)
    const rates = rows.map((r) => Number(r[4]))
    expect(rates).toEqual([...rates].sort((a, b) => b - a))
    expect(rows.map((r) => r[1])).toContain('Havant')
    for (const r of rows) {
      const count = Number(r[2].replace(/,/g, ''))
      const residents = Number(r[3].replace(/,/g, ''))
      expect(Math.abs((count / residents) * 1000 - Number(r[4]))).toBeLessThan(0.01)
    }
  })
})

describe('"flagged" on the strategy page', () => {
  it('is the dashboard’s verdict adjusted across every indicator and area (Benjamini-Hochberg), not the indicator’s own test', async () => {
    const db = app.database.db
    const { id: areaId } = await county()
    // 1,200 then 1,300 in the two financial years: p ≈ 0.047 by its own test, far from significant among the family's many tests.
    const indicator = await db
      .insertInto('indicators')
      .values({ slug: 'knife-arches', name: 'Knife arch finds', definition: 'Knives found by knife arches at stations.', unit: 'count', polarity: 'up_bad', source_kind: 'manual', source_key: null, source_note: 'Transport police', frequency: 'month', owner_agency_id: null, owner: null })
      .returning('id')
      .executeTakeFirstOrThrow()
    const months = Array.from({ length: 24 }, (_, i) => `${2024 + Math.floor((3 + i) / 12)}-${String(((3 + i) % 12) + 1).padStart(2, '0')}-01`)
    const values = months.map((m, i) => (i < 12 ? 100 : i < 20 ? 108 : 109))
    await db.insertInto('indicator_values').values(months.map((m, i) => ({ indicator_id: indicator.id, area_id: areaId, period_start: m, value: values[i], note: null, entered_by: null, via: 'demo' as const }))).execute()
    const objective = await db.selectFrom('strategy_objectives').select('id').orderBy('position').executeTakeFirstOrThrow()
    await db.insertInto('strategy_objective_indicators').values({ objective_id: objective.id, indicator_id: indicator.id, area_id: areaId }).execute()
    try {
      const panel = await signedIn('panel@lantern.test')
      const page = await (await panel.get(`/indicators/knife-arches?area=${areaId}`)).text()
      expect(byTestId(page, 'year-on-year')).toMatch(/rose from 1,200 to 1,300 .*the adjusted p-value is 0\.\d+\. Not flagged\./)
      const dashboard = await (await panel.get(`/indicators?area=${areaId}`)).text()
      expect(byTestId(rowOf(dashboard, 'knife-arches'), 'comparison')).toMatch(/^financial year 2025\/26 against financial year 2024\/25: up 8% \(1,200 to 1,300\): could be chance/)
      for (const path of ['/strategy', `/strategy/objectives/${objective.id}`]) {
        const html = await (await panel.get(path)).text()
        expect(byTestId(rowOf(html, 'knife-arches'), 'direction'), path).toBe('Rising from financial year 2024/25 to financial year 2025/26 (could be chance)')
      }
    } finally {
      await db.deleteFrom('strategy_objective_indicators').where('indicator_id', '=', indicator.id).execute()
      await db.deleteFrom('indicator_values').where('indicator_id', '=', indicator.id).execute()
      await db.deleteFrom('indicators').where('id', '=', indicator.id).execute()
    }
  })
})

describe('control charts', () => {
  it('draws the XmR chart with its numbers on the indicator page for a series of 12 or more points', async () => {
    const analyst = await signedIn('analyst@lantern.test')
    const { id } = await county()
    const html = await (await analyst.get(`/indicators/101-calls-answered-60s?area=${id}`)).text()
    expect(html).toMatch(/<svg[^>]+class="lantern-chart lantern-control-chart"[^>]+role="img"[^>]+aria-labelledby="control-chart-101-calls-answered-60s-title/)
    const figure = html.match(/data-testid="control-chart"[\s\S]*?<\/figure>/)![0]
    expect(figure).toContain('lantern-chart__mean')
    expect(figure.match(/lantern-chart__limit/g)!.length).toBeGreaterThanOrEqual(1)
    const page = text(html)
    expect(page).toMatch(/The numbers in the control chart \(average [\d.]+, process limits [\d.]+ and [\d.]+\)/)
    // 36 months judged, 36 rows in the table.
    const table = html.match(/The numbers in the control chart \(average[\s\S]*?<\/table>/)![0]
    expect(table.match(/<tr class="govuk-table__row"><th scope="row"/g)!.length).toBe(36)
  })

  it('draws each headline’s control chart and judgement in the public report and its PDF', async () => {
    const visitor = new TestClient(app.baseUrl)
    const id = (await (await visitor.get('/performance')).text()).match(/href="\/performance\/([0-9a-f-]{36})">Annual performance report/)![1]
    const html = await (await visitor.get(`/performance/${id}`)).text()
    expect(html).toMatch(/<svg[^>]+class="lantern-chart lantern-control-chart"[^>]+aria-labelledby="control-chart-report-possession-of-weapons-offences-title/)
    expect(text(html)).toMatch(/Is the latest value unusual\? (Common|Special) cause variation[^.]*: .*\(XmR chart of the last 24 months, Making Data Count rules\)/)
    const { extractText, getDocumentProxy } = await import('unpdf')
    const pdf = await getDocumentProxy(new Uint8Array(await (await visitor.get(`/performance/${id}.pdf`)).arrayBuffer()))
    const pdfText = (await extractText(pdf, { mergePages: true })).text.replace(/\s+/g, ' ')
    expect(pdfText).toMatch(/Is the latest value unusual\? (Common|Special) cause variation/)
    expect(pdfText).toContain('Process limits')
  })

  it('keeps a published report’s control charts as they were published, whatever the rules say later', async () => {
    const { db } = app.database
    const report = await db.selectFrom('performance_reports').select(['id', 'snapshot']).where('status', '=', 'published').where('title', 'like', 'Annual%').executeTakeFirstOrThrow()
    const snapshot = (typeof report.snapshot === 'string' ? JSON.parse(report.snapshot) : report.snapshot) as ReportContent
    const weapons = snapshot.headlines.find((h) => h.name === 'Possession of weapons offences')!
    // The judgement is frozen with the report, not worked out again when it is read.
    expect(weapons.control?.text).toMatch(/XmR chart of the last 24 months, Making Data Count rules/)
    // As if Lantern's rules had changed since publication: the public reads the published judgement.
    const control = { ...weapons.control!, upper: 61.5, text: 'Common cause variation, as judged on the day it was published.' }
    const altered = { ...snapshot, headlines: snapshot.headlines.map((h) => (h === weapons ? { ...h, control } : h)) }
    await db.updateTable('performance_reports').set({ snapshot: JSON.stringify(altered) }).where('id', '=', report.id).execute()
    try {
      const visitor = new TestClient(app.baseUrl)
      const html = await (await visitor.get(`/performance/${report.id}`)).text()
      expect(text(html)).toContain('Is the latest value unusual? Common cause variation, as judged on the day it was published.')
      const figure = html.match(/<figure[^>]*data-testid="report-control-chart">\s*<svg[^>]+aria-labelledby="control-chart-report-possession-of-weapons-offences-title[\s\S]*?<\/figure>/)![0]
      expect(figure).toMatch(/process limits \([\d.]+ and 61\.5\)/)
      const { extractText, getDocumentProxy } = await import('unpdf')
      const pdf = await getDocumentProxy(new Uint8Array(await (await visitor.get(`/performance/${report.id}.pdf`)).arrayBuffer()))
      expect((await extractText(pdf, { mergePages: true })).text.replace(/\s+/g, ' ')).toContain('Common cause variation, as judged on the day it was published.')
    } finally {
      await db.updateTable('performance_reports').set({ snapshot: JSON.stringify(snapshot) }).where('id', '=', report.id).execute()
    }
  })
})
