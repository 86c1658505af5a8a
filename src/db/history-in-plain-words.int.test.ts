import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { primaryTestDatabaseKind, type TestDatabase } from '../../test/support/databases.ts'
import { migrateToLatest } from './migrate.ts'

/**
 * An installation whose histories were written before 0990 reads them in plain words after it. One
 * database kind: the statements are plain SQL both run alike, and migrating from empty costs 20 s.
 */
describe.each([primaryTestDatabaseKind()])('history lines rewritten in plain words on $name', (kind) => {
  let database: TestDatabase
  beforeAll(async () => {
    database = await kind.create({ migrate: false })
  }, 120_000)
  afterAll(async () => database?.dispose())

  it('rewrites codes and ISO dates, and leaves every other line as it was', async () => {
    const db = database.db
    await migrateToLatest(db, { leaveOut: ['0990_history_in_plain_words'] })
    const agency = await db.insertInto('agencies').values({ name: 'Council', short_name: 'C', kind: 'other' }).returning('id').executeTakeFirstOrThrow()
    const person = await db.insertInto('people').values({ kind: 'child', given_name: 'Ava', family_name: 'Test', date_of_birth: '2011-05-04', owner_agency_id: agency.id, updated_at: new Date() }).returning('id').executeTakeFirstOrThrow()
    const before = [
      ['missing-found', 'Found at 5 September 2026, 7:30am in Havant, by came back by themselves'],
      ['missing-found', 'Found at 15 November 2026, 2:15am in Portsmouth (out of area), by police'],
      ['missing-found', 'Found at 10 October 2026, 11:20am in Havant, by parent, carer or placement staff'],
      ['missing-found', 'Found at 1 October 2026, 9:00am in Gosport, by another professional (social worker, youth worker, school)'],
      ['missing-found', 'Found at 2 October 2026, 9:00am in Gosport, by someone else'],
      ['plan-meeting', 'Strategy discussion held on 2026-11-17, chaired by Priya Natarajan'],
      ['plan-meeting', 'MACE meeting (multi-agency child exploitation) of 2026-11-26 corrected (attendees): a name was misspelt'],
      ['operation', 'Operation Harbour: national referral mechanism (nrm) referral'],
      ['operation', 'Operation Harbour: warrant executed'],
      ['operation', 'Operation Harbour: charged – possession with intent to supply'],
      ['note', 'Visit note added: police said 2026-01-01'],
    ]
    await db.insertInto('person_events').values(before.map(([k, summary]) => ({ person_id: person.id, kind: k, summary, actor_id: null }))).execute()
    expect(await migrateToLatest(db)).toEqual(['0990_history_in_plain_words'])
    const after = (await db.selectFrom('person_events').select(['kind', 'summary']).where('person_id', '=', person.id).orderBy('id').execute()).map((r) => r.summary)
    expect(new Set(after)).toEqual(
      new Set([
        'Found at 5 September 2026, 7:30am in Havant, having come back by themselves',
        'Found at 15 November 2026, 2:15am in Portsmouth (out of area), by the police',
        'Found at 10 October 2026, 11:20am in Havant, by a parent, carer or placement staff',
        'Found at 1 October 2026, 9:00am in Gosport, by another professional',
        'Found at 2 October 2026, 9:00am in Gosport, by someone else',
        'Strategy discussion held on 17 November 2026, chaired by Priya Natarajan',
        'MACE meeting (multi-agency child exploitation) of 26 November 2026 corrected (attendees): a name was misspelt',
        'Operation Harbour: National Referral Mechanism (NRM) referral',
        'Operation Harbour: Warrant executed',
        'Operation Harbour: charged – possession with intent to supply',
        'Visit note added: police said 2026-01-01',
      ]),
    )
  }, 120_000)
})
