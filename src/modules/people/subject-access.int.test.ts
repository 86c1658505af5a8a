import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { startTestApp, type TestApp } from '../../../test/support/app.ts'
import { TestClient } from '../../../test/support/http.ts'
import { testDatabaseKinds } from '../../../test/support/databases.ts'
import type { SubjectAccessExport } from './subject-access.ts'

/**
 * The subject access export, as the data protection officer uses it: everything the owning agency
 * holds about a child, flagged for redaction, in a PDF and a JSON file, audited, and never more
 * than the agency may see (row-level security), with what other agencies hold counted instead.
 */
describe.each(testDatabaseKinds())('subject access export on $name', (kind) => {
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
  const person = (given: string, family: string) => db().selectFrom('people').select(['id', 'owner_agency_id']).where('given_name', '=', given).where('family_name', '=', family).executeTakeFirstOrThrow()
  const agencyName = async (kindOf: 'police') => (await db().selectFrom('agencies').select('name').where('kind', '=', kindOf).executeTakeFirstOrThrow()).name

  it('gives the council’s data protection officer everything the council may see about Kyle, flagged, and counts the police-only notes it leaves out', async () => {
    const kyle = await person('Kyle', 'Marsh')
    expect((await (await as('practitioner@lantern.test')).get(`/people/${kyle.id}`)).status).toBe(200)
    // A neighbour's report, linked to Kyle by triage: in the export, the neighbour not named.
    const report = await db()
      .insertInto('public_reports')
      .values({ reference: 'SAR1-TEST', channel: 'online', journey_token: 'sar-test-journey-token', received_on: '2026-11-01', what_happened: 'A boy who looked about 15 was dropped off at the flat late at night.', anonymous: false, contact_name: 'Pat Neighbour', contact_email: 'pat@example.test' })
      .returning('id')
      .executeTakeFirstOrThrow()
    await db().insertInto('public_report_links').values({ report_id: report.id, entity_type: 'person', entity_id: kyle.id }).execute()
    // An episode voided as made in error is still held, so it is disclosed, marked as voided.
    const voider = await db().selectFrom('users').select('id').where('email', '=', 'manager@lantern.test').executeTakeFirstOrThrow()
    const voided = await db().selectFrom('missing_episodes').select('id').where('person_id', '=', kyle.id).orderBy('reported_missing_at').executeTakeFirstOrThrow()
    await db().updateTable('missing_episodes').set({ voided_at: new Date(), voided_by: voider.id, void_reason: 'Recorded on the wrong child' }).where('id', '=', voided.id).execute()
    const governance = await as('governance@lantern.test')
    const res = await governance.get(`/people/${kyle.id}/subject-access.json`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="subject-access-[0-9a-f-]+\.json"$/)
    const data = (await res.json()) as SubjectAccessExport
    expect(data.format).toBe('lantern-subject-access/1')
    expect(data.subject).toMatchObject({ id: kyle.id, given_name: 'Kyle', family_name: 'Marsh', kind: 'child' })
    expect(data.preparedBy).toMatchObject({ name: 'Ruth Adeyemi' })
    expect(data.sections.aliases.map((a) => a.name)).toContain('K-Dog')
    expect(data.sections.identifiers.map((i) => i.scheme).sort()).toEqual(['council_case', 'nhs_number', 'police_nominal'])

    // The council's own notes and the ones shared with it, each flagged as free text; the police
    // officer's note as another agency's. Police-only intelligence is not there, but is counted.
    const bodies = data.sections.notes.map((n) => String(n.body))
    expect(bodies.some((b) => b.startsWith('Home visit with Kyle and his mum'))).toBe(true)
    expect(bodies.some((b) => b.includes('source protection'))).toBe(false)
    expect(JSON.stringify(data)).not.toContain('Deal line messages')
    expect(data.sections.notes.every((n) => n.flags.includes('free_text'))).toBe(true)
    const joint = data.sections.notes.find((n) => String(n.body).startsWith('Joint visit with Sam Okafor'))!
    expect(joint.flags).toContain('other_agency')
    expect(data.sections.notes.every((n) => !n.flags.includes('police_only'))).toBe(true)
    expect(data.withheld).toContainEqual({ section: 'notes', title: 'Case notes', count: 2, heldBy: [await agencyName('police')] })

    // Every kind of record the brief lists is a section, and the audit of who looked is there.
    expect(Object.keys(data.sections).sort()).toEqual(['addresses', 'aliases', 'assessments', 'cawns', 'identifiers', 'missingEpisodes', 'networkLinks', 'notes', 'nrmReferrals', 'planMeetings', 'publicReports', 'timeline', 'viewers'].sort())
    expect(data.sections.assessments.length).toBeGreaterThan(0)
    const episode = data.sections.missingEpisodes.find((m) => m.id === voided.id)!
    expect(episode).toMatchObject({ void_reason: 'Recorded on the wrong child' })
    expect(episode.flags).toContain('free_text')
    // The warning notice protecting Kyle is served on an adult the council may not see: it is
    // included, the adult not named.
    expect(data.sections.cawns).toHaveLength(1)
    expect(data.sections.cawns[0]).toMatchObject({ role: 'protects them', child_name: 'Kyle Marsh', adult_name: 'Not named: a person whose record your agency may not see' })
    expect(data.sections.cawns[0].flags).toContain('third_party')
    expect(data.withheld.find((w) => w.section === 'cawns')).toBeUndefined()
    for (const l of data.sections.networkLinks.filter((x) => x.other_kind === 'person')) expect(l.flags).toContain('third_party')
    expect(data.sections.viewers.map((v) => v.user_name)).toContain('Sam Okafor')
    expect(data.sections.publicReports).toHaveLength(1)
    expect(data.sections.publicReports[0]).toMatchObject({ reference: 'SAR1-TEST', reporter_gave_contact: true, flags: ['third_party'] })
    expect(JSON.stringify(data)).not.toMatch(/Pat Neighbour|pat@example/)

    const audited = await db().selectFrom('audit_events').select(['action', 'details']).where('record_id', '=', kyle.id).where('user_email', '=', 'governance@lantern.test').orderBy('id', 'desc').executeTakeFirstOrThrow()
    expect(audited.action).toBe('export')
    expect(audited.details).toMatchObject({ what: 'subject-access', format: 'json', withheld: { notes: 2 } })
  })

  it('includes the strategy discussions and MACE meetings about Kyle the council may open, not the one about a person it may not see, which is counted', async () => {
    const kyle = await person('Kyle', 'Marsh')
    const manager = await db().selectFrom('users').select(['id', 'agency_id']).where('email', '=', 'manager@lantern.test').executeTakeFirstOrThrow()
    // A meeting about Kyle and an adult the council may not see (held by another agency, not shared): the meeting page refuses it to the council, and so does the export.
    const hidden = await db()
      .selectFrom('people')
      .select(['id', 'family_name', 'owner_agency_id'])
      .where('kind', '=', 'adult')
      .where('owner_agency_id', '<>', kyle.owner_agency_id)
      .where(sql<boolean>`not exists (select 1 from live_record_shares s where s.record_type = 'person' and s.record_id = people.id and s.agency_id = ${kyle.owner_agency_id})`)
      .orderBy('family_name')
      .orderBy('id')
      .executeTakeFirstOrThrow()
    await db()
      .insertInto('plan_meetings')
      .values({
        kind: 'strategy',
        held_on: '2026-11-02',
        chair: 'DS Hidden Chair',
        chair_agency_id: hidden.owner_agency_id,
        subject_ids: sql<string[]>`array[${kyle.id}, ${hidden.id}]::uuid[]`,
        attendees: JSON.stringify([]),
        decisions: 'Covert decision about the adult',
        recorded_by_agency_id: hidden.owner_agency_id,
        created_by: manager.id,
      })
      .execute()
    const held = await db().selectFrom('plan_meetings').select(['id', 'kind']).where(sql<boolean>`subject_ids @> array[${kyle.id}]::uuid[]`).execute()

    const data = (await (await (await as('governance@lantern.test')).get(`/people/${kyle.id}/subject-access.json`)).json()) as SubjectAccessExport
    const meetings = data.sections.planMeetings
    expect(meetings.length).toBe(held.length - 1)
    expect(meetings.length).toBeGreaterThan(0)
    expect(data.titles.planMeetings).toBe('Strategy discussions, MACE meetings and conferences')
    expect(JSON.stringify(data)).not.toContain('Covert decision')
    expect(JSON.stringify(data)).not.toContain('DS Hidden Chair')
    expect(data.withheld).toContainEqual(expect.objectContaining({ section: 'planMeetings', count: 1 }))
    for (const m of meetings) {
      expect(m.flags).toContain('free_text')
      expect(m).not.toHaveProperty('subject_ids')
      expect(Array.isArray(m.actions)).toBe(true)
      // Another person discussed is a third party: counted, flagged, never named by id.
      if (Number(m.other_people_discussed) > 0) expect(m.flags).toContain('third_party')
    }
    const mace = meetings.find((m) => m.kind === 'MACE meeting' || String(m.kind).includes('MACE'))!
    expect(mace.other_people_discussed).toBe(1)
    expect((mace.actions as unknown[]).length).toBeGreaterThan(0)

    const page = await (await (await as('governance@lantern.test')).get(`/people/${kyle.id}/subject-access`)).text()
    expect(page).toContain('Strategy discussions, MACE meetings and conferences')
  })

  it('makes the same export a PDF, audited as one', async () => {
    const kyle = await person('Kyle', 'Marsh')
    const res = await (await as('governance@lantern.test')).get(`/people/${kyle.id}/subject-access.pdf`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/pdf')
    const pdf = Buffer.from(await res.arrayBuffer())
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-')
    const audited = await db().selectFrom('audit_events').select('details').where('record_id', '=', kyle.id).where('action', '=', 'export').orderBy('id', 'desc').executeTakeFirstOrThrow()
    expect(audited.details).toMatchObject({ what: 'subject-access', format: 'pdf' })
  })

  it('shows what the export holds and leaves out before the download, and audits the look', async () => {
    const kyle = await person('Kyle', 'Marsh')
    const res = await (await as('governance@lantern.test')).get(`/people/${kyle.id}/subject-access`)
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toContain('data-testid="subject-access-sections"')
    expect(html).toMatch(/Case notes: 2 held by [^<]+ and not included/)
    expect(html).toContain(`href="/people/${kyle.id}/subject-access.pdf"`)
    // The officer has only the export: no tab to pages of the record she may not open.
    expect(html).not.toContain(`href="/people/${kyle.id}/risk"`)
    const look = await db().selectFrom('audit_events').select(['action', 'details']).where('record_id', '=', kyle.id).where('user_email', '=', 'governance@lantern.test').orderBy('id', 'desc').executeTakeFirstOrThrow()
    expect(look).toMatchObject({ action: 'view', details: { page: 'subject-access' } })
  })

  it('gives a police manager the police-only notes of a police record, flagged to withhold', async () => {
    await db().updateTable('users').set({ role: 'manager' }).where('email', '=', 'm.doyle@lantern.test').execute()
    const jay = await person('Dwayne', 'Okoro')
    const data = (await (await (await as('m.doyle@lantern.test')).get(`/people/${jay.id}/subject-access.json`)).json()) as SubjectAccessExport
    const policeOnly = data.sections.notes.filter((n) => n.sensitivity === 'police_only')
    expect(policeOnly.length).toBe(3)
    for (const n of policeOnly) expect(n.flags).toContain('police_only')
    expect(data.withheld.find((w) => w.section === 'notes')).toBeUndefined()
  })

  it('is refused to a practitioner, to an administrator, and to an agency the record is only shared with', async () => {
    const kyle = await person('Kyle', 'Marsh')
    for (const email of ['practitioner@lantern.test', 'admin@lantern.test']) {
      const client = await as(email)
      expect((await client.get(`/people/${kyle.id}/subject-access.json`)).status, email).toBe(403)
      expect((await client.get(`/people/${kyle.id}/subject-access`)).status, email).toBe(403)
    }
    // Kyle's record is shared with the police: a police manager may read it, never disclose it.
    await db().updateTable('users').set({ role: 'manager' }).where('email', '=', 'm.doyle@lantern.test').execute()
    const police = await as('m.doyle@lantern.test')
    expect((await police.get(`/people/${kyle.id}`)).status).toBe(200)
    expect((await police.get(`/people/${kyle.id}/subject-access.pdf`)).status).toBe(403)
    const denied = await db().selectFrom('audit_events').select('details').where('action', '=', 'access-denied').where('record_id', '=', kyle.id).where('user_email', '=', 'm.doyle@lantern.test').executeTakeFirstOrThrow()
    expect(denied.details).toMatchObject({ permission: 'person:disclose' })
    // A police record the council does not share is not the council's to disclose either.
    const jay = await person('Dwayne', 'Okoro')
    expect((await (await as('governance@lantern.test')).get(`/people/${jay.id}/subject-access.json`)).status).toBe(403)
  })

  it('finds the person who asked among the agency’s own records only, and audits the search', async () => {
    const kyle = await person('Kyle', 'Marsh')
    const governance = await as('governance@lantern.test')
    expect(await (await governance.get('/dashboard')).text()).toContain('href="/subject-access"')
    const found = await (await governance.get('/subject-access?name=k-dog')).text()
    expect(found).toContain(`href="/people/${kyle.id}/subject-access"`)
    // Jay's record is the police's: not the council's to disclose, so not found here.
    expect(await (await governance.get('/subject-access?name=Okoro')).text()).toContain('data-testid="subject-access-none"')
    const search = await db().selectFrom('audit_events').select(['action', 'details']).where('user_email', '=', 'governance@lantern.test').where('action', '=', 'search').orderBy('id', 'desc').executeTakeFirstOrThrow()
    expect(search.details).toMatchObject({ what: 'subject-access', term: 'Okoro', results: 0 })
    const tooShort = await governance.get('/subject-access?name=K')
    expect(tooShort.status).toBe(400)
    const html = await tooShort.text()
    expect(html).toContain('govuk-error-summary')
    expect(html).toContain('Enter at least 2 letters of their name')
    expect(html).toContain('value="K"')
    expect((await (await as('practitioner@lantern.test')).get('/subject-access?name=Marsh')).status).toBe(403)
  })
})
