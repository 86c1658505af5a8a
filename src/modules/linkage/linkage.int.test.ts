import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../../../test/support/app.ts'
import { TestClient } from '../../../test/support/http.ts'
import { visibleTo } from '../people/store.ts'

let app: TestApp
beforeAll(async () => {
  app = await startTestApp()
}, 120_000)
afterAll(async () => {
  await app?.close()
})

async function jayden() {
  return app.database.db.selectFrom('people').selectAll().where('given_name', '=', 'Jayden').where('family_name', '=', 'Price').executeTakeFirstOrThrow()
}
async function userOf(email: string) {
  const u = await app.database.db.selectFrom('users').select(['id', 'agency_id']).where('email', '=', email).executeTakeFirstOrThrow()
  return { id: u.id, agencyId: u.agency_id }
}
async function areaId(name: string) {
  return (await app.database.db.selectFrom('areas').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id
}

async function newChild(client: TestClient, extra: Record<string, string> = {}) {
  const j = await jayden()
  const [y, m, d] = j.date_of_birth!.split('-')
  return client.post('/people/new', {
    kind: 'child',
    givenName: 'Jaden',
    familyName: 'Price',
    'dob-day': String(Number(d)),
    'dob-month': String(Number(m)),
    'dob-year': y,
    gender: 'male',
    homeAreaId: await areaId('Lambeth'),
    currentAreaId: await areaId('Southampton'),
    ...extra,
  })
}

async function multipart(client: TestClient, path: string, fields: Record<string, string>, files: Record<string, string>) {
  const token = await client.csrfToken('/linkage/runs/new')
  const form = new FormData()
  for (const [k, v] of Object.entries(fields)) form.append(k, v)
  for (const [k, v] of Object.entries(files)) form.append(k, new Blob([v], { type: 'text/csv' }), `${k}.csv`)
  return fetch(`${app.baseUrl}${path}?_csrf=${encodeURIComponent(token)}`, { method: 'POST', body: form, redirect: 'manual', headers: { cookie: (client as unknown as { cookieHeader(): string }).cookieHeader() } })
}

describe('duplicate check on entry', () => {
  it('shows the police officer both records of Jayden before saving, keeps the answers, and saves only when told none of these match', async () => {
    const client = new TestClient(app.baseUrl)
    await client.signIn('officer@lantern.test')
    const before = await app.database.db.selectFrom('people').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    const res = await newChild(client)
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toContain('Is this one of these?')
    expect(html).toContain('Jayden Price')
    expect(html).toContain('Jaden Pryce')
    expect(html).toContain('name="givenName" value="Jaden"')
    const after = await app.database.db.selectFrom('people').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    expect(after.n).toBe(before.n)
    const audit = await app.database.db.selectFrom('audit_events').select(['details']).where('action', '=', 'search').orderBy('id', 'desc').executeTakeFirstOrThrow()
    expect(JSON.stringify(audit.details)).toContain('duplicate-check')

    const saved = await newChild(client, { confirmedNoMatch: 'yes' })
    expect(saved.status).toBe(302)
    expect(saved.headers.get('location')).toMatch(/^\/people\//)

    // The record just saved is offered at once to the next person entering the child.
    const again = await (await newChild(client)).text()
    expect(again).toContain(`href="${saved.headers.get('location')}"`)
  })

  it('never shows the council practitioner the police record they have no need to know about', async () => {
    const client = new TestClient(app.baseUrl)
    await client.signIn('practitioner@lantern.test')
    const html = await (await newChild(client)).text()
    expect(html).toContain('Jayden Price')
    expect(html).not.toContain('Jaden Pryce')
  })

  it('saves straight away when nobody like the person is recorded', async () => {
    const client = new TestClient(app.baseUrl)
    await client.signIn('practitioner@lantern.test')
    const res = await newChild(client, { givenName: 'Ottoline', familyName: 'Vasquez-Brandt', 'dob-year': '2013' })
    expect(res.status).toBe(302)
  })
})

describe('bulk matching and the review queue', () => {
  const council = 'case_no,first_name,last_name,dob,gender,postcode\nC1,Kyle,Marsh,2011-02-03,M,PO9 1AB\nC2,Aaliyah,Brooks,2012-05-06,F,RG21 7LJ\nC3,Tia,Walsh,2011-07-08,F,GU14 6XR\nC4,Ellie,Turner,2014-01-02,F,PO12 1QP\n'
  const police = 'nominal,forename,surname,date_of_birth,sex,post_code\nP1,Kyle,Marsh,2011-02-03,M,PO9 1AB\nP2,Aliyah,Brookes,2012-05-06,F,RG21 7LJ\nP3,Mason,Clarke,2009-04-04,M,PO1 2EB\n'

  it('refuses a malformed CSV with its line number, and stores nothing', async () => {
    const client = new TestClient(app.baseUrl)
    await client.signIn('analyst@lantern.test')
    const res = await multipart(client, '/linkage/runs/new', { name: 'Broken', kind: 'dedupe' }, { left: 'id,first_name\n1,Kyle\n2,Tia,extra\n' })
    expect(res.status).toBe(400)
    expect(await res.text()).toMatch(/line 3/)
    expect(await app.database.db.selectFrom('linkage_uploads').selectAll().execute()).toHaveLength(0)
  })

  it('runs a linkage of two uploaded extracts with the columns mapped in the UI, refusing duplicate ids and unknown columns', async () => {
    const client = new TestClient(app.baseUrl)
    await client.signIn('analyst@lantern.test')
    const up = await multipart(client, '/linkage/runs/new', { name: 'Test run', kind: 'link' }, { left: council, right: police })
    expect(up.status).toBe(302)
    const mappingUrl = up.headers.get('location')!
    const mapping = await (await client.get(mappingUrl)).text()
    expect(mapping).toContain('<option value="first_name" selected>')
    const runsBefore = (await app.database.db.selectFrom('linkage_runs').selectAll().execute()).length
    const map = { 'left-id': 'case_no', 'left-given_name': 'first_name', 'left-surname': 'last_name', 'left-date_of_birth': 'dob', 'left-sex': 'gender', 'left-postcode': 'postcode', 'right-id': 'nominal', 'right-given_name': 'forename', 'right-surname': 'surname', 'right-date_of_birth': 'date_of_birth', 'right-sex': 'sex', 'right-postcode': 'post_code', reviewFrom: '0.1', matchFrom: '0.9' }
    const unknown = await client.post(mappingUrl, { ...map, 'left-postcode': 'no_such_column' })
    expect(unknown.status).toBe(400)
    expect(await unknown.text()).toContain('there is no column')
    const dupIds = await client.post(mappingUrl, { ...map, 'left-id': 'gender' })
    expect(dupIds.status).toBe(400)
    expect(await dupIds.text()).toMatch(/appears twice, on lines 3 and 4/)
    expect((await app.database.db.selectFrom('linkage_runs').selectAll().execute()).length).toBe(runsBefore)
    const ran = await client.post(mappingUrl, map)
    expect(ran.status).toBe(302)
    const runPage = await (await client.get(ran.headers.get('location')!)).text()
    expect(runPage).toContain('Test run')
    const run = await app.database.db.selectFrom('linkage_runs').selectAll().where('name', '=', 'Test run').executeTakeFirstOrThrow()
    const pairs = await app.database.db.selectFrom('linkage_run_pairs').select(['id_left', 'id_right', 'probability']).where('run_id', '=', run.id).execute()
    const found = pairs.filter((p) => p.probability >= 0.9).map((p) => `${p.id_left}-${p.id_right}`)
    expect(found).toContain('C1-P1')
    expect(pairs.some((p) => p.id_left === 'C2' && p.id_right === 'P2')).toBe(true)
    expect(pairs.some((p) => p.id_right === 'P3')).toBe(false)
  })

  it('groups the queue into clusters of records that may be one person, and decides a cluster at once, all or nothing', async () => {
    const client = new TestClient(app.baseUrl)
    await client.signIn('analyst@lantern.test')
    const extract = 'ref,first_name,last_name,dob,gender,postcode\nD1,Kyle,Marsh,2011-02-03,M,PO9 1AB\nD2,Kyle,Marsh,2011-03-02,M,PO9 1AB\nD3,Kyle,Marsh,2011-02-03,M,PO9 1AD\nD4,Tia,Walsh,2012-07-08,F,GU14 6XR\nD5,Ellie,Turner,2014-01-02,F,PO12 1QP\n'
    const up = await multipart(client, '/linkage/runs/new', { name: 'Cluster run', kind: 'dedupe' }, { left: extract })
    expect(up.status).toBe(302)
    const map = { 'left-id': 'ref', 'left-given_name': 'first_name', 'left-surname': 'last_name', 'left-date_of_birth': 'dob', 'left-sex': 'gender', 'left-postcode': 'postcode', reviewFrom: '0.01', matchFrom: '1' }
    expect((await client.post(up.headers.get('location')!, map)).status).toBe(302)
    const run = await app.database.db.selectFrom('linkage_runs').selectAll().where('name', '=', 'Cluster run').executeTakeFirstOrThrow()
    const kyles = await app.database.db.selectFrom('linkage_run_pairs').select(['id', 'id_left', 'id_right']).where('run_id', '=', run.id).where('id_left', 'in', ['D1', 'D2', 'D3']).where('id_right', 'in', ['D1', 'D2', 'D3']).execute()
    expect(kyles).toHaveLength(3)

    const page = await (await client.get(`/linkage/runs/${run.id}`)).text()
    expect(page).toMatch(/Cluster 1: 3 records, 3 pairs/)
    const href = page.match(/href="(\/linkage\/runs\/[^"]+\/clusters\/[^"]+)">Decide this cluster/)![1]
    const cluster = await (await client.get(href)).text()
    for (const id of ['D1', 'D2', 'D3']) expect(cluster).toContain(` ${id}</th>`)
    expect(cluster).not.toContain('Tia')

    // One pair left without a decision: nothing is saved, and the others' answers are kept.
    const [first, second, third] = kyles
    const partial = await client.post(href, { [`decision-${first.id}`]: 'accepted', [`decision-${second.id}`]: 'rejected' })
    expect(partial.status).toBe(400)
    const again = await partial.text()
    expect(again).toContain('are the same person')
    expect(again).toMatch(new RegExp(`name="decision-${second.id}" type="radio" value="rejected" checked`))
    expect(await app.database.db.selectFrom('linkage_run_pairs').select('id').where('run_id', '=', run.id).where('decision', 'is not', null).execute()).toHaveLength(0)

    const saved = await client.post(href, { [`decision-${first.id}`]: 'accepted', [`decision-${second.id}`]: 'rejected', [`decision-${third.id}`]: 'unsure' })
    expect(saved.status).toBe(302)
    const decided = await app.database.db.selectFrom('linkage_run_pairs').select(['id', 'decision']).where('id', 'in', kyles.map((k) => k.id)).execute()
    expect(Object.fromEntries(decided.map((d) => [d.id, d.decision]))).toEqual({ [first.id]: 'accepted', [second.id]: 'rejected', [third.id]: 'unsure' })
    const audits = await app.database.db.selectFrom('audit_events').select('details').where('action', '=', 'update').where('record_type', '=', 'linkage_pair').where('record_id', 'in', kyles.map((k) => k.id)).execute()
    expect(audits.map((a) => (a.details as { cluster?: number }).cluster)).toEqual([3, 3, 3])
    // Decided, the cluster is no longer waiting.
    expect((await client.get(href)).status).toBe(404)
    // The run's accuracy, from these decisions: nothing was predicted a match (matched from 100%).
    const accuracy = (await (await client.get(`/linkage/runs/${run.id}`)).text()).split('data-testid="run-accuracy"')[1].split('</div>')[0].replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')
    expect(accuracy).toContain('Reviewers said 1 pair is the same person and 1 is not (1 not sure, counted as neither).')
    expect(accuracy).toContain('Precision : no predicted match has been decided yet')
    expect(accuracy).toContain('Recall : 0%, 0 of the 1 pairs reviewers said are the same person had been predicted a match (at or above 100%)')
  })

  it('lets an analyst decide a pair in the demo run’s review queue with the waterfall as evidence', async () => {
    const client = new TestClient(app.baseUrl)
    await client.signIn('analyst@lantern.test')
    const run = await app.database.db.selectFrom('linkage_runs').selectAll().where('name', 'like', 'Council and police%').executeTakeFirstOrThrow()
    const pair = await app.database.db.selectFrom('linkage_run_pairs').selectAll().where('run_id', '=', run.id).where('band', '=', 'review').orderBy('probability', 'desc').executeTakeFirstOrThrow()
    const page = await (await client.get(`/linkage/runs/${run.id}/pairs/${pair.id}`)).text()
    expect(page).toContain('How each field moved the match weight')
    const missing = await client.post(`/linkage/runs/${run.id}/pairs/${pair.id}`, {})
    expect(missing.status).toBe(400)
    const res = await client.post(`/linkage/runs/${run.id}/pairs/${pair.id}`, { decision: 'rejected' })
    expect(res.status).toBe(302)
    const saved = await app.database.db.selectFrom('linkage_run_pairs').select(['decision']).where('id', '=', pair.id).executeTakeFirstOrThrow()
    expect(saved.decision).toBe('rejected')
  })

  it('finds duplicates among Lantern’s own people with no upload, into the review queue and on to the merge journey', async () => {
    const client = new TestClient(app.baseUrl)
    await client.signIn('analyst@lantern.test')
    expect(await (await client.get('/linkage')).text()).toContain('href="/linkage/runs/people"')
    expect((await client.get('/linkage/runs/people')).status).toBe(200)
    const bad = await client.post('/linkage/runs/people', { name: 'Register, autumn', reviewFrom: 'lots', matchFrom: '0.9' })
    expect(bad.status).toBe(400)
    const badHtml = await bad.text()
    expect(badHtml).toContain('govuk-error-summary')
    expect(badHtml).toContain('value="Register, autumn"')
    const inverted = await client.post('/linkage/runs/people', { name: 'Register, autumn', reviewFrom: '0.95', matchFrom: '0.9' })
    expect(inverted.status).toBe(400)
    expect(await inverted.text()).toContain('must be below the likelihood for a match')

    const ran = await client.post('/linkage/runs/people', { name: 'Register, autumn', reviewFrom: '0.05', matchFrom: '0.9' })
    expect(ran.status).toBe(302)
    const runUrl = ran.headers.get('location')!
    const db = app.database.db
    const run = await db.selectFrom('linkage_runs').selectAll().where('name', '=', 'Register, autumn').executeTakeFirstOrThrow()
    expect(run.kind).toBe('people')
    const visible = await db.selectFrom('people').select((eb) => eb.fn.countAll<number>().as('n')).where('merged_into', 'is', null).where(visibleTo(await userOf('analyst@lantern.test'), 'people')).executeTakeFirstOrThrow()
    expect(run.left_rows).toBe(Number(visible.n))
    const j = await jayden()
    const jaden = (await db.selectFrom('people').select('id').where('given_name', '=', 'Jaden').where('family_name', '=', 'Pryce').executeTakeFirstOrThrow()).id
    const pair = await db
      .selectFrom('linkage_run_pairs')
      .selectAll()
      .where('run_id', '=', run.id)
      .where((eb) => eb.or([eb.and([eb('person_left', '=', j.id), eb('person_right', '=', jaden)]), eb.and([eb('person_left', '=', jaden), eb('person_right', '=', j.id)])]))
      .executeTakeFirstOrThrow()
    expect(await (await client.get(runUrl)).text()).toContain('Jaden Pryce')
    const audit = await db.selectFrom('audit_events').select('details').where('action', '=', 'create').where('record_type', '=', 'linkage_run').where('record_id', '=', run.id).executeTakeFirstOrThrow()
    expect(JSON.stringify(audit.details)).toContain('"kind":"people"')

    // A decision in the review queue, then on to comparing and merging the two Lantern records.
    const pairUrl = `${runUrl}/pairs/${pair.id}`
    const pairPage = await (await client.get(pairUrl)).text()
    expect(pairPage).toContain(`href="/linkage/compare?a=${pair.person_left}&amp;b=${pair.person_right}"`)
    expect((await client.post(pairUrl, { decision: 'accepted' })).status).toBe(302)
    const decided = await (await client.get(runUrl)).text()
    expect(decided).toContain(`href="/linkage/compare?a=${pair.person_left}&amp;b=${pair.person_right}"`)
    expect(await (await client.get(`/linkage/compare?a=${pair.person_left}&b=${pair.person_right}`)).text()).toContain('Merge these records')

    // Rejected here, so the next run over Lantern's people leaves the pair out.
    expect((await client.post(pairUrl, { decision: 'rejected' })).status).toBe(302)
    expect((await client.post('/linkage/runs/people', { name: 'Register, again', reviewFrom: '0.05', matchFrom: '0.9' })).status).toBe(302)
    const again = await db.selectFrom('linkage_runs').select('id').where('name', '=', 'Register, again').executeTakeFirstOrThrow()
    const repeated = await db.selectFrom('linkage_run_pairs').select('id').where('run_id', '=', again.id).where('person_left', 'in', [j.id, jaden]).where('person_right', 'in', [j.id, jaden]).execute()
    expect(repeated).toEqual([])
    await db.updateTable('linkage_run_pairs').set({ decision: null, decided_by: null, decided_at: null }).where('id', '=', pair.id).execute()
  })

  it('shows an analyst of another agency neither the run nor any pair naming a person they have no need to know about', async () => {
    const db = app.database.db
    const police = await db.selectFrom('users').select(['password_hash']).where('email', '=', 'analyst@lantern.test').executeTakeFirstOrThrow()
    const council = await db.selectFrom('users').select(['agency_id']).where('email', '=', 'manager@lantern.test').executeTakeFirstOrThrow()
    await db
      .insertInto('users')
      .values({ email: 'council-analyst@lantern.test', name: 'Council Analyst', role: 'analyst', agency_id: council.agency_id, password_hash: police.password_hash, updated_at: new Date() })
      .onConflict((oc) => oc.doNothing())
      .execute()
    const client = new TestClient(app.baseUrl)
    await client.signIn('council-analyst@lantern.test')
    const run = await db.selectFrom('linkage_runs').select('id').where('name', '=', 'Register, autumn').executeTakeFirstOrThrow()
    const jaden = (await db.selectFrom('people').select('id').where('given_name', '=', 'Jaden').where('family_name', '=', 'Pryce').executeTakeFirstOrThrow()).id
    const pair = await db.selectFrom('linkage_run_pairs').select('id').where('run_id', '=', run.id).where((eb) => eb.or([eb('person_left', '=', jaden), eb('person_right', '=', jaden)])).executeTakeFirstOrThrow()
    // The run is the police's: its extracts' names are not another agency's to read.
    const page = await client.get(`/linkage/runs/${run.id}`)
    expect(page.status).toBe(404)
    expect(await page.text()).not.toContain('Pryce')
    expect(await (await client.get('/linkage')).text()).not.toContain('Register, autumn')
    expect((await client.get(`/linkage/runs/${run.id}/pairs/${pair.id}`)).status).toBe(404)
    expect((await client.post(`/linkage/runs/${run.id}/pairs/${pair.id}`, { decision: 'accepted' })).status).toBe(404)
    // Their own run over the people they may see never includes the police's record.
    expect((await client.post('/linkage/runs/people', { name: 'Council register', reviewFrom: '0.05', matchFrom: '0.9' })).status).toBe(302)
    const own = await db.selectFrom('linkage_runs').select('id').where('name', '=', 'Council register').executeTakeFirstOrThrow()
    const withJaden = await db.selectFrom('linkage_run_pairs').select('id').where('run_id', '=', own.id).where((eb) => eb.or([eb('person_left', '=', jaden), eb('person_right', '=', jaden)])).execute()
    expect(withJaden).toEqual([])
  })

  it('refuses a practitioner the matching pages', async () => {
    const client = new TestClient(app.baseUrl)
    await client.signIn('practitioner@lantern.test')
    expect((await client.get('/linkage/runs/new')).status).toBe(403)
    expect((await client.get('/linkage/runs/people')).status).toBe(403)
    expect((await client.post('/linkage/runs/people', { name: 'Not allowed', reviewFrom: '0.1', matchFrom: '0.9' })).status).toBe(403)
  })
})

describe('check for duplicates from a person’s page', () => {
  const jadenPryce = async () => (await app.database.db.selectFrom('people').select('id').where('given_name', '=', 'Jaden').where('family_name', '=', 'Pryce').executeTakeFirstOrThrow()).id

  it('lists the police record of Jayden for the analyst, with the way into the merge journey, and audits the search', async () => {
    const client = new TestClient(app.baseUrl)
    await client.signIn('analyst@lantern.test')
    const j = await jayden()
    const jaden = await jadenPryce()
    const summary = await (await client.get(`/people/${j.id}`)).text()
    expect(summary).toContain(`href="/linkage/people/${j.id}/matches"`)
    const res = await client.get(`/linkage/people/${j.id}/matches`)
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toContain('Jaden Pryce')
    expect(html).toContain(`href="/linkage/compare?a=${j.id}&amp;b=${jaden}"`)
    const audit = await app.database.db.selectFrom('audit_events').select(['record_id', 'details']).where('action', '=', 'search').where('record_id', '=', j.id).orderBy('id', 'desc').executeTakeFirstOrThrow()
    expect(JSON.stringify(audit.details)).toContain(jaden)
    // The comparison it leads to is the merge journey.
    const compare = await (await client.get(`/linkage/compare?a=${j.id}&b=${jaden}`)).text()
    expect(compare).toContain('Merge these records')
  })

  it('never lists for the council manager the police record they have no need to know about', async () => {
    const client = new TestClient(app.baseUrl)
    await client.signIn('manager@lantern.test')
    const j = await jayden()
    const html = await (await client.get(`/linkage/people/${j.id}/matches`)).text()
    expect(html).toContain('Check for duplicates')
    expect(html).not.toContain('Jaden Pryce')
    const audit = await app.database.db.selectFrom('audit_events').select(['details']).where('action', '=', 'search').where('record_id', '=', j.id).orderBy('id', 'desc').executeTakeFirstOrThrow()
    expect(JSON.stringify(audit.details)).not.toContain(await jadenPryce())
  })

  it('refuses those who may not merge, and a record outside the user’s need to know', async () => {
    const practitioner = new TestClient(app.baseUrl)
    await practitioner.signIn('practitioner@lantern.test')
    const j = await jayden()
    expect(await (await practitioner.get(`/people/${j.id}`)).text()).not.toContain('/matches')
    expect((await practitioner.get(`/linkage/people/${j.id}/matches`)).status).toBe(403)
    const manager = new TestClient(app.baseUrl)
    await manager.signIn('manager@lantern.test')
    expect((await manager.get(`/linkage/people/${await jadenPryce()}/matches`)).status).toBe(403)
    expect((await manager.get('/linkage/people/not-an-id/matches')).status).toBe(404)
  })

  it('lists a merge of a record with one the user may not see, without naming the other record', async () => {
    const db = app.database.db
    const j = await jayden()
    const manager = await userOf('manager@lantern.test')
    const other = await db.selectFrom('people').select('id').where('owner_agency_id', '=', manager.agencyId).where('kind', '=', 'child').where('id', '<>', j.id).where('merged_into', 'is', null).where('closed_at', 'is', null).orderBy('id').executeTakeFirstOrThrow()
    // A merge of Jayden with the police record the council may not see, declined long ago.
    const merge = await db
      .insertInto('linkage_merges')
      .values({ survivor_id: j.id, merged_id: await jadenPryce(), status: 'declined', conflicts: '[]', reason: 'Thought the same child', requested_by: (await userOf('analyst@lantern.test')).id })
      .returning('id')
      .executeTakeFirstOrThrow()
    try {
      const client = new TestClient(app.baseUrl)
      await client.signIn('manager@lantern.test')
      const html = await (await client.get(`/linkage/compare?a=${j.id}&b=${other.id}`)).text()
      const history = html.slice(html.indexOf('Merges of these records'))
      expect(history).toContain('A person you do not have a need to know for into Jayden Price')
      expect(history).toContain('declined')
      expect(html).not.toContain('Pryce')
    } finally {
      await db.deleteFrom('linkage_merges').where('id', '=', merge.id).execute()
    }
  })
})

describe('merging in the browser flow', () => {
  it('merges Jaden Pryce into Jayden Price from the comparison page and undoes it', async () => {
    const client = new TestClient(app.baseUrl)
    await client.signIn('analyst@lantern.test')
    const j = await jayden()
    const jaden = await app.database.db.selectFrom('people').select('id').where('given_name', '=', 'Jaden').where('family_name', '=', 'Pryce').executeTakeFirstOrThrow()
    const compare = await (await client.get(`/linkage/compare?a=${j.id}&b=${jaden.id}`)).text()
    expect(compare).toContain('Are these the same person?')
    const merged = await client.post('/linkage/merges', { a: j.id, b: jaden.id, survivorId: j.id, reason: 'Same child', checked: 'yes' })
    expect(merged.status).toBe(302)
    const mergeUrl = merged.headers.get('location')!
    // Jayden's record is the council's: its manager agrees before anything moves.
    const manager = new TestClient(app.baseUrl)
    await manager.signIn('manager@lantern.test')
    expect((await manager.post(`${mergeUrl}/confirm`, {})).status).toBe(302)
    expect((await app.database.db.selectFrom('people').select('merged_into').where('id', '=', jaden.id).executeTakeFirstOrThrow()).merged_into).toBe(j.id)
    const undone = await client.post(`${mergeUrl}/unmerge`, { reason: 'Test' })
    expect(undone.status).toBe(302)
    expect((await app.database.db.selectFrom('people').select('merged_into').where('id', '=', jaden.id).executeTakeFirstOrThrow()).merged_into).toBeNull()
  })
})

describe('bad input to the merge journey and uploads', () => {
  it('says "Choose two different records" when "not the same" or a merge names one record twice, and records nothing', async () => {
    const client = new TestClient(app.baseUrl)
    await client.signIn('analyst@lantern.test')
    const j = await jayden()
    const notSame = await client.post('/linkage/not-same', { a: j.id, b: j.id, reason: 'Typed the same id twice' })
    expect(notSame.status).toBe(400)
    expect(await notSame.text()).toContain('Choose two different records')
    const merge = await client.post('/linkage/merges', { a: j.id, b: j.id, survivorId: j.id, reason: 'Same child' })
    expect(merge.status).toBe(400)
    expect(await merge.text()).toContain('Choose two different records')
    expect(await app.database.db.selectFrom('linkage_not_same').selectAll().where('person_a', '=', j.id).execute()).toHaveLength(0)
  })

  it('refuses an extract holding a NUL byte with its file and line, and stores nothing', async () => {
    const client = new TestClient(app.baseUrl)
    await client.signIn('analyst@lantern.test')
    const before = (await app.database.db.selectFrom('linkage_uploads').selectAll().execute()).length
    const res = await multipart(client, '/linkage/runs/new', { name: 'Binary', kind: 'dedupe' }, { left: 'id,first_name\n1,Kyle\n2,T\u0000ia\n' })
    expect(res.status).toBe(400)
    expect(await res.text()).toMatch(/left\.csv: line 3, column 4 holds a NUL byte/)
    expect(await app.database.db.selectFrom('linkage_uploads').selectAll().execute()).toHaveLength(before)
  })

  it('refuses a NUL byte in an upload form’s own fields with a 400, not a 500', async () => {
    const client = new TestClient(app.baseUrl)
    await client.signIn('analyst@lantern.test')
    const res = await multipart(client, '/linkage/runs/new', { name: 'Run\u0000', kind: 'dedupe' }, { left: 'id,first_name\n1,Kyle\n' })
    expect(res.status).toBe(400)
    expect(await res.text()).toContain('control character')
  })
})
