import type { DemoSeed } from '../../demo/context.ts'
import { operationsStore } from './store.ts'

/**
 * Operation Harbour (seeded with the network it targets) records Kyle's NRM referral: the activity
 * is the referral on Kyle's record, made the same day, not a second one.
 */
export async function seedOperations(seed: DemoSeed) {
  await operationsStore(seed.db).adoptSameDayReferrals()
}
