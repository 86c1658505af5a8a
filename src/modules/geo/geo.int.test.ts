import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../../../test/support/app.ts'
import { signedInAs } from '../../../test/support/http.ts'
import { testDatabaseKinds } from '../../../test/support/databases.ts'
import { boundary, contains } from '../../analytics/geo/index.ts'

const svgOf = (html: string) => html.split('data-testid="geo-map"')[1].split('</svg>')[0]
const table = (html: string, id: string) => html.split(`data-testid="${id}"`)[1].split('</table>')[0]
const count = (s: string, needle: string) => s.split(needle).length - 1

describe.each(testDatabaseKinds())('the geographic map on $name', (kind) => {
  let app: TestApp
  let ids: Record<string, string>
  let secret: string
  const as = (email: string) => signedInAs(app.baseUrl, email)

  beforeAll(async () => {
    app = await startTestApp({ kind })
    const { db } = app.database
    const rows = await db.selectFrom('network_entities').select(['id', 'location_type']).where('kind', '=', 'location').execute()
    ids = Object.fromEntries(rows.map((r) => [r.location_type!, r.id]))
    // A police-only place (owned by the police, shared with nobody) with coordinates of its own.
    const police = await db.selectFrom('agencies').select('id').where('kind', '=', 'police').executeTakeFirstOrThrow()
    const portsmouth = await db.selectFrom('areas').select('id').where('code', '=', 'E06000044').executeTakeFirstOrThrow()
    secret = (
      await db
        .insertInto('network_entities')
        .values({ kind: 'location', label: '9 Hidden Road, Southsea', address: '9 Hidden Road, Southsea', location_type: 'trap_house', area_id: portsmouth.id, owner_agency_id: police.id, latitude: 50.7871, longitude: -1.0712 })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id
    // Two months of police.uk crimes in Portsmouth, two categories in the later one.
    const force = await db.selectFrom('areas').select('id').where('kind', '=', 'force').executeTakeFirstOrThrow()
    const imported = await db.insertInto('police_uk_imports').values({ via: 'demo', files: JSON.stringify([]), months: JSON.stringify([]), rows: 4, replaced_rows: 0 }).returning('id').executeTakeFirstOrThrow()
    const crime = (month: string, type: string, lat: number, lon: number) => ({ month, reported_by: 'Hampshire Constabulary', falls_within: 'Hampshire Constabulary', crime_type: type, latitude: lat, longitude: lon, location: 'On or near Test Street', force_area_id: force.id, area_id: portsmouth.id, import_id: imported.id })
    await db
      .insertInto('crimes')
      .values([crime('2016-09-01', 'Drugs', 50.8, -1.08), crime('2016-09-01', 'Drugs', 50.8001, -1.0801), crime('2016-09-01', 'Robbery', 50.9, -1.4), crime('2016-08-01', 'Drugs', 50.79, -1.09)])
      .execute()
  }, 120_000)
  afterAll(async () => app?.close())

  it('never shows a location hidden from a user, in the picture or the table', async () => {
    const analyst = await (await as('analyst@lantern.test')).get('/network/geography')
    const council = await (await as('practitioner@lantern.test')).get('/network/geography')
    expect(analyst.status).toBe(200)
    expect(council.status).toBe(200)
    const [seen, hidden] = [await analyst.text(), await council.text()]
    expect(table(seen, 'geo-places')).toContain('9 Hidden Road, Southsea')
    expect(seen).toContain('50.7871, -1.0712')
    expect(hidden).not.toContain('Hidden Road')
    expect(hidden).not.toContain('50.7871')
    expect(hidden).not.toContain(secret)
    // One mark fewer in the council's picture, and the picture's marks match its table's rows.
    const marks = (html: string) => count(svgOf(html), 'class="geo-map__place"')
    expect(marks(seen)).toBe(marks(hidden) + 1)
    expect(marks(hidden)).toBe(count(table(hidden, 'geo-places'), '<tr class="govuk-table__row" id="place-'))
    expect(svgOf(hidden)).toMatch(/class="geo-map__area"/)
    // Nor can the council place it (placing is an analyst's), or learn anything of it from trying.
    const council2 = await as('practitioner@lantern.test')
    const refused = await council2.get(`/network/entities/${secret}/place`)
    expect(refused.status).toBe(403)
    expect(await refused.text()).not.toContain('Hidden Road')
    expect((await council2.post(`/network/entities/${secret}/place`, { version: '1', latitude: '51', longitude: '-1' })).status).toBe(403)
    const row = await app.database.db.selectFrom('network_entities').select(['latitude']).where('id', '=', secret).executeTakeFirstOrThrow()
    expect(row.latitude).toBe(50.7871)
  })

  it('draws cross-border lines as flows from the exporting borough with their counts', async () => {
    const html = await (await (await as('analyst@lantern.test')).get('/network/geography')).text()
    expect(table(html, 'geo-flows')).toMatch(/Lambeth<\/td><td class="govuk-table__cell">Portsmouth/)
    expect(table(html, 'geo-flows')).toMatch(/Croydon<\/td><td class="govuk-table__cell">Basingstoke and Deane/)
    const svg = svgOf(html)
    expect(count(svg, 'class="geo-map__flow"')).toBe(count(table(html, 'geo-flows'), 'data-drawn="yes"'))
    expect(svg).toContain('Lambeth to Portsmouth: 1 line')
    // Lambeth and Croydon are drawn, though outside the partnership: the flows start there.
    expect(svg).toContain('data-code="E09000022"')
  })

  it('places a location from typed coordinates, keeps bad answers with the error summary, and audits it', async () => {
    const analyst = await as('analyst@lantern.test')
    const hotel = ids.hotel
    const version = String((await app.database.db.selectFrom('network_entities').select('version').where('id', '=', hotel).executeTakeFirstOrThrow()).version)
    const bad = await analyst.post(`/network/entities/${hotel}/place`, { version, latitude: '512.6', longitude: 'west' })
    expect(bad.status).toBe(400)
    const badHtml = await bad.text()
    expect(badHtml).toContain('govuk-error-summary')
    expect(badHtml).toContain('value="512.6"')
    expect(badHtml).toContain('Enter the longitude as a number in decimal degrees')
    const saved = await analyst.post(`/network/entities/${hotel}/place`, { version, latitude: '51.2681', longitude: '-1.0877' })
    expect(saved.status).toBe(303)
    const map = await (await analyst.get('/network/geography')).text()
    expect(table(map, 'geo-places')).toContain('Station Lodge Hotel, Basingstoke')
    expect(map).toContain('51.2681, -1.0877')
    // Saving again at the old version is someone else's change: refused, nothing overwritten.
    expect((await analyst.post(`/network/entities/${hotel}/place`, { version, latitude: '51', longitude: '-1' })).status).toBe(409)
    const events = await app.database.db.selectFrom('audit_events').select(['action', 'details']).where('record_id', '=', hotel).where('action', '=', 'update').execute()
    expect(events.some((e) => JSON.stringify(e.details).includes('coordinates'))).toBe(true)
    const entity = await (await analyst.get(`/network/entities/${hotel}`)).text()
    expect(entity).toContain('Placed on the map at 51.26810, -1.08770')
  })

  it('places a location where the analyst clicks on the map', async () => {
    const analyst = await as('analyst@lantern.test')
    const hotspot = ids.hotspot
    const form = await (await analyst.get(`/network/entities/${hotspot}/place`)).text()
    const [, width, height] = /width="(\d+)" height="(\d+)" alt="Map of the partnership/.exec(form)!.map(Number)
    const picture = await analyst.get(`/network/entities/${hotspot}/place/map.svg`)
    expect(picture.headers.get('content-type')).toContain('image/svg+xml')
    const version = /name="version" value="(\d+)"/.exec(form)![1]
    expect((await analyst.post(`/network/entities/${hotspot}/place`, { version, 'map.x': String(Math.round(width / 2)), 'map.y': String(Math.round(height / 2)) })).status).toBe(303)
    const row = await app.database.db.selectFrom('network_entities').select(['latitude', 'longitude']).where('id', '=', hotspot).executeTakeFirstOrThrow()
    // The middle of the demo partnership (Hampshire and its unitaries) is in Hampshire.
    expect(row.latitude).toBeGreaterThan(50.7)
    expect(row.latitude).toBeLessThan(51.4)
    expect(row.longitude).toBeGreaterThan(-1.9)
    expect(row.longitude).toBeLessThan(-0.7)
    expect((await analyst.post(`/network/entities/${hotspot}/place`, { version: String(Number(version) + 1), 'map.x': '-5', 'map.y': '10' })).status).toBe(400)
  })

  it('draws police.uk crimes of a month and category as points and hexagons', async () => {
    const analyst = await as('analyst@lantern.test')
    const all = await (await analyst.get('/network/geography?layers=crimes&layers=density&month=2016-09')).text()
    expect(count(svgOf(all), 'class="geo-map__crime"')).toBe(3)
    expect(table(all, 'geo-crimes')).toMatch(/Drugs<\/td><td class="govuk-table__cell govuk-table__cell--numeric">2</)
    // The two Drugs crimes a few metres apart share a hexagon.
    expect(table(all, 'geo-hexagons')).toMatch(/numeric">2<\/td>/)
    const robbery = await (await analyst.get('/network/geography?layers=crimes&month=2016-09&category=Robbery')).text()
    expect(count(svgOf(robbery), 'class="geo-map__crime"')).toBe(1)
    expect(svgOf(robbery)).not.toContain('geo-map__hexagon')
    const august = await (await analyst.get('/network/geography?layers=crimes&month=2016-08')).text()
    expect(count(svgOf(august), 'class="geo-map__crime"')).toBe(1)
    // Without the layers ticked, no places or flows are drawn; a month not in the list is refused with the summary.
    expect(svgOf(august)).not.toContain('geo-map__place')
    const bad = await analyst.get('/network/geography?month=2026-13')
    expect(bad.status).toBe(400)
    expect(await bad.text()).toContain('govuk-error-summary')
  })

  it('draws the demo’s latest police.uk month, every crime the indicators count in the partnership’s districts, each inside its own area', async () => {
    const { db } = app.database
    const latest = await db
      .selectFrom('crime_counts as c')
      .innerJoin('areas as a', 'a.id', 'c.area_id')
      .select((eb) => [eb.fn.max('c.month').as('month')])
      .where('a.in_partnership', '=', true)
      .executeTakeFirstOrThrow()
    const month = new Date(latest.month as unknown as string).toISOString().slice(0, 7)
    const counted = await db
      .selectFrom('crime_counts as c')
      .innerJoin('areas as a', 'a.id', 'c.area_id')
      .select((eb) => eb.fn.sum<string>('c.count').as('n'))
      .where('a.in_partnership', '=', true)
      .where('a.kind', 'in', ['district', 'unitary'])
      .where('c.month', '=', `${month}-01`)
      .executeTakeFirstOrThrow()
    const analyst = await as('analyst@lantern.test')
    const html = await (await analyst.get(`/network/geography?layers=crimes&layers=density&month=${month}`)).text()
    const total = Number(counted.n)
    expect(total).toBeGreaterThan(1000)
    // Every crime counted by category, and drawn as hexagons (too many for points).
    const byCategory = [...table(html, 'geo-crimes').matchAll(/govuk-table__cell--numeric">([\d,]+)</g)].map((m) => Number(m[1].replace(/,/g, '')))
    expect(byCategory.reduce((a, b) => a + b, 0)).toBe(total)
    expect(count(svgOf(html), 'class="geo-map__hexagon"')).toBeGreaterThan(50)
    // One category is few enough to draw crime by crime.
    const drugs = await (await analyst.get(`/network/geography?layers=crimes&month=${month}&category=Drugs`)).text()
    expect(count(svgOf(drugs), 'class="geo-map__crime"')).toBeGreaterThan(100)
    const points = await db
      .selectFrom('crimes as c')
      .innerJoin('areas as a', 'a.id', 'c.area_id')
      .select(['a.code', 'c.longitude', 'c.latitude'])
      .where('c.month', '=', `${month}-01`)
      .execute()
    expect(points.filter((p) => !contains(boundary(p.code)!, [p.longitude!, p.latitude!]))).toEqual([])
  })

  it('is for those who may see the network', async () => {
    expect((await (await as('panel@lantern.test')).get('/network/geography')).status).toBe(403)
  })
})
