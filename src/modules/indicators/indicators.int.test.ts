import { describe, expect, it } from 'vitest'
import { londonMonth } from '../../kernel/london.ts'
import { sql } from 'kysely'
import { TEST_TODAY } from '../../../test/support/app.ts'
import { sharedTestApp } from '../../../test/support/shared-app.ts'
import { pageText as text, signedInAs, TestClient } from '../../../test/support/http.ts'
import { DEMO_FORCE } from './demo.ts'
import { monthFileFromCounts } from '../../../test/support/police-uk-fixture.ts'
import { addMonths } from './periods.ts'
import { indicatorsModule } from './module.ts'

const app = sharedTestApp()

const signedIn = (email: string) => signedInAs(app.baseUrl, email)

/** A multipart upload as a browser sends it: the CSRF token in the form's action URL. */
async function upload(client: TestClient, page: string, action: string, field: string, files: { name: string; content: string }[]) {
  const token = await client.csrfToken(page)
  const form = new FormData()
  for (const f of files) form.append(field, new Blob([f.content], { type: 'text/csv' }), f.name)
  const res = await fetch(`${app.baseUrl}${action}?_csrf=${encodeURIComponent(token)}`, {
    method: 'POST',
    body: form,
    headers: { cookie: `lantern.sid=${client.cookie('lantern.sid')}` },
    redirect: 'manual',
  })
  // The session (with its flash message) is saved before the response ends, not before its
  // headers arrive: read it to the end before following the redirect, as a browser's pace allows.
  const body = await res.text()
  return { status: res.status, headers: res.headers, text: async () => body }
}

const lastPoliceMonth = addMonths(londonMonth(TEST_TODAY), -2)

describe('the dashboard and the indicator page', () => {
  it('shows an analyst the emerging trend in Havant with its plain-English explanation', async () => {
    const client = await signedIn('analyst@lantern.test')
    const havant = await app.database.db.selectFrom('areas').select('id').where('code', '=', 'E07000090').executeTakeFirstOrThrow()
    const html = text(await (await client.get(`/indicators?area=${havant.id}`)).text())
    expect(html).toContain('Indicators: Havant')
    expect(html).toMatch(/Drug offences, Havant September 2026: \d+ recorded\. .* This is an exceedance/)
    const page = text(await (await client.get(`/indicators/drug-offences?area=${havant.id}`)).text())
    expect(page).toContain('An emerging trend')
    expect(page).toContain('The numbers in the chart')
    expect(await (await client.get(`/indicators/drug-offences?area=${havant.id}`)).text()).toMatch(/<svg[^>]+role="img"[^>]+aria-labelledby="chart-drug-offences-title chart-drug-offences-desc"/)
  })

  it('answers "real or chance" for the county: weapons up 13% could be chance, drug trafficking is real', async () => {
    const client = await signedIn('panel@lantern.test')
    const weapons = text(await (await client.get('/indicators/possession-of-weapons')).text())
    expect(weapons).toContain('Is it real or chance?')
    const trafficking = text(await (await client.get('/indicators/drug-trafficking-offences')).text())
    expect(trafficking).toMatch(/From financial year 2024\/25 to financial year 2025\/26, drug trafficking offences rose from 838 to 1,027 \(\+22.6%\); .* so it is unlikely to be chance/)
    expect(weapons).toMatch(/possession of weapons offences rose from [\d,]+ to [\d,]+ .* so it could well be chance/)
    // By financial year: the panel's question in the panel's terms.
    const years = text(await (await client.get('/indicators/drug-trafficking-offences?by=year')).text())
    expect(years).toMatch(/2025\/26 1,027 2024\/25 838 2023\/24 656/)
    expect(years).toContain('Totals of the months in each complete financial year')
    // Panel members see, never change.
    expect(weapons).not.toContain('Save target')
    expect((await client.get('/indicators/import')).status).toBe(403)
    expect((await client.get('/indicators/new')).status).toBe(403)
  })

  it('marks an indicator out of date when its value was not in on time', async () => {
    const client = await signedIn('partnership@lantern.test')
    const html = text(await (await client.get('/indicators/catalogue')).text())
    expect(html).toMatch(/Awareness workshop attendance .* Out of date was due/)
    expect(html).toMatch(/Drug trafficking offences .* Up to date/)
  })
})

describe('values and targets', () => {
  it('refuses a CSV with a malformed row, naming its line, and saves nothing; then imports a good one', async () => {
    const client = await signedIn('analyst@lantern.test')
    const db = app.database.db
    const before = await db.selectFrom('indicator_values').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()
    const bad = 'area,period,value,note\nHampshire,2026-10,88.1,\nHampshire,2026-13,87,\nNowhere,2026-08,50,\n'
    const res = await upload(client, '/indicators/101-calls-answered-60s', '/indicators/101-calls-answered-60s/upload', 'file', [{ name: 'calls.csv', content: bad }])
    expect(res.status).toBe(400)
    const html = text(await res.text())
    expect(html).toContain('Line 3: period "2026-13" is not a month like 2026-09. Nothing was imported.')
    expect(html).toContain('Line 4: area "Nowhere" is not an area Lantern knows')
    const after = await db.selectFrom('indicator_values').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()
    expect(after.n).toBe(before.n)

    const good = 'area,period,value\nE10000014,2026-10,91.2\n'
    const ok = await upload(client, '/indicators/101-calls-answered-60s', '/indicators/101-calls-answered-60s/upload', 'file', [{ name: 'calls.csv', content: good }])
    expect(ok.status).toBe(302)
    const page = text(await (await client.get('/indicators/101-calls-answered-60s')).text())
    expect(page).toContain('91.2% in October 2026')
    expect(page).toMatch(/Target 90% Green/)
  })

  it('refuses a series holding a NUL byte with its line, saves nothing, and is not a 500', async () => {
    const client = await signedIn('analyst@lantern.test')
    const db = app.database.db
    const before = await db.selectFrom('indicator_values').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()
    const res = await upload(client, '/indicators/101-calls-answered-60s', '/indicators/101-calls-answered-60s/upload', 'file', [{ name: 'calls.csv', content: 'area,period,value,note\nHampshire,2026-10,88.1,\nHampshire,2026-09,87,late\u0000\n' }])
    expect(res.status).toBe(400)
    expect(text(await res.text())).toContain('Line 3: column 26 holds a NUL byte (U+0000), which is not text')
    const after = await db.selectFrom('indicator_values').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()
    expect(after.n).toBe(before.n)
  })

  it('keeps the answers and shows GOV.UK errors for a bad value and a bad target', async () => {
    const client = await signedIn('analyst@lantern.test')
    const county = await app.database.db.selectFrom('areas').select('id').where('code', '=', 'E10000014').executeTakeFirstOrThrow()
    const res = await client.post('/indicators/drug-trafficking-offences/values', { areaId: county.id, period: '2026-10', value: '12.5' })
    expect(res.status).toBe(400)
    const html = await res.text()
    expect(html).toContain('<title>Error: ')
    expect(html).toContain('href="#value-value"')
    expect(text(html)).toContain('A count must be a whole number, 0 or more')
    const t = await client.post('/indicators/possession-of-weapons/targets', { areaId: county.id, value: 'lots', amberMargin: '' })
    expect(t.status).toBe(400)
    expect(text(await t.text())).toContain('Enter the target as a number')
  })
})

describe('the police.uk import from the staff pages', () => {
  /** Uploads files and follows to the preview: nothing is imported until the preview is confirmed. */
  async function preview(client: TestClient, files: { name: string; content: string }[]) {
    const res = await upload(client, '/indicators/import', '/indicators/import', 'files', files)
    expect(res.status).toBe(303)
    const location = res.headers.get('location')!
    expect(location).toMatch(/^\/indicators\/import\/preview\/[0-9a-f-]{36}$/)
    return { location, html: await (await client.get(location)).text() }
  }
  async function confirm(client: TestClient, location: string) {
    const res = await client.post(location, {})
    expect(res.status).toBe(302)
    return text(await (await client.get(res.headers.get('location')!)).text())
  }

  it('previews a month, imports it on confirmation, replaces it when imported again, and refuses a malformed file whole', async () => {
    const client = await signedIn('analyst@lantern.test')
    const db = app.database.db
    const asMonth = addMonths(lastPoliceMonth, 1)
    const csv = await monthFileFromCounts(db, { force: DEMO_FORCE, fromMonth: lastPoliceMonth, asMonth, extra: [{ area: 'Havant', category: 'Possession of weapons', count: 20 }] })
    const rows = csv.trim().split('\r\n').length - 1
    const forceCount = async () =>
      (await db
        .selectFrom('crime_counts')
        .innerJoin('areas', 'areas.id', 'crime_counts.area_id')
        .select(sql<number>`sum(count)::int`.as('n'))
        .where('areas.name', '=', DEMO_FORCE)
        .where('month', '=', asMonth)
        .executeTakeFirstOrThrow()).n

    const first = await preview(client, [{ name: 'hampshire-street.csv', content: csv }])
    const shown = text(first.html)
    expect(shown).toContain('Check the import')
    expect(shown).toContain(`Nothing has been imported yet. ${rows.toLocaleString('en-GB')} rows from 1 file: hampshire-street.csv.`)
    expect(shown).toContain(`${DEMO_FORCE} ${asMonth.slice(0, 7)} ${rows.toLocaleString('en-GB')} 0 0 0`)
    expect(await forceCount()).toBeNull()
    const result = await confirm(client, first.location)
    expect(result).toContain('Import complete')
    expect(result).toMatch(/Hampshire and Isle of Wight Constabulary, \d{4}-\d{2}: [\d,]+ rows/)
    expect(await forceCount()).toBe(rows)
    // The confirmed upload is gone: confirming it again imports nothing more.
    expect((await client.post(first.location, {})).status).toBe(404)

    // Again, under the force's former name: the preview says the month is replaced, and it is, not doubled.
    const again = await preview(client, [{ name: 'hampshire-2.csv', content: csv.replaceAll(DEMO_FORCE, 'Hampshire Constabulary') }])
    expect(text(again.html)).toContain(`${DEMO_FORCE} ${asMonth.slice(0, 7)} ${rows.toLocaleString('en-GB')} ${rows.toLocaleString('en-GB')} 0 0`)
    await confirm(client, again.location)
    expect(await forceCount()).toBe(rows)

    // A malformed row: the file and line are named and the month stays as it was.
    const broken = csv.replace(/\r\n([^\r\n]*)\r\n/, (_m, line: string) => `\r\n${line.replace(/,Under investigation,/, ',Under investigation,,extra')}\r\n`)
    const refused = await upload(client, '/indicators/import', '/indicators/import', 'files', [{ name: 'broken.csv', content: broken }])
    expect(refused.status).toBe(400)
    expect(text(await refused.text())).toContain('broken.csv line 2: expected 12 columns, found 13. Nothing was imported.')
    expect(await forceCount()).toBe(rows)

    // The spike shows on the dashboard as a Farrington exceedance.
    const havant = await db.selectFrom('areas').select('id').where('name', '=', 'Havant').executeTakeFirstOrThrow()
    const dash = text(await (await client.get(`/indicators?area=${havant.id}`)).text())
    expect(dash).toMatch(/Possession of weapons offences, Havant October 2026: \d+ recorded\. .* This is an exceedance/)

    const audit = await db.selectFrom('audit_events').select(['action', 'record_type']).where('record_type', '=', 'police-uk-import').execute()
    expect(audit.map((a) => a.action).sort()).toEqual(['import', 'import', 'import-refused'])
  })

  it('refuses the same file given twice, and keeps a cancelled preview from ever being imported', async () => {
    const client = await signedIn('analyst@lantern.test')
    const asMonth = addMonths(lastPoliceMonth, 2)
    const csv = await monthFileFromCounts(app.database.db, { force: DEMO_FORCE, fromMonth: lastPoliceMonth, asMonth })
    const twice = await upload(client, '/indicators/import', '/indicators/import', 'files', [
      { name: 'november.csv', content: csv },
      { name: 'november (1).csv', content: csv },
    ])
    expect(twice.status).toBe(400)
    expect(text(await twice.text())).toContain('november (1).csv: is the same file as november.csv: give each file once (a folder and a file inside it count twice). Nothing was imported.')

    const { location } = await preview(client, [{ name: 'november.csv', content: csv }])
    // Only the person who uploaded the files sees their preview.
    const other = await signedIn('partnership@lantern.test')
    expect((await other.get(location)).status).toBe(404)
    const cancelled = await client.post(`${location}/cancel`, {})
    expect(cancelled.status).toBe(302)
    expect(text(await (await client.get('/indicators/import')).text())).toContain('Import cancelled: nothing was imported')
    expect((await client.post(location, {})).status).toBe(404)
    const held = await app.database.db.selectFrom('crimes').select(sql<number>`count(*)::int`.as('n')).where('month', '=', asMonth).executeTakeFirstOrThrow()
    expect(held.n).toBe(0)
  })
})

describe('performance reports', () => {
  it('lets the partnership officer draft and publish a report, which the public reads without signing in', async () => {
    const client = await signedIn('partnership@lantern.test')
    const county = await app.database.db.selectFrom('areas').select('id').where('code', '=', 'E10000014').executeTakeFirstOrThrow()
    const bad = await client.post('/performance-reports/new', { title: '', areaId: county.id, 'from[month]': '4', 'from[year]': '2026', 'to[month]': '2', 'to[year]': '2026' })
    expect(bad.status).toBe(400)
    expect(text(await bad.text())).toContain('Enter a title')
    const backwards = await client.post('/performance-reports/new', { title: 'Backwards', areaId: county.id, 'from[month]': '4', 'from[year]': '2026', 'to[month]': '2', 'to[year]': '2026' })
    expect(backwards.status).toBe(400)
    const backwardsHtml = await backwards.text()
    expect(text(backwardsHtml)).toContain('The last month must be the same as or after the first month')
    expect(backwardsHtml).toContain('value="Backwards"')

    const res = await client.post('/performance-reports/new', { title: 'Report for the spring panel', meeting: 'Police and Crime Panel, 4 February 2027', areaId: county.id, 'from[month]': '4', 'from[year]': '2026', 'to[month]': '9', 'to[year]': '2026', commentary: 'Weapons offences are watched closely.' })
    expect(res.status).toBe(302)
    const id = res.headers.get('location')!.split('/').pop()!
    const draft = text(await (await client.get(`/performance-reports/${id}`)).text())
    expect(draft).toContain('This is a draft')
    expect(draft).toContain('Headline indicators')
    expect(draft).toContain('Progress against the strategy')

    const visitor = new TestClient(app.baseUrl)
    expect((await visitor.get(`/performance/${id}`)).status).toBe(404)
    const panel = await signedIn('panel@lantern.test')
    expect((await panel.get(`/performance-reports/${id}`)).status).toBe(404)

    expect((await client.post(`/performance-reports/${id}/publish`, {})).status).toBe(302)
    const list = text(await (await visitor.get('/performance')).text())
    expect(list).toContain('Report for the spring panel')
    const published = text(await (await visitor.get(`/performance/${id}`)).text())
    expect(published).toContain('April 2026 to September 2026, compared with April 2025 to September 2025')
    expect(published).toContain('Weapons offences are watched closely.')
    const pdf = await visitor.get(`/performance/${id}.pdf`)
    expect(pdf.headers.get('content-type')).toBe('application/pdf')
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-')

    // Published means frozen: a draft-only edit is refused.
    expect((await client.get(`/performance-reports/${id}/edit`)).status).toBe(403)
  })

  it('shows the demo’s published annual report: 656 to 1,027 is real, the 13% weapons rise could be chance', async () => {
    const visitor = new TestClient(app.baseUrl)
    const list = await (await visitor.get('/performance')).text()
    const id = list.match(/href="\/performance\/([0-9a-f-]{36})">Annual performance report/)![1]
    const html = text(await (await visitor.get(`/performance/${id}`)).text())
    expect(html).toMatch(/Drug trafficking offences 1,027 838 656 0\.71 up 23% Very likely a real rise/)
    expect(html).toMatch(/Possession of weapons offences 466 412 \d+ 0\.32 up 13% Could be chance/)
    expect(html).toContain('From financial year 2023/24 to financial year 2025/26, drug trafficking offences rose from 656 to 1,027 (+56.6%); a rise this large would happen by chance less than 1 time in 1,000, so it is unlikely to be chance')
    expect(html).toContain('From financial year 2024/25 to financial year 2025/26, possession of weapons offences rose from 412 to 466 (+13.1%)')
  })
})

describe('the panel’s weapons question', () => {
  it('gets the same answer on the dashboard, the indicator page and the published report: the financial years, 412 to 466, could be chance', async () => {
    const client = await signedIn('panel@lantern.test')
    const county = await app.database.db.selectFrom('areas').select('id').where('kind', '=', 'county').executeTakeFirstOrThrow()
    const dashboard = await (await client.get(`/indicators?area=${county.id}`)).text()
    const row = text(dashboard.match(/<tr[^>]*>(?:(?!<\/tr>)[\s\S])*possession-of-weapons(?:(?!<\/tr>)[\s\S])*<\/tr>/)![0])
    expect(row).toContain('financial year 2025/26 against financial year 2024/25: up 13% (412 to 466): could be chance')
    expect(row).not.toMatch(/Significant (rise|fall)/)
    const page = text(await (await client.get(`/indicators/possession-of-weapons?area=${county.id}`)).text())
    const sentence = 'From financial year 2024/25 to financial year 2025/26, possession of weapons offences rose from 412 to 466 (+13.1%)'
    expect(page).toContain(sentence)
    const visitor = new TestClient(app.baseUrl)
    const id = (await (await visitor.get('/performance')).text()).match(/href="\/performance\/([0-9a-f-]{36})">Annual performance report/)![1]
    expect(text(await (await visitor.get(`/performance/${id}`)).text())).toContain(sentence)
  })

  it('compares any two periods of the same length, and says what is wrong with a choice that cannot be compared', async () => {
    const client = await signedIn('panel@lantern.test')
    const county = await app.database.db.selectFrom('areas').select('id').where('kind', '=', 'county').executeTakeFirstOrThrow()
    const chosen = text(await (await client.get(`/indicators/possession-of-weapons?area=${county.id}&from=2026-04&to=2026-09&vsFrom=2025-04&vsTo=2025-09`)).text())
    expect(chosen).toMatch(/From April 2025 to September 2025 to April 2026 to September 2026, possession of weapons offences (rose|fell) from [\d,]+ to [\d,]+/)
    const bad = await client.get(`/indicators?area=${county.id}&from=2026-04&to=2026-09&vsFrom=2025-04&vsTo=2025-12`)
    expect(bad.status).toBe(400)
    const html = await bad.text()
    expect(text(html)).toContain('There is a problem')
    expect(text(html)).toContain('The period to compare with must have as many months as the period')
    expect(html).toContain('value="2025-12"')
    expect((await client.get(`/indicators?from=April&to=&vsFrom=&vsTo=`)).status).toBe(400)
  })
})

describe('the public report’s pictures', () => {
  it('shows each headline indicator’s chart with its numbers, and a map of the districts shaded by rate with its table, on the page and in the PDF', async () => {
    const visitor = new TestClient(app.baseUrl)
    const id = (await (await visitor.get('/performance')).text()).match(/href="\/performance\/([0-9a-f-]{36})">Annual performance report/)![1]
    const html = await (await visitor.get(`/performance/${id}`)).text()
    expect(html).toMatch(/<svg[^>]+class="lantern-chart"[^>]+role="img"[^>]+aria-labelledby="report-chart-possession-of-weapons-offences-title/)
    expect(html).toMatch(/<svg[^>]+class="lantern-map"[^>]+role="img"/)
    const page = text(html)
    expect(page).toContain('The numbers in the chart')
    // Hampshire's 11 districts, each with its count, residents and rate.
    expect(page).toMatch(/Havant [\d,]+ 128,000 [\d.]+/)
    expect(page).toMatch(/Hart [\d,]+ 102,700 [\d.]+/)
    expect(page).toContain('Contains Ordnance Survey data © Crown copyright and database right 2014')
    expect(page).toMatch(/Possession of weapons offences 466 412 \d+ 0\.32 up 13% Could be chance/)
    const { extractText, getDocumentProxy } = await import('unpdf')
    const pdf = await getDocumentProxy(new Uint8Array(await (await visitor.get(`/performance/${id}.pdf`)).arrayBuffer()))
    const pdfText = (await extractText(pdf, { mergePages: true })).text.replace(/\s+/g, ' ')
    expect(pdfText).toContain('Across the areas, per 1,000 residents')
    expect(pdfText).toMatch(/Havant: [\d,]+; 128,000 residents; [\d.]+ per 1,000/)
    // The chart's own axis labels are drawn into the PDF as text.
    expect(pdfText).toMatch(/Apr 2024/)
  })
})

describe('populations for rates', () => {
  it('lets an administrator enter an estimate and upload a CSV (each line checked, nothing kept on a problem), and nobody else', async () => {
    const admin = await signedIn('admin@lantern.test')
    expect(text(await (await admin.get('/indicators/populations')).text())).toMatch(/Havant 126,200 128,000/)
    const hart = await app.database.db.selectFrom('areas').select('id').where('code', '=', 'E07000089').executeTakeFirstOrThrow()
    const bad = await admin.post('/indicators/populations', { areaId: hart.id, year: '24', population: 'lots', source: '' })
    expect(bad.status).toBe(400)
    const badText = text(await bad.text())
    expect(badText).toContain('Enter the year as 4 digits, like 2024')
    expect(badText).toContain('Enter the population as a whole number, like 126,200')
    expect((await admin.post('/indicators/populations', { areaId: hart.id, year: '2025', population: '103,000', source: 'ONS mid-2025' })).status).toBe(302)
    const refused = await upload(admin, '/indicators/populations', '/indicators/populations/upload', 'file', [{ name: 'pop.csv', content: 'area,year,population\nHavant,2025,129000\nNowhere,2025,5\nE07000089,20x5,1\n' }])
    expect(refused.status).toBe(400)
    const refusedText = text(await refused.text())
    expect(refusedText).toContain('Line 3: area "Nowhere" is not an area Lantern knows (use its name or ONS code). Nothing was imported.')
    expect(refusedText).toContain('Line 4: year "20x5" is not a year like 2024')
    const ok = await upload(admin, '/indicators/populations', '/indicators/populations/upload', 'file', [{ name: 'pop.csv', content: 'area,year,population,source\nHavant,2025,"129,000",ONS\nE07000089,2023,"102,000",ONS\n' }])
    expect(ok.status).toBe(302)
    // Each figure's source is shown, so a rate can be traced to the estimate behind it.
    const sources = text(await (await admin.get('/indicators/populations')).text())
    expect(sources).toMatch(/Where the figures come from Mid-2022 Demo figure, near the ONS mid-2022 estimate \(not checked\)/)
    expect(sources).toMatch(/Mid-2025 ONS \(Havant\); ONS mid-2025 \(Hart\)/)
    const rows = await app.database.db.selectFrom('area_populations').innerJoin('areas', 'areas.id', 'area_populations.area_id').select(['areas.name', 'area_populations.year', 'area_populations.population']).where('area_populations.year', 'in', [2023, 2025]).orderBy('areas.name').orderBy('year').execute()
    expect(rows).toEqual([
      { name: 'Hart', year: 2023, population: 102000 },
      { name: 'Hart', year: 2025, population: 103000 },
      { name: 'Havant', year: 2025, population: 129000 },
    ])
    expect((await (await signedIn('analyst@lantern.test')).get('/indicators/populations')).status).toBe(403)
    await app.database.db.deleteFrom('area_populations').where('year', 'in', [2023, 2025]).execute()
  })
})

describe('the strategy', () => {
  it('shows progress plainly and lets the partnership officer add an objective and an overdue action', async () => {
    const client = await signedIn('partnership@lantern.test')
    const html = text(await (await client.get('/strategy')).text())
    expect(html).toContain('Reduce the harm of county lines')
    expect(html).toMatch(/1\. Reduce the harm of county lines Off track \d of 4 actions complete, 1 overdue/)
    const res = await client.post('/strategy/objectives/new', { title: 'Reduce serious youth violence', description: 'Fewer young people hurt or carrying knives.', leadAgencyId: '' })
    expect(res.status).toBe(302)
    const objective = res.headers.get('location')!
    const bad = await client.post(`${objective}/actions/new`, { title: 'Knife crime lessons', leadAgencyId: '', dueDate: '31/03/2027', status: 'in_progress' })
    expect(bad.status).toBe(400)
    expect(text(await bad.text())).toContain('Enter the due date as YYYY-MM-DD')
    expect((await client.post(`${objective}/actions/new`, { title: 'Knife crime lessons in every school', leadAgencyId: '', dueDate: '2026-01-31', status: 'in_progress' })).status).toBe(302)
    const page = text(await (await client.get(objective)).text())
    expect(page).toMatch(/Off track 0 of 1 action complete, 1 overdue/)
    expect(page).toMatch(/Knife crime lessons in every school .* Overdue/)
    const panel = await signedIn('panel@lantern.test')
    expect((await panel.post(`${objective}/actions/new`, { title: 'x', leadAgencyId: '', dueDate: '', status: 'in_progress' })).status).toBe(403)
  })
})

describe('Lantern counts kept by the job runner', () => {
  it('shows a new missing episode once the job has counted again, reading the kept count until then', async () => {
    const db = app.database.db
    const client = await signedIn('analyst@lantern.test')
    const havant = await db.selectFrom('areas').select('id').where('code', '=', 'E07000090').executeTakeFirstOrThrow()
    const child = await db.selectFrom('people').select('id').where('kind', '=', 'child').where('current_area_id', '=', havant.id).where('merged_into', 'is', null).executeTakeFirstOrThrow()
    const lastMonth = addMonths(londonMonth(TEST_TODAY), -1)
    const page = async () => text(await (await client.get(`/indicators/missing-episodes?area=${havant.id}`)).text())
    const latest = (html: string) => Number(html.match(/Missing episodes, Havant [A-Z][a-z]+ \d{4}: (\d+)/)?.[1] ?? html.match(/(\d+) in [A-Z][a-z]+ \d{4}/)?.[1])
    const refresh = () => indicatorsModule.jobs!(app.deps).find((j) => j.name === 'indicators.derived-series')!.run({}, { id: 'test', attempt: 1 })
    try {
      // Nothing kept yet: counted as the page is read, and said so.
      const first = await page()
      expect(first).toContain('Lantern’s own counts were counted as this page was read')
      const before = latest(first)
      expect(before).toBeGreaterThanOrEqual(0)

      await refresh()
      const kept = await page()
      expect(kept).toMatch(/Lantern’s own counts as at \d{1,2} [A-Z][a-z]+ \d{4}, \d{1,2}(:\d{2})?[ap]m/)
      expect(latest(kept)).toBe(before)

      // A child goes missing from Havant last month: the kept count does not know yet...
      await sql`insert into missing_episodes (person_id, reported_missing_at, missing_from_area_id) values (${child.id}, ${`${lastMonth.slice(0, 8)}15T20:00:00Z`}, ${havant.id})`.execute(db)
      expect(latest(await page())).toBe(before)
      // ...and does once the job has counted again.
      await refresh()
      expect(latest(await page())).toBe(before + 1)
    } finally {
      await sql`delete from missing_episodes where person_id = ${child.id} and reported_missing_at = ${`${lastMonth.slice(0, 8)}15T20:00:00Z`}`.execute(db)
      await sql`delete from derived_series_refreshes`.execute(db)
    }
  })

  it('keeps the dashboard’s judgements with the counts, judges again when an input changes, and never shows a judgement of other data than it shows', async () => {
    const db = app.database.db
    const analyst = await signedIn('analyst@lantern.test')
    const officer = await signedIn('partnership@lantern.test')
    const havant = await db.selectFrom('areas').select('id').where('code', '=', 'E07000090').executeTakeFirstOrThrow()
    const child = await db.selectFrom('people').select('id').where('kind', '=', 'child').where('current_area_id', '=', havant.id).where('merged_into', 'is', null).executeTakeFirstOrThrow()
    const lastMonth = addMonths(londonMonth(TEST_TODAY), -1)
    const reported = `${lastMonth.slice(0, 8)}14T20:00:00Z`
    const dashboard = async () => text(await (await analyst.get(`/indicators?area=${havant.id}`)).text())
    // The same page judged afresh: what the kept judgements must agree with.
    const judgedAfresh = async () => {
      await sql`delete from indicator_judgements`.execute(db)
      return dashboard()
    }
    const missingRow = (html: string) => html.match(/Missing episodes Lantern: Missing episodes (.*?) Return home interviews/)?.[1] ?? ''
    const refresh = () => indicatorsModule.jobs!(app.deps).find((j) => j.name === 'indicators.derived-series')!.run({}, { id: 'test', attempt: 1 })
    try {
      await refresh()
      // The job judged every family the staff pages read, for both disclosures.
      const kept = await db.selectFrom('indicator_judgements').select('variant').orderBy('variant').execute()
      expect(kept.map((k) => k.variant)).toEqual(['exact farrington-0', 'exact farrington-1', 'protected farrington-0', 'protected farrington-1'])
      const before = await dashboard()
      expect(before).toMatch(/Lantern’s own counts as at/)
      expect(missingRow(before)).toContain('None set')
      expect(await judgedAfresh()).toBe(before)

      // A target set is judged on the next view, not after the job.
      expect((await officer.post('/indicators/missing-episodes/targets', { areaId: havant.id, value: '1', amberMargin: '0' })).status).toBe(302)
      const targeted = await dashboard()
      expect(missingRow(targeted)).not.toContain('None set')
      expect(missingRow(targeted)).toMatch(/ 1 (Red|Amber|Green) /)
      expect(await judgedAfresh()).toBe(targeted)

      // A child goes missing last month: until the job counts again, the page shows the kept count
      // and the judgements of that count...
      await sql`insert into missing_episodes (person_id, reported_missing_at, missing_from_area_id) values (${child.id}, ${reported}, ${havant.id})`.execute(db)
      const waiting = await dashboard()
      expect(missingRow(waiting)).toBe(missingRow(targeted))
      expect(await judgedAfresh()).toBe(waiting)
      // ...and then the new count, judged.
      await refresh()
      const counted = await dashboard()
      expect(missingRow(counted)).not.toBe(missingRow(targeted))
      expect(await judgedAfresh()).toBe(counted)
    } finally {
      await sql`delete from missing_episodes where person_id = ${child.id} and reported_missing_at = ${reported}`.execute(db)
      await sql`delete from indicator_targets where area_id = ${havant.id} and indicator_id = (select id from indicators where slug = 'missing-episodes')`.execute(db)
      await sql`delete from derived_series_refreshes`.execute(db)
    }
  })
})
