import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../../../test/support/app.ts'
import { TestClient } from '../../../test/support/http.ts'
import { testDatabaseKinds } from '../../../test/support/databases.ts'

/**
 * Closing and reopening a child's record: the practitioner asks with a reason, a manager of the
 * owning agency approves; closed, the record is read-only and off the caseload; reopened the same way.
 */
describe.each(testDatabaseKinds())('closing a record on $name', (kind) => {
  let app: TestApp
  beforeAll(async () => {
    app = await startTestApp({ kind })
  }, 180_000)
  afterAll(async () => app?.close())

  const db = () => app.database.db
  const as = async (email: string) => {
    const client = new TestClient(app.baseUrl)
    await client.signIn(email)
    return client
  }
  const ellie = () => db().selectFrom('people').select(['id', 'closed_at', 'closed_reason']).where('given_name', '=', 'Ellie').where('family_name', '=', 'Turner').executeTakeFirstOrThrow()
  const pendingId = async (personId: string) =>
    (await db().selectFrom('person_closure_requests').select('id').where('person_id', '=', personId).where('status', '=', 'pending').executeTakeFirstOrThrow()).id

  it('closes on a manager’s approval of the practitioner’s request; closed, the record is read-only, marked, and off the caseload', async () => {
    const { id } = await ellie()
    const practitioner = await as('practitioner@lantern.test')
    expect(await (await practitioner.get('/register/caseload')).text()).toContain(`/people/${id}"`)

    // No reason: the form says so, nothing is asked.
    const empty = await practitioner.post(`/people/${id}/closure`, { reason: '  ' })
    expect(empty.status).toBe(400)
    expect(await empty.text()).toContain('Enter why the record should be closed or reopened')
    expect((await practitioner.post(`/people/${id}/closure`, { reason: 'Work ended: Ellie is safe and settled at school.' })).status).toBe(302)
    expect((await ellie()).closed_at).toBeNull()
    // Only one request waits at a time.
    expect((await practitioner.post(`/people/${id}/closure`, { reason: 'Again' })).status).toBe(409)
    // The practitioner may not decide it.
    const requestId = await pendingId(id)
    expect((await practitioner.post(`/people/${id}/closure/${requestId}`, { outcome: 'approve' })).status).toBe(403)

    const manager = await as('manager@lantern.test')
    // The request waits on the manager's Home, not on the practitioner's who asked.
    const home = await (await manager.get('/dashboard')).text()
    expect(home).toContain('data-testid="worklist-closures-awaiting"')
    expect(home).toContain(`href="/people/${id}/closure"`)
    expect(home).toContain('Close the record, asked by Sam Okafor')
    expect(await (await practitioner.get('/dashboard')).text()).not.toContain(`href="/people/${id}/closure"`)
    const page = await (await manager.get(`/people/${id}/closure`)).text()
    expect(page).toContain('data-testid="closure-pending"')
    expect(page).toContain('Work ended: Ellie is safe and settled at school.')
    const declineWithoutWhy = await manager.post(`/people/${id}/closure/${requestId}`, { outcome: 'decline' })
    expect(declineWithoutWhy.status).toBe(400)
    expect(await declineWithoutWhy.text()).toContain('Enter why you decline the request')
    expect((await manager.post(`/people/${id}/closure/${requestId}`, { outcome: 'approve' })).status).toBe(302)

    expect(await (await manager.get('/dashboard')).text()).not.toContain(`href="/people/${id}/closure"`)
    const closed = await ellie()
    expect(closed.closed_at).not.toBeNull()
    expect(closed.closed_reason).toBe('Work ended: Ellie is safe and settled at school.')
    const summary = await (await practitioner.get(`/people/${id}`)).text()
    expect(summary).toContain('data-testid="closed-banner"')
    // Read-only: a note typed on a closed record is refused and shown back, never lost.
    const note = await practitioner.post(`/people/${id}/notes/new`, { kind: 'visit', body: 'Typed after closure', sensitivity: 'standard', 'occurred-day': '20', 'occurred-month': '11', 'occurred-year': '2026' })
    expect(note.status).toBe(409)
    const refused = await note.text()
    expect(refused).toContain('record is closed')
    expect(refused).toContain('Typed after closure')
    expect((await practitioner.get(`/people/${id}/edit`)).status).toBe(409)
    expect(await (await practitioner.get('/register/caseload')).text()).not.toContain(`/people/${id}"`)

    const history = await db().selectFrom('person_events').select(['kind', 'summary']).where('person_id', '=', id).where('kind', 'in', ['close-requested', 'closed']).orderBy('at').execute()
    expect(history.map((e) => e.kind)).toEqual(['close-requested', 'closed'])
    const audited = await db().selectFrom('audit_events').select(['user_email', 'details']).where('record_id', '=', id).where('action', '=', 'update').orderBy('id').execute()
    expect(audited.map((a) => [a.user_email, (a.details as { closure: string }).closure])).toEqual([
      ['practitioner@lantern.test', 'requested'],
      ['manager@lantern.test', 'approved'],
    ])
    // Three roles' pages, Home among them, under the machine's load: more than the default minute.
  }, 180_000)

  it('reopens the same way, and a manager never decides a request of their own', async () => {
    const { id } = await ellie()
    expect((await ellie()).closed_at).not.toBeNull()
    const manager = await as('manager@lantern.test')
    expect((await manager.post(`/people/${id}/closure`, { reason: 'New concerns from school' })).status).toBe(302)
    const requestId = await pendingId(id)
    // Their own request is not on their Home: another manager decides it.
    expect(await (await manager.get('/dashboard')).text()).not.toContain(`href="/people/${id}/closure"`)
    const own = await manager.post(`/people/${id}/closure/${requestId}`, { outcome: 'approve' })
    expect(own.status).toBe(400)
    expect(await own.text()).toContain('another manager must decide it')
    // A second manager of the council decides it.
    await db().updateTable('users').set({ role: 'manager' }).where('email', '=', 'r.patel@lantern.test').execute()
    expect((await (await as('r.patel@lantern.test')).post(`/people/${id}/closure/${requestId}`, { outcome: 'approve' })).status).toBe(302)
    expect(await ellie()).toMatchObject({ closed_at: null, closed_reason: null })
    expect(await (await (await as('practitioner@lantern.test')).get('/register/caseload')).text()).toContain(`/people/${id}"`)
  })

  it('is decided only by a manager of the owning agency, not of an agency it is shared with', async () => {
    const kyle = await db().selectFrom('people').select('id').where('given_name', '=', 'Kyle').where('family_name', '=', 'Marsh').executeTakeFirstOrThrow()
    expect((await (await as('practitioner@lantern.test')).post(`/people/${kyle.id}/closure`, { reason: 'Moved away' })).status).toBe(302)
    await db().updateTable('users').set({ role: 'manager' }).where('email', '=', 'm.doyle@lantern.test').execute()
    const police = await as('m.doyle@lantern.test')
    expect((await police.post(`/people/${kyle.id}/closure/${await pendingId(kyle.id)}`, { outcome: 'approve' })).status).toBe(403)
    expect((await db().selectFrom('people').select('closed_at').where('id', '=', kyle.id).executeTakeFirstOrThrow()).closed_at).toBeNull()
  })
})
