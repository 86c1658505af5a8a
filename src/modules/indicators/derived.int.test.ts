import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { testDatabaseKinds, type TestDatabase } from '../../../test/support/databases.ts'
import { computeDerived, DERIVED_SERIES } from './derived.ts'

/**
 * Lantern's own counts as indicator series, from rows written straight into the other modules'
 * tables: each source counts what it says, per area, and adds districts into their county.
 */
describe.each(testDatabaseKinds())('Lantern counts as series on $name', (kind) => {
  let database: TestDatabase
  const ids: Record<string, string> = {}
  beforeAll(async () => {
    database = await kind.create()
    const db = database.db
    const one = async <T>(q: ReturnType<typeof sql<T>>) => (await q.execute(db)).rows[0] as T
    ids.county = (await one<{ id: string }>(sql`insert into areas (code, name, kind) values ('E10000014', 'Hampshire', 'county') returning id`)).id
    ids.havant = (await one<{ id: string }>(sql`insert into areas (code, name, kind, parent_id) values ('E07000090', 'Havant', 'district', ${ids.county}) returning id`)).id
    ids.agency = (await one<{ id: string }>(sql`insert into agencies (name, short_name, kind) values ('County council', 'CC', 'county_council') returning id`)).id
    const child = async (name: string) =>
      (await one<{ id: string }>(
        sql`insert into people (kind, given_name, family_name, approximate_age, owner_agency_id, current_area_id, created_at)
            values ('child', ${name}, 'Test', 15, ${ids.agency}, ${ids.havant}, '2026-01-05') returning id`,
      )).id
    ids.a = await child('Ava')
    ids.b = await child('Ben')
    const assessment = (person: string, level: string, at: string) =>
      sql`insert into risk_assessments (person_id, tool_version, status, computed_level, final_level, submitted_at)
          values (${person}, 1, 'final', ${level}, ${level}, ${at})`.execute(db)
    // Ava red from February; Ben red in February, amber from April.
    await assessment(ids.a, 'red', '2026-02-10T10:00:00Z')
    await assessment(ids.b, 'red', '2026-02-20T10:00:00Z')
    await assessment(ids.b, 'amber', '2026-04-02T10:00:00Z')
    // Three missing episodes in March; two found, one interviewed within 72 hours.
    for (const [reported, found, offered] of [
      ['2026-03-01T20:00:00Z', '2026-03-02T08:00:00Z', '2026-03-03T08:00:00Z'],
      ['2026-03-10T20:00:00Z', '2026-03-11T08:00:00Z', '2026-03-20T08:00:00Z'],
      ['2026-03-25T20:00:00Z', null, null],
    ]) {
      await sql`insert into missing_episodes (person_id, reported_missing_at, missing_from_area_id, found_at, rhi_offered_at)
                values (${ids.a}, ${reported}, ${ids.havant}, ${found}, ${offered})`.execute(db)
    }
    await sql`insert into nrm_referrals (person_id, referred_on, first_responder_agency_id) values (${ids.a}, '2026-03-15', ${ids.agency})`.execute(db)
    // A joint operation led by the county council: a line closed in Havant, a closure order, a Modern Slavery Act charge.
    const op = (await one<{ id: string }>(sql`insert into operations (name, lead_agency_id, started_on) values ('Operation Test', ${ids.agency}, '2026-01-01') returning id`)).id
    const line = (await one<{ id: string }>(sql`insert into network_entities (kind, label, phone_number, area_id, owner_agency_id) values ('line', 'Jay line', '07700900000', ${ids.havant}, ${ids.agency}) returning id`)).id
    await sql`insert into operation_activities (operation_id, kind, occurred_on, entity_id) values (${op}, 'line_closure', '2026-04-09', ${line})`.execute(db)
    await sql`insert into operation_activities (operation_id, kind, occurred_on) values (${op}, 'closure_order', '2026-04-20')`.execute(db)
    await sql`insert into operation_outcomes (operation_id, entity_id, kind, offence, modern_slavery, occurred_on) values (${op}, ${line}, 'charge', 'Arranging travel with a view to exploitation', true, '2026-05-02')`.execute(db)
    await sql`update agencies set area_id = ${ids.county} where id = ${ids.agency}`.execute(db)
    await sql`insert into public_reports (reference, journey_token, channel, received_on, what_happened, area_id, anonymous)
              values ('ABCD-2345', 'journey-token-0123456789', 'online', '2026-03-03', 'Cars stopping briefly', ${ids.havant}, true)`.execute(db)
  })
  afterAll(async () => {
    await database?.dispose()
  })

  const series = async (key: string, area: string) =>
    Object.fromEntries(
      (await computeDerived(database.db, key, { from: '2026-01-01', to: '2026-05-01' }))
        .filter((r) => r.area_id === area)
        .sort((x, y) => x.period.localeCompare(y.period))
        .map((r) => [r.period.slice(0, 7), r.value]),
    )

  it('counts children rated red at each month end, in their area and their county', async () => {
    expect(await series('children-rated-red', ids.havant)).toEqual({ '2026-02': 2, '2026-03': 2, '2026-04': 1, '2026-05': 1 })
    expect(await series('children-rated-red', ids.county)).toEqual({ '2026-02': 2, '2026-03': 2, '2026-04': 1, '2026-05': 1 })
    expect(await series('children-rated-amber', ids.havant)).toEqual({ '2026-04': 1, '2026-05': 1 })
    expect(await series('children-rated-green', ids.havant)).toEqual({})
  })

  it('counts missing episodes, return interviews within 72 hours, NRM referrals and public reports', async () => {
    expect(await series('missing-episodes', ids.havant)).toEqual({ '2026-03': 3 })
    expect(await series('return-interviews-72h', ids.county)).toEqual({ '2026-03': 50 })
    expect(await series('nrm-referrals', ids.havant)).toEqual({ '2026-03': 1 })
    expect(await series('public-reports', ids.county)).toEqual({ '2026-03': 1 })
  })

  it('leaves out missing episodes and NRM referrals voided as recorded in error', async () => {
    const db = database.db
    const user = (await sql<{ id: string }>`insert into users (email, name, agency_id, role) values ('voider@test', 'Voider', ${ids.agency}, 'practitioner') returning id`.execute(db)).rows[0].id
    const voided = sql`now(), ${user}, 'Recorded on the wrong child'`
    // Each would change a figure: a fourth episode, an interview held in time, a second referral.
    await sql`insert into missing_episodes (person_id, reported_missing_at, missing_from_area_id, found_at, rhi_offered_at, voided_at, voided_by, void_reason)
              values (${ids.b}, '2026-03-05T20:00:00Z', ${ids.havant}, '2026-03-06T08:00:00Z', '2026-03-06T12:00:00Z', ${voided})`.execute(db)
    await sql`insert into nrm_referrals (person_id, referred_on, first_responder_agency_id, voided_at, voided_by, void_reason) values (${ids.b}, '2026-03-16', ${ids.agency}, ${voided})`.execute(db)
    expect(await series('missing-episodes', ids.havant)).toEqual({ '2026-03': 3 })
    expect(await series('return-interviews-72h', ids.county)).toEqual({ '2026-03': 50 })
    expect(await series('nrm-referrals', ids.havant)).toEqual({ '2026-03': 1 })
  })

  it('counts lines closed, closure orders and Modern Slavery Act charges from joint operations', async () => {
    expect(await series('lines-closed', ids.havant)).toEqual({ '2026-04': 1 })
    expect(await series('lines-closed', ids.county)).toEqual({ '2026-04': 1 })
    // No address recorded: the lead agency's area.
    expect(await series('closure-orders', ids.county)).toEqual({ '2026-04': 1 })
    expect(await series('closure-orders', ids.havant)).toEqual({})
    expect(await series('modern-slavery-charges', ids.havant)).toEqual({ '2026-05': 1 })
  })

  it('returns nothing for a source it does not know', async () => {
    expect(await computeDerived(database.db, 'arrests', { from: '2026-01-01', to: '2026-05-01' })).toEqual([])
    expect(DERIVED_SERIES.map((s) => s.key)).toEqual([
      'children-rated-red',
      'children-rated-amber',
      'children-rated-green',
      'missing-episodes',
      'return-interviews-72h',
      'nrm-referrals',
      'lines-closed',
      'closure-orders',
      'modern-slavery-charges',
      'public-reports',
    ])
  })
})
