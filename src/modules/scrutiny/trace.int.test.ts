import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../../../test/support/app.ts'
import { TestClient } from '../../../test/support/http.ts'
import { testDatabaseKinds } from '../../../test/support/databases.ts'

/** Traceability needs the strategy and the indicators as well as scrutiny: every module, seeded. */
describe.each(testDatabaseKinds())('traceability on $name', (kind) => {
  let app: TestApp
  let clerk: TestClient
  let item: { id: string; reference: string }
  let action: { id: string; objective_id: string }
  let indicator: { id: string; slug: string }

  beforeAll(async () => {
    app = await startTestApp({ kind })
    clerk = new TestClient(app.baseUrl)
    await clerk.signIn('partnership@lantern.test')
    const db = app.database.db
    const row = await db.selectFrom('scrutiny_items').select(['id', 'municipal_year', 'number']).where('title', '=', 'Publish a county lines strategy with key indicators').executeTakeFirstOrThrow()
    item = { id: row.id, reference: `PCP ${row.municipal_year} Rec ${row.number}` }
    action = await db.selectFrom('strategy_actions').select(['id', 'objective_id']).where('title', 'like', 'A joint disruption plan for every line%').executeTakeFirstOrThrow()
    indicator = await db.selectFrom('indicators').select(['id', 'slug']).where('slug', '=', 'possession-of-weapons').executeTakeFirstOrThrow()
  })
  afterAll(async () => {
    await app?.close()
  })

  it('links a recommendation to the strategy action that answers it and the indicator that shows progress, shown both ways to staff and to the public', async () => {
    const none = await clerk.post(`/scrutiny/manage/items/${item.id}/trace`, { actionId: '', indicatorId: '' })
    expect(none.status).toBe(400)
    expect(await none.text()).toContain('Select a strategy action or an indicator')
    const linked = await clerk.post(`/scrutiny/manage/items/${item.id}/trace`, { actionId: action.id, indicatorId: indicator.id })
    expect(linked.status).toBe(302)

    const staff = await (await clerk.get(`/scrutiny/manage/items/${item.id}`)).text()
    expect(staff).toContain(`href="/strategy/objectives/${action.objective_id}"`)
    expect(staff).toContain('href="/indicators/possession-of-weapons"')

    const body = (await app.database.db.selectFrom('scrutiny_bodies').select('slug').where('code', '=', 'PCP').executeTakeFirstOrThrow()).slug
    const pub = await (await new TestClient(app.baseUrl).get(`/scrutiny/${body}/items/${item.id}`)).text()
    expect(pub).toContain('A joint disruption plan for every line identified')
    expect(pub).toMatch(/data-testid="trace-indicators">\s*<li>Possession of weapons/)
    expect(pub).not.toContain('/strategy/objectives/')

    const indicatorPage = await (await clerk.get(`/indicators/${indicator.slug}`)).text()
    expect(indicatorPage).toContain('Scrutiny recommendations it shows progress on')
    expect(indicatorPage).toContain(`href="/scrutiny/manage/items/${item.id}">${item.reference}</a>`)
    const objectivePage = await (await clerk.get(`/strategy/objectives/${action.objective_id}`)).text()
    expect(objectivePage).toContain(`Answers <a class="govuk-link" href="/scrutiny/manage/items/${item.id}">${item.reference}</a>`)

    // The published performance report links the recommendation from the headline indicator and from the action, for the public and for staff.
    const reportId = (await (await new TestClient(app.baseUrl).get('/performance')).text()).match(/href="\/performance\/([0-9a-f-]{36})">Annual performance report/)![1]
    const publicReport = await (await new TestClient(app.baseUrl).get(`/performance/${reportId}`)).text()
    const publicLink = `<a class="govuk-link" href="/scrutiny/${body}/items/${item.id}">${item.reference}</a>`
    expect(publicReport).toMatch(new RegExp(`data-testid="report-trace-indicator">Shows progress on ${publicLink.replace(/[/.]/g, '\\$&')}`))
    expect(publicReport).toMatch(new RegExp(`A joint disruption plan for every line[^<]*<strong>[^<]+</strong>[^<]*<span data-testid="report-trace-action">Answers ${publicLink.replace(/[/.]/g, '\\$&')}`))
    const staffReport = await (await clerk.get(`/performance-reports/${reportId}`)).text()
    expect(staffReport).toContain(`Shows progress on <a class="govuk-link" href="/scrutiny/manage/items/${item.id}">${item.reference}</a>`)

    const audit = await app.database.db.selectFrom('audit_events').select('details').where('record_type', '=', 'scrutiny_item').where('record_id', '=', item.id).orderBy('id', 'desc').executeTakeFirstOrThrow()
    expect(audit.details).toEqual({ linked: { actionId: action.id, indicatorId: indicator.id } })
  })

  it('lets only those who may edit the body link or unlink, and unlinking removes it from both sides', async () => {
    const member = new TestClient(app.baseUrl)
    await member.signIn('panel@lantern.test')
    expect((await member.post(`/scrutiny/manage/items/${item.id}/trace/remove`, { actionId: action.id })).status).toBe(403)
    const removed = await clerk.post(`/scrutiny/manage/items/${item.id}/trace/remove`, { indicatorId: indicator.id })
    expect(removed.status).toBe(302)
    expect(await (await clerk.get(`/indicators/${indicator.slug}`)).text()).not.toContain(item.reference)
    expect(await (await clerk.get(`/strategy/objectives/${action.objective_id}`)).text()).toContain(item.reference)
  })
})
