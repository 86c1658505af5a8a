import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../../../test/support/app.ts'
import { TestClient } from '../../../test/support/http.ts'
import { testDatabaseKinds } from '../../../test/support/databases.ts'

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&#39;|&rsquo;/g, '’').replace(/&amp;/g, '&').replace(/\s+/g, ' ')

/** The council areas the public report form offers, by name. */
async function publicAreaChoices(baseUrl: string) {
  const html = await (await new TestClient(baseUrl).get('/report/where')).text()
  const select = html.match(/<select[^>]+name="area"[\s\S]*?<\/select>/)?.[0] ?? ''
  return [...select.matchAll(/<option value="[0-9a-f-]{36}"[^>]*>([^<]+)<\/option>/g)].map((m) => m[1].trim())
}

describe.each(testDatabaseKinds())('the areas page on $name', (kind) => {
  let app: TestApp
  let admin: TestClient
  beforeAll(async () => {
    app = await startTestApp({ kind })
    admin = new TestClient(app.baseUrl)
    await admin.signIn('admin@lantern.test')
  })
  afterAll(async () => {
    await app?.close()
  })

  const areaId = async (name: string) => (await app.database.db.selectFrom('areas').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id

  it('lists each area with its kind, parent, place in the partnership and population, for administrators only', async () => {
    const page = text(await (await admin.get('/admin/areas')).text())
    expect(page).toContain('Havant : change E07000090 District or borough (in a county) Hampshire Yes')
    expect(page).toContain('Portsmouth : change E06000044 Unitary authority Yes')
    expect(page).toContain('Lambeth : change E09000022 London borough No')
    const practitioner = new TestClient(app.baseUrl)
    await practitioner.signIn('practitioner@lantern.test')
    expect((await practitioner.get('/admin/areas')).status).toBe(403)
  })

  it('offers the public only the areas in the partnership, and follows an administrator’s change at once', async () => {
    const before = await publicAreaChoices(app.baseUrl)
    expect(before).toContain('Havant')
    expect(before).not.toContain('Lambeth')
    expect(before).not.toContain('Hampshire')
    expect(before).toHaveLength(14)

    const havant = await areaId('Havant')
    const hampshire = await areaId('Hampshire')
    const res = await admin.post(`/admin/areas/${havant}`, { kind: 'district', parentId: hampshire, inPartnership: 'no', population: '126,100' })
    expect(res.status).toBe(302)
    expect(await publicAreaChoices(app.baseUrl)).not.toContain('Havant')
    const row = await app.database.db.selectFrom('areas').select(['in_partnership', 'population', 'parent_id']).where('id', '=', havant).executeTakeFirstOrThrow()
    expect(row).toEqual({ in_partnership: false, population: 126100, parent_id: hampshire })
    const audit = await app.database.db.selectFrom('audit_events').select(['action', 'record_type']).where('record_id', '=', havant).execute()
    expect(audit).toEqual([{ action: 'update', record_type: 'area' }])

    await admin.post(`/admin/areas/${havant}`, { kind: 'district', parentId: hampshire, inPartnership: 'yes', population: '' })
    expect(await publicAreaChoices(app.baseUrl)).toContain('Havant')
  })

  it('adds an area, and keeps the answers with GOV.UK errors when they are wrong', async () => {
    const bad = await admin.post('/admin/areas/new', { name: 'Havant', code: 'e07000090', kind: '', parentId: '', inPartnership: '', population: 'lots' })
    expect(bad.status).toBe(400)
    const html = await bad.text()
    const page = text(html)
    expect(page).toContain('There is a problem')
    for (const message of ['Select the kind of area', 'Select whether the area is in the partnership', 'Enter the population as a whole number, like 125,000']) expect(page).toContain(message)
    expect(html).toContain('value="lots"')

    const taken = await admin.post('/admin/areas/new', { name: 'havant', code: 'E07000090', kind: 'district', parentId: '', inPartnership: 'yes', population: '' })
    expect(text(await taken.text())).toContain('An area with this name already exists')

    const added = await admin.post('/admin/areas/new', { name: 'Dorset Police', code: 'E23000039', kind: 'force', parentId: '', inPartnership: 'no', population: '' })
    expect(added.status).toBe(302)
    const row = await app.database.db.selectFrom('areas').select(['code', 'kind', 'in_partnership']).where('name', '=', 'Dorset Police').executeTakeFirstOrThrow()
    expect(row).toEqual({ code: 'E23000039', kind: 'force', in_partnership: false })
    // A county cannot be made part of one of its own districts.
    const loop = await admin.post(`/admin/areas/${await areaId('Hampshire')}`, { kind: 'county', parentId: await areaId('Havant'), inPartnership: 'yes', population: '' })
    expect(loop.status).toBe(400)
    expect(text(await loop.text())).toContain('An area cannot be part of itself or of an area inside it')
  })
})
