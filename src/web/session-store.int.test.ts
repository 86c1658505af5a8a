import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type session from 'express-session'
import { randomUUID } from 'node:crypto'
import { testDatabaseKinds, type TestDatabase } from '../../test/support/databases.ts'
import { DatabaseSessionStore } from './session-store.ts'

const IDLE_MS = 30 * 60_000
const TOUCH_MS = 60_000

/** A session whose cookie expires at `expires` (ms), as express-session hands it to the store. */
const sessionExpiring = (expires: number, userId?: string) => ({ cookie: { expires: new Date(expires), originalMaxAge: IDLE_MS }, userId }) as unknown as session.SessionData

const call = <T>(fn: (cb: (err: unknown, value?: T) => void) => void) =>
  new Promise<T | undefined>((resolve, reject) => fn((err, value) => (err ? reject(err as Error) : resolve(value))))

describe.each(testDatabaseKinds())('the session store on $name', (kind) => {
  let database: TestDatabase
  beforeAll(async () => {
    database = await kind.create({ demo: true })
  })
  afterAll(async () => {
    await database?.dispose()
  })

  const storedExpiry = async (sid: string) =>
    (await database.db.selectFrom('sessions').select('expires_at').where('sid', '=', sid).executeTakeFirstOrThrow()).expires_at.getTime()

  it('writes the rolling expiry at most once a minute, and never lets the session outlive it', async () => {
    const store = new DatabaseSessionStore(database.db, IDLE_MS, TOUCH_MS)
    const sid = randomUUID()
    const start = Date.now() + IDLE_MS
    await call((cb) => store.set(sid, sessionExpiring(start), cb))
    expect(await storedExpiry(sid)).toBe(start)

    // Requests within the minute leave the stored expiry as it is...
    await call((cb) => store.touch(sid, sessionExpiring(start + 30_000), cb))
    expect(await storedExpiry(sid)).toBe(start)
    // ...and the first one after it moves the expiry on.
    await call((cb) => store.touch(sid, sessionExpiring(start + TOUCH_MS + 1_000), cb))
    expect(await storedExpiry(sid)).toBe(start + TOUCH_MS + 1_000)

    // An expiry another instance wrote is what this instance measures from once it reads it.
    await database.db.updateTable('sessions').set({ expires_at: new Date(start + 5 * TOUCH_MS) }).where('sid', '=', sid).execute()
    await call((cb) => store.get(sid, cb))
    await call((cb) => store.touch(sid, sessionExpiring(start + 5 * TOUCH_MS + 30_000), cb))
    expect(await storedExpiry(sid)).toBe(start + 5 * TOUCH_MS)
  })

  it('reads a session with the version of its user’s account, and none for an inactive account', async () => {
    const store = new DatabaseSessionStore(database.db, IDLE_MS, TOUCH_MS)
    const user = await database.db.selectFrom('users').select(['id', 'updated_at']).where('email', '=', 'opcc@lantern.test').executeTakeFirstOrThrow()
    const sid = randomUUID()
    await call((cb) => store.set(sid, sessionExpiring(Date.now() + IDLE_MS, user.id), cb))

    const read = await call<session.SessionData | null>((cb) => store.get(sid, cb))
    expect(read).toMatchObject({ userId: user.id })
    const first = store.userStamp(sid)
    expect(first).toMatchObject({ userId: user.id, stamp: expect.any(String) })

    await database.db.updateTable('users').set({ updated_at: new Date(user.updated_at.getTime() + 1_000) }).where('id', '=', user.id).execute()
    await call((cb) => store.get(sid, cb))
    expect(store.userStamp(sid)?.stamp).not.toBe(first!.stamp)

    // Switched off without touching updated_at (as `lantern user deactivate-demo` does).
    await database.db.updateTable('users').set({ active: false }).where('id', '=', user.id).execute()
    await call((cb) => store.get(sid, cb))
    expect(store.userStamp(sid)).toEqual({ userId: user.id, stamp: null })
    await database.db.updateTable('users').set({ active: true }).where('id', '=', user.id).execute()

    await call((cb) => store.destroy(sid, cb))
    expect(await call((cb) => store.get(sid, cb))).toBeNull()
    expect(store.userStamp(sid)).toBeUndefined()
  })
})
