import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { randomUUID } from 'node:crypto'
import { testDatabaseKinds, type TestDatabase } from '../../test/support/databases.ts'
import { seedDemo } from '../demo/seed.ts'
import { DEMO_USERS } from '../demo/foundation.ts'
import { auditService } from '../audit/service.ts'
import { usersStore } from '../auth/users-store.ts'
import type { CurrentUser, RequestContext } from '../kernel/context.ts'
import { accessService, type RecordRef } from './service.ts'
import { ForbiddenError } from '../kernel/errors.ts'
import type { Permission } from './permissions.ts'

type Ownership = 'own-agency' | 'other-agency' | 'shared-with-agency' | 'shared-with-user' | 'break-glass'

/**
 * The access rules as the product holds them: each demo role (with the permissions the migrations
 * grant it) against each action and each kind of record ownership.
 */
const EXPECTED: Record<string, Record<string, Record<Ownership, boolean>>> = {}
const allow = (o: Partial<Record<Ownership, boolean>>): Record<Ownership, boolean> => ({
  'own-agency': false,
  'other-agency': false,
  'shared-with-agency': false,
  'shared-with-user': false,
  'break-glass': false,
  ...o,
})
const needToKnow = allow({ 'own-agency': true, 'shared-with-agency': true, 'shared-with-user': true, 'break-glass': true })
// Break glass opens a record to be read, never to change, share or export it.
const needToKnowNotGlass = allow({ 'own-agency': true, 'shared-with-agency': true, 'shared-with-user': true })
const nobody = allow({})
for (const role of ['practitioner', 'officer', 'manager', 'analyst', 'partnership', 'panel', 'admin', 'governance']) EXPECTED[role] = {}
EXPECTED.practitioner = { 'person:view': needToKnow, 'person:edit': needToKnowNotGlass, 'person:export': nobody, 'assessment:confirm-red': nobody }
EXPECTED.officer = EXPECTED.practitioner
EXPECTED.manager = { 'person:view': needToKnow, 'person:edit': needToKnowNotGlass, 'person:export': needToKnowNotGlass, 'assessment:confirm-red': needToKnowNotGlass }
EXPECTED.analyst = { 'person:view': needToKnow, 'person:edit': nobody, 'person:export': needToKnowNotGlass, 'assessment:confirm-red': nobody }
for (const role of ['partnership', 'panel', 'admin', 'governance']) {
  EXPECTED[role] = { 'person:view': nobody, 'person:edit': nobody, 'person:export': nobody, 'assessment:confirm-red': nobody }
}

describe.each(testDatabaseKinds())('access rules on $name', (kind) => {
  let database: TestDatabase
  let access: ReturnType<typeof accessService>
  const users: Record<string, CurrentUser> = {}

  beforeAll(async () => {
    database = await kind.create()
    await seedDemo(database.db, [])
    access = accessService(database.db, auditService(database.db))
    const store = usersStore(database.db)
    for (const u of DEMO_USERS) {
      const row = await store.findByEmail(u.email)
      users[u.key] = (await store.currentUser(row!.id))!
    }
  })
  afterAll(async () => {
    await database?.dispose()
  })

  /** A fresh record of the given ownership relative to `user`, so cases never leak into each other. */
  async function recordFor(user: CurrentUser, ownership: Ownership): Promise<RecordRef> {
    const agencies = await database.db.selectFrom('agencies').select('id').execute()
    const other = agencies.find((a) => a.id !== user.agencyId)!.id
    const ref: RecordRef = { type: 'person', id: randomUUID(), ownerAgencyId: ownership === 'own-agency' ? user.agencyId : other }
    if (ownership === 'shared-with-agency') {
      await database.db.insertInto('record_shares').values({ record_type: 'person', record_id: ref.id, agency_id: user.agencyId }).execute()
    }
    if (ownership === 'shared-with-user') {
      await database.db.insertInto('record_shares').values({ record_type: 'person', record_id: ref.id, user_id: user.id }).execute()
    }
    if (ownership === 'break-glass' && user.permissions.has('break-glass')) {
      await access.breakGlass(ctxFor(user), ref, 'Child reported missing tonight; duty officer asked me to check')
    }
    return ref
  }

  const ctxFor = (user: CurrentUser): RequestContext => ({ user, requestId: randomUUID(), authenticatedBy: 'session' })

  const cases = Object.entries(EXPECTED).flatMap(([role, actions]) =>
    Object.entries(actions).flatMap(([action, byOwnership]) =>
      Object.entries(byOwnership).map(([ownership, allowed]) => ({ role, action, ownership: ownership as Ownership, allowed })),
    ),
  )

  it.each(cases)('$role / $action / $ownership → $allowed', async ({ role, action, ownership, allowed }) => {
    const user = users[role]
    const ref = await recordFor(user, ownership)
    const attempt = access.authorise(ctxFor(user), action as Permission, ref)
    if (allowed) await expect(attempt).resolves.toMatchObject({ allowed: true })
    else await expect(attempt).rejects.toBeInstanceOf(ForbiddenError)
  })

  it('audits every denial and every recorded justification with its reason', async () => {
    const officer = users.officer
    const ref = await recordFor(officer, 'other-agency')
    await expect(access.authorise(ctxFor(officer), 'person:view', ref)).rejects.toThrow(/need to know/)
    await access.breakGlass(ctxFor(officer), ref, 'Found with the child at a trap house, need the address history')
    await access.authorise(ctxFor(officer), 'person:view', ref)
    const events = await database.db.selectFrom('audit_events').select(['action', 'reason', 'user_id', 'details']).where('record_id', '=', ref.id).orderBy('id').execute()
    expect(events.map((e) => e.action)).toEqual(['access-denied', 'break-glass'])
    expect(events[1]).toMatchObject({ user_id: officer.id, reason: 'Found with the child at a trap house, need the address history', details: { ownerAgencyId: ref.ownerAgencyId } })
    const row = await database.db.selectFrom('break_glass').selectAll().where('record_id', '=', ref.id).executeTakeFirstOrThrow()
    expect(row.owner_agency_id).toBe(ref.ownerAgencyId)
  })

  it('tells the reader until when break glass lets them read, and refuses an edit under it', async () => {
    const officer = users.officer
    const ref = await recordFor(officer, 'break-glass')
    const decision = await access.authorise(ctxFor(officer), 'person:view', ref)
    expect(decision).toMatchObject({ basis: 'break-glass' })
    const until = 'breakGlassUntil' in decision ? decision.breakGlassUntil.getTime() : 0
    // Eight hours on the database's clock, which this machine shares.
    expect(Math.abs(until - (Date.now() + 8 * 3600_000))).toBeLessThan(60_000)
    await expect(access.authorise(ctxFor(officer), 'person:edit', ref)).rejects.toThrow(/read this record, not change/)
  })

  it('never lets break glass taken in the browser open the record to an API token', async () => {
    const officer = users.officer
    const ref = await recordFor(officer, 'break-glass')
    await expect(access.authorise({ ...ctxFor(officer), authenticatedBy: 'api-token' }, 'person:view', ref)).rejects.toBeInstanceOf(ForbiddenError)
    await expect(access.breakGlass({ ...ctxFor(officer), authenticatedBy: 'api-token' }, ref, 'Asked by the duty sergeant to check tonight')).rejects.toBeInstanceOf(ForbiddenError)
  })

  it('refuses a justification from a role without the break-glass permission', async () => {
    await expect(access.breakGlass(ctxFor(users.panel), { type: 'person', id: randomUUID(), ownerAgencyId: users.officer.agencyId }, 'I would like to see this child please')).rejects.toBeInstanceOf(ForbiddenError)
  })
})
