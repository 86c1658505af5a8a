import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { startTestApp, type TestApp } from '../../../test/support/app.ts'
import { TestClient } from '../../../test/support/http.ts'
import { testDatabaseKinds } from '../../../test/support/databases.ts'
import { londonParts } from '../../kernel/london.ts'

/** The HTML of one worklist on Home, or '' when the page has none with that key. */
function worklist(html: string, key: string): string {
  const start = html.indexOf(`data-testid="worklist-${key}"`)
  return start < 0 ? '' : html.slice(start, html.indexOf('</section>', start))
}

/**
 * Voiding a missing episode or an NRM referral recorded in error: kept and shown struck through
 * with the reason, who and when; left out of every count; frozen; audited; and refused to anyone
 * who may not change the record.
 */
describe.each(testDatabaseKinds())('voiding records made in error on $name', (kind) => {
  let app: TestApp
  const as: Record<string, TestClient> = {}
  let child: string
  let county: string

  const hoursAgo = (name: string, hours: number) => {
    const { date, time } = londonParts(new Date(app.clock.now().getTime() - hours * 3600_000))
    const [y, m, d] = date.split('-')
    return { [`${name}-day`]: String(Number(d)), [`${name}-month`]: String(Number(m)), [`${name}-year`]: y, [`${name}-time`]: time }
  }
  const daysAgo = (name: string, days: number) => {
    const [y, m, d] = londonParts(new Date(app.clock.now().getTime() - days * 86_400_000)).date.split('-')
    return { [`${name}-day`]: String(Number(d)), [`${name}-month`]: String(Number(m)), [`${name}-year`]: y }
  }
  const home = async (who: string) => (await as[who].get('/dashboard')).text()
  const episode = (id: string) => app.database.db.selectFrom('missing_episodes').selectAll().where('id', '=', id).executeTakeFirstOrThrow()

  beforeAll(async () => {
    app = await startTestApp({ kind })
    for (const [key, email] of [
      ['practitioner', 'practitioner@lantern.test'],
      ['analyst', 'analyst@lantern.test'],
      ['nurse', 'h.evans@lantern.test'],
    ]) {
      as[key] = new TestClient(app.baseUrl)
      await as[key].signIn(email)
    }
    const db = app.database.db
    const worker = await db.selectFrom('users').select(['id', 'agency_id', 'team_id']).where('email', '=', 'practitioner@lantern.test').executeTakeFirstOrThrow()
    county = worker.agency_id
    const area = await db.selectFrom('areas').select('id').where('name', '=', 'Havant').executeTakeFirstOrThrow()
    child = (
      await db
        .insertInto('people')
        .values({ kind: 'child', given_name: 'Voidy', family_name: 'Testchild', owner_agency_id: county, owner_team_id: worker.team_id, allocated_worker_id: worker.id, date_of_birth: '2011-04-01', home_area_id: area.id, current_area_id: area.id })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id
  })
  afterAll(async () => {
    await app?.close()
  })

  it('asks for a reason on a confirm page, keeps what was typed on an error, and voids nothing until given one', async () => {
    const made = await as.practitioner.post(`/people/${child}/missing/new`, hoursAgo('missing', 5))
    expect(made.status).toBe(302)
    const id = made.headers.get('location')!.split('/').pop()!
    const page = await as.practitioner.get(`/people/${child}/missing/${id}/void`)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('Why was it recorded in error?')

    const blank = await as.practitioner.post(`/people/${child}/missing/${id}/void`, { reason: '  ', version: '1' })
    expect(blank.status).toBe(400)
    const blankHtml = await blank.text()
    expect(blankHtml).toContain('There is a problem')
    expect(blankHtml).toContain('href="#reason"')
    expect(blankHtml).toContain('Enter why this record was made in error')
    const long = 'Recorded on the wrong child. '.repeat(40)
    const tooLong = await as.practitioner.post(`/people/${child}/missing/${id}/void`, { reason: long, version: '1' })
    expect(tooLong.status).toBe(400)
    expect(await tooLong.text()).toContain('Recorded on the wrong child. Recorded on the wrong child.')
    expect((await episode(id)).voided_at).toBeNull()
  })

  it('keeps a voided episode, struck through with the reason, who and when, and leaves it out of every count', async () => {
    const made = await as.practitioner.post(`/people/${child}/missing/new`, { ...hoursAgo('missing', 81), ...hoursAgo('found', 80), foundAreaId: (await app.database.db.selectFrom('areas').select('id').where('name', '=', 'Havant').executeTakeFirstOrThrow()).id, foundBy: 'police' })
    expect(made.status).toBe(302)
    const found = made.headers.get('location')!.split('/').pop()!
    const open = (await app.database.db.selectFrom('missing_episodes').select('id').where('person_id', '=', child).where('found_at', 'is', null).executeTakeFirstOrThrow()).id

    // Before: missing now on Home, in the register and the identity bar; an interview overdue.
    expect(worklist(await home('practitioner'), 'missing-now')).toContain(`/people/${child}/missing/${open}`)
    expect(worklist(await home('practitioner'), 'return-home-interviews')).toContain(`/people/${child}/missing/${found}/`)
    expect(await (await as.practitioner.get('/register?missingNow=yes')).text()).toContain(`href="/people/${child}"`)
    expect(await (await as.practitioner.get(`/people/${child}`)).text()).toContain('data-testid="missing-now"')
    expect(await (await as.practitioner.get('/register?rhiOverdue=yes')).text()).toContain(`href="/people/${child}"`)

    for (const id of [open, found]) {
      const res = await as.practitioner.post(`/people/${child}/missing/${id}/void`, { reason: 'Entered on the wrong child: it was her brother', version: String((await episode(id)).version) })
      expect(res.status).toBe(302)
      expect(res.headers.get('location')).toBe(`/people/${child}/missing/${id}`)
    }

    // Kept, with who voided it, when and why.
    const row = await episode(open)
    expect(row.void_reason).toBe('Entered on the wrong child: it was her brother')
    expect(row.voided_at).not.toBeNull()
    const list = await (await as.practitioner.get(`/people/${child}/missing`)).text()
    expect(list.match(/data-testid="voided-episode"/g)?.length).toBe(2)
    expect(list).toContain('voided by Sam Okafor')
    expect(list).toContain('Entered on the wrong child: it was her brother')
    expect(list).toContain('0 episodes recorded (not counting 2 voided as recorded in error)')
    const one = await (await as.practitioner.get(`/people/${child}/missing/${open}`)).text()
    expect(one).toContain('data-testid="voided-notice"')
    expect(one).not.toContain(`/people/${child}/missing/${open}/edit`)

    // Counted nowhere.
    const after = await home('practitioner')
    expect(worklist(after, 'missing-now')).not.toContain(child)
    expect(worklist(after, 'return-home-interviews')).not.toContain(child)
    expect(await (await as.practitioner.get('/register?missingNow=yes')).text()).not.toContain(`href="/people/${child}"`)
    expect(await (await as.practitioner.get('/register?rhiOverdue=yes')).text()).not.toContain(`href="/people/${child}"`)
    expect(await (await as.practitioner.get('/register?missing=yes')).text()).not.toContain(`href="/people/${child}"`)
    expect(await (await as.practitioner.get(`/people/${child}`)).text()).not.toContain('data-testid="missing-now"')

    // Audited, with the reason, and on the timeline.
    const audit = await app.database.db.selectFrom('audit_events').select(['action', 'reason']).where('record_type', '=', 'missing_episode').where('record_id', '=', open).where('action', '=', 'void').execute()
    expect(audit).toEqual([{ action: 'void', reason: 'Entered on the wrong child: it was her brother' }])
    const events = await app.database.db.selectFrom('person_events').select('summary').where('person_id', '=', child).where('kind', '=', 'missing-voided').execute()
    expect(events).toHaveLength(2)

    // A voided episode is not an absence: a new one may cover its time.
    const again = await as.practitioner.post(`/people/${child}/missing/new`, hoursAgo('missing', 4))
    expect(again.status).toBe(302)
  })

  it('never changes a voided episode again, by any page or behind them', async () => {
    const id = (await app.database.db.selectFrom('missing_episodes').select('id').where('person_id', '=', child).where('voided_at', 'is not', null).where('found_at', 'is not', null).executeTakeFirstOrThrow()).id
    const before = await episode(id)
    expect((await as.practitioner.get(`/people/${child}/missing/${id}/edit`)).status).toBe(409)
    expect((await as.practitioner.post(`/people/${child}/missing/${id}/edit`, { ...hoursAgo('missing', 30), version: String(before.version) })).status).toBe(409)
    expect((await as.practitioner.post(`/people/${child}/missing/${id}/return-home-interview`, { heldBy: 'Lee Grant', version: String(before.version) })).status).toBe(409)
    expect((await as.practitioner.post(`/people/${child}/missing/${id}/void`, { reason: 'Again', version: String(before.version) })).status).toBe(409)
    // The database refuses it too, even to the tables' owner: no script can quietly un-void it.
    await expect(sql`update missing_episodes set voided_at = null, voided_by = null, void_reason = null where id = ${id}`.execute(app.database.db)).rejects.toThrow(/voided/)
    await expect(sql`update missing_episodes set notes = 'changed' where id = ${id}`.execute(app.database.db)).rejects.toThrow(/voided/)
    expect(await episode(id)).toEqual(before)
  })

  it('refuses voiding to a role that may not change records and to an agency without need-to-know', async () => {
    const made = await as.practitioner.post(`/people/${child}/missing/new`, { ...hoursAgo('missing', 120), ...hoursAgo('found', 119), foundAreaId: (await app.database.db.selectFrom('areas').select('id').where('name', '=', 'Havant').executeTakeFirstOrThrow()).id, foundBy: 'police' })
    const id = made.headers.get('location')!.split('/').pop()!
    for (const who of ['analyst', 'nurse']) {
      expect((await as[who].get(`/people/${child}/missing/${id}/void`)).status).toBe(403)
      expect((await as[who].post(`/people/${child}/missing/${id}/void`, { reason: 'Not mine to void', version: '1' })).status).toBe(403)
    }
    expect((await episode(id)).voided_at).toBeNull()
  })

  it('voids an NRM referral recorded in error: struck through on the referrals page, off Home, frozen', async () => {
    const made = await as.practitioner.post(`/people/${child}/referrals/nrm/new`, { ...daysAgo('referred', 60), firstResponderAgencyId: county, rgDecision: 'none', cgDecision: 'none' })
    expect(made.status).toBe(302)
    const nrm = await app.database.db.selectFrom('nrm_referrals').select(['id', 'version']).where('person_id', '=', child).executeTakeFirstOrThrow()
    expect(worklist(await home('practitioner'), 'nrm-awaited')).toContain(child)
    for (const who of ['analyst', 'nurse']) expect((await as[who].post(`/people/${child}/referrals/nrm/${nrm.id}/void`, { reason: 'Not mine', version: String(nrm.version) })).status).toBe(403)

    expect((await as.practitioner.get(`/people/${child}/referrals/nrm/${nrm.id}/void`)).status).toBe(200)
    const blank = await as.practitioner.post(`/people/${child}/referrals/nrm/${nrm.id}/void`, { reason: '', version: String(nrm.version) })
    expect(blank.status).toBe(400)
    expect(await blank.text()).toContain('Enter why this record was made in error')
    const res = await as.practitioner.post(`/people/${child}/referrals/nrm/${nrm.id}/void`, { reason: 'Duplicate of the police referral', version: String(nrm.version) })
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toBe(`/people/${child}/referrals`)

    const page = await (await as.practitioner.get(`/people/${child}/referrals`)).text()
    expect(page).toContain('data-testid="voided-nrm"')
    expect(page).toContain('Duplicate of the police referral')
    expect(page).not.toContain(`/people/${child}/referrals/nrm/${nrm.id}"`)
    expect(worklist(await home('practitioner'), 'nrm-awaited')).not.toContain(child)
    expect((await as.practitioner.get(`/people/${child}/referrals/nrm/${nrm.id}`)).status).toBe(409)
    expect((await as.practitioner.post(`/people/${child}/referrals/nrm/${nrm.id}`, { ...daysAgo('referred', 60), firstResponderAgencyId: county, rgDecision: 'none', cgDecision: 'none', version: String(nrm.version + 1) })).status).toBe(409)
    await expect(sql`update nrm_referrals set notes = 'changed' where id = ${nrm.id}`.execute(app.database.db)).rejects.toThrow(/voided/)
    const audit = await app.database.db.selectFrom('audit_events').select('reason').where('record_type', '=', 'nrm_referral').where('record_id', '=', nrm.id).where('action', '=', 'void').executeTakeFirstOrThrow()
    expect(audit.reason).toBe('Duplicate of the police referral')
  })
})
