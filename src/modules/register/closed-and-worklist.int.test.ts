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
  it('shows a child’s CAWN in force and NRM decision in the register, its filters, CSV and API, as Home lists them', async () => {
    const manager = await db().selectFrom('users').select(['id', 'team_id', 'agency_id']).where('email', '=', 'manager@lantern.test').executeTakeFirstOrThrow()
    const today = app.clock.today()
    const day = (offset: number) => new Date(Date.parse(`${today}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10)
    const child = await db()
      .selectFrom('people')
      .select(['id'])
      .where('owner_team_id', '=', manager.team_id)
      .where('kind', '=', 'child')
      .where('closed_at', 'is', null)
      .where('merged_into', 'is', null)
      .where(sql<boolean>`not exists (select 1 from cawns c where c.person_id = people.id) and not exists (select 1 from nrm_referrals n where n.person_id = people.id)`)
      .orderBy('family_name')
      .orderBy('id')
      .executeTakeFirstOrThrow()
    // An adult the manager may not see: held by another agency and not shared with theirs.
    const adult = await db()
      .selectFrom('people')
      .select(['id', 'family_name'])
      .where('kind', '=', 'adult')
      .where('merged_into', 'is', null)
      .where('owner_agency_id', '<>', manager.agency_id)
      .where(sql<boolean>`not exists (select 1 from live_record_shares s where s.record_type = 'person' and s.record_id = people.id and (s.agency_id = ${manager.agency_id} or s.user_id = ${manager.id}))`)
      .orderBy('family_name')
      .orderBy('id')
      .executeTakeFirstOrThrow()
    await db().insertInto('cawns').values({ person_id: child.id, adult_id: adult.id, served_on: day(-100), expires_on: day(10), served_by_agency_id: manager.agency_id, created_by: manager.id }).execute()
    // An older referral voided in error does not count; the live one has waited 60 days with no decision.
    await db()
      .insertInto('nrm_referrals')
      .values([
        { person_id: child.id, referred_on: day(-60), first_responder_agency_id: manager.agency_id, exploitation_types: JSON.stringify(['criminal']), created_by: manager.id },
        { person_id: child.id, referred_on: day(-20), first_responder_agency_id: manager.agency_id, exploitation_types: JSON.stringify(['criminal']), rg_decision: 'positive', rg_decision_on: day(-10), created_by: manager.id, voided_at: new Date(), voided_by: manager.id, void_reason: 'Recorded on the wrong child' },
      ])
      .execute()
    const team = clients['manager@lantern.test']

    const cell = (html: string) => {
      const row = html.slice(html.indexOf(`href="/people/${child.id}"`))
      return row.slice(row.indexOf('data-testid="cawn-nrm"'), row.indexOf('</td>', row.indexOf('data-testid="cawn-nrm"')))
    }
    const expiring = await (await team.get('/register?kind=all&cawnExpiring=yes&pageSize=100')).text()
    expect(idsOn(expiring)).toContain(child.id)
    expect(cell(expiring)).toContain('data-testid="cawn-expiring"')
    expect(cell(expiring)).toContain('NRM: Awaiting reasonable grounds decision')
    expect(cell(expiring)).toContain('data-testid="nrm-awaited"')
    expect(expiring).toMatch(/Selected filters[\s\S]*Expiring within 28 days/)
    expect(idsOn(await (await team.get('/register?kind=all&nrmAwaited=yes&pageSize=100')).text())).toContain(child.id)

    // Home lists the same child on both lists, though the manager may not see the adult (who stays unnamed).
    const home = await (await team.get('/dashboard')).text()
    expect(home).not.toContain(adult.family_name)
    expect(home).toContain(`href="/people/${child.id}/referrals/cawn/`)
    expect(home).toContain(`href="/people/${child.id}/referrals"`)

    const { header, row } = await csv(team, 'kind=all&cawnExpiring=yes')
    const line = row(child.id)!
    expect(line[header.indexOf('CAWN in force until')]).toBe(day(10))
    expect(line[header.indexOf('CAWN expiring within 28 days')]).toBe('yes')
    expect(line[header.indexOf('Latest NRM referral')]).toBe(day(-60))
    expect(line[header.indexOf('NRM decision')]).toBe('Awaiting reasonable grounds decision')
    expect(line[header.indexOf('NRM decision awaited over 45 days')]).toBe('yes')

    // A notice expiring later and a decision made: in force, no longer flagged, out of the filters.
    await db().updateTable('cawns').set({ expires_on: day(200) }).where('person_id', '=', child.id).execute()
    await db().updateTable('nrm_referrals').set({ rg_decision: 'negative', rg_decision_on: day(-5) }).where('person_id', '=', child.id).where('voided_at', 'is', null).execute()
    const all = await (await team.get(`/register?kind=all&pageSize=100&q=${encodeURIComponent((await db().selectFrom('people').select('family_name').where('id', '=', child.id).executeTakeFirstOrThrow()).family_name)}`)).text()
    expect(cell(all)).toContain(`CAWN in force until`)
    expect(cell(all)).not.toContain('data-testid="cawn-expiring"')
    expect(cell(all)).toContain('NRM: Reasonable grounds: negative')
    expect(cell(all)).not.toContain('data-testid="nrm-awaited"')
    expect(idsOn(await (await team.get('/register?kind=all&cawnExpiring=yes&pageSize=100')).text())).not.toContain(child.id)
    expect(idsOn(await (await team.get('/register?kind=all&nrmAwaited=yes&pageSize=100')).text())).not.toContain(child.id)

    const token = await apiToken('manager@lantern.test')
    const listed = (await (await fetch(`${app.baseUrl}/api/v1/people?kind=all&pageSize=100&q=${encodeURIComponent((await db().selectFrom('people').select('family_name').where('id', '=', child.id).executeTakeFirstOrThrow()).family_name)}`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
      data: { id: string; cawn: unknown; nrm: unknown; worklist: Record<string, boolean> }[]
    }
    const fromApi = listed.data.find((p) => p.id === child.id)!
    expect(fromApi.cawn).toEqual({ inForceUntil: day(200) })
    expect(fromApi.nrm).toEqual({ referredOn: day(-60), reasonableGrounds: 'negative', conclusiveGrounds: null, stage: 'Reasonable grounds: negative' })
    expect(fromApi.worklist).toMatchObject({ cawnExpiringSoon: false, nrmDecisionAwaited: false })
  })
})
