import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { startTestApp, TEST_TODAY, type TestApp } from '../../../test/support/app.ts'
import { TestClient } from '../../../test/support/http.ts'
import { testDatabaseKinds } from '../../../test/support/databases.ts'
import { systemContext } from '../../kernel/context.ts'
import { peopleModule } from './module.ts'
import { recordRetentionService } from './record-retention.ts'

/** Closed records at the end of their retention: anonymised by the nightly job unless something keeps them. */
describe.each(testDatabaseKinds())('retention of closed records on $name', (kind) => {
  let app: TestApp
  beforeAll(async () => {
    app = await startTestApp({ kind })
  }, 180_000)
  afterAll(async () => app?.close())

  const db = () => app.database.db
  const yearsAgo = (n: number) => new Date(TEST_TODAY.getTime() - n * 366 * 86_400_000)
  const named = (given: string, family: string) => db().selectFrom('people').selectAll().where('given_name', '=', given).where('family_name', '=', family).executeTakeFirstOrThrow()
  const close = (id: string, at: Date, extra: Record<string, unknown> = {}) =>
    db()
      .updateTable('people')
      .set({ closed_at: at, closed_reason: 'Work ended', ...extra })
      .where('id', '=', id)
      .execute()

  it('anonymises a closed adult record past its period, keeps one under a legal hold, one linked to an open record, and a child under 25', async () => {
    const gary = await named('Gary', 'Pike') // an adult with no links that keep him
    const kez = await named('Kerry', 'Fletcher')
    const jay = await named('Dwayne', 'Okoro') // CAWNs link him to children whose records are open
    const tia = await named('Tia', 'Walsh') // a child: kept until her 25th birthday
    await close(gary.id, yearsAgo(7))
    await close(kez.id, yearsAgo(7), { legal_hold_reason: 'Pending prosecution', legal_hold_at: yearsAgo(1) })
    await close(jay.id, yearsAgo(7))
    await close(tia.id, yearsAgo(7))
    await db().insertInto('person_notes').values({ person_id: gary.id, kind: 'visit', occurred_on: '2019-01-01', body: 'Gary said his nephew stays over', author_id: (await db().selectFrom('users').select('id').where('email', '=', 'practitioner@lantern.test').executeTakeFirstOrThrow()).id, author_agency_id: gary.owner_agency_id }).execute()

    // An episode recorded in error and voided: frozen against any change, so it must not stop the job.
    const practitionerId = (await db().selectFrom('users').select('id').where('email', '=', 'practitioner@lantern.test').executeTakeFirstOrThrow()).id
    await db()
      .insertInto('missing_episodes')
      .values({ person_id: gary.id, reported_missing_at: yearsAgo(8), concerns: JSON.stringify([]), notes: 'Entered on the wrong record', updated_at: yearsAgo(8), voided_at: yearsAgo(8), voided_by: practitionerId, void_reason: 'Wrong person: meant for his nephew' })
      .execute()

    const retention = recordRetentionService(app.deps)
    const plan = await retention.plan()
    expect(plan.due.map((d) => d.id)).toEqual([gary.id])
    expect(plan).toMatchObject({ keptLegalHold: 1, keptLinkedOpen: 1, years: { child: 6, adult: 6 } })
    // The administrator's page says the same, though an administrator may not open these records.
    const admin = new TestClient(app.baseUrl)
    await admin.signIn('admin@lantern.test')
    const page = await (await admin.get('/admin/record-retention')).text()
    expect(page).toContain('would anonymise 1 record; 1 past their period are kept by a legal hold and 1 by a link to an open record')

    // The nightly job, as the runner calls it.
    const job = peopleModule.jobs!(app.deps).find((j) => j.name === 'people.record-retention')!
    await job.run({}, { id: 'test', attempt: 1 })

    const stub = await named('Record', 'removed')
    expect(stub).toMatchObject({ id: gary.id, date_of_birth: null, school: null, ethnicity: null, kind: 'adult', home_area_id: gary.home_area_id })
    expect(stub.anonymised_at).not.toBeNull()
    expect(await db().selectFrom('missing_episodes').select('id').where('person_id', '=', gary.id).where('voided_at', 'is not', null).execute()).toEqual([])
    for (const table of ['person_notes', 'person_aliases', 'person_identifiers', 'person_events'] as const) {
      expect(Number((await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)} where person_id = ${gary.id}`.execute(db())).rows[0].n), table).toBe(0)
    }
    expect((await named('Kerry', 'Fletcher')).anonymised_at).toBeNull()
    expect((await named('Dwayne', 'Okoro')).anonymised_at).toBeNull()
    expect((await named('Tia', 'Walsh')).anonymised_at).toBeNull()

    const audited = await db().selectFrom('audit_events').select(['action', 'details', 'record_id']).where('action', '=', 'delete').where('record_type', '=', 'person').orderBy('id', 'desc').executeTakeFirstOrThrow()
    expect(audited.details).toEqual({ purpose: 'retention', years: { child: 6, adult: 6 }, anonymised: 1, keptLegalHold: 1, keptLinkedOpen: 1 })
    expect(JSON.stringify(audited)).not.toContain('Gary')

    // Run again: nothing more to do.
    expect((await retention.apply(systemContext('test'))).anonymised).toBe(0)
  })

  it('lets an administrator set each kind’s period, audited, and no one else', async () => {
    const retention = recordRetentionService(app.deps)
    const admin = new TestClient(app.baseUrl)
    await admin.signIn('admin@lantern.test')
    const bad = await admin.post('/admin/record-retention', { child: '0', adult: 'six' })
    expect(bad.status).toBe(400)
    const html = await bad.text()
    expect(html).toContain('govuk-error-summary')
    expect(html).toContain('value="six"')
    expect((await admin.post('/admin/record-retention', { child: '10', adult: '6' })).status).toBe(302)
    expect(await retention.years()).toEqual({ child: 10, adult: 6 })
    const audited = await db().selectFrom('audit_events').select('details').where('record_id', '=', 'people.retention_years.child').orderBy('id', 'desc').executeTakeFirstOrThrow()
    expect(audited.details).toEqual({ from: null, to: 10, defaultYears: 6 })
    const manager = new TestClient(app.baseUrl)
    await manager.signIn('manager@lantern.test')
    expect((await manager.post('/admin/record-retention', { child: '1', adult: '1' })).status).toBe(403)
  })

  it('lets a manager of the owning agency place a legal hold with a reason, and lift it, audited', async () => {
    const ellie = await named('Ellie', 'Turner')
    const manager = new TestClient(app.baseUrl)
    await manager.signIn('manager@lantern.test')
    const empty = await manager.post(`/people/${ellie.id}/legal-hold`, { holdReason: '' })
    expect(empty.status).toBe(400)
    expect(await empty.text()).toContain('Enter why the record must be kept')
    expect((await manager.post(`/people/${ellie.id}/legal-hold`, { holdReason: 'Civil claim expected' })).status).toBe(302)
    expect(await named('Ellie', 'Turner')).toMatchObject({ legal_hold_reason: 'Civil claim expected' })
    expect(await (await manager.get(`/people/${ellie.id}/closure`)).text()).toContain('Under a legal hold since')
    const practitioner = new TestClient(app.baseUrl)
    await practitioner.signIn('practitioner@lantern.test')
    expect((await practitioner.post(`/people/${ellie.id}/legal-hold`, { lift: 'yes' })).status).toBe(403)
    expect((await manager.post(`/people/${ellie.id}/legal-hold`, { lift: 'yes' })).status).toBe(302)
    expect(await named('Ellie', 'Turner')).toMatchObject({ legal_hold_reason: null, legal_hold_at: null })
    const audited = await db().selectFrom('audit_events').select('details').where('record_id', '=', ellie.id).where('action', '=', 'update').orderBy('id').execute()
    expect(audited.map((a) => a.details)).toEqual([{ legalHold: 'placed' }, { legalHold: 'lifted' }])
  })
})
