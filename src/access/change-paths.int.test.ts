import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { startTestApp, type TestApp } from '../../test/support/app.ts'
import { TestClient } from '../../test/support/http.ts'
import { testDatabaseKinds } from '../../test/support/databases.ts'
import { listRoutes } from '../../test/support/routes.ts'
import { CHANGES_A_RECORD } from './policy.ts'
import type { Permission } from './permissions.ts'

/**
 * One rule for what changes a record (decide()'s CHANGES_A_RECORD): a closed record, or one merged
 * into another, is read-only on every path that changes it. Every POST route that declares a
 * permission in that list must be proved here on a closed record (it answers refused and writes
 * nothing), or be listed as exempt with the reason: a new change path fails this test until it is.
 */

/** Change paths that cannot touch a closed or merged person's record, and why. */
const EXEMPT: Record<string, string> = {
  'POST /people/:id/closure': 'asking to reopen is the one change a closed record allows (decide()’s askingToReopen)',
  'POST /network/entities/:id/edit': 'edits lines, places, vehicles and groups, never closed; a person entity is edited in the register',
  'POST /network/entities/new': 'creates an entity; the network service asks decide() before making one for a person, refused while their record is closed',
  'POST /network/links/:id/status': 'closes a link or marks it wrong: a correction of the intelligence, not of a person’s record',
  'POST /sharing/requests/:requestId': 'decides a request through the record’s header with person:share, as POST /people/:id/sharing (proved below)',
  'POST /people/:id/sharing/:shareId/revoke': 'through the same header(person:share) as POST /people/:id/sharing (proved below): refused on a closed record',
  'POST /people/:id/risk/screenings/:sid/sections/:group': 'a screening cannot be started on a closed record (proved below), so it has no sections to save',
  'POST /people/:id/risk/screenings/:sid/summary': 'as the sections: no screening is started on a closed record',
  'POST /people/:id/risk/screenings/:sid/discard': 'as the sections: no screening is started on a closed record',
  'POST /people/:id/risk/screenings/:sid/confirm': 'as the sections: no Red can await confirmation on a closed record',
  'POST /people/:id/missing/:episodeId/void': 'through the same people.authorised(person:edit) as the episode’s edit (proved below)',
  'POST /people/:id/referrals/nrm/:referralId/void': 'through the same people.authorised(person:edit) as the referral’s edit',
  'POST /people/:id/referrals/nrm/:referralId': 'through the same people.authorised(person:edit) as a new referral (proved below)',
  'POST /people/:id/referrals/cawn/:cawnId/edit': 'through the same people.authorised(person:edit) and closed-adult check as a new notice (proved below)',
  'POST /people/:id/missing/:episodeId/return-home-interview': 'through the same people.authorised(person:edit) as the episode’s edit (proved below)',
  'POST /network/entities/:id/place': 'places a location on the map: a place, never a person’s record',
  'POST /network/calls': 'imports call records held by the importing agency: no person’s record is changed',
  'POST /network/entities/:id/calls/numbers': 'through access.authorise(network:edit, entityRef) as a link (proved below): refused on a closed person’s entity',
  'POST /network/entities/:id/calls/successors': 'scores new numbers against a closed line: a line, never a person’s record',
  'POST /network/calls/successors/:id': 'accepts or rejects a number as a line’s successor: a line, never a person’s record',
  'POST /people/:id/plan/meetings/new': 'through people.authorised(person:edit) on every person discussed, as POST /people/:id/edit (proved below)',
  'POST /plans/meetings/:id/actions/new': 'through people.authorised(person:edit) on every person the meeting discussed, as POST /people/:id/edit (proved below)',
  'POST /plans/actions/:id/close': 'through people.authorised(person:edit) on every person the meeting discussed, as POST /people/:id/edit (proved below)',
}

/** The change paths proved below on a closed record. */
const PROVED = new Set([
  'POST /people/:id/edit',
  'POST /people/:id/notes/new',
  'POST /people/:id/missing/new',
  'POST /people/:id/missing/:episodeId/edit',
  'POST /people/:id/referrals/nrm/new',
  'POST /people/:id/referrals/cawn/new',
  'POST /people/:id/referrals/cawn/:cawnId/breaches',
  'POST /people/:id/risk/screenings',
  'POST /people/:id/sharing',
  'POST /network/entities/:id/links/new',
  'POST /plans/meetings/:id/edit',
])

const decode = (v: string) => v.replace(/&quot;/g, '"').replace(/&#39;|&#x27;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')

/** The answers a form on a page would send as it stands (filled in for an edit). */
function formFields(html: string, action: string): Record<string, string | string[]> {
  const start = html.indexOf(`action="${action}"`)
  expect(start, `a form posting to ${action}`).toBeGreaterThan(-1)
  const form = html.slice(start, html.indexOf('</form>', start))
  const out: Record<string, string | string[]> = {}
  const add = (name: string, value: string) => {
    const had = out[name]
    out[name] = had === undefined ? value : [...[had].flat(), value]
  }
  for (const [, attrs] of form.matchAll(/<input([^>]*)>/g)) {
    const name = /name="([^"]+)"/.exec(attrs)?.[1]
    const type = /type="([^"]+)"/.exec(attrs)?.[1] ?? 'text'
    if (!name || name === '_csrf' || ((type === 'radio' || type === 'checkbox') && !/\schecked/.test(attrs))) continue
    add(name, decode(/value="([^"]*)"/.exec(attrs)?.[1] ?? ''))
  }
  for (const [, name, text] of form.matchAll(/<textarea[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/textarea>/g)) add(name, decode(text.trim()))
  for (const [, name, options] of form.matchAll(/<select[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g)) {
    const chosen = /<option value="([^"]*)"[^>]*selected/.exec(options)
    if (chosen) add(name, decode(chosen[1]))
  }
  return out
}

const day = (name: string, date: string) => {
  const [y, m, d] = date.split('-')
  return { [`${name}-day`]: String(Number(d)), [`${name}-month`]: String(Number(m)), [`${name}-year`]: y }
}

describe.each(testDatabaseKinds())('what changes a record, on $name', (kind) => {
  let app: TestApp
  const as: Record<string, TestClient> = {}
  beforeAll(async () => {
    app = await startTestApp({ kind })
    for (const email of ['practitioner@lantern.test', 'manager@lantern.test', 'officer@lantern.test', 'analyst@lantern.test']) {
      as[email.split('@')[0]] = new TestClient(app.baseUrl)
      await as[email.split('@')[0]].signIn(email)
    }
  }, 180_000)
  afterAll(async () => app?.close())

  const db = () => app.database.db
  const personId = async (given: string, family: string) => (await db().selectFrom('people').select('id').where('given_name', '=', given).where('family_name', '=', family).executeTakeFirstOrThrow()).id
  const close = (id: string) => db().updateTable('people').set({ closed_at: new Date('2026-11-20T10:00:00Z'), closed_reason: 'Work ended' }).where('id', '=', id).execute()
  /** Everything a change to these people would write: their rows, timelines, and the audit trail's changes. */
  const footprint = async (ids: string[]) => {
    const { rows } = await sql<{ n: string }>`
      select (select count(*) from person_events where person_id = any(${ids}::uuid[]))
        + (select count(*) from audit_events where action in ('create', 'update') and record_id::text = any(${ids}::text[]))
        + (select count(*) from missing_episodes where person_id = any(${ids}::uuid[]))
        + (select count(*) from nrm_referrals where person_id = any(${ids}::uuid[]))
        + (select count(*) from cawns where person_id = any(${ids}::uuid[]) or adult_id = any(${ids}::uuid[]))
        + (select count(*) from cawn_breaches b join cawns c on c.id = b.cawn_id where c.adult_id = any(${ids}::uuid[]))
        + (select count(*) from risk_assessments where person_id = any(${ids}::uuid[]))
        + (select count(*) from record_shares where record_id::text = any(${ids}::text[]))
        + (select count(*) from network_links l join network_entities e on e.id in (l.source_id, l.target_id) where e.person_id = any(${ids}::uuid[]))
        + (select coalesce(sum(m.version), 0) from plan_meetings m where m.subject_ids && ${ids}::uuid[])
        + (select sum(version) from people where id = any(${ids}::uuid[])) as n`.execute(db())
    return Number(rows[0].n)
  }

  it('lists every path that changes a record as proved here or exempt with a reason', () => {
    const changePaths = listRoutes(app.app)
      .filter((r) => r.method === 'POST' && r.access && 'permission' in r.access && CHANGES_A_RECORD.has(r.access.permission as Permission))
      .map((r) => `${r.method} ${r.path}`)
    const unproved = changePaths.filter((p) => !PROVED.has(p) && !EXEMPT[p])
    expect(unproved, 'a change path neither proved on a closed record nor exempt').toEqual([])
    for (const p of PROVED) expect(changePaths).toContain(p)
  })

  it('refuses every change to a closed child’s and a closed adult’s record, writing nothing', async () => {
    const ellie = await personId('Ellie', 'Turner')
    const kyle = await personId('Kyle', 'Marsh')
    const jay = await personId('Dwayne', 'Okoro')
    const jayEntity = (await db().selectFrom('network_entities').select('id').where('person_id', '=', jay).executeTakeFirstOrThrow()).id
    const otherEntity = (await db().selectFrom('network_entities').select('id').where('person_id', 'is', null).where('kind', '=', 'line').orderBy('label').executeTakeFirstOrThrow()).id
    const police = (await db().selectFrom('users').select('agency_id').where('email', '=', 'analyst@lantern.test').executeTakeFirstOrThrow()).agency_id
    const county = (await db().selectFrom('users').select('agency_id').where('email', '=', 'practitioner@lantern.test').executeTakeFirstOrThrow()).agency_id
    const noticeOnJay = await db().selectFrom('cawns').select(['id', 'person_id']).where('adult_id', '=', jay).executeTakeFirstOrThrow()
    const episode = await db().selectFrom('missing_episodes').select('id').where('person_id', '=', ellie).where('voided_at', 'is', null).executeTakeFirst()

    // The edit forms as they stand while the records are open.
    const personForm = formFields(await (await as.officer.get(`/people/${jay}/edit`)).text(), `/people/${jay}/edit`)
    const meeting = await as.practitioner.post(`/people/${ellie}/plan/meetings/new`, { kind: 'strategy', ...day('held', app.clock.today()), chair: 'Priya Natarajan', decisions: 'Section 47 enquiry to continue.' })
    const meetingId = meeting.headers.get('location')!.split('/').at(-1)!
    const meetingForm = formFields(await (await as.practitioner.get(`/plans/meetings/${meetingId}/edit`)).text(), `/plans/meetings/${meetingId}/edit`)
    const episodeForm = episode && formFields(await (await as.practitioner.get(`/people/${ellie}/missing/${episode.id}/edit`)).text(), `/people/${ellie}/missing/${episode.id}/edit`)
    await close(ellie)
    await close(jay)
    const before = await footprint([ellie, jay])
    const today = app.clock.today()
    const link = { type: 'associates_with', direction: 'none', sourceAgencyId: police, basis: 'Seen together', gradeSource: '2', gradeAssessment: 'B', gradeHandling: 'P' }

    const attempts: [string, TestClient, string, Record<string, string | string[]>][] = [
      ['edit the adult', as.officer, `/people/${jay}/edit`, personForm],
      ['add a note', as.practitioner, `/people/${ellie}/notes/new`, { kind: 'visit', body: 'Typed after closure', sensitivity: 'standard', ...day('occurred', today) }],
      ['record an episode', as.practitioner, `/people/${ellie}/missing/new`, { ...day('missing', '2026-11-01'), 'missing-time': '18:00', ...day('found', '2026-11-02'), 'found-time': '09:00', foundBy: 'police' }],
      ...(episode && episodeForm ? [['edit an episode', as.practitioner, `/people/${ellie}/missing/${episode.id}/edit`, episodeForm] as [string, TestClient, string, Record<string, string | string[]>]] : []),
      ['refer to the NRM', as.practitioner, `/people/${ellie}/referrals/nrm/new`, { ...day('referred', '2026-11-10'), firstResponderAgencyId: county, exploitationTypes: 'criminal', rgDecision: 'none' }],
      ['serve a notice on the closed adult', as.officer, `/people/${kyle}/referrals/cawn/new`, { adultId: jay, ...day('served', '2026-11-21'), ...day('expires', '2027-05-01') }],
      ['record a breach of a notice on the closed adult', as.officer, `/people/${noticeOnJay.person_id}/referrals/cawn/${noticeOnJay.id}/breaches`, { ...day('occurred', '2026-11-22'), description: 'Seen together' }],
      ['correct a meeting about the closed child', as.practitioner, `/plans/meetings/${meetingId}/edit`, { ...meetingForm, chair: 'Someone else', reason: 'Typed after closure' }],
      ['start a screening', as.practitioner, `/people/${ellie}/risk/screenings`, {}],
      ['share the record', as.manager, `/people/${ellie}/sharing`, { recipient: 'agency', agencyId: police, purpose: 'Joint safety plan', legalBasis: 'children_act_1989_s47', ...day('reviewOn', '2027-02-01') }],
      ['link from the closed adult', as.analyst, `/network/entities/${jayEntity}/links/new`, { ...link, targetId: otherEntity }],
      ['link to the closed adult', as.analyst, `/network/entities/${otherEntity}/links/new`, { ...link, targetId: jayEntity }],
    ]
    for (const [what, client, path, body] of attempts) {
      const res = await client.post(path, body)
      const html = await res.text()
      expect([res.status, what], html.slice(0, 400)).toEqual([res.status === 409 ? 409 : 400, what])
      expect(html, what).toMatch(/record is closed/)
    }
    expect(await footprint([ellie, jay])).toBe(before)
  })

  it('refuses a change to a merged record for the same reason list, and tells no one without a need to know', async () => {
    const aaliyah = await personId('Aaliyah', 'Brooks')
    const jayden = await personId('Jayden', 'Price')
    await db().updateTable('people').set({ merged_into: jayden }).where('id', '=', aaliyah).execute()
    const res = await as.practitioner.post(`/people/${aaliyah}/notes/new`, { kind: 'visit', body: 'On the old record', sensitivity: 'standard', ...day('occurred', app.clock.today()) })
    expect(res.status).toBe(403)
    expect(await res.text()).toContain('merged into another')
  })
})
