import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../../../test/support/app.ts'
import { TestClient } from '../../../test/support/http.ts'
import { testDatabaseKinds } from '../../../test/support/databases.ts'
import { londonParts } from '../../kernel/london.ts'
import { systemClock, type Clock } from '../../kernel/clock.ts'
import { missingEpisodesForPerson } from './store.ts'

/** The app's clock once it has started: forms are filled in relative to the app's today. */
let clock: Clock = systemClock

/** Form fields for a moment `hoursAgo` before now, as a practitioner would type it (UK time). */
function when(name: string, hoursAgo: number): Record<string, string> {
  const { date, time } = londonParts(new Date(clock.now().getTime() - hoursAgo * 3600_000))
  const [y, m, d] = date.split('-')
  return { [`${name}-day`]: String(Number(d)), [`${name}-month`]: String(Number(m)), [`${name}-year`]: y, [`${name}-time`]: time }
}
function day(name: string, daysAgo: number): Record<string, string> {
  const { date } = londonParts(new Date(clock.now().getTime() - daysAgo * 86_400_000))
  const [y, m, d] = date.split('-')
  return { [`${name}-day`]: String(Number(d)), [`${name}-month`]: String(Number(m)), [`${name}-year`]: y }
}

describe.each(testDatabaseKinds())('missing episodes, NRM referrals and CAWNs on $name', (kind) => {
  let app: TestApp
  let practitioner: TestClient
  let officer: TestClient
  const ids: Record<string, string> = {}

  beforeAll(async () => {
    app = await startTestApp({ kind })
    clock = app.clock
    practitioner = new TestClient(app.baseUrl)
    officer = new TestClient(app.baseUrl)
    await practitioner.signIn('practitioner@lantern.test')
    await officer.signIn('officer@lantern.test')
    for (const [key, given, family] of [
      ['kyle', 'Kyle', 'Marsh'],
      ['jayden', 'Jayden', 'Price'],
      ['aaliyah', 'Aaliyah', 'Brooks'],
      ['jay', 'Dwayne', 'Okoro'],
      ['reece', 'Reece', 'Holloway'],
      ['ellie', 'Ellie', 'Turner'],
    ]) {
      ids[key] = (await app.database.db.selectFrom('people').select('id').where('given_name', '=', given).where('family_name', '=', family).executeTakeFirstOrThrow()).id
    }
    for (const name of ['Havant', 'Basingstoke and Deane', 'Portsmouth']) {
      ids[name] = (await app.database.db.selectFrom('areas').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id
    }
  })
  afterAll(async () => {
    await app?.close()
  })

  const db = () => app.database.db
  const count = async (table: 'missing_episodes' | 'nrm_referrals' | 'cawns' | 'cawn_breaches') => Number((await db().selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)

  it('refuses a future report, a found time before the missing time, and says so, saving nothing', async () => {
    const before = await count('missing_episodes')
    const future = await practitioner.post(`/people/${ids.aaliyah}/missing/new`, { ...when('missing', -5) })
    expect(future.status).toBe(400)
    expect(await future.text()).toContain('The date and time they were reported missing must be in the past')
    const backwards = await practitioner.post(`/people/${ids.aaliyah}/missing/new`, { ...when('missing', 10), ...when('found', 12), foundAreaId: ids.Havant, foundBy: 'police' })
    expect(backwards.status).toBe(400)
    const html = await backwards.text()
    expect(html).toContain('The date and time they were found must be after they were reported missing')
    expect(html).toContain('href="#found-day"')
    expect(await count('missing_episodes')).toBe(before)
  })

  it('records an episode found out of area, with its concerns, on the timeline and in the audit trail', async () => {
    const res = await practitioner.post(`/people/${ids.aaliyah}/missing/new`, {
      ...when('missing', 30),
      ...when('found', 20),
      foundAreaId: ids.Portsmouth,
      foundLocation: 'Commercial Road',
      foundBy: 'police',
      concerns: ['drugs', 'with_adults'],
    })
    expect(res.status).toBe(302)
    const episodeId = res.headers.get('location')!.split('/').pop()!
    const ep = await db().selectFrom('missing_episodes').selectAll().where('id', '=', episodeId).executeTakeFirstOrThrow()
    expect(ep).toMatchObject({ found_out_of_area: true, found_area_id: ids.Portsmouth, missing_from_area_id: ids['Basingstoke and Deane'], concerns: ['drugs', 'with_adults'] })
    const page = await (await practitioner.get(`/people/${ids.aaliyah}/missing/${episodeId}`)).text()
    expect(page).toContain('Out of area')
    expect(page).toContain('Found with drugs')
    expect(page).toContain('Interview due')
    const events = await db().selectFrom('person_events').select(['kind', 'summary']).where('ref_id', '=', episodeId).orderBy('at').execute()
    expect(events.map((e) => e.kind)).toEqual(['missing-reported', 'missing-found'])
    expect(events[1].summary).toMatch(/^Found at .+ in Portsmouth \(out of area\), by the police$/)
    const audit = await db().selectFrom('audit_events').select('action').where('record_id', '=', episodeId).orderBy('id').execute()
    expect(audit.map((a) => a.action)).toEqual(['create', 'view'])
  })

  it('records the return home interview, refuses one before they were found, and refuses a stale second save', async () => {
    const res = await practitioner.post(`/people/${ids.aaliyah}/missing/new`, { ...when('missing', 60), ...when('found', 50), foundAreaId: ids['Basingstoke and Deane'], foundBy: 'parent_or_carer' })
    const episodeId = res.headers.get('location')!.split('/').pop()!
    const url = `/people/${ids.aaliyah}/missing/${episodeId}/return-home-interview`
    const form = await (await practitioner.get(url)).text()
    const version = form.match(/name="version" value="(\d+)"/)![1]
    const early = await practitioner.post(url, { version, ...when('held', 55), heldBy: 'Lee Grant' })
    expect(early.status).toBe(400)
    expect(await early.text()).toContain('The interview must be held after they were found')
    const ok = await practitioner.post(url, { version, ...when('offered', 48), ...when('held', 30), heldBy: 'Lee Grant, return home interviewer', rhiNotes: 'Stayed with a friend.' })
    expect(ok.status).toBe(302)
    const ep = (await missingEpisodesForPerson(db(), ids.aaliyah)).find((e) => e.id === episodeId)!
    expect(ep.rhi_held_by).toBe('Lee Grant, return home interviewer')
    expect(await (await practitioner.get(`/people/${ids.aaliyah}/missing/${episodeId}`)).text()).toContain('Interview held')
    const stale = await practitioner.post(url, { version, ...when('held', 29), heldBy: 'Someone else', rhiNotes: 'Typed before the clash: stayed at a flat in Leigh Park' })
    expect(stale.status).toBe(409)
    // The losing user's typing is kept on the conflict page, to copy into the saved version.
    const conflict = await stale.text()
    expect(conflict).toContain('data-testid="what-you-typed"')
    expect(conflict).toContain('Typed before the clash: stayed at a flat in Leigh Park')
    expect(conflict).toContain('Someone else')
    const heldBy = conflict.match(/<tr[^>]*data-field="Held by"[^>]*>([\s\S]*?)<\/tr>/)
    expect(heldBy?.[1].replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim()).toBe('Held by Differs Someone else Lee Grant, return home interviewer')
    expect(conflict).not.toMatch(/name="_csrf"[^>]*value="[^"]+"[^>]*readonly/)
    expect((await db().selectFrom('missing_episodes').select('rhi_held_by').where('id', '=', episodeId).executeTakeFirstOrThrow()).rhi_held_by).toBe('Lee Grant, return home interviewer')
  })

  it('shows an overdue return home interview loudly, and a child still missing', async () => {
    const page = await (await practitioner.get(`/people/${ids.jayden}/missing`)).text()
    expect(page).toContain('data-testid="rhi-overdue"')
    expect(page).toContain('The return home interview is overdue')
    expect(page).toContain('Interview overdue')
    const stillMissing = await db().selectFrom('missing_episodes').select('person_id').where('found_at', 'is', null).execute()
    expect(stillMissing.length).toBeGreaterThanOrEqual(1)
  })

  it('refuses an episode that overlaps another of the same child, open or closed, with a clear message, and saves nothing', async () => {
    // Ellie's one episode in the demo is 50 days old: these are all after it.
    const first = await practitioner.post(`/people/${ids.ellie}/missing/new`, { ...when('missing', 300), ...when('found', 290), foundAreaId: ids.Havant, foundBy: 'police' })
    expect(first.status).toBe(302)
    const before = await count('missing_episodes')
    const inside = await practitioner.post(`/people/${ids.ellie}/missing/new`, { ...when('missing', 295) })
    expect(inside.status).toBe(400)
    const html = await inside.text()
    expect(html).toContain('govuk-error-summary')
    expect(html).toMatch(/Ellie is already recorded as missing from .+ to .+: change that episode instead/)
    expect(html).toContain('href="#missing-day"')
    const open = await practitioner.post(`/people/${ids.ellie}/missing/new`, { ...when('missing', 280) })
    expect(open.status).toBe(302)
    const second = await practitioner.post(`/people/${ids.ellie}/missing/new`, { ...when('missing', 270) })
    expect(second.status).toBe(400)
    expect(await second.text()).toMatch(/Ellie is already recorded as missing since .+ and not yet found/)
    expect(await count('missing_episodes')).toBe(before + 1)
    // Found before the next episode began: the two no longer overlap.
    const openId = open.headers.get('location')!.split('/').pop()!
    const form = await (await practitioner.get(`/people/${ids.ellie}/missing/${openId}/edit`)).text()
    const version = form.match(/name="version" value="(\d+)"/)![1]
    const found = await practitioner.post(`/people/${ids.ellie}/missing/${openId}/edit`, { version, ...when('missing', 280), ...when('found', 275), foundAreaId: ids.Havant, foundBy: 'police' })
    expect(found.status).toBe(302)
    expect((await practitioner.post(`/people/${ids.ellie}/missing/new`, { ...when('missing', 270) })).status).toBe(302)
  })

  it('records an NRM referral, refusing a reasonable-grounds decision dated before it, and updates it with a later decision', async () => {
    const before = await count('nrm_referrals')
    const county = (await db().selectFrom('agencies').select('id').where('name', '=', 'Hampshire County Council').executeTakeFirstOrThrow()).id
    const bad = await practitioner.post(`/people/${ids.ellie}/referrals/nrm/new`, { ...day('referred', 10), firstResponderAgencyId: county, rgDecision: 'positive', ...day('rg', 12) })
    expect(bad.status).toBe(400)
    expect(await bad.text()).toContain('The reasonable grounds decision date must be the same as or after the referral date')
    const future = await practitioner.post(`/people/${ids.ellie}/referrals/nrm/new`, { ...day('referred', -3), firstResponderAgencyId: county })
    expect(await future.text()).toContain('Referral date must be today or in the past')
    expect(await count('nrm_referrals')).toBe(before)

    const ok = await practitioner.post(`/people/${ids.ellie}/referrals/nrm/new`, { ...day('referred', 10), firstResponderAgencyId: county, exploitationTypes: 'sexual', rgDecision: 'none' })
    expect(ok.status).toBe(302)
    const ref = await db().selectFrom('nrm_referrals').selectAll().where('person_id', '=', ids.ellie).executeTakeFirstOrThrow()
    const cgFirst = await practitioner.post(`/people/${ids.ellie}/referrals/nrm/${ref.id}`, { version: String(ref.version), ...day('referred', 10), firstResponderAgencyId: county, rgDecision: 'none', cgDecision: 'positive', ...day('cg', 1) })
    expect(await cgFirst.text()).toContain('A conclusive grounds decision follows a positive reasonable grounds decision')
    const rg = await practitioner.post(`/people/${ids.ellie}/referrals/nrm/${ref.id}`, { version: String(ref.version), ...day('referred', 10), firstResponderAgencyId: county, exploitationTypes: 'sexual', rgDecision: 'positive', ...day('rg', 2) })
    expect(rg.status).toBe(302)
    const after = await db().selectFrom('nrm_referrals').selectAll().where('id', '=', ref.id).executeTakeFirstOrThrow()
    expect(after).toMatchObject({ rg_decision: 'positive', version: ref.version + 1, exploitation_types: ['sexual'] })
    const events = await db().selectFrom('person_events').select('summary').where('ref_id', '=', ref.id).orderBy('at').execute()
    expect(events.map((e) => e.summary)).toEqual([expect.stringMatching(/^Referred to the National Referral Mechanism on .* by Hampshire County Council$/), 'NRM reasonable grounds decision: positive'])
    const page = await (await practitioner.get(`/people/${ids.ellie}/referrals`)).text()
    expect(page).toContain('data-testid="nrm-referrals"')
    expect(page).toContain('Positive')
  })

  it('serves a CAWN only on an adult the user can see, and records a breach within its dates on both records', async () => {
    // The council practitioner cannot see the police's nominals, so cannot name Jay.
    const hidden = await practitioner.post(`/people/${ids.ellie}/referrals/cawn/new`, { adultId: ids.jay, ...day('served', 2), ...day('expires', -300) })
    expect(hidden.status).toBe(400)
    expect(await hidden.text()).toContain('Select the adult the notice was served on')
    const before = await count('cawns')
    const backwards = await officer.post(`/people/${ids.kyle}/referrals/cawn/new`, { adultId: ids.jay, ...day('served', 2), ...day('expires', 3) })
    expect(await backwards.text()).toContain('The expiry date must be after the date the notice was served')
    expect(await count('cawns')).toBe(before)
    const ok = await officer.post(`/people/${ids.kyle}/referrals/cawn/new`, { adultId: ids.jay, ...day('served', 2), ...day('expires', -300), notes: 'Served at the station.' })
    expect(ok.status).toBe(302)
    const cawnId = ok.headers.get('location')!.split('/').pop()!
    const early = await officer.post(`/people/${ids.kyle}/referrals/cawn/${cawnId}/breaches`, { ...day('occurred', 3), description: 'Seen together' })
    expect(early.status).toBe(400)
    expect(await early.text()).toContain('A breach must be on or after the date the notice was served')
    const breach = await officer.post(`/people/${ids.kyle}/referrals/cawn/${cawnId}/breaches`, { ...day('occurred', 1), description: 'Seen together at the bus station', actionTaken: 'Arrested' })
    expect(breach.status).toBe(302)
    expect(await count('cawn_breaches')).toBe(2)
    const adultEvents = await db().selectFrom('person_events').select('kind').where('person_id', '=', ids.jay).where('ref_id', '=', cawnId).execute()
    expect(adultEvents.map((e) => e.kind).sort()).toEqual(['cawn-breach', 'cawn-served'])
    const page = await (await officer.get(`/people/${ids.jay}/referrals`)).text()
    expect(page).toContain('Kyle')
  })

  it('works out a CAWN’s expiry from the child’s date of birth, refuses one past the 18th birthday, and warns of a second notice in force on one adult', async () => {
    const kyle = await db().selectFrom('people').select(['date_of_birth', 'looked_after']).where('id', '=', ids.kyle).executeTakeFirstOrThrow()
    const [y, m, d] = kyle.date_of_birth!.split('-')
    const tooLate = await officer.post(`/people/${ids.kyle}/referrals/cawn/new`, { adultId: ids.jay, ...day('served', 1), 'expires-day': d, 'expires-month': m, 'expires-year': String(Number(y) + 18 + 1) })
    expect(tooLate.status).toBe(400)
    expect(await tooLate.text()).toMatch(/The notice cannot run past Kyle’s 18th birthday: enter an expiry date on or before \d+ \w+ \d{4}/)
    const before = await count('cawns')
    const worked = await officer.post(`/people/${ids.kyle}/referrals/cawn/new`, { adultId: ids.jay, ...day('served', 1) })
    expect(worked.status).toBe(302)
    expect(await count('cawns')).toBe(before + 1)
    const cawnId = worked.headers.get('location')!.split('/').pop()!
    const saved = await db().selectFrom('cawns').select('expires_on').where('id', '=', cawnId).executeTakeFirstOrThrow()
    const birthdayAt = (years: number) => `${Number(y) + years}-${m}-${d}`
    expect(saved.expires_on).toBe(kyle.looked_after || birthdayAt(16) <= clock.now().toISOString().slice(0, 10) ? birthdayAt(18) : birthdayAt(16))
    // Jay already had a notice in force (the demo's, and the test above's): this one is allowed, with a warning.
    const page = await (await officer.get(`/people/${ids.kyle}/referrals/cawn/${cawnId}`)).text()
    expect(page).toContain('Another notice is in force')
    expect(page).toContain('data-testid="second-cawn"')
    expect(page).toMatch(/Dwayne \(Jay\) Okoro already has (another|\d+ other) child abduction warning notices? in force/)
  })

  it('shows the demo story: Kyle’s positive reasonable-grounds decision, and the CAWN on Reece with its breach', async () => {
    const page = await (await practitioner.get(`/people/${ids.kyle}/referrals`)).text()
    expect(page).toContain('Hampshire County Council')
    expect(page).toMatch(/govuk-tag--green">\s*Positive/)
    expect(page).toContain('Reece Holloway')
    const reece = await db().selectFrom('cawns').select('id').where('adult_id', '=', ids.reece).executeTakeFirstOrThrow()
    const cawn = await (await practitioner.get(`/people/${ids.kyle}/referrals/cawn/${reece.id}`)).text()
    expect(cawn).toContain('Seen with Kyle in a car outside Havant Academy')
  })
})
