import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse as parseCsv } from 'csv-parse/sync'
import { startTestApp, type TestApp } from '../../../test/support/app.ts'
import { TestClient } from '../../../test/support/http.ts'
import { primaryTestDatabaseKind } from '../../../test/support/databases.ts'
import { feasibleRanges, LEAST_POSSIBLE_VALUES, possibleValues, type Fact } from '../../analytics/suppression/index.ts'
import { addMonths, monthIndex, periodContaining, periodLabel } from './periods.ts'
import { indicatorsStore } from './store.ts'
import { disclosureFor } from './disclosure.ts'
import type { RequestContext } from '../../kernel/context.ts'

/**
 * Lantern's own counts as the partnership officer and the panel member read them: every figure of
 * the indicator pages and exports gathered as an attacker would, and every hidden count's feasible
 * range computed from all of them together (issue 14, "suppression that survives arithmetic").
 */
const EMAILS = { practitioner: 'practitioner@lantern.test', analyst: 'analyst@lantern.test', partnership: 'partnership@lantern.test', panel: 'panel@lantern.test' }

const NUMBER = /^-?[\d,]+(\.\d+)?%?$/
const number = (text: string) => Number(text.replace(/[,%]/g, ''))
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim()

/** The headline table of a report: name, then this period, a year before and two years before as printed. */
function headlineRows(html: string): string[][] {
  const start = html.indexOf('data-testid="headlines"')
  const table = html.slice(start, html.indexOf('</table>', start))
  return table
    .split('<tr class="govuk-table__row">')
    .slice(2)
    .map((row) => {
      const name = text(row.match(/<th scope="row" class="govuk-table__header">([^<]*)/)?.[1] ?? '')
      return [name, ...[...row.matchAll(/govuk-table__cell--numeric">([^<]*)</g)].slice(0, 3).map((m) => text(m[1]))]
    })
}

/** The "numbers in the chart" table of an indicator page: label and printed value per row. */
function chartTable(html: string): [label: string, value: string][] {
  const table = html.slice(html.indexOf('The numbers in the chart</caption>'))
  const body = table.slice(0, table.indexOf('</table>'))
  return [...body.matchAll(/<th scope="row" class="govuk-table__header">([^<]*)<\/th>\s*<td class="govuk-table__cell govuk-table__cell--numeric">([^<]*)<\/td>/g)].map((m) => [m[1], m[2].trim()])
}

// One database: the protection is worked out in TypeScript over the series, and the series
// themselves are checked on both databases in derived.int.test.ts. Crawling every page as two roles
// costs minutes, and the suite has a budget.
describe.each([primaryTestDatabaseKind()])('Lantern’s counts by who may see them, on $name', (kind) => {
  let app: TestApp
  const clients: Record<string, TestClient> = {}
  beforeAll(async () => {
    app = await startTestApp({ kind })
    for (const [key, email] of Object.entries(EMAILS)) {
      clients[key] = new TestClient(app.baseUrl)
      await clients[key].signIn(email)
    }
  })
  afterAll(async () => {
    await app?.close()
  })

  const db = () => app.database.db
  const lanternCounts = () => db().selectFrom('indicators').select(['id', 'slug', 'name']).where('source_kind', '=', 'lantern').where('unit', '=', 'count').where('active', '=', true).orderBy('slug').execute()
  /** Drafts are their authors' (partnership officers'); published reports are everyone's. */
  const reportsFor = (role: string) =>
    db()
      .selectFrom('performance_reports')
      .select(['id', 'area_id', 'period_from', 'period_to', 'status'])
      .$if(role !== 'partnership', (q) => q.where('status', '=', 'published'))
      .execute()
  const areas = () => db().selectFrom('areas').select(['id', 'code', 'name', 'parent_id']).execute()
  async function csv(client: TestClient, slug: string) {
    const res = await client.get(`/indicators/${slug}/data.csv`)
    expect(res.status).toBe(200)
    return parseCsv(await res.text(), { columns: true, bom: true }) as { area_code: string; period: string; value: string; note?: string }[]
  }

  it.each(['partnership', 'panel'])('as the %s, no hidden count can be narrowed to fewer than 5 values from everything the indicator pages and exports print', async (role) => {
    const client = clients[role]
    const allAreas = await areas()
    const byCode = new Map(allAreas.map((a) => [a.code, a]))
    let hiddenSeen = 0
    let reportTotals = 0
    for (const indicator of await lanternCounts()) {
      // The export: every area and month.
      const rows = await csv(client, indicator.slug)
      const truth = new Map((await csv(clients.analyst, indicator.slug)).map((r) => [`${r.area_code} ${r.period}`, Number(r.value)]))
      const values: number[] = []
      const hidden: boolean[] = []
      const cellOf = new Map<string, number>()
      for (const r of rows) {
        const shown = r.value !== ''
        if (shown) expect(number(r.value) === 0 || number(r.value) >= 5, `${indicator.slug} ${r.area_code} ${r.period} printed ${r.value}`).toBe(true)
        else expect(r.note).toBe('not shown')
        cellOf.set(`${r.area_code} ${r.period}`, values.length)
        values.push(shown ? number(r.value) : 0)
        hidden.push(!shown)
      }
      // A month an area has no row for is a zero the reader knows; nothing is needed for it.
      const facts: Fact[] = []
      const months = [...new Set(rows.map((r) => r.period))]
      for (const parent of allAreas) {
        const children = allAreas.filter((a) => a.parent_id === parent.id)
        for (const month of months) {
          const terms: [number, number][] = children.flatMap((c) => (cellOf.has(`${c.code} ${month}`) ? [[cellOf.get(`${c.code} ${month}`)!, 1] as [number, number]] : []))
          const total = cellOf.get(`${parent.code} ${month}`)
          if (!terms.length || total === undefined) continue
          facts.push({ kind: 'equal', terms: [...terms, [total, -1]] })
        }
      }
      // An area no fact ties to another (a unitary, a London borough): a hidden count there can
      // only be a small one, so the linear program's "at least 1, no upper bound" is not the
      // attacker's best. Its zeros must be hidden too, leaving each hidden count 0 to 4.
      const tied = new Set(facts.flatMap((f) => f.terms.map(([c]) => c)))
      for (const code of new Set(rows.map((r) => r.area_code))) {
        const own = rows.filter((r) => r.area_code === code)
        const lone = own.filter((r) => r.value === '' && !tied.has(cellOf.get(`${code} ${r.period}`)!))
        if (lone.length) expect(own.some((r) => r.value === '0'), `${indicator.slug} ${code}: a lone hidden count beside a printed zero is 1 to 4`).toBe(false)
      }
      // The indicator page of every area by quarter and financial year: each printed total is one
      // more fact (it adds up its months).
      const labels = new Map<string, string[]>()
      for (const month of months) {
        const start = `${month}-01`
        labels.set(periodLabel(start, 'month'), [month])
        for (const frequency of ['quarter', 'year'] as const) {
          const label = periodLabel(periodContaining(start, frequency), frequency)
          if (!labels.has(label)) labels.set(label, [])
          labels.get(label)!.push(month)
        }
      }
      for (const code of new Set(rows.map((r) => r.area_code))) {
        const area = byCode.get(code)!
        // By month the page prints the export's own cells; quarters and years are the new figures.
        for (const by of ['quarter', 'year']) {
          const res = await client.get(`/indicators/${indicator.slug}?area=${area.id}&by=${by}`)
          expect(res.status).toBe(200)
          const html = await res.text()
          expect(html).not.toContain('NaN')
          for (const [label, printed] of chartTable(html)) {
            const parts = labels.get(label)!
            expect(parts, label).toBeDefined()
            if (!NUMBER.test(printed)) {
              expect(printed).toBe('not shown')
              continue
            }
            expect(number(printed) === 0 || number(printed) >= 5, `${indicator.slug} ${area.name} ${label} printed ${printed}`).toBe(true)
            const cell = values.length
            values.push(number(printed))
            hidden.push(false)
            facts.push({ kind: 'equal', terms: [...parts.map((m) => [cellOf.get(`${code} ${m}`)!, 1] as [number, number]), [cell, -1]] })
          }
        }
      }
      // The performance reports the role can open: each headline total of this indicator adds up
      // the report area's months of its span, a year before and two years before.
      for (const report of await reportsFor(role)) {
        const html = await (await client.get(`/performance-reports/${report.id}`)).text()
        const row = headlineRows(html).find(([name]) => name === indicator.name)
        if (!row) continue
        reportTotals += row.length - 1
        const code = allAreas.find((a) => a.id === report.area_id)!.code
        row.slice(1).forEach((printed, back) => {
          if (!NUMBER.test(printed)) return
          expect(number(printed) === 0 || number(printed) >= 5, `${indicator.slug} report ${report.id}: ${printed}`).toBe(true)
          const from = addMonths(report.period_from, -12 * back)
          const span = Array.from({ length: monthIndex(report.period_to) - monthIndex(report.period_from) + 1 }, (_, i) => addMonths(from, i).slice(0, 7))
          const terms = span.flatMap((m) => (cellOf.has(`${code} ${m}`) ? [[cellOf.get(`${code} ${m}`)!, 1] as [number, number]] : []))
          const cell = values.length
          values.push(number(printed))
          hidden.push(false)
          facts.push({ kind: 'equal', terms: [...terms, [cell, -1]] })
        })
      }
      // The attacker's best: each hidden count's least and greatest possible value.
      const ranges = await feasibleRanges({ values, hidden, facts })
      for (const [cell, range] of ranges) {
        const key = [...cellOf].find(([, c]) => c === cell)?.[0]
        expect(possibleValues(range), `${indicator.slug} ${key}: ${range.min} to ${range.max}`).toBeGreaterThanOrEqual(LEAST_POSSIBLE_VALUES)
        if (key && tied.has(cell)) {
          // The facts are facts: the true count lies in its range (a lone one may be a hidden zero).
          expect(truth.get(key)!).toBeGreaterThanOrEqual(range.min)
          expect(truth.get(key)!).toBeLessThanOrEqual(range.max)
        }
      }
      hiddenSeen += ranges.size
    }
    // The demo's counts are small: the test reads real hidden cells, not an empty table.
    expect(hiddenSeen).toBeGreaterThan(0)
    // ...and the reports' headlines of Lantern's counts were found and read.
    expect(reportTotals).toBeGreaterThan(0)
  }, 600_000)

  it.each(['partnership', 'panel'])('as the %s, the dashboard, strategy and reports print no count from 1 to 4 of Lantern’s, say once why some are not shown, and never print NaN', async (role) => {
    const client = clients[role]
    for (const path of ['/indicators', '/indicators/catalogue', '/strategy', '/performance-reports', '/performance']) {
      const html = await (await client.get(path)).text()
      expect(html, path).not.toContain('NaN')
      expect(html, path).not.toMatch(/>\s*fewer than 5\s*</)
    }
    const dashboard = await (await client.get('/indicators')).text()
    expect(dashboard.match(/data-testid="suppression-note"/g)?.length).toBe(1)
    const lantern = new Set((await lanternCounts()).map((i) => i.name))
    // The latest values table: Lantern's counts are 0, 5 or more, or not shown.
    for (const row of dashboard.split('<tr class="govuk-table__row">')) {
      const name = [...lantern].find((n) => row.includes(`>${n}<`))
      if (!name) continue
      const cells = [...row.matchAll(/govuk-table__cell--numeric">([^<]*)</g)].map((m) => m[1].trim())
      if (NUMBER.test(cells[0] ?? '')) expect(number(cells[0]) === 0 || number(cells[0]) >= 5, `${name}: ${cells[0]}`).toBe(true)
    }
    for (const report of await reportsFor(role)) {
      const page = await client.get(`/performance-reports/${report.id}`)
      expect(page.status).toBe(200)
      const body = await page.text()
      expect(body).not.toContain('NaN')
      const headlines = body.slice(body.indexOf('data-testid="headlines"'), body.indexOf('</table>', body.indexOf('data-testid="headlines"')))
      for (const row of headlines.split('<tr class="govuk-table__row">')) {
        if (![...lantern].some((n) => row.includes(`>${n}`))) continue
        for (const cell of [...row.matchAll(/govuk-table__cell--numeric">([^<]*)</g)].map((m) => text(m[1]))) {
          if (NUMBER.test(cell)) expect(number(cell) === 0 || number(cell) >= 5, cell).toBe(true)
        }
      }
    }
  }, 300_000)

  it('shows a practitioner and an analyst (who may read the records) every count exactly', async () => {
    const store = indicatorsStore(db())
    for (const indicator of await lanternCounts()) {
      const exact = await store.exactSeries({ id: indicator.id, source_kind: 'lantern', source_key: indicator.slug, unit: 'count' }, app.clock.today())
      const expected = [...exact.values()].flat().length
      for (const role of ['practitioner', 'analyst']) {
        const rows = await csv(clients[role], indicator.slug)
        expect(rows.length).toBe(expected)
        expect(rows.every((r) => r.value !== '' && !r.note)).toBe(true)
      }
    }
    const dashboard = await (await clients.practitioner.get('/indicators')).text()
    expect(dashboard).not.toContain('data-testid="suppression-note"')
    // The small counts are there for them: Havant's children rated Red in the demo are 1 or 2.
    const red = await csv(clients.practitioner, 'children-rated-red')
    expect(red.some((r) => Number(r.value) > 0 && Number(r.value) < 5)).toBe(true)
  })

  it('decides from permissions and the agency: person:view in an agency that holds no personal data is not enough', async () => {
    const store = indicatorsStore(db())
    const agency = async (kind: 'oversight' | 'police') => (await db().selectFrom('agencies').select('id').where('kind', '=', kind).executeTakeFirstOrThrow()).id
    const ctx = (agencyId: string, permissions: string[]): RequestContext => ({
      requestId: 'test',
      user: { id: '00000000-0000-4000-8000-000000000001', agencyId, teamId: null, role: 'any-name', permissions: new Set(permissions), email: 'x@lantern.test', name: 'X', agencyName: 'A', agencyKind: 'police', teamName: null, roleName: 'Any', seesPersonalData: true },
    })
    const access = app.deps.access
    expect(await disclosureFor(ctx(await agency('police'), ['person:view', 'indicators:view']), access, store)).toBe('exact')
    expect(await disclosureFor(ctx(await agency('oversight'), ['person:view', 'indicators:view']), access, store)).toBe('protected')
    expect(await disclosureFor(ctx(await agency('police'), ['indicators:view', 'aggregates:view']), access, store)).toBe('protected')
    expect(await disclosureFor({ requestId: 'test', user: null }, access, store)).toBe('protected')
  })

  it('keeps a withheld month out of every quarter and year that contains it', async () => {
    // Spot check of the rule the first test relies on: a total is printed only when all its months are.
    const [indicator] = await lanternCounts()
    const rows = await csv(clients.panel, indicator.slug)
    const withheld = rows.find((r) => r.value === '')
    if (!withheld) return
    const area = (await areas()).find((a) => a.code === withheld.area_code)!
    const html = await (await clients.panel.get(`/indicators/${indicator.slug}?area=${area.id}&by=quarter`)).text()
    const label = periodLabel(periodContaining(`${withheld.period}-01`, 'quarter'), 'quarter')
    const row = chartTable(html).find(([l]) => l === label)
    if (row) expect(row[1]).toBe('not shown')
  })
})
