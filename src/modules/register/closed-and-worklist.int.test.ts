import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { startTestApp, type TestApp } from '../../../test/support/app.ts'
import { TestClient } from '../../../test/support/http.ts'
import { testDatabaseKinds } from '../../../test/support/databases.ts'
import { parse } from 'csv-parse/sync'

/**
 * Closed records leave the register unless asked for, and the facts Home's worklists are made of
 * (a review a serious episode made due now, missing now, an interview overdue, a Red awaiting a
 * manager) are the same in the register, its CSV, the API and the team view's counts.
 */
describe.each(testDatabaseKinds())('the register’s closed records and worklist facts on $name', (kind) => {
  let app: TestApp
  const clients: Record<string, TestClient> = {}
  beforeAll(async () => {
    app = await startTestApp({ kind })
    for (const email of ['practitioner@lantern.test', 'manager@lantern.test']) {
      clients[email] = new TestClient(app.baseUrl)
      await clients[email].signIn(email)
    }
  }, 180_000)
  afterAll(async () => app?.close())

  const db = () => app.database.db
  const idsOn = (html: string) => [...html.matchAll(/href="\/people\/([0-9a-f-]{36})"/g)].map((m) => m[1])
  const person = (given: string, family: string) => db().selectFrom('people').selectAll().where('given_name', '=', given).where('family_name', '=', family).executeTakeFirstOrThrow()
  const csv = async (client: TestClient, query: string) => {
    const res = await client.get(`/register/export.csv?${query}`)
    expect(res.status).toBe(200)
    const [header, ...rows] = parse((await res.text()).replace(/^\uFEFF/, '')) as string[][]
    return { header, row: (id: string) => rows.find((r) => r[0] === id) }
  }
  async function apiToken(email: string) {
    const res = await clients[email].post('/account/api-tokens', { name: `register facts ${kind.name}`, days: '90' })
    return (await res.text()).match(/value="(lantern_pat_[A-Za-z0-9_-]+)"/)![1]
  }

  it('leaves a closed record out of the register, and shows it with a Closed column when asked for', async () => {
    const ellie = await person('Ellie', 'Turner')
    await db().updateTable('people').set({ closed_at: new Date('2026-11-20T10:00:00Z'), closed_reason: 'Work ended' }).where('id', '=', ellie.id).execute()
    const practitioner = clients['practitioner@lantern.test']

    const open = await (await practitioner.get('/register?kind=all&pageSize=100')).text()
    expect(idsOn(open)).not.toContain(ellie.id)
    expect(open).not.toContain('data-testid="closed-on"')

    const closed = await practitioner.get('/register?kind=all&records=closed&pageSize=100')
    expect(closed.status).toBe(200)
    const closedHtml = await closed.text()
    expect(idsOn(closedHtml)).toEqual([ellie.id])
    expect(closedHtml).toContain('data-testid="closed-on"')
    expect(closedHtml).toContain('20 November 2026')
    expect(closedHtml).toMatch(/Selected filters[\s\S]*Closed records/)

    const both = idsOn(await (await practitioner.get('/register?kind=all&records=all&pageSize=100')).text())
    expect(both).toContain(ellie.id)
    expect(both.length).toBe(idsOn(open).length + 1)

    const bad = await practitioner.get('/register?records=archived')
    expect(bad.status).toBe(400)
    expect(await bad.text()).toContain('Select open or closed records from the list')

    // The manager of the same team downloads the register (a practitioner may not).
    const { header, row } = await csv(clients['manager@lantern.test'], 'kind=all&records=all')
    expect(row(ellie.id)![header.indexOf('Closed on')]).toBe('2026-11-20')
    expect((await csv(clients['manager@lantern.test'], 'kind=all')).row(ellie.id)).toBeUndefined()

    const token = await apiToken('practitioner@lantern.test')
    const listed = (await (await fetch(`${app.baseUrl}/api/v1/people?kind=all&records=closed`, { headers: { authorization: `Bearer ${token}` } })).json()) as { data: { id: string; closedAt: string | null }[] }
    expect(listed.data.map((p) => [p.id, p.closedAt])).toEqual([[ellie.id, '2026-11-20T10:00:00.000Z']])
  })

  it('counts a review a serious episode made due now in the team view, and shows it and the other worklist facts in the register, CSV and API', async () => {
    const manager = await db().selectFrom('users').select(['id', 'team_id']).where('email', '=', 'manager@lantern.test').executeTakeFirstOrThrow()
    const today = app.clock.today()
    // A child the team holds whose next review is months away, assessed before the episode.
    const child = await db()
      .selectFrom('people')
      .select(['id', 'given_name', 'family_name'])
      .where('owner_team_id', '=', manager.team_id)
      .where('kind', '=', 'child')
      .where('closed_at', 'is', null)
      .where('merged_into', 'is', null)
      .where('current_rag_at', 'is not', null)
      .where(sql<boolean>`not exists (select 1 from missing_episodes m where m.person_id = people.id and m.review_prompted_at is not null and m.voided_at is null)`)
      .orderBy('family_name')
      .executeTakeFirstOrThrow()
    await db().updateTable('people').set({ next_review_due: '2027-06-01', current_rag_at: new Date(`${today}T08:00:00Z`) }).where('id', '=', child.id).execute()
    const team = clients['manager@lantern.test']
    const dueBefore = Number((await (await team.get('/register/team')).text()).match(/data-testid="team-due"><span class="lantern-card__count">(\d+)/)![1])

    // Found out of area with signs of exploitation an hour after the last screening: a serious episode.
    await db()
      .insertInto('missing_episodes')
      .values({
        person_id: child.id,
        reported_missing_at: new Date(`${today}T09:00:00Z`),
        found_at: new Date(`${today}T09:30:00Z`),
        concerns: JSON.stringify([]),
        updated_at: new Date(`${today}T09:30:00Z`),
        serious_reasons: JSON.stringify(['out_of_area']),
        review_prompted_at: new Date(`${today}T09:30:00Z`),
      })
      .execute()

    const teamPage = await (await team.get('/register/team')).text()
    expect(Number(teamPage.match(/data-testid="team-due"><span class="lantern-card__count">(\d+)/)![1])).toBe(dueBefore + 1)
    const reviews = teamPage.slice(teamPage.indexOf('id="reviews"'), teamPage.indexOf('Caseload by worker'))
    expect(idsOn(reviews)).toContain(child.id)
    expect(reviews).toContain('data-testid="review-prompted"')

    const { header, row } = await csv(team, 'kind=all&review=due')
    const line = row(child.id)!
    expect(line[header.indexOf('Review')]).toBe('due')
    expect(line[header.indexOf('Review due now after a serious missing episode')]).toBe('yes')
    for (const column of ['Missing now', 'Return home interview overdue', 'Red awaiting confirmation']) expect(header).toContain(column)

    // The facts agree with the filters that find them.
    const missingNow = idsOn(await (await team.get('/register?kind=all&missingNow=yes&pageSize=100')).text())
    const everyone = await csv(team, 'kind=all')
    for (const id of missingNow) expect(everyone.row(id)![everyone.header.indexOf('Missing now')]).toBe('yes')

    const token = await apiToken('manager@lantern.test')
    const listed = (await (await fetch(`${app.baseUrl}/api/v1/people?kind=all&review=due&pageSize=100`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
      data: { id: string; risk: { review: string | null }; worklist: Record<string, boolean> }[]
    }
    const fromApi = listed.data.find((p) => p.id === child.id)!
    expect(fromApi.risk.review).toBe('due')
    expect(fromApi.worklist).toMatchObject({ reviewPromptedBySeriousEpisode: true, missingNow: false, returnHomeInterviewOverdue: false })
  })
})
