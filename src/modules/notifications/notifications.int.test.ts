import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testDatabaseKinds, type TestDatabase } from '../../../test/support/databases.ts'
import { TEST_TODAY } from '../../../test/support/templates.ts'
import { moduleDeps } from '../../composition.ts'
import { loadConfig } from '../../config.ts'
import { startingAt } from '../../kernel/clock.ts'
import { createLogger } from '../../web/logger.ts'
import { LogSender, type NotificationSender, type OutgoingMessage } from '../../web/mail.ts'
import { runAsRequest, setRequestViewer } from '../../db/scope.ts'
import { notificationsService } from './service.ts'
import { notificationsStore } from './store.ts'
import { sql } from 'kysely'

class FakeSmtp implements NotificationSender {
  readonly transport = 'smtp'
  readonly delivers = true
  readonly sent: OutgoingMessage[] = []
  async send(m: OutgoingMessage) {
    this.sent.push(m)
  }
}

describe.each(testDatabaseKinds())('notifications on $name', (kind) => {
  let database: TestDatabase
  let service: ReturnType<typeof notificationsService>
  let deps: ReturnType<typeof moduleDeps>
  const users: Record<string, { id: string; agency_id: string; team_id: string | null }> = {}
  let countyChild: string
  let policeChild: string
  let county: string
  let police: string

  const mine = async (who: string) =>
    database.db.selectFrom('notifications').select(['kind', 'text', 'event_key', 'person_id', 'entity_id', 'emailed_at']).where('user_id', '=', users[who].id).execute()
  const note = (personId: string, author: string, sensitivity: 'standard' | 'police_only', noteKind: 'visit' | 'intelligence' = 'visit') =>
    database.db
      .insertInto('person_notes')
      .values({ person_id: personId, kind: noteKind, occurred_on: '2026-11-20', body: 'Seen at the station with an older male', sensitivity, author_id: users[author].id, author_agency_id: users[author].agency_id })
      .returning('id')
      .executeTakeFirstOrThrow()

  beforeAll(async () => {
    database = await kind.create({ demo: true })
    const config = loadConfig({ NODE_ENV: 'test', LANTERN_MODE: 'demo', LOG_LEVEL: 'silent' })
    deps = moduleDeps({ db: database.db, config, logger: createLogger('silent'), clock: startingAt(TEST_TODAY) })
    service = notificationsService(deps, { sender: new LogSender() })
    for (const email of ['practitioner', 'officer', 'manager', 'analyst']) {
      users[email] = await database.db.selectFrom('users').select(['id', 'agency_id', 'team_id']).where('email', '=', `${email}@lantern.test`).executeTakeFirstOrThrow()
    }
    county = users.practitioner.agency_id
    police = users.officer.agency_id
    const child = (owner: string, team: string | null, given: string) =>
      database.db
        .insertInto('people')
        .values({ kind: 'child', given_name: given, family_name: 'Testchild', owner_agency_id: owner, owner_team_id: team, allocated_worker_id: users.practitioner.id, date_of_birth: '2011-04-01' })
        .returning('id')
        .executeTakeFirstOrThrow()
        .then((r) => r.id)
    countyChild = await child(county, users.practitioner.team_id, 'Kacey')
    // Held by the council worker but owned by the police and never shared with the council: hidden from her.
    policeChild = await child(police, null, 'Hidden')
    // Everything before this belongs to the demo story: start the scan from here.
    await service.scan()
  })
  afterAll(async () => {
    await database?.dispose()
  })

  it('tells the worker holding a child that the child is reported missing, then found, once each', async () => {
    const ep = await database.db
      .insertInto('missing_episodes')
      .values({ person_id: countyChild, reported_missing_at: new Date(TEST_TODAY.getTime() - 3600_000), concerns: JSON.stringify([]), created_by: users.officer.id, updated_by: users.officer.id })
      .returning('id')
      .executeTakeFirstOrThrow()
    await service.scan()
    await service.scan()
    expect((await mine('practitioner')).filter((n) => n.event_key === `missing-reported:${ep.id}`)).toEqual([
      expect.objectContaining({ kind: 'missing-reported', text: 'Kacey Testchild has been reported missing', person_id: countyChild }),
    ])
    await database.db.updateTable('missing_episodes').set({ found_at: new Date(TEST_TODAY.getTime() - 60_000), updated_at: new Date(), updated_by: users.officer.id }).where('id', '=', ep.id).execute()
    await service.scan()
    expect((await mine('practitioner')).map((n) => n.event_key)).toContain(`missing-found:${ep.id}`)
  })

  it('tells the holder of a note and of intelligence, but never of a police-only note, and never the author of their own', async () => {
    const standard = await note(countyChild, 'manager', 'standard')
    const intel = await note(countyChild, 'manager', 'standard', 'intelligence')
    const policeOnly = await note(countyChild, 'officer', 'police_only', 'intelligence')
    const own = await note(countyChild, 'practitioner', 'standard')
    await service.scan()
    const keys = (await mine('practitioner')).map((n) => n.event_key)
    expect(keys).toContain(`note:${standard.id}`)
    expect(keys).toContain(`note:${intel.id}`)
    expect((await mine('practitioner')).find((n) => n.event_key === `note:${intel.id}`)?.kind).toBe('intelligence-added')
    expect(keys).not.toContain(`note:${policeOnly.id}`)
    expect(keys).not.toContain(`note:${own.id}`)
  })

  it('sends nothing at all about a record the holder cannot see', async () => {
    const before = (await mine('practitioner')).length
    await note(policeChild, 'officer', 'standard')
    await database.db.insertInto('missing_episodes').values({ person_id: policeChild, reported_missing_at: new Date(TEST_TODAY.getTime() - 7200_000), concerns: JSON.stringify([]), created_by: users.officer.id }).execute()
    await service.scan()
    const after = await mine('practitioner')
    expect(after.length).toBe(before)
    expect(after.some((n) => n.person_id === policeChild || n.text.includes('Hidden'))).toBe(false)
  })

  it('says nothing of an episode voided as recorded in error: not reported, not found, no interview due', async () => {
    const voided = { voided_at: new Date(), voided_by: users.officer.id, void_reason: 'Recorded on the wrong child' }
    const ep = await database.db
      .insertInto('missing_episodes')
      .values({ person_id: countyChild, reported_missing_at: new Date(TEST_TODAY.getTime() - 100 * 3600_000), found_at: new Date(TEST_TODAY.getTime() - 90 * 3600_000), concerns: JSON.stringify(['drugs']), serious_reasons: JSON.stringify(['harm_or_exploitation']), review_prompted_at: TEST_TODAY, created_by: users.officer.id, updated_by: users.officer.id, ...voided })
      .returning('id')
      .executeTakeFirstOrThrow()
    await service.scan()
    expect((await mine('practitioner')).filter((n) => n.event_key.includes(ep.id))).toEqual([])
  })

  it('tells the holder that a serious episode makes a review due now, only while no rating has been set since, and never of a hidden child', async () => {
    const serious = (person: string) =>
      database.db
        .insertInto('missing_episodes')
        .values({ person_id: person, reported_missing_at: new Date(TEST_TODAY.getTime() - 30 * 3600_000), found_at: new Date(TEST_TODAY.getTime() - 20 * 3600_000), concerns: JSON.stringify(['weapon']), serious_reasons: JSON.stringify(['harm_or_exploitation']), review_prompted_at: new Date(TEST_TODAY.getTime() - 20 * 3600_000), created_by: users.officer.id, updated_by: users.officer.id })
        .returning('id')
        .executeTakeFirstOrThrow()
    const shown = await serious(countyChild)
    const hidden = await serious(policeChild)
    await service.scan()
    const prompted = (await mine('practitioner')).filter((n) => n.kind === 'review-prompted')
    expect(prompted).toEqual([expect.objectContaining({ person_id: countyChild, text: 'A review of Kacey Testchild’s risk is due now: found with signs of harm or exploitation' })])
    expect(prompted[0].event_key).toContain(shown.id)
    expect((await mine('practitioner')).some((n) => n.event_key.includes(hidden.id))).toBe(false)

    // A rating set after the prompt answers it: a later change to the episode tells nobody again.
    await database.db.updateTable('people').set({ current_rag: 'amber', current_rag_at: TEST_TODAY }).where('id', '=', countyChild).execute()
    const another = await serious(countyChild)
    await database.db.updateTable('missing_episodes').set({ review_prompted_at: new Date(TEST_TODAY.getTime() - 3600_000) }).where('id', '=', another.id).execute()
    await service.scan()
    expect((await mine('practitioner')).filter((n) => n.kind === 'review-prompted')).toHaveLength(1)
  })

  it('tells the team manager, not the submitter, that a Red awaits confirmation', async () => {
    const tool = await database.db.selectFrom('screening_tools').select('version').orderBy('version', 'desc').executeTakeFirstOrThrow()
    const a = await database.db
      .insertInto('risk_assessments')
      .values({ person_id: countyChild, tool_version: tool.version, status: 'awaiting_confirmation', answers: JSON.stringify({}), computed_level: 'red', computed_score: 20, final_level: 'red', submitted_by: users.practitioner.id, submitted_at: new Date(), started_by: users.practitioner.id })
      .returning('id')
      .executeTakeFirstOrThrow()
    await service.scan()
    expect((await mine('manager')).map((n) => n.event_key)).toContain(`red-awaiting:${a.id}`)
    expect((await mine('practitioner')).map((n) => n.event_key)).not.toContain(`red-awaiting:${a.id}`)
  })

  it('ends a scan no earlier than the database’s now, to the microsecond, so nothing made in its last millisecond is missed', async () => {
    for (let i = 0; i < 20; i++) {
      const [end, now] = await database.db.transaction().execute(async (trx) => [await notificationsStore(trx).now(), (await sql<{ us: string }>`select (extract(epoch from now()) * 1000000)::bigint::text as us`.execute(trx)).rows[0].us])
      expect(BigInt(end.getTime()) * 1000n).toBeGreaterThanOrEqual(BigInt(now))
    }
  })

  it('tells an analyst of a new link to what they watch, unless handling code C keeps the link from their agency', async () => {
    const entity = (label: string) =>
      database.db.insertInto('network_entities').values({ kind: 'line', label, line_name: label, owner_agency_id: police }).returning('id').executeTakeFirstOrThrow().then((r) => r.id)
    const watched = await entity('TESTLINE')
    const other = await entity('TESTPHONE')
    await database.db.insertInto('network_watches').values({ user_id: users.analyst.id, entity_id: watched }).execute()
    const link = (handling: 'P' | 'C') =>
      database.db
        .insertInto('network_links')
        .values({ source_id: watched, target_id: other, type: 'associates_with', source_agency_id: county, basis: 'test', grade_source: 2, grade_assessment: 'B', grade_handling: handling, handling_conditions: handling === 'C' ? 'Council only' : null, created_by: users.practitioner.id })
        .returning('id')
        .executeTakeFirstOrThrow()
    const restricted = await link('C')
    const open = await link('P')
    await service.scan()
    const keys = (await mine('analyst')).map((n) => n.event_key)
    expect(keys).toContain(`watch:${open.id}:${watched}`)
    expect(keys).not.toContain(`watch:${restricted.id}:${watched}`)
  })

  it('tells nobody of intelligence handled under code C outside its agencies, and a notification goes when its source can no longer be read', async () => {
    const health = (await database.db.selectFrom('agencies').select('id').where('kind', '=', 'health').executeTakeFirstOrThrow()).id
    const coded = await database.db
      .insertInto('person_notes')
      .values({ person_id: countyChild, kind: 'intelligence', occurred_on: '2026-11-20', body: 'Seen with Tyler at the station', sensitivity: 'standard', author_id: users.officer.id, author_agency_id: police, grade_source: '2', grade_assessment: 'B', grade_handling: 'C', handling_conditions: 'Health only', handling_agency_ids: [health] })
      .returning('id')
      .executeTakeFirstOrThrow()

    // A link between the analyst's watched line and a council line shared with the police.
    const line = (label: string, owner: string) =>
      database.db.insertInto('network_entities').values({ kind: 'line', label, line_name: label, owner_agency_id: owner }).returning('id').executeTakeFirstOrThrow().then((r) => r.id)
    const watched = await line('SOURCEWATCH', police)
    const councils = await line('SOURCECOUNCIL', county)
    const share = await database.db.insertInto('record_shares').values({ record_type: 'network_entity', record_id: councils, agency_id: police }).returning('id').executeTakeFirstOrThrow()
    await database.db.insertInto('network_watches').values({ user_id: users.analyst.id, entity_id: watched }).execute()
    const link = await database.db
      .insertInto('network_links')
      .values({ source_id: watched, target_id: councils, type: 'associates_with', source_agency_id: county, basis: 'test', grade_source: 2, grade_assessment: 'B', grade_handling: 'P', created_by: users.practitioner.id })
      .returning('id')
      .executeTakeFirstOrThrow()
    await service.scan()
    expect((await mine('practitioner')).map((n) => n.event_key)).not.toContain(`note:${coded.id}`)

    const analyst = { id: users.analyst.id, agencyId: police, agencyKind: 'police', permissions: ['network:view', 'person:view'] }
    const readable = () =>
      runAsRequest(async () => {
        setRequestViewer(analyst, { breakGlass: false })
        return (await database.db.selectFrom('notifications').select('event_key').execute()).map((n) => n.event_key)
      })
    expect(await readable()).toContain(`watch:${link.id}:${watched}`)
    // The council takes its line back: the link, and the alert about it, are no longer the analyst's to read.
    await database.db.updateTable('record_shares').set({ revoked_at: new Date() }).where('id', '=', share.id).execute()
    expect(await readable()).not.toContain(`watch:${link.id}:${watched}`)
    await database.db.updateTable('record_shares').set({ revoked_at: null }).where('id', '=', share.id).execute()
    expect(await readable()).toContain(`watch:${link.id}:${watched}`)
  })

  it('lets each user read and mark only their own notifications', async () => {
    const practitioner = { id: users.practitioner.id, agencyId: county, agencyKind: 'county_council', permissions: ['person:view'] }
    const seen = await runAsRequest(async () => {
      setRequestViewer({ ...practitioner, id: users.manager.id }, { breakGlass: false })
      return database.db.selectFrom('notifications').select('user_id').execute()
    })
    expect(seen.every((r) => r.user_id === users.manager.id)).toBe(true)
    const ctx = { user: { id: users.practitioner.id } as never, requestId: 't' }
    const unread = await service.unreadCount(ctx)
    expect(unread).toBeGreaterThan(0)
    expect(await service.markRead(ctx, 'all')).toBe(unread)
    expect(await service.unreadCount(ctx)).toBe(0)
  })

  it('never claims an e-mail went without a mail server, and e-mails counts, never names, with one', async () => {
    await database.db.insertInto('notification_settings').values({ user_id: users.manager.id, email: 'immediate' }).execute()
    expect(await service.email('immediate')).toEqual({ sent: 0, skipped: 'no mail server' })
    expect((await mine('manager')).every((n) => n.emailed_at === null)).toBe(true)

    const smtp = new FakeSmtp()
    const withMail = notificationsService(deps, { sender: smtp })
    expect(await withMail.email('immediate')).toEqual({ sent: 1, skipped: null })
    expect(smtp.sent).toHaveLength(1)
    expect(smtp.sent[0].to).toBe('manager@lantern.test')
    expect(smtp.sent[0].text).not.toContain('Testchild')
    expect((await mine('manager')).every((n) => n.emailed_at !== null)).toBe(true)
    expect(await withMail.email('immediate')).toEqual({ sent: 0, skipped: null })
  })
  it('e-mails a count of only the notifications the recipient may still read, as the page would show them', async () => {
    const ctx = { user: { id: users.practitioner.id } as never, requestId: 't' }
    await service.markRead(ctx, 'all')
    await database.db.insertInto('notification_settings').values({ user_id: users.practitioner.id, email: 'daily' }).execute()
    const kept = await note(countyChild, 'manager', 'standard')
    const withdrawn = await note(countyChild, 'manager', 'standard')
    await service.scan()
    expect((await mine('practitioner')).map((n) => n.event_key)).toEqual(expect.arrayContaining([`note:${kept.id}`, `note:${withdrawn.id}`]))
    // The police take the note back: the practitioner's page no longer shows the alert about it.
    await database.db.updateTable('person_notes').set({ sensitivity: 'police_only' }).where('id', '=', withdrawn.id).execute()
    const practitioner = { id: users.practitioner.id, agencyId: county, agencyKind: 'county_council', permissions: ['person:view'] }
    const onPage = await runAsRequest(async () => {
      setRequestViewer(practitioner, { breakGlass: false })
      return (await database.db.selectFrom('notifications').select('event_key').where('read_at', 'is', null).execute()).map((n) => n.event_key)
    })
    expect(onPage).toEqual([`note:${kept.id}`])

    const smtp = new FakeSmtp()
    expect(await notificationsService(deps, { sender: smtp }).email('daily')).toEqual({ sent: 1, skipped: null })
    expect(smtp.sent.map((m) => [m.to, m.subject])).toEqual([['practitioner@lantern.test', 'Lantern: your daily summary (1 new)']])
    expect(smtp.sent[0].text).toContain('You have 1 new notification in Lantern')

    // What is hidden is left unsent, and a second run does not send a count of it alone.
    expect(await notificationsService(deps, { sender: smtp }).email('daily')).toEqual({ sent: 0, skipped: null })
  })
})
