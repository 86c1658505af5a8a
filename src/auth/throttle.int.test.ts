import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { primaryTestDatabaseKind, type TestDatabase } from '../../test/support/databases.ts'
import { signInThrottle } from './throttle.ts'

let database: TestDatabase
beforeAll(async () => {
  database = await primaryTestDatabaseKind().create({ demo: false })
})
afterAll(async () => {
  await database?.dispose()
})

describe('the sign-in throttle', () => {
  it('waits only on counters past their free failures, whatever their timestamps say', async () => {
    const throttle = signInThrottle(database.db, { threshold: 5, minutes: 15 })
    await throttle.failed('a@x.test', '192.0.2.1')
    // A counter with failures to spare never makes anyone wait, even one stamped in the future.
    await database.db.updateTable('sign_in_throttle').set({ last_failure_at: sql`now() + interval '1 hour'` }).execute()
    expect(await throttle.wait('b@x.test', '192.0.2.1')).toBe(0)
    expect(await throttle.wait('a@x.test', '192.0.2.1')).toBe(0)
    for (let i = 0; i < 4; i++) await throttle.failed('a@x.test', '192.0.2.1')
    expect(await throttle.wait('a@x.test', '192.0.2.1')).toBeGreaterThan(0)
    expect(await throttle.wait('a@x.test', '192.0.2.2')).toBe(0)
  })
})
