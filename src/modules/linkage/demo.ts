import type { DemoSeed } from '../../demo/context.ts'
import { daysAgo } from '../../demo/context.ts'
import { recordPersonEvent } from '../people/index.ts'
import { seedDemoRun } from './demo-run.ts'

/**
 * The linkage part of the demo story: the police hold Jayden Price (the looked-after child from
 * Lambeth placed in Southampton) as "Jaden Pryce", a nominal record made the night he was stopped
 * on the A3(M), with the same date of birth; and an analyst's completed bulk run matching the
 * council's and the police's extracts, with pairs waiting in the review queue.
 */
export async function seedLinkage(seed: DemoSeed) {
  const { db, refs } = seed
  const jayden = await db.selectFrom('people').selectAll().where('id', '=', refs.people.jayden).executeTakeFirstOrThrow()
  const row = await db
    .insertInto('people')
    .values({
      kind: 'child',
      given_name: 'Jaden',
      family_name: 'Pryce',
      date_of_birth: jayden.date_of_birth,
      gender: 'male',
      ethnicity: jayden.ethnicity,
      home_area_id: refs.areas.E09000022,
      current_area_id: refs.areas.E06000045,
      owner_agency_id: refs.agencies.police,
      owner_team_id: refs.teams.met,
      allocated_worker_id: refs.users.officer,
      created_by: refs.users.officer,
      created_at: daysAgo(seed.today, 19),
      updated_at: daysAgo(seed.today, 19),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  refs.linkage = { jaden: row.id }
  await db.insertInto('person_identifiers').values({ person_id: row.id, scheme: 'police_nominal', value: 'HIOW-4471902', agency_id: refs.agencies.police }).execute()
  await db.insertInto('person_aliases').values({ person_id: row.id, name: 'J Pryce', kind: 'alias' }).execute()
  await db
    .insertInto('person_addresses')
    .values({ person_id: row.id, address: 'Placement address given at roadside, Bitterne, Southampton', postcode: 'SO18 5AB', area_id: refs.areas.E06000045, kind: 'placement', from_date: null })
    .execute()
  await recordPersonEvent(db, { personId: row.id, kind: 'created', summary: 'Record created by Hampshire and Isle of Wight Constabulary after a vehicle stop', actorId: refs.users.officer, at: daysAgo(seed.today, 19) })
  await db
    .insertInto('person_notes')
    .values({
      person_id: row.id,
      kind: 'contact',
      occurred_on: daysAgo(seed.today, 19).toISOString().slice(0, 10),
      body: 'Passenger in a vehicle stopped on the A3(M). Gave his name as Jaden Pryce and said he lives "in care in Southampton". Returned to his placement.',
      author_id: refs.users.officer,
      author_agency_id: refs.agencies.police,
    })
    .execute()
  await seedDemoRun(seed)
}
