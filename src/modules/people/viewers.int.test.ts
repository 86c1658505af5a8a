import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../../../test/support/app.ts'
import { TestClient } from '../../../test/support/http.ts'

let app: TestApp
const db = () => app.database.db
async function signedIn(email: string) {
  const client = new TestClient(app.baseUrl)
  await client.signIn(email)
  return client
}
async function person(given: string, family: string) {
  return db().selectFrom('people').select(['id', 'owner_agency_id']).where('given_name', '=', given).where('family_name', '=', family).executeTakeFirstOrThrow()
}
async function agencyOf(email: string) {
  return (await db().selectFrom('users').select('agency_id').where('email', '=', email).executeTakeFirstOrThrow()).agency_id
}

beforeAll(async () => {
  app = await startTestApp()
})
afterAll(async () => {
  await app?.close()
})

describe('who has looked at this record', () => {
  it('shows a manager of the owning agency each viewer, when and on what footing, and audits the look', async () => {
    const kyle = await person('Kyle', 'Marsh')
    expect(kyle.owner_agency_id).toBe(await agencyOf('manager@lantern.test'))
    expect((await (await signedIn('practitioner@lantern.test')).get(`/people/${kyle.id}`)).status).toBe(200)
    const manager = await signedIn('manager@lantern.test')
    expect(await (await manager.get(`/people/${kyle.id}`)).text()).toContain(`href="/people/${kyle.id}/viewers"`)
    const res = await manager.get(`/people/${kyle.id}/viewers`)
    expect(res.status).toBe(200)
    const html = await res.text()
    const table = html.slice(html.indexOf('data-testid="viewers-table"'))
    expect(table).toMatch(/Sam Okafor[\s\S]*?Viewed[\s\S]*?Their agency owns the record/)
    const look = await db().selectFrom('audit_events').select(['details']).where('record_id', '=', kyle.id).where('user_email', '=', 'manager@lantern.test').orderBy('id', 'desc').executeTakeFirstOrThrow()
    expect(look.details).toEqual({ page: 'viewers' })
  })

  it('names a share or break glass as the basis of a look from another agency', async () => {
    const kyle = await person('Kyle', 'Marsh')
    const officer = await db().selectFrom('users').select(['id', 'agency_id']).where('email', '=', 'officer@lantern.test').executeTakeFirstOrThrow()
    const shared = await db().selectFrom('record_shares').select('id').where('record_type', '=', 'person').where('record_id', '=', kyle.id).where('agency_id', '=', officer.agency_id).where('revoked_at', 'is', null).executeTakeFirst()
    if (!shared) await db().insertInto('record_shares').values({ record_type: 'person', record_id: kyle.id, agency_id: officer.agency_id }).execute()
    expect((await (await signedIn('officer@lantern.test')).get(`/people/${kyle.id}`)).status).toBe(200)
    const html = await (await (await signedIn('manager@lantern.test')).get(`/people/${kyle.id}/viewers`)).text()
    expect(html).toMatch(/Jo Harris[\s\S]*?Viewed[\s\S]*?Shared with their agency/)
  })

  it('is closed to a practitioner, an administrator, and a manager whose agency the record is only shared with', async () => {
    const kyle = await person('Kyle', 'Marsh')
    for (const email of ['practitioner@lantern.test', 'admin@lantern.test']) {
      const client = await signedIn(email)
      expect((await client.get(`/people/${kyle.id}/viewers`)).status, email).toBe(403)
    }
    // A police-owned record shared with the manager's council: she may open it, not its viewers.
    const police = await db().selectFrom('agencies').select('id').where('kind', '=', 'police').executeTakeFirstOrThrow()
    const policeOwned = await db().selectFrom('people').select('id').where('owner_agency_id', '=', police.id).executeTakeFirstOrThrow()
    await db().insertInto('record_shares').values({ record_type: 'person', record_id: policeOwned.id, agency_id: await agencyOf('manager@lantern.test') }).execute()
    const manager = await signedIn('manager@lantern.test')
    const page = await manager.get(`/people/${policeOwned.id}`)
    expect(page.status).toBe(200)
    expect(await page.text()).not.toContain('/viewers"')
    expect((await manager.get(`/people/${policeOwned.id}/viewers`)).status).toBe(403)
    const denied = await db().selectFrom('audit_events').select('details').where('action', '=', 'access-denied').where('record_id', '=', policeOwned.id).where('user_email', '=', 'manager@lantern.test').executeTakeFirstOrThrow()
    expect(denied.details).toMatchObject({ permission: 'person:viewers' })
  })
})
