import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../../../test/support/app.ts'
import { TestClient } from '../../../test/support/http.ts'
import { conflictPage, keepMine, row } from '../../../test/support/conflict.ts'
import { testDatabaseKinds } from '../../../test/support/databases.ts'
import { missingEpisodesByAreaMonth, missingInLastDays } from '../missing/store.ts'
import { nrmReferralsByMonth } from '../referrals/store.ts'
import { DEFAULT_TOOL_V1 } from './default-tool.ts'
import { reviewDueOn } from './scoring.ts'
import { assessmentsForPerson, latestAssessment, ragCountsByAreaMonth } from './store.ts'

const versionOf = (html: string) => html.match(/name="version" value="(\d+)"/)![1]
const personVersionOf = (html: string) => html.match(/name="personVersion" value="(\d+)"/)![1]
const computedLevel = (html: string) => html.match(/Computed level: <strong class="govuk-tag [^"]+ lantern-rag">(\w+)</)![1].toLowerCase()

describe.each(testDatabaseKinds())('risk screening on $name', (kind) => {
  let app: TestApp
  const clients: Record<string, TestClient> = {}

  beforeAll(async () => {
    app = await startTestApp({ kind })
    for (const [key, email] of Object.entries({ practitioner: 'practitioner@lantern.test', manager: 'manager@lantern.test', admin: 'admin@lantern.test', officer: 'officer@lantern.test' })) {
      clients[key] = new TestClient(app.baseUrl)
      await clients[key].signIn(email)
    }
  })
  afterAll(async () => {
    await app?.close()
  })

  const db = () => app.database.db
  const personId = async (given: string, family: string) =>
    (await db().selectFrom('people').select('id').where('given_name', '=', given).where('family_name', '=', family).executeTakeFirstOrThrow()).id

  let made = 0
  /** A new child recorded by the practitioner (so the tests never share a record). */
  async function newChild(options: { age?: number; flags?: string[] } = {}) {
    const havant = (await db().selectFrom('areas').select('id').where('name', '=', 'Havant').executeTakeFirstOrThrow()).id
    const year = Number(app.clock.today().slice(0, 4)) - (options.age ?? 15) - 1
    const res = await clients.practitioner.post('/people/new', {
      kind: 'child',
      givenName: `Test${++made}`,
      familyName: 'Screening',
      // Every test child shares a surname and birthday, so the duplicate check would rightly ask.
      confirmedNoMatch: 'yes',
      'dob-day': '1',
      'dob-month': '6',
      'dob-year': String(year),
      gender: 'male',
      homeAreaId: havant,
      currentAreaId: havant,
      ...(options.flags ? { flags: options.flags } : {}),
    })
    expect(res.status).toBe(302)
    return res.headers.get('location')!.split('/').pop()!
  }

  async function start(client: TestClient, id: string) {
    const res = await client.post(`/people/${id}/risk/screenings`, {})
    expect(res.status).toBe(302)
    return res.headers.get('location')!.split('/').pop()!
  }

  /** Answers every section: the named indicators current or recent, the rest not present. */
  async function answerAll(client: TestClient, id: string, sid: string, current: string[], recent: string[] = []) {
    for (const group of DEFAULT_TOOL_V1.groups) {
      // The version the page would carry (reading it from the database keeps the test quick).
      const { version } = await db().selectFrom('risk_assessments').select('version').where('id', '=', sid).executeTakeFirstOrThrow()
      const form: Record<string, string> = { version: String(version), action: 'continue' }
      for (const i of group.indicators) form[`status-${i.key}`] = current.includes(i.key) ? 'current' : recent.includes(i.key) ? 'recent' : 'not_present'
      const res = await client.post(`/people/${id}/risk/screenings/${sid}/sections/${group.key}`, form)
      expect(res.status).toBe(302)
    }
  }

  async function summary(client: TestClient, id: string, sid: string) {
    const res = await client.get(`/people/${id}/risk/screenings/${sid}/summary`)
    expect(res.status).toBe(200)
    const html = await res.text()
    return { html, version: versionOf(html), personVersion: personVersionOf(html) }
  }

  it('finishes an Amber screening: the child’s rating, rating date, review date and version change together, with a timeline event and audit', async () => {
    const id = await newChild()
    const before = await db().selectFrom('people').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    const sid = await start(clients.practitioner, id)
    const list = await (await clients.practitioner.get(`/people/${id}/risk/screenings/${sid}`)).text()
    expect(list).toContain('Missing and location')
    expect(list).toContain('Not yet started')
    await answerAll(clients.practitioner, id, sid, ['missing_repeated', 'older_associates'], ['exclusion'])
    const s = await summary(clients.practitioner, id, sid)
    expect(s.html).toContain('Computed level: <strong class="govuk-tag govuk-tag--yellow lantern-rag">Amber</strong>')
    expect(s.html).toContain('A score of 14 from 3 indicators present falls in the Amber (12 to 29) band.')
    expect(s.html).toContain('Repeated missing episodes (two or more)')
    const res = await clients.practitioner.post(`/people/${id}/risk/screenings/${sid}/summary`, { finalLevel: 'amber', version: s.version, personVersion: s.personVersion, analysis: 'Plan agreed with the school.' })
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toBe(`/people/${id}/risk`)

    const after = await db().selectFrom('people').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    expect(after.current_rag).toBe('amber')
    expect(after.next_review_due).toBe(reviewDueOn(DEFAULT_TOOL_V1, 'amber', app.clock.today()))
    expect(after.version).toBe(before.version + 1)
    expect(after.current_rag_at).not.toBeNull()
    const a = await db().selectFrom('risk_assessments').selectAll().where('id', '=', sid).executeTakeFirstOrThrow()
    expect(a).toMatchObject({ status: 'final', tool_version: 1, computed_level: 'amber', final_level: 'amber', computed_score: 14, kind: 'initial', analysis: 'Plan agreed with the school.' })
    expect(a.explanation!.reasons[0]).toContain('Amber (12 to 29)')
    const events = await db().selectFrom('person_events').select(['kind', 'summary']).where('person_id', '=', id).where('kind', '=', 'assessment').execute()
    expect(events).toHaveLength(1)
    expect(events[0].summary).toMatch(/^Rated Amber \(screening, score 14\); next review by /)
    const audit = await db().selectFrom('audit_events').select(['action', 'record_type']).where('record_id', 'in', [id, sid]).orderBy('id').execute()
    expect(audit).toEqual(expect.arrayContaining([{ action: 'submit', record_type: 'risk_assessment' }, { action: 'update', record_type: 'person' }, { action: 'create', record_type: 'risk_assessment' }]))

    const page = await (await clients.practitioner.get(`/people/${id}/risk`)).text()
    expect(page).toContain('This is the first rating.')
    expect(page).toContain('data-testid="risk-chart"')
    expect(page).toMatch(/Current rating\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*<strong class="govuk-tag govuk-tag--yellow lantern-rag">Amber<\/strong>/)
  })

  it('keeps a draft section by section, and refuses the second of two saves of the same draft', async () => {
    const id = await newChild()
    const sid = await start(clients.practitioner, id)
    // Starting again opens the same draft rather than a second one.
    expect(await start(clients.practitioner, id)).toBe(sid)
    const page = await (await clients.practitioner.get(`/people/${id}/risk/screenings/${sid}/sections/money`)).text()
    const version = versionOf(page)
    const later = await clients.practitioner.post(`/people/${id}/risk/screenings/${sid}/sections/money`, { version, action: 'later', 'status-unexplained_cash': 'current', 'note-unexplained_cash': 'Had £200 in his bag' })
    expect(later.status).toBe(302)
    expect(later.headers.get('location')).toBe(`/people/${id}/risk/screenings/${sid}`)
    const list = await (await clients.practitioner.get(`/people/${id}/risk/screenings/${sid}`)).text()
    expect(list).toContain('In progress (1 of 5)')
    const saved = await db().selectFrom('risk_assessments').select(['answers', 'status']).where('id', '=', sid).executeTakeFirstOrThrow()
    expect(saved).toEqual({ status: 'draft', answers: { unexplained_cash: { status: 'current', note: 'Had £200 in his bag' } } })
    // A colleague who opened the same page before that save is refused, and nothing of theirs is kept.
    const stale = await clients.manager.post(`/people/${id}/risk/screenings/${sid}/sections/money`, { version, action: 'later', 'status-unexplained_cash': 'not_present' })
    // The shared conflict page, each question and answer in the screening's own words.
    const conflict = await conflictPage(stale)
    expect(row(conflict, 'Unexplained money or cash')).toEqual({ question: 'Unexplained money or cash', mine: 'Not present', theirs: 'Current (in the last 3 months)', differs: true })
    expect(row(conflict, 'Note on “Unexplained money or cash”')).toMatchObject({ mine: '(blank)', theirs: 'Had £200 in his bag', differs: true })
    expect(conflict.rows.map((r) => r.question)).not.toContain('Action')
    expect((await db().selectFrom('risk_assessments').select('answers').where('id', '=', sid).executeTakeFirstOrThrow()).answers.unexplained_cash.status).toBe('current')
    // Keeping the colleague's answer saves it over the first, having seen it.
    expect((await keepMine(clients.manager, conflict)).status).toBe(302)
    expect((await db().selectFrom('risk_assessments').select('answers').where('id', '=', sid).executeTakeFirstOrThrow()).answers.unexplained_cash.status).toBe('not_present')
  })

  it('refuses bad input with GOV.UK messages and saves nothing: an unknown indicator, an unanswered question, a different level with no reason, unfinished sections', async () => {
    const id = await newChild()
    const sid = await start(clients.practitioner, id)
    const v = versionOf(await (await clients.practitioner.get(`/people/${id}/risk/screenings/${sid}/sections/education`)).text())
    const unknown = await clients.practitioner.post(`/people/${id}/risk/screenings/${sid}/sections/education`, { version: v, action: 'continue', 'status-exclusion': 'current', 'status-attendance': 'current', 'status-performance': 'current', 'status-found_with_drug': 'current' })
    expect(unknown.status).toBe(400)
    const unknownHtml = await unknown.text()
    expect(unknownHtml).toContain('There is a problem')
    expect(unknownHtml).toContain('not in this section of the tool (“found_with_drug”)')
    const missingAnswer = await clients.practitioner.post(`/people/${id}/risk/screenings/${sid}/sections/education`, { version: v, action: 'continue', 'status-exclusion': 'current' })
    expect(missingAnswer.status).toBe(400)
    expect(await missingAnswer.text()).toContain('Select whether “Falling attendance, or missing from education” is not present, recent or current')
    expect((await db().selectFrom('risk_assessments').select(['answers', 'version']).where('id', '=', sid).executeTakeFirstOrThrow()).answers).toEqual({})

    // Finishing before every section is complete.
    const early = await summary(clients.practitioner, id, sid)
    const incomplete = await clients.practitioner.post(`/people/${id}/risk/screenings/${sid}/summary`, { finalLevel: 'green', version: early.version, personVersion: early.personVersion })
    expect(incomplete.status).toBe(400)
    expect(await incomplete.text()).toContain('Complete the section “Missing and location”')

    await answerAll(clients.practitioner, id, sid, ['behaviour_change'])
    const s = await summary(clients.practitioner, id, sid)
    const noReason = await clients.practitioner.post(`/people/${id}/risk/screenings/${sid}/summary`, { finalLevel: 'amber', version: s.version, personVersion: s.personVersion })
    expect(noReason.status).toBe(400)
    const html = await noReason.text()
    expect(html).toMatch(/<title>Error: /)
    expect(html).toContain('Explain why you are setting Amber rather than the computed Green')
    expect((await db().selectFrom('risk_assessments').select('status').where('id', '=', sid).executeTakeFirstOrThrow()).status).toBe('draft')
    expect((await db().selectFrom('people').select('current_rag').where('id', '=', id).executeTakeFirstOrThrow()).current_rag).toBeNull()

    // With a reason, the practitioner's level stands beside the computed one.
    const withReason = await clients.practitioner.post(`/people/${id}/risk/screenings/${sid}/summary`, { finalLevel: 'amber', overrideReason: 'Brother is a known line runner; family under pressure.', version: s.version, personVersion: s.personVersion })
    expect(withReason.status).toBe(302)
    expect(await db().selectFrom('risk_assessments').select(['computed_level', 'final_level', 'override_reason']).where('id', '=', sid).executeTakeFirstOrThrow()).toEqual({
      computed_level: 'green',
      final_level: 'amber',
      override_reason: 'Brother is a known line runner; family under pressure.',
    })
  })

  it('refuses to finish when the child’s record changed after the summary was opened', async () => {
    const id = await newChild()
    const sid = await start(clients.practitioner, id)
    await answerAll(clients.practitioner, id, sid, [])
    const s = await summary(clients.practitioner, id, sid)
    await db().updateTable('people').set((eb) => ({ version: eb('version', '+', 1) })).where('id', '=', id).execute()
    const res = await clients.practitioner.post(`/people/${id}/risk/screenings/${sid}/summary`, { finalLevel: 'green', version: s.version, personVersion: s.personVersion })
    expect(res.status).toBe(409)
    expect((await db().selectFrom('risk_assessments').select('status').where('id', '=', sid).executeTakeFirstOrThrow()).status).toBe('draft')
    expect((await db().selectFrom('people').select('current_rag').where('id', '=', id).executeTakeFirstOrThrow()).current_rag).toBeNull()
  })

  it('applies the under-13 hard rule and says so', async () => {
    const id = await newChild({ age: 11 })
    const sid = await start(clients.practitioner, id)
    await answerAll(clients.practitioner, id, sid, ['isolation'])
    const s = await summary(clients.practitioner, id, sid)
    expect(s.html).toContain('Raised to Amber by a hard rule: A child under 13 or with a learning disability cannot be rated Green when any indicator is current')
    expect(s.html).toContain('Raised the level to Amber')
  })

  it('holds a practitioner’s Red for a manager, who confirms it; the practitioner cannot', async () => {
    const id = await newChild()
    const sid = await start(clients.practitioner, id)
    await answerAll(clients.practitioner, id, sid, ['running_drugs'])
    const s = await summary(clients.practitioner, id, sid)
    const res = await clients.practitioner.post(`/people/${id}/risk/screenings/${sid}/summary`, { finalLevel: 'red', version: s.version, personVersion: s.personVersion })
    expect(res.status).toBe(302)
    const person = await db().selectFrom('people').select(['current_rag', 'next_review_due']).where('id', '=', id).executeTakeFirstOrThrow()
    expect(person).toEqual({ current_rag: 'red', next_review_due: reviewDueOn(DEFAULT_TOOL_V1, 'red', app.clock.today()) })
    const riskPage = await (await clients.practitioner.get(`/people/${id}/risk`)).text()
    expect(riskPage).toContain('Red – awaiting manager confirmation')
    // Every view of the rating says it is unconfirmed: the identity bar on each page about them and the register.
    const { given_name } = await db().selectFrom('people').select('given_name').where('id', '=', id).executeTakeFirstOrThrow()
    const ratingShown = async () => {
      const bar = (await (await clients.manager.get(`/people/${id}/notes`)).text()).match(/data-testid="current-rag">([\s\S]*?)<\/dd>/)![1]
      const register = await (await clients.manager.get(`/register?q=${given_name}`)).text()
      const row = register.slice(register.indexOf(`/people/${id}`)).split('</tr>')[0]
      return { bar, row }
    }
    const waiting = await ratingShown()
    expect(waiting.bar).toMatch(/Red[\s\S]*awaiting manager confirmation/)
    expect(waiting.row).toMatch(/Red[\s\S]*awaiting confirmation/)

    const a = await db().selectFrom('risk_assessments').select(['status', 'version']).where('id', '=', sid).executeTakeFirstOrThrow()
    expect(a.status).toBe('awaiting_confirmation')
    const denied = await clients.practitioner.post(`/people/${id}/risk/screenings/${sid}/confirm`, { version: String(a.version), decision: 'confirm' })
    expect(denied.status).toBe(403)

    const queue = await (await clients.manager.get('/risk/awaiting-confirmation')).text()
    expect(queue).toContain(`/people/${id}/risk/screenings/${sid}`)
    const confirm = await clients.manager.post(`/people/${id}/risk/screenings/${sid}/confirm`, { version: String(a.version), decision: 'confirm' })
    expect(confirm.status).toBe(302)
    const done = await db().selectFrom('risk_assessments').select(['status', 'confirmation_outcome', 'confirmed_by']).where('id', '=', sid).executeTakeFirstOrThrow()
    const manager = await db().selectFrom('users').select('id').where('email', '=', 'manager@lantern.test').executeTakeFirstOrThrow()
    expect(done).toEqual({ status: 'final', confirmation_outcome: 'confirmed', confirmed_by: manager.id })
    const timeline = await db().selectFrom('person_events').select('summary').where('person_id', '=', id).where('kind', 'like', 'assessment%').orderBy('at').execute()
    expect(timeline.map((t) => t.summary)).toEqual([expect.stringMatching(/^Rated Red – awaiting manager confirmation/), 'Red rating confirmed by Priya Natarajan, manager'])
    expect(await (await clients.practitioner.get(`/people/${id}/risk`)).text()).not.toContain('Red – awaiting manager confirmation')
    const confirmed = await ratingShown()
    expect(confirmed.bar).toContain('Red')
    expect(confirmed.bar).not.toContain('awaiting')
    expect(confirmed.row).toContain('Red')
    expect(confirmed.row).not.toContain('awaiting')
    // Confirming twice is refused.
    expect((await clients.manager.post(`/people/${id}/risk/screenings/${sid}/confirm`, { version: String(a.version), decision: 'confirm' })).status).toBe(409)
  })

  it('lets a manager set another level instead of Red, with a reason, and moves the review date with it', async () => {
    const waiting = await db().selectFrom('risk_assessments').select(['id', 'person_id', 'version']).where('status', '=', 'awaiting_confirmation').orderBy('submitted_at').executeTakeFirstOrThrow()
    const url = `/people/${waiting.person_id}/risk/screenings/${waiting.id}/confirm`
    const noReason = await clients.manager.post(url, { version: String(waiting.version), decision: 'change', level: 'amber' })
    expect(noReason.status).toBe(400)
    expect(await noReason.text()).toContain('Explain why you are not confirming Red')
    const ok = await clients.manager.post(url, { version: String(waiting.version), decision: 'change', level: 'amber', note: 'Discussed at MACE: exploitation not evidenced; Amber with a safety plan.' })
    expect(ok.status).toBe(302)
    const person = await db().selectFrom('people').select(['current_rag', 'next_review_due']).where('id', '=', waiting.person_id).executeTakeFirstOrThrow()
    expect(person).toEqual({ current_rag: 'amber', next_review_due: reviewDueOn(DEFAULT_TOOL_V1, 'amber', app.clock.today()) })
    expect(await db().selectFrom('risk_assessments').select(['final_level', 'confirmation_outcome', 'status']).where('id', '=', waiting.id).executeTakeFirstOrThrow()).toEqual({ final_level: 'amber', confirmation_outcome: 'changed', status: 'final' })
  })

  it('suggests the missing-and-location answers from the episodes Lantern holds, without choosing them', async () => {
    const kyle = await personId('Kyle', 'Marsh')
    const sid = await start(clients.practitioner, kyle)
    const html = await (await clients.practitioner.get(`/people/${kyle}/risk/screenings/${sid}/sections/missing`)).text()
    expect(html).toMatch(/data-testid="suggestion-missing_repeated"><strong>Suggested from Lantern’s records: Current \(in the last 3 months\)\.<\/strong> Lantern holds 2 missing episodes in the last 3 months/)
    expect(html).toMatch(/data-testid="suggestion-found_out_of_area"><strong>Suggested from Lantern’s records: Current/)
    // The review starts from last time's answer, marked to check; the suggestion sits beside it.
    const last = (await db().selectFrom('risk_assessments').select('answers').where('person_id', '=', kyle).where('status', '=', 'final').orderBy('submitted_at', 'desc').executeTakeFirstOrThrow()).answers
    expect(html).toContain('data-testid="carried-missing_repeated"')
    expect(html).toMatch(new RegExp(`name="status-missing_repeated" type="radio" value="${last.missing_repeated.status}" checked`))
    const a = await db().selectFrom('risk_assessments').select(['kind', 'tool_version']).where('id', '=', sid).executeTakeFirstOrThrow()
    expect(a).toEqual({ kind: 'review', tool_version: 1 })
  })

  it('starts a review from the last answers and notes, each marked "from last time, check it" until checked, and refuses to finish until all are', async () => {
    const id = await newChild()
    const first = await start(clients.practitioner, id)
    await answerAll(clients.practitioner, id, first, ['missing_repeated', 'older_associates'], ['exclusion'])
    const missingGroup = DEFAULT_TOOL_V1.groups.find((g) => g.key === 'missing')!
    // A note on the first screening, to see it carried.
    const v1 = (await db().selectFrom('risk_assessments').select('version').where('id', '=', first).executeTakeFirstOrThrow()).version
    const noted: Record<string, string> = { version: String(v1), action: 'continue', 'note-missing_repeated': 'Missing three weekends running' }
    for (const i of missingGroup.indicators) noted[`status-${i.key}`] = i.key === 'missing_repeated' ? 'current' : 'not_present'
    expect((await clients.practitioner.post(`/people/${id}/risk/screenings/${first}/sections/missing`, noted)).status).toBe(302)
    const s1 = await summary(clients.practitioner, id, first)
    expect((await clients.practitioner.post(`/people/${id}/risk/screenings/${first}/summary`, { finalLevel: 'amber', version: s1.version, personVersion: s1.personVersion, analysis: 'Drawn to older boys in Havant.' })).status).toBe(302)

    const sid = await start(clients.practitioner, id)
    expect(sid).not.toBe(first)
    const list = await (await clients.practitioner.get(`/people/${id}/risk/screenings/${sid}`)).text()
    expect(list).toContain(`${missingGroup.indicators.length} from last time to check`)
    expect(list).toContain('You have completed 0 of')
    const section = await (await clients.practitioner.get(`/people/${id}/risk/screenings/${sid}/sections/missing`)).text()
    expect(section).toContain('data-testid="carried-missing_repeated"')
    expect(section).toContain('From last time, check it')
    expect(section).toMatch(/name="status-missing_repeated" type="radio" value="current" checked/)
    expect(section).toContain('Missing three weekends running')
    expect((await summary(clients.practitioner, id, sid)).html).toContain('Drawn to older boys in Havant.')

    // Saving for later leaves untouched answers marked; a changed one is checked.
    const version = () => db().selectFrom('risk_assessments').select(['version', 'answers']).where('id', '=', sid).executeTakeFirstOrThrow()
    const later: Record<string, string> = { version: String((await version()).version), action: 'later' }
    for (const i of missingGroup.indicators) later[`status-${i.key}`] = i.key === 'missing_repeated' ? 'recent' : 'not_present'
    expect((await clients.practitioner.post(`/people/${id}/risk/screenings/${sid}/sections/missing`, later)).status).toBe(302)
    const saved = (await version()).answers
    expect(saved.missing_repeated).toEqual({ status: 'recent', note: null })
    expect(missingGroup.indicators.filter((i) => i.key !== 'missing_repeated').every((i) => saved[i.key].carried)).toBe(true)

    // Not finished while any answer is unchecked.
    const early = await summary(clients.practitioner, id, sid)
    const refused = await clients.practitioner.post(`/people/${id}/risk/screenings/${sid}/summary`, { finalLevel: 'amber', version: early.version, personVersion: early.personVersion })
    expect(refused.status).toBe(400)
    expect(await refused.text()).toContain('Check the answers carried from last time in “Missing and location”')

    // "Save and continue" on every page is the check; then it finishes as any review.
    await answerAll(clients.practitioner, id, sid, ['older_associates'], ['missing_repeated'])
    expect(Object.values((await version()).answers).some((a) => a.carried)).toBe(false)
    const done = await summary(clients.practitioner, id, sid)
    expect((await clients.practitioner.post(`/people/${id}/risk/screenings/${sid}/summary`, { finalLevel: computedLevel(done.html), version: done.version, personVersion: done.personVersion })).status).toBe(302)
    const audit = await db().selectFrom('audit_events').select('details').where('record_type', '=', 'risk_assessment').where('record_id', '=', sid).where('action', '=', 'create').executeTakeFirstOrThrow()
    expect(audit.details).toMatchObject({ carriedFrom: first })
  })

  it('puts a review due now on Home and the risk page after a serious episode, until a rating is set or the episode is voided', async () => {
    const id = await newChild()
    const sid = await start(clients.practitioner, id)
    await answerAll(clients.practitioner, id, sid, [])
    const s = await summary(clients.practitioner, id, sid)
    expect((await clients.practitioner.post(`/people/${id}/risk/screenings/${sid}/summary`, { finalLevel: 'green', version: s.version, personVersion: s.personVersion })).status).toBe(302)
    const item = async () => {
      const html = await (await clients.practitioner.get('/dashboard')).text()
      const start = html.indexOf('data-testid="worklist-reviews"')
      const list = html.slice(start, html.indexOf('</section>', start))
      const at = list.indexOf(`href="/people/${id}/risk"`)
      return at < 0 ? '' : list.slice(at, list.indexOf('</li>', at))
    }
    expect(await item()).toBe('')

    const portsmouth = (await db().selectFrom('areas').select('id').where('name', '=', 'Portsmouth').executeTakeFirstOrThrow()).id
    const at = (name: string, hours: number) => {
      const d = new Date(app.clock.now().getTime() - hours * 3600_000)
      const [date, time] = [d.toLocaleDateString('en-CA', { timeZone: 'Europe/London' }), d.toLocaleTimeString('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit' })]
      const [y, m, dd] = date.split('-')
      return { [`${name}-day`]: String(Number(dd)), [`${name}-month`]: String(Number(m)), [`${name}-year`]: y, [`${name}-time`]: time }
    }
    // Home for a night, found at home: not serious.
    expect((await clients.practitioner.post(`/people/${id}/missing/new`, { ...at('missing', 40), ...at('found', 30), foundAreaId: (await db().selectFrom('people').select('current_area_id').where('id', '=', id).executeTakeFirstOrThrow()).current_area_id!, foundBy: 'parent_or_carer' })).status).toBe(302)
    expect(await item()).toBe('')
    // Found out of area with drugs: serious.
    const res = await clients.practitioner.post(`/people/${id}/missing/new`, { ...at('missing', 20), ...at('found', 10), foundAreaId: portsmouth, foundBy: 'police', concerns: ['drugs'] })
    expect(res.status).toBe(302)
    const episode = res.headers.get('location')!.split('/').pop()!
    expect(await item()).toContain('Review due now: serious missing episode')
    const risk = await (await clients.practitioner.get(`/people/${id}/risk`)).text()
    expect(risk).toContain('data-testid="review-prompted"')
    expect(risk).toContain('found out of area, found with signs of harm or exploitation')
    expect(await (await clients.practitioner.get('/register?review=due_or_overdue')).text()).toContain(`href="/people/${id}"`)
    expect(await (await clients.practitioner.get(`/people/${id}/missing/${episode}`)).text()).toContain('data-testid="serious-episode"')

    // Voided as recorded in error: the prompt goes with it.
    const { version } = await db().selectFrom('missing_episodes').select('version').where('id', '=', episode).executeTakeFirstOrThrow()
    expect((await clients.practitioner.post(`/people/${id}/missing/${episode}/void`, { reason: 'Entered on the wrong child', version: String(version) })).status).toBe(302)
    expect(await item()).toBe('')
    expect(await (await clients.practitioner.get(`/people/${id}/risk`)).text()).not.toContain('data-testid="review-prompted"')

    // Serious again; a review answers it.
    expect((await clients.practitioner.post(`/people/${id}/missing/new`, { ...at('missing', 9), ...at('found', 8), foundAreaId: portsmouth, foundBy: 'police', concerns: ['weapon'] })).status).toBe(302)
    expect(await item()).toContain('Review due now')
    const review = await start(clients.practitioner, id)
    await answerAll(clients.practitioner, id, review, ['found_out_of_area'])
    const r = await summary(clients.practitioner, id, review)
    expect((await clients.practitioner.post(`/people/${id}/risk/screenings/${review}/summary`, { finalLevel: computedLevel(r.html), version: r.version, personVersion: r.personVersion })).status).toBe(302)
    expect(await item()).not.toContain('Review due now')
    expect(await (await clients.practitioner.get(`/people/${id}/risk`)).text()).not.toContain('data-testid="review-prompted"')
  })

  it('shows the risk history: Mason’s risk came down, Kyle’s Red confirmed by the manager', async () => {
    const mason = await personId('Mason', 'Clarke')
    const page = await (await clients.officer.get(`/people/${mason}/risk`)).text()
    expect(page).toContain('Risk has come down since the last review: from Amber to Green.')
    expect(page.match(/lantern-risk-chart__point--/g)).toHaveLength(3)
    const kyle = await personId('Kyle', 'Marsh')
    const history = await assessmentsForPerson(db(), kyle)
    expect(history.map((h) => [h.final_level, h.confirmation_outcome])).toEqual([
      ['red', 'confirmed'],
      ['amber', null],
    ])
    const latest = await latestAssessment(db(), kyle)
    expect(latest?.confirmed_by_name).toBe('Priya Natarajan')
    // The record keeps the reasons it was given, whatever the tool says now.
    const record = await (await clients.practitioner.get(`/people/${kyle}/risk/screenings/${latest!.id}`)).text()
    expect(record).toContain('A score of 60 from 10 indicators present falls in the Red (30 and above) band.')
    expect(record).toContain('Found by police in Portsmouth with 14 wraps of crack cocaine')
    expect(record).toContain('Confirmed by Priya Natarajan')
    const audit = await db().selectFrom('audit_events').select('details').where('record_id', '=', mason).where('action', '=', 'view').execute()
    expect(audit.some((a) => (a.details as { page?: string })?.page === 'risk')).toBe(true)
  })

  it('gives other capabilities monthly counts and the "missing in the last N days" condition', async () => {
    const today = '2026-11-23'
    const rag = await ragCountsByAreaMonth(db(), { from: '2026-06-01', to: today })
    const nov = rag.filter((r) => r.month === '2026-11')
    const total = nov.reduce((s, r) => s + r.red + r.amber + r.green, 0)
    const rated = await db().selectFrom('people').select((eb) => eb.fn.countAll<number>().as('n')).where('kind', '=', 'child').where('current_rag', 'is not', null).executeTakeFirstOrThrow()
    expect(total).toBe(Number(rated.n))
    expect(rag.filter((r) => r.month === '2026-06').reduce((s, r) => s + r.red + r.amber + r.green, 0)).toBeLessThan(total)
    expect(nov.find((r) => r.area_name === 'Portsmouth')).toBeDefined()

    const missing = await missingEpisodesByAreaMonth(db(), { from: '2026-01-01', to: today })
    expect(missing.reduce((s, r) => s + r.episodes, 0)).toBe(Number((await db().selectFrom('missing_episodes').select((eb) => eb.fn.countAll<number>().as('n')).where('voided_at', 'is', null).where('reported_missing_at', '>=', new Date('2026-01-01T00:00:00Z')).executeTakeFirstOrThrow()).n))
    const southamptonNov = missing.find((r) => r.month === '2026-11' && r.area_name === 'Southampton')
    expect(southamptonNov?.found_out_of_area).toBeGreaterThanOrEqual(1)

    const nrm = await nrmReferralsByMonth(db(), { from: '2025-11-01', to: today })
    expect(nrm.find((r) => r.month === '2026-11' || r.month === '2026-10')).toBeDefined()
    expect(nrm.reduce((s, r) => s + r.referrals, 0)).toBeGreaterThanOrEqual(2)

    const recent = await db().selectFrom('people as p').select(['p.given_name', 'p.family_name']).where(missingInLastDays(30, 'p.id', app.clock.now())).execute()
    const names = recent.map((r) => `${r.given_name} ${r.family_name}`)
    expect(names).toContain('Jayden Price')
    expect(names).toContain('Kyle Marsh')
    expect(names).not.toContain('Mason Clarke')
    const asOfLongAgo = await db().selectFrom('people as p').select('p.id').where(missingInLastDays(30, 'p.id', new Date('2025-01-01T00:00:00Z'))).execute()
    expect(asOfLongAgo).toHaveLength(0)
  })

  it('lets an administrator save a new version of the tool, refuses overlapping bands, and keeps old assessments on their version', async () => {
    expect((await clients.practitioner.get('/admin/screening-tool')).status).toBe(403)
    const form = await (await clients.admin.get('/admin/screening-tool/edit')).text()
    expect(form).toMatch(/id="weight-running_drugs" name="weight-running_drugs" type="text"[^>]*value="5"/)
    // The form as the page fills it in: version 1's numbers and wording.
    const t = DEFAULT_TOOL_V1
    const values: Record<string, string> = {
      'points-recent': String(t.statusPoints.recent),
      'points-current': String(t.statusPoints.current),
      'green-min': '0',
      'green-max': '11',
      'amber-min': '12',
      'amber-max': '29',
      'red-min': '30',
      'review-red': '4',
      'review-amber': '8',
      'review-green': '12',
    }
    for (const g of t.groups) for (const i of g.indicators) Object.assign(values, { [`weight-${i.key}`]: String(i.weight), [`text-${i.key}`]: i.text })
    const overlap = await clients.admin.post('/admin/screening-tool/edit', { ...values, basedOn: '1', 'amber-min': '10', changeNote: 'Lower the Amber threshold' })
    expect(overlap.status).toBe(400)
    expect(await overlap.text()).toContain('Bands overlap: Green (0 to 11) and Amber (10 to 29)')
    expect(await db().selectFrom('screening_tools').select('version').execute()).toHaveLength(1)

    const saved = await clients.admin.post('/admin/screening-tool/edit', { ...values, basedOn: '1', 'weight-running_drugs': '6', changeNote: 'Running drugs weighs more' })
    expect(saved.status).toBe(302)
    const v2 = await db().selectFrom('screening_tools').select(['version', 'definition']).where('version', '=', 2).executeTakeFirstOrThrow()
    expect(v2.definition.groups.find((g) => g.key === 'offending')!.indicators.find((i) => i.key === 'running_drugs')!.weight).toBe(6)
    // A second administrator still on version 1 is refused.
    const stale = await clients.admin.post('/admin/screening-tool/edit', { ...values, basedOn: '1', 'weight-isolation': '2', changeNote: 'Isolation weighs more' })
    expect(stale.status).toBe(409)

    // The JSON editor names a rule's unknown indicator.
    const def = structuredClone(v2.definition)
    ;(def.rules[1] as { indicators: string[] }).indicators = ['found_with_drug']
    const bad = await clients.admin.post('/admin/screening-tool/definition', { basedOn: '2', definition: JSON.stringify(def), changeNote: 'Typo' })
    expect(bad.status).toBe(400)
    expect(await bad.text()).toContain('names an indicator that is not in the tool: “found_with_drug”')

    const id = await newChild()
    const sid = await start(clients.practitioner, id)
    expect((await db().selectFrom('risk_assessments').select('tool_version').where('id', '=', sid).executeTakeFirstOrThrow()).tool_version).toBe(2)
    const kyle = await personId('Kyle', 'Marsh')
    expect((await assessmentsForPerson(db(), kyle)).every((a) => a.tool_version === 1)).toBe(true)
    const audit = await db().selectFrom('audit_events').select('action').where('record_type', '=', 'screening_tool').execute()
    expect(audit).toEqual([{ action: 'create' }])
  })
})
