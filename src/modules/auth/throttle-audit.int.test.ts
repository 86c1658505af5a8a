import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { startTestApp, type TestApp } from '../../../test/support/app.ts'
import { TestClient } from '../../../test/support/http.ts'
import { testDatabaseKinds } from '../../../test/support/databases.ts'

/**
 * Someone hammering sign-in must not fill the audit trail (issue 15): a throttled attempt is
 * refused without a row of its own. The security record stays: one row when the refusals start,
 * then at most one per quarter hour with how many were refused since, and one with the rest
 * once they stop. Both databases.
 */
describe.each(testDatabaseKinds().map((kind) => [kind.name, kind] as const))('throttled sign-ins in the audit trail (%s)', (_name, kind) => {
  let app: TestApp
  beforeAll(async () => {
    app = await startTestApp({ kind, env: { TRUST_PROXY: 'loopback' } })
  })
  afterAll(async () => {
    await app?.close()
  })
  const db = () => app.database.db
  // The throttle's first delays are a second or two: held for an hour, every attempt is refused.
  const hold = () => db().updateTable('sign_in_throttle').set({ last_failure_at: sql`now() + interval '1 hour'` }).where('last_failure_at', 'is not', null).execute()
  const throttleRows = () =>
    db()
      .selectFrom('audit_events')
      .select(['action', 'record_id', 'details'])
      .where((eb) => eb.or([eb('action', '=', 'sign-in-throttled'), eb(sql<string>`details->>'reason'`, '=', 'throttled')]))
      .orderBy('chain_seq')
      .execute()

  it('writes one row when refusals start, one a quarter hour with the count since, and one with the rest when they stop', async () => {
    const attacker = new TestClient(app.baseUrl, { 'x-forwarded-for': '203.0.113.90' })
    const victim = await db().selectFrom('users').select('id').where('email', '=', 'practitioner@lantern.test').executeTakeFirstOrThrow()
    for (let i = 0; i < 5; i++) expect((await attacker.signIn('practitioner@lantern.test', `wrong guess ${i}`)).status).toBe(401)
    await hold()
    for (let i = 0; i < 30; i++) expect((await attacker.signIn('practitioner@lantern.test', `wrong guess ${i}`)).status).toBe(429)

    const started = await throttleRows()
    expect(started).toHaveLength(1)
    expect(started[0]).toMatchObject({ action: 'sign-in-throttled', record_id: victim.id, details: { refused: 1, where: 'sign-in' } })
    const counter = (started[0].details as { counter: string }).counter
    expect(counter).toMatch(/^pair:[0-9a-f]{64}$/)

    // A quarter of an hour on, the next refusal reports every one since the last row.
    await db().updateTable('sign_in_throttle').set({ reported_at: sql`now() - interval '16 minutes'` }).where('key', '=', counter).execute()
    expect((await attacker.signIn('practitioner@lantern.test', 'another guess')).status).toBe(429)
    for (let i = 0; i < 4; i++) expect((await attacker.signIn('practitioner@lantern.test', 'more guesses')).status).toBe(429)
    const windowed = await throttleRows()
    expect(windowed).toHaveLength(2)
    expect(windowed[1]).toMatchObject({ details: { refused: 30, counter } })

    // Nothing swept while refusals go on; once they stop, the rest is written with the counter.
    await app.services.auth.sweepThrottle()
    expect(await throttleRows()).toHaveLength(2)
    await db().updateTable('sign_in_throttle').set({ last_refused_at: sql`now() - interval '10 minutes'` }).where('key', '=', counter).execute()
    await app.services.auth.sweepThrottle()
    await app.services.auth.sweepThrottle()
    const ended = await throttleRows()
    expect(ended).toHaveLength(3)
    expect(ended[2]).toMatchObject({ action: 'sign-in-throttled', details: { refused: 4, counter, ended: true } })
    const reported = ended.reduce((sum, row) => sum + (row.details as { refused: number }).refused, 0)
    expect(reported).toBe(35)
  })
})
