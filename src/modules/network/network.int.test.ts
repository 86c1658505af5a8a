import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../../../test/support/app.ts'
import { TestClient } from '../../../test/support/http.ts'
import { testDatabaseKinds } from '../../../test/support/databases.ts'

describe.each(testDatabaseKinds())('network intelligence and joint operations on $name', (kind) => {
  let app: TestApp
  let ids: Record<string, string>
  const as = async (email: string) => {
    const c = new TestClient(app.baseUrl)
    await c.signIn(email)
    return c
  }

  beforeAll(async () => {
    app = await startTestApp({ kind })
    const rows = await app.database.db.selectFrom('network_entities as e').leftJoin('people as p', 'p.id', 'e.person_id').select(['e.id', 'e.line_name', 'e.location_type', 'p.given_name']).execute()
    ids = Object.fromEntries(rows.map((r) => [r.line_name ?? r.location_type ?? r.given_name ?? r.id, r.id]))
  }, 120_000)
  afterAll(async () => app?.close())

  it('hides a C-handled link from an agency without the condition, everywhere, and shows it to the police', async () => {
    const council = await as('practitioner@lantern.test')
    const police = await as('officer@lantern.test')
    const kyle = ids.Kyle
    const councilPage = await (await council.get(`/network/entities/${kyle}`)).text()
    const policePage = await (await police.get(`/network/entities/${kyle}`)).text()
    expect(policePage).toContain('Holds the phone of')
    expect(councilPage).not.toContain('Holds the phone of')
    // the explorer and its exports count links: the council's count is one fewer for the same scope
    const q = `/network?scope=entity&entityId=${kyle}&steps=1`
    const councilLinks = await (await council.get(q)).text()
    expect(councilLinks).not.toContain('Holds the phone of')
    const csv = await (await (await as('analyst@lantern.test')).get(`/network/export/links.csv?scope=entity&entityId=${kyle}&steps=1`)).text()
    expect(csv).toContain('holds_phone')
  })

  it('leaves E-graded links out of analysis unless asked, and shows them as doubtful', async () => {
    const analyst = await as('analyst@lantern.test')
    const gary = ids.Gary
    const without = await (await analyst.get(`/network?scope=entity&entityId=${gary}&steps=1`)).text()
    const nodes = (html: string) => html.split('data-testid="node-table"')[1].split('</table>')[0]
    expect(nodes(without)).not.toContain('Kerry (Kez) Fletcher')
    const withE = await (await analyst.get(`/network?scope=entity&entityId=${gary}&steps=1&grades=A&grades=B&grades=C&grades=D&grades=E`)).text()
    expect(nodes(withE)).toContain('Kerry (Kez) Fletcher')
    expect(withE).toContain('Doubtful')
  })

  it('ranks the JAY line’s broker first and lists cross-border lines by area pair', async () => {
    const analyst = await as('analyst@lantern.test')
    const html = await (await analyst.get(`/network?scope=entity&entityId=${ids.JAY}&steps=2`)).text()
    const brokers = html.split('data-testid="brokers"')[1].split('</ol>')[0]
    expect(brokers.split('<li>')[1]).toContain('Dwayne (Jay) Okoro')
    const cross = await (await analyst.get('/network/cross-border')).text()
    expect(cross).toMatch(/Lambeth<\/td><td class="govuk-table__cell">Portsmouth/)
    expect(cross).toMatch(/Croydon<\/td><td class="govuk-table__cell">Basingstoke and Deane/)
  })

  it('shows Operation Harbour with the children’s risk before and after and the Modern Slavery charge', async () => {
    const officer = await as('officer@lantern.test')
    const list = await (await officer.get('/operations')).text()
    const id = list.match(/href="\/operations\/([0-9a-f-]{36})">Operation Harbour/)![1]
    const page = await (await officer.get(`/operations/${id}`)).text()
    const mason = page.split('data-testid="children-risk"')[1].split('</tr>').find((r) => r.includes('Mason Clarke'))!
    expect(mason).toContain('Amber')
    expect(mason).toContain('Green')
    expect(mason).toContain('Risk came down')
    expect(page).toContain('Modern Slavery Act')
    expect(page).toContain('Crack cocaine')
  })

  it('records an operation, an arrest and a charge; bad input saves nothing', async () => {
    const officer = await as('officer@lantern.test')
    const bad = await officer.post('/operations/new', { name: 'Operation Test', leadAgencyId: 'x', status: 'active', startedOn: '2026-02-30' })
    expect(bad.status).toBe(400)
    expect(await bad.text()).toContain('Start date must be a real date')
    const created = await officer.post('/operations/new', { name: 'Operation Test', leadAgencyId: (await app.database.db.selectFrom('agencies').select('id').where('kind', '=', 'police').executeTakeFirstOrThrow()).id, status: 'active', startedOn: '2026-06-01' })
    expect(created.status).toBe(302)
    const opId = created.headers.get('location')!.split('/').pop()!
    expect((await officer.post(`/operations/${opId}/targets`, { entityId: ids.Reece })).status).toBe(302)
    const badSeizure = await officer.post(`/operations/${opId}/activities/new`, { kind: 'seizure', occurredOn: '2026-06-02', seizedItem: 'drugs', quantity: 'lots' })
    expect(badSeizure.status).toBe(400)
    expect(await badSeizure.text()).toContain('Quantity must be a number')
    expect((await officer.post(`/operations/${opId}/activities/new`, { kind: 'arrest', occurredOn: '2026-06-02', entityId: ids.Reece })).status).toBe(302)
    expect((await officer.post(`/operations/${opId}/outcomes/new`, { entityId: ids.Reece, kind: 'charge', offence: 'Modern Slavery Act 2015 s.2', modernSlavery: 'yes', occurredOn: '2026-06-03' })).status).toBe(302)
    const page = await (await officer.get(`/operations/${opId}`)).text()
    expect(page).toContain('Arrest')
    expect(page).toContain('Modern Slavery Act 2015 s.2')
    expect(page).toContain('Kyle Marsh')
    const activities = await app.database.db.selectFrom('operation_activities').select('id').where('operation_id', '=', opId).execute()
    expect(activities).toHaveLength(1)
  })

  it('never deletes a link: closing needs a reason and keeps it as history; audits views', async () => {
    const analyst = await as('analyst@lantern.test')
    const link = await app.database.db.selectFrom('network_links').select('id').where('status', '=', 'open').where('type', '=', 'associates_with').executeTakeFirstOrThrow()
    const bad = await analyst.post(`/network/links/${link.id}/status`, { status: 'closed', reason: '' })
    expect(bad.status).toBe(400)
    expect((await analyst.post(`/network/links/${link.id}/status`, { status: 'closed', reason: 'No contact since the spring' })).status).toBe(302)
    const row = await app.database.db.selectFrom('network_links').select(['status', 'status_reason']).where('id', '=', link.id).executeTakeFirstOrThrow()
    expect(row).toEqual({ status: 'closed', status_reason: 'No contact since the spring' })
    const audits = await app.database.db.selectFrom('audit_events').select('action').where('record_type', '=', 'network_link').where('record_id', '=', link.id).execute()
    expect(audits.map((a) => a.action)).toContain('update')
  })

  it('shows a location’s public report count and refuses an entity outside need-to-know', async () => {
    const analyst = await as('analyst@lantern.test')
    const page = await (await analyst.get(`/network/entities/${ids.trap_house}`)).text()
    expect(page).toMatch(/Reported by the public 0 times/)
    const council = await as('practitioner@lantern.test')
    expect((await council.get(`/network/entities/${ids.Dwayne}`)).status).toBe(403)
  })
})
