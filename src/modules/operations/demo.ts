import type { DemoSeed } from '../../demo/context.ts'
import { DemoEvents } from '../people/index.ts'
import { activitySummary } from './schemas.ts'
import { operationsStore } from './store.ts'

/**
 * Operation Harbour (seeded with the network it targets) records Kyle's NRM referral: the activity
 * is the referral on Kyle's record, made the same day, not a second one. Each activity about a
 * person goes on their history in the words the service writes.
 */
export async function seedOperations(seed: DemoSeed) {
  const store = operationsStore(seed.db)
  await store.adoptSameDayReferrals()
  const events = new DemoEvents()
  for (const a of await store.activitiesAboutPeople()) {
    events.add({ personId: a.person_id!, kind: 'operation', summary: activitySummary(a.name, a.kind), actorId: a.recorded_by, at: new Date(`${a.occurred_on}T12:00:00Z`), refType: 'operation', refId: a.operation_id })
  }
  await events.flush(seed.db)
}
