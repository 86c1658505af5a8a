import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testDatabaseKinds, type TestDatabase } from '../../../test/support/databases.ts'
import { seedDemo } from '../../demo/seed.ts'
import { usersStore } from '../../auth/users-store.ts'
import { sql } from 'kysely'
import { decide } from '../../access/policy.ts'
import { accessStore } from '../../access/store.ts'
import type { CurrentUser } from '../../kernel/context.ts'
import { visibleTo } from './store.ts'

type Share = { agency?: string; user?: string; revoked?: boolean; expires?: 'past' | 'future' }

/**
 * The need-to-know condition as SQL, table-driven: for each way a record can stand towards the
 * asking user, does `visibleTo` list it, and does it agree with the policy (`decide`) that
 * authorises opening one record? Break glass opens one record, never a list.
 */
const CASES: { name: string; owner: string; shares: Share[]; listed: boolean; policyAllows: boolean; breakGlass?: boolean }[] = [
  { name: 'owned by the officer’s agency', owner: 'police', shares: [], listed: true, policyAllows: true },
  { name: 'shared with the officer’s agency', owner: 'county', shares: [{ agency: 'police' }], listed: true, policyAllows: true },
  { name: 'shared with the officer in person', owner: 'nhs', shares: [{ user: 'officer' }], listed: true, policyAllows: true },
  { name: 'another agency’s, not shared', owner: 'county', shares: [], listed: false, policyAllows: false },
  { name: 'shared with a third agency only', owner: 'county', shares: [{ agency: 'nhs' }], listed: false, policyAllows: false },
  { name: 'shared with someone else in person', owner: 'nhs', shares: [{ user: 'nurse' }], listed: false, policyAllows: false },
  { name: 'shared with the officer’s agency, then revoked', owner: 'county', shares: [{ agency: 'police', revoked: true }], listed: false, policyAllows: false },
  { name: 'shared with the officer in person, then revoked', owner: 'county', shares: [{ user: 'officer', revoked: true }], listed: false, policyAllows: false },
  { name: 'shared with the officer’s agency until a time now past', owner: 'county', shares: [{ agency: 'police', expires: 'past' }], listed: false, policyAllows: false },
  { name: 'shared with the officer in person until a time now past', owner: 'nhs', shares: [{ user: 'officer', expires: 'past' }], listed: false, policyAllows: false },
  { name: 'shared with the officer’s agency until a time to come', owner: 'county', shares: [{ agency: 'police', expires: 'future' }], listed: true, policyAllows: true },
]

describe.each(testDatabaseKinds())('visibleTo (need-to-know in SQL) on $name', (kind) => {
  let database: TestDatabase
  let officer: CurrentUser
  const agencies: Record<string, string> = {}
  const users: Record<string, string> = {}
  const ids: Record<string, string> = {}

  beforeAll(async () => {
    database = await kind.create()
    await seedDemo(database.db, [])
    const db = database.db
    for (const a of await db.selectFrom('agencies').select(['id', 'short_name', 'kind']).execute()) {
      if (a.kind === 'police') agencies.police = a.id
      if (a.kind === 'county_council') agencies.county = a.id
      if (a.kind === 'health') agencies.nhs = a.id
    }
    for (const u of await db.selectFrom('users').select(['id', 'email']).execute()) {
      if (u.email === 'officer@lantern.test') users.officer = u.id
      if (u.email === 'h.evans@lantern.test') users.nurse = u.id
    }
    officer = (await usersStore(db).currentUser(users.officer))!
    for (const c of CASES) {
      const row = await db
        .insertInto('people')
        .values({ kind: 'child', given_name: 'Case', family_name: c.name, approximate_age: 14, owner_agency_id: agencies[c.owner], updated_at: new Date() })
        .returning('id')
        .executeTakeFirstOrThrow()
      ids[c.name] = row.id
      for (const s of c.shares) {
        await db
          .insertInto('record_shares')
          .values({
            record_type: 'person',
            record_id: row.id,
            agency_id: s.agency ? agencies[s.agency] : null,
            user_id: s.user ? users[s.user] : null,
            revoked_at: s.revoked ? new Date() : null,
            // Expiry is a security timer on the database's clock.
            expires_at: s.expires === 'past' ? sql<Date>`now() - interval '1 hour'` : s.expires === 'future' ? sql<Date>`now() + interval '1 day'` : null,
          })
          .execute()
      }
    }
    // A share of some other kind of record with the same id must not open the person.
    await db.insertInto('record_shares').values({ record_type: 'network_entity', record_id: ids['another agency’s, not shared'], agency_id: agencies.police }).execute()
  })
  afterAll(async () => {
    await database?.dispose()
  })

  it.each(CASES)('$name → listed: $listed', async (c) => {
    const rows = await database.db.selectFrom('people as p').select('p.id').where(visibleTo(officer, 'p')).where('p.id', '=', ids[c.name]).execute()
    expect(rows.length === 1).toBe(c.listed)
    // The list and the single-record policy agree.
    const facts = await accessStore(database.db).facts(officer.id, 'person', ids[c.name])
    const decision = decide(officer, 'person:view', { type: 'person', id: ids[c.name], ownerAgencyId: agencies[c.owner], sharedAgencyIds: facts.agencies, sharedUserIds: facts.users }, 'session')
    expect(decision.allowed).toBe(c.policyAllows)
    expect(c.listed).toBe(c.policyAllows)
  })

  it('works without an alias, on the table name', async () => {
    const rows = await database.db.selectFrom('people').select('people.id').where(visibleTo(officer)).execute()
    const expected = CASES.filter((c) => c.listed).map((c) => ids[c.name])
    expect(rows.map((r) => r.id).sort()).toEqual(expected.sort())
  })

  it('lists for another agency exactly what it holds or was given', async () => {
    const colleague = { ...officer, id: users.nurse, agencyId: agencies.nhs }
    const rows = await database.db.selectFrom('people as p').select('p.id').where(visibleTo(colleague, 'p')).execute()
    const names = Object.entries(ids).filter(([, id]) => rows.some((r) => r.id === id)).map(([n]) => n)
    expect(names.sort()).toEqual(['shared with a third agency only', 'shared with someone else in person', 'shared with the officer in person', 'shared with the officer in person until a time now past'].sort())
  })

  it('stops listing a share the moment it expires, on the database clock', async () => {
    const db = database.db
    const { id } = await db
      .insertInto('people')
      .values({ kind: 'child', given_name: 'Case', family_name: 'expiring share', approximate_age: 14, owner_agency_id: agencies.county, updated_at: new Date() })
      .returning('id')
      .executeTakeFirstOrThrow()
    const share = await db.insertInto('record_shares').values({ record_type: 'person', record_id: id, agency_id: agencies.police, expires_at: sql<Date>`now() + interval '1 day'` }).returning('id').executeTakeFirstOrThrow()
    expect(await db.selectFrom('people as p').select('p.id').where(visibleTo(officer, 'p')).where('p.id', '=', id).execute()).toHaveLength(1)
    await db.updateTable('record_shares').set({ expires_at: sql<Date>`now() - interval '1 second'` }).where('id', '=', share.id).execute()
    const rows = await db.selectFrom('people as p').select('p.id').where(visibleTo(officer, 'p')).where('p.id', '=', id).execute()
    expect(rows).toEqual([])
  })
})
