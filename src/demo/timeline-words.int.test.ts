import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../../test/support/app.ts'
import { primaryTestDatabaseKind } from '../../test/support/databases.ts'

/**
 * A person's history is read by workers, managers and (in a subject access export) the child and
 * their family. Its lines are written once, when something happens, by the service that did it;
 * the demo must write them with the same words. Stored codes (`returned_themselves`,
 * `nrm_referral`) and ISO dates are for machines, so none may reach a history line.
 */
describe('the demo history is written in plain words', () => {
  let app: TestApp
  beforeAll(async () => {
    app = await startTestApp({ kind: primaryTestDatabaseKind() })
  }, 180_000)
  afterAll(async () => app?.close())

  it('has no stored codes, ISO dates or broken phrases in any history line', async () => {
    const rows = await app.database.db.selectFrom('person_events').select(['kind', 'summary']).execute()
    expect(rows.length).toBeGreaterThan(100)
    const faults = rows.filter((r) => /\d{4}-\d{2}-\d{2}|[a-z]_[a-z]|\bnrm\b|\bcawn\b|by came back|by police\b/.test(r.summary))
    expect(faults).toEqual([])
  })

  it('says who found a child the way a person would', async () => {
    const found = (await app.database.db.selectFrom('person_events').select('summary').where('kind', '=', 'missing-found').execute()).map((r) => r.summary)
    expect(found.length).toBeGreaterThan(3)
    expect(found.some((s) => /, having come back by themselves$/.test(s))).toBe(true)
    expect(found.some((s) => /, by the police$/.test(s))).toBe(true)
  })
})
