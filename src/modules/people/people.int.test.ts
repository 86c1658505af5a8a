import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../../../test/support/app.ts'
import { TestClient } from '../../../test/support/http.ts'
import { conflictPage, row } from '../../../test/support/conflict.ts'

let app: TestApp
beforeAll(async () => {
  app = await startTestApp()
})
afterAll(async () => {
  await app?.close()
})

const child = {
  kind: 'child',
  givenName: 'Casey',
  familyName: 'Rowe',
  'dob-day': '14',
  'dob-month': '2',
  'dob-year': '2012',
  gender: 'female',
  homeAreaId: '',
  currentAreaId: '',
  aliases: 'CC\nCas',
  nhsNumber: '943 476 5919',
  address: '12 Elm Road, Havant',
  postcode: 'PO9 1AB',
}

/** A review date a month after the app's today, as the date input posts it. */
function reviewInAMonth() {
  const [y, m, d] = app.clock.today().split('-').map(Number)
  const on = new Date(Date.UTC(y, m, Math.min(d, 28)))
  return { 'reviewOn-day': String(on.getUTCDate()), 'reviewOn-month': String(on.getUTCMonth() + 1), 'reviewOn-year': String(on.getUTCFullYear()) }
}

async function areaId(name: string) {
  return (await app.database.db.selectFrom('areas').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id
}
async function personId(given: string, family: string) {
  return (await app.database.db.selectFrom('people').select('id').where('given_name', '=', given).where('family_name', '=', family).executeTakeFirstOrThrow()).id
}

describe('recording a person', () => {
  it('refuses a future date of birth and a bad NHS number, keeps the answers, and saves nothing', async () => {
    const client = new TestClient(app.baseUrl)
    await client.signIn('practitioner@lantern.test')
    const before = await app.database.db.selectFrom('people').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    const res = await client.post('/people/new', { ...child, 'dob-year': '2031', nhsNumber: '1234567890', homeAreaId: await areaId('Havant'), currentAreaId: await areaId('Havant') })
    expect(res.status).toBe(400)
    const html = await res.text()
    expect(html).toContain('Date of birth must be in the past')
    expect(html).toContain('Enter a valid NHS number')
    expect(html).toContain('value="Casey"')
    const after = await app.database.db.selectFrom('people').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    expect(after.n).toBe(before.n)
  })

  it('creates a child owned by the practitioner’s agency and team, audited and on the timeline', async () => {
    const client = new TestClient(app.baseUrl)
    await client.signIn('practitioner@lantern.test')
    const res = await client.post('/people/new', { ...child, homeAreaId: await areaId('Havant'), currentAreaId: await areaId('Portsmouth') })
    expect(res.status).toBe(302)
    const id = res.headers.get('location')!.split('/').pop()!
    const page = await (await client.get(`/people/${id}`)).text()
    expect(page).toContain('Casey Rowe')
    expect(page).toContain('Out of area')
    expect(page).toContain('9434765919')
    expect(page).toContain('Cas')
    const person = await app.database.db.selectFrom('people').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    const council = await app.database.db.selectFrom('agencies').select('id').where('name', '=', 'Hampshire County Council').executeTakeFirstOrThrow()
    expect(person.owner_agency_id).toBe(council.id)
    const audit = await app.database.db.selectFrom('audit_events').select('action').where('record_id', '=', id).orderBy('id').execute()
    expect(audit.map((a) => a.action)).toEqual(['create', 'view'])
    const history = await (await client.get(`/people/${id}/history`)).text()
    expect(history).toContain('Record created by Hampshire County Council')
  })

  it('shows aliases as text, never as markup', async () => {
    const client = new TestClient(app.baseUrl)
    await client.signIn('practitioner@lantern.test')
    // Nobody like her on record, so the duplicate check lets the record through at once.
    const mara = { ...child, givenName: 'Mara', familyName: 'Quill', 'dob-day': '3', 'dob-month': '9', 'dob-year': '2010', nhsNumber: '', address: '', postcode: '' }
    const res = await client.post('/people/new', { ...mara, aliases: '<i>Em</i>\nMQ', homeAreaId: await areaId('Havant'), currentAreaId: await areaId('Havant') })
    expect(res.status).toBe(302)
    const page = await (await client.get(res.headers.get('location')!)).text()
    expect(page).toContain('&lt;i&gt;Em&lt;/i&gt;<br>MQ')
    expect(page).not.toContain('<i>Em</i>')
  })
})

describe('need-to-know on a person', () => {
  it('lets the police see a council case only once it is shared, and offers break glass before that', async () => {
    const tia = await personId('Tia', 'Walsh')
    const officer = new TestClient(app.baseUrl)
    await officer.signIn('officer@lantern.test')
    const denied = await officer.get(`/people/${tia}`)
    expect(denied.status).toBe(403)
    const html = await denied.text()
    expect(html).toContain('Why do you need to see this record?')
    expect(html).not.toContain('Tia')

    const practitioner = new TestClient(app.baseUrl)
    await practitioner.signIn('r.patel@lantern.test')
    const police = await app.database.db.selectFrom('agencies').select('id').where('kind', '=', 'police').executeTakeFirstOrThrow()
    const share = { recipient: 'agency', agencyId: police.id, purpose: 'Joint safety plan with the MET team', legalBasis: 'children_act_1989_s47', ...reviewInAMonth() }
    expect((await practitioner.post(`/people/${tia}/sharing`, share)).status).toBe(302)
    expect((await officer.get(`/people/${tia}`)).status).toBe(200)
  })

  it('opens a record outside need-to-know for a recorded reason, and audits it', async () => {
    const jay = await personId('Dwayne', 'Okoro')
    const nurse = new TestClient(app.baseUrl)
    await nurse.signIn('h.evans@lantern.test')
    expect((await nurse.get(`/people/${jay}`)).status).toBe(403)
    const short = await nurse.post('/access/break-glass', { recordType: 'person', recordId: jay, reason: 'need', returnTo: `/people/${jay}` })
    expect(short.status).toBe(400)
    expect(await short.text()).toContain('at least 10 characters')
    const ok = await nurse.post('/access/break-glass', { recordType: 'person', recordId: jay, reason: 'Attended A&E with a child he brought in; need to safeguard', returnTo: `/people/${jay}` })
    expect(ok.status).toBe(302)
    expect((await nurse.get(`/people/${jay}`)).status).toBe(200)
    const events = await app.database.db.selectFrom('audit_events').select(['action', 'reason']).where('record_id', '=', jay).where('user_email', '=', 'h.evans@lantern.test').orderBy('id').execute()
    expect(events.map((e) => e.action)).toEqual(['access-denied', 'break-glass', 'view'])
  })

  it('never shows a panel member a person, whoever owns it', async () => {
    const panel = new TestClient(app.baseUrl)
    await panel.signIn('panel@lantern.test')
    const res = await panel.get(`/people/${await personId('Kyle', 'Marsh')}`)
    expect(res.status).toBe(403)
    expect(await res.text()).not.toContain('Why do you need to see this record?')
  })
})

describe('editing a person', () => {
  it('refuses the second of two overlapping edits rather than overwriting the first', async () => {
    const kyle = await personId('Kyle', 'Marsh')
    const a = new TestClient(app.baseUrl)
    const b = new TestClient(app.baseUrl)
    await a.signIn('practitioner@lantern.test')
    await b.signIn('manager@lantern.test')
    const formA = await (await a.get(`/people/${kyle}/edit`)).text()
    await b.get(`/people/${kyle}/edit`)
    const version = formA.match(/name="version" value="(\d+)"/)![1]
    const person = await app.database.db.selectFrom('people').selectAll().where('id', '=', kyle).executeTakeFirstOrThrow()
    const [y, m, d] = person.date_of_birth!.split('-')
    const form = {
      version,
      kind: 'child',
      givenName: 'Kyle',
      familyName: 'Marsh',
      'dob-day': d,
      'dob-month': m,
      'dob-year': y,
      gender: 'male',
      homeAreaId: person.home_area_id!,
      currentAreaId: person.current_area_id!,
    }
    expect((await a.post(`/people/${kyle}/edit`, { ...form, school: 'Havant Sixth Form College' })).status).toBe(302)
    const second = await b.post(`/people/${kyle}/edit`, { ...form, school: 'Somewhere else' })
    // The shared conflict page: each answer as typed and as saved now, the ones that differ marked.
    const conflict = await conflictPage(second)
    expect(row(conflict, 'School')).toEqual({ question: 'School', mine: 'Somewhere else', theirs: 'Havant Sixth Form College', differs: true })
    expect(row(conflict, 'Given name').differs).toBe(false)
    expect(conflict.keepMine?.fields).toContainEqual(['school', 'Somewhere else'])
    const after = await app.database.db.selectFrom('people').select('school').where('id', '=', kyle).executeTakeFirstOrThrow()
    expect(after.school).toBe('Havant Sixth Form College')
  })
})

// Case notes (in this file so the app and its demo are started once for the people module).
const noteClients: Record<string, TestClient> = {}
const EMAILS = { practitioner: 'practitioner@lantern.test', officer: 'officer@lantern.test', manager: 'manager@lantern.test', analyst: 'analyst@lantern.test', nurse: 'h.evans@lantern.test', panel: 'panel@lantern.test' }
let kyle: string
beforeAll(async () => {
  for (const [key, email] of Object.entries(EMAILS)) {
    noteClients[key] = new TestClient(app.baseUrl)
    await noteClients[key].signIn(email)
  }
  kyle = await personId('Kyle', 'Marsh')
})

const db = () => app.database.db
/** The app's today, as the note form's date fields. */
const today = () => app.clock.today().split('-')
const note = (body: string, extra: Record<string, string | string[]> = {}) => ({
  kind: 'intelligence',
  body,
  'occurred-day': today()[2],
  'occurred-month': today()[1],
  'occurred-year': today()[0],
  sensitivity: 'standard',
  gradeSource: '2',
  gradeAssessment: 'B',
  gradeHandling: 'P',
  ...extra,
})
const countNotes = async () => Number((await db().selectFrom('person_notes').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)

describe('police-only case notes', () => {
  const secret = 'Seen with the line holder at the trap house on Elm Road; source is sensitive'

  it('lets a police officer add a police-only note that only police users can read, anywhere', async () => {
    const res = await noteClients.officer.post(`/people/${kyle}/notes/new`, note(secret, { sensitivity: 'police_only' }))
    expect(res.status).toBe(302)
    const saved = await db().selectFrom('person_notes').selectAll().where('body', '=', secret).executeTakeFirstOrThrow()
    expect(saved).toMatchObject({ person_id: kyle, sensitivity: 'police_only' })

    // Police: the note and its timeline entry.
    expect(await (await noteClients.officer.get(`/people/${kyle}/notes`)).text()).toContain(secret)
    expect(await (await noteClients.analyst.get(`/people/${kyle}/notes`)).text()).toContain(secret)
    expect(await (await noteClients.officer.get(`/people/${kyle}/history`)).text()).toContain('Intelligence note added, graded 2BP (police only)')

    // The council sharing the case: neither the note, nor that it exists.
    const notes = await (await noteClients.practitioner.get(`/people/${kyle}/notes`)).text()
    expect(notes).not.toContain(secret)
    expect(notes).not.toContain('Police only')
    const history = await (await noteClients.practitioner.get(`/people/${kyle}/history`)).text()
    expect(history).not.toContain('police only')
    const csv = await (await noteClients.manager.get(`/people/${kyle}/notes.csv`)).text()
    expect(csv).not.toContain('trap house on Elm Road')
    expect(csv).not.toContain('Police only')
    // A police analyst's export does include it.
    expect(await (await noteClients.analyst.get(`/people/${kyle}/notes.csv`)).text()).toContain('trap house on Elm Road')

    const audit = await db().selectFrom('audit_events').select(['action', 'details']).where('record_type', '=', 'person_note').where('record_id', '=', saved.id).execute()
    expect(audit).toEqual([{ action: 'create', details: { personId: kyle, sensitivity: 'police_only', grade: '2BP', handlingAgencyIds: [] } }])
  })

  it('refuses a police-only marking from someone outside the police, and saves nothing', async () => {
    const before = await countNotes()
    const res = await noteClients.practitioner.post(`/people/${kyle}/notes/new`, note('Council note marked police only', { sensitivity: 'police_only' }))
    expect(res.status).toBe(400)
    expect(await res.text()).toContain('Only police staff can mark a note police-only')
    expect(await countNotes()).toBe(before)
  })

  it('shows a council practitioner no sensitivity choice', async () => {
    const form = await (await noteClients.practitioner.get(`/people/${kyle}/notes/new`)).text()
    expect(form).not.toContain('Who may read this note?')
    expect(await (await noteClients.officer.get(`/people/${kyle}/notes/new`)).text()).toContain('Who may read this note?')
  })
})

describe('adding a note', () => {
  it('keeps the answers and explains each problem: no note, no kind, a future date', async () => {
    const before = await countNotes()
    const res = await noteClients.practitioner.post(`/people/${kyle}/notes/new`, { body: '   ', 'occurred-day': '1', 'occurred-month': '1', 'occurred-year': String(Number(today()[0]) + 1), sensitivity: 'standard' })
    expect(res.status).toBe(400)
    const html = await res.text()
    expect(html).toContain('Error: Add a note')
    expect(html).toContain('Select what kind of note this is')
    expect(html).toContain('Enter the note')
    expect(html).toContain('The date must be today or in the past')
    expect(html).toContain(`value="${Number(today()[0]) + 1}"`)
    expect(await countNotes()).toBe(before)
  })

  it('saves a note every agency sharing the case can read, on the timeline, audited', async () => {
    const body = 'Visited with mum; Kyle at home and engaging.\nAgreed next steps.'
    const res = await noteClients.practitioner.post(`/people/${kyle}/notes/new`, note(body, { kind: 'visit' }))
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toBe(`/people/${kyle}/notes`)
    const officerView = await (await noteClients.officer.get(`/people/${kyle}/notes`)).text()
    expect(officerView).toContain('Visited with mum; Kyle at home and engaging.')
    expect(await (await noteClients.practitioner.get(`/people/${kyle}/history`)).text()).toContain('Home or placement visit note added')
    const views = await db().selectFrom('audit_events').select('details').where('action', '=', 'view').where('record_id', '=', kyle).where('user_email', '=', EMAILS.officer).execute()
    expect(views.some((v) => (v.details as { page?: string } | null)?.page === 'notes')).toBe(true)
  })

  it('keeps notes from people without a need to know, and from roles that never see people', async () => {
    expect((await noteClients.nurse.get(`/people/${kyle}/notes`)).status).toBe(403)
    expect((await noteClients.nurse.post(`/people/${kyle}/notes/new`, note('Should not save'))).status).toBe(403)
    expect((await noteClients.panel.get(`/people/${kyle}/notes`)).status).toBe(403)
    expect((await noteClients.practitioner.get(`/people/${kyle}/notes.csv`)).status).toBe(403)
  })
})

describe('graded intelligence notes (3x5x2)', () => {
  it('refuses intelligence without its grade, and C without conditions, keeping the answers and saving nothing', async () => {
    const before = await countNotes()
    const ungraded = await noteClients.officer.post(`/people/${kyle}/notes/new`, note('Ungraded intelligence', { gradeSource: '', gradeAssessment: 'Z', gradeHandling: '' }))
    expect(ungraded.status).toBe(400)
    const html = await ungraded.text()
    for (const message of ['Select the source evaluation', 'Select the intelligence assessment', 'Select the handling code']) expect(html).toContain(message)
    expect(html).toContain('Ungraded intelligence')
    const noConditions = await noteClients.officer.post(`/people/${kyle}/notes/new`, note('C without conditions', { gradeHandling: 'C' }))
    expect(noConditions.status).toBe(400)
    expect(await noConditions.text()).toContain('Enter the conditions that apply under handling code C')
    const badAgency = await noteClients.officer.post(`/people/${kyle}/notes/new`, note('Unknown agency', { gradeHandling: 'C', handlingConditions: 'x', handlingAgencies: '00000000-0000-4000-8000-000000000000' }))
    expect(badAgency.status).toBe(400)
    expect(await countNotes()).toBe(before)
  })

  it('under handling code C, only the author’s agency and the agencies named read the note, or learn it exists', async () => {
    const county = (await db().selectFrom('agencies').select('id').where('name', '=', 'Hampshire County Council').executeTakeFirstOrThrow()).id
    const closed = 'Handled C for the police alone: a source inside the line'
    const named = 'Handled C and given to the council: the debt is £800'
    const conditions = { gradeSource: '3', gradeAssessment: 'C', gradeHandling: 'C', handlingConditions: 'Safeguarding planning only' }
    expect((await noteClients.officer.post(`/people/${kyle}/notes/new`, note(closed, conditions))).status).toBe(302)
    expect((await noteClients.officer.post(`/people/${kyle}/notes/new`, note(named, { ...conditions, handlingAgencies: [county] }))).status).toBe(302)

    const police = await (await noteClients.analyst.get(`/people/${kyle}/notes`)).text()
    expect(police).toContain(closed)
    expect(police).toContain('Graded 3CC')
    expect(police).toContain('Safeguarding planning only. Read by Hampshire and Isle of Wight Constabulary and Hampshire County Council only.')

    const council = await (await noteClients.practitioner.get(`/people/${kyle}/notes`)).text()
    expect(council).toContain(named)
    expect(council).not.toContain(closed)
    const csv = await (await noteClients.manager.get(`/people/${kyle}/notes.csv`)).text()
    expect(csv).toContain(named)
    expect(csv).not.toContain(closed)
    // One "graded 3CC" line on the council's history: the named note's, not the closed one's.
    const history = await (await noteClients.practitioner.get(`/people/${kyle}/history`)).text()
    expect(history.match(/Intelligence note added, graded 3CC/g)?.length).toBe((await (await noteClients.officer.get(`/people/${kyle}/history`)).text()).match(/Intelligence note added, graded 3CC/g)!.length - 1)
  })

  it('narrows the notes by kind and grade, and says so when nothing matches', async () => {
    const graded = await (await noteClients.officer.get(`/people/${kyle}/notes?kind=intelligence&assessment=C&source=3`)).text()
    expect(graded).toContain('Graded 3CC')
    expect(graded).not.toContain('Graded 2BP')
    expect(graded.match(/data-testid="note"/g)!.length).toBe(graded.match(/data-testid="note-grade">Graded 3CC/g)!.length)
    const none = await noteClients.officer.get(`/people/${kyle}/notes?kind=visit&handling=C`)
    expect(none.status).toBe(200)
    expect(await none.text()).toContain('No notes match these filters.')
    // Nonsense in the query is ignored, never a 500.
    expect((await noteClients.officer.get(`/people/${kyle}/notes?kind=x&assessment=Q&handling=Z`)).status).toBe(200)
  })
})
