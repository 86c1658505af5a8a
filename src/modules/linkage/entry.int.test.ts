import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { testDatabaseKinds, type TestDatabase } from '../../../test/support/databases.ts'
import { TEST_TODAY } from '../../../test/support/app.ts'
import { seedDemo } from '../../demo/seed.ts'
import { modules } from '../index.ts'
import { openDatabase, type Db } from '../../db/index.ts'
import { MatchIndex, parseModel, tableFromObjects, type QueryRecord } from '../../analytics/linkage/index.ts'
import { ENTRY_COLUMNS, entryIndex, loadEntryRecords } from './entry.ts'

/** An index built afresh from the database as it is now, with the stored model. */
async function rebuilt(db: Db): Promise<MatchIndex> {
  const stored = await db.selectFrom('linkage_entry_model').select('model').executeTakeFirstOrThrow()
  return MatchIndex.build(parseModel(stored.model), tableFromObjects(await loadEntryRecords(db), [...ENTRY_COLUMNS]))
}

const query = (given: string, surname: string, dob: string | null, extra: Partial<Record<string, string>> = {}): QueryRecord => ({ id: null, given_name: given, surname, date_of_birth: dob, sex: null, postcode: null, nhs_number: null, ...extra })

describe.each(testDatabaseKinds())('the duplicate check’s index kept up to date in place ($name)', (kind) => {
  let database: TestDatabase
  let db: Db
  let owner: { agency: string; user: string }

  beforeAll(async () => {
    database = await kind.create()
    db = database.db
    await seedDemo(db, modules, { today: TEST_TODAY })
    const officer = await db.selectFrom('users').select(['id', 'agency_id']).where('email', '=', 'officer@lantern.test').executeTakeFirstOrThrow()
    owner = { agency: officer.agency_id, user: officer.id }
  }, 180_000)
  afterAll(async () => {
    await database?.dispose()
  })

  const addPerson = (given: string, family: string, dob: string, target: Db = db) =>
    target
      .insertInto('people')
      .values({ kind: 'child', given_name: given, family_name: family, date_of_birth: dob, gender: 'female', owner_agency_id: owner.agency, created_by: owner.user })
      .returning('id')
      .executeTakeFirstOrThrow()
      .then((r) => r.id)

  it('takes in a person recorded, renamed, given a postcode and an NHS number, and removed, without a rebuild, answering as a rebuild would', async () => {
    const first = await entryIndex(db)
    const builds = first.builds
    const updates = first.updates
    const ottoline = query('Ottoline', 'Vasquez-Brandt', '2012-03-04')
    expect(first.index.find(ottoline)).toEqual([])

    const id = await addPerson('Ottoline', 'Vasquez-Brandt', '2012-03-04')
    let now = await entryIndex(db)
    expect(now.index.find(ottoline)[0]?.id).toBe(id)

    await db.updateTable('people').set({ family_name: 'Vasquez' }).where('id', '=', id).execute()
    await db.insertInto('person_addresses').values({ person_id: id, address: '1 High Street', postcode: 'so18 5ab', kind: 'home' }).execute()
    await db.insertInto('person_identifiers').values({ person_id: id, scheme: 'nhs_number', value: '9434765919', agency_id: owner.agency }).execute()
    now = await entryIndex(db)
    expect(now.index.record(id)).toMatchObject({ surname: 'Vasquez', postcode: 'so18 5ab', nhs_number: '9434765919' })
    // Found by the NHS number alone under another name.
    expect(now.index.find(query('Lina', 'Brandt', null, { nhs_number: '943 476 5919' }), { threshold: 0.3 }).map((m) => m.id)).toContain(id)

    // A new risk rating changes nothing the index reads: no update.
    const before = now.updates
    await db.updateTable('people').set({ current_rag: 'amber' }).where('id', '=', id).execute()
    expect((await entryIndex(db)).updates).toBe(before)

    // A transaction that rolls back leaves no trace.
    await expect(
      db.transaction().execute(async (trx) => {
        await addPerson('Rolled', 'Back', '2011-01-01', trx)
        throw new Error('changed my mind')
      }),
    ).rejects.toThrow('changed my mind')
    expect((await entryIndex(db)).index.find(query('Rolled', 'Back', '2011-01-01'))).toEqual([])

    // Every way of comparing agrees with an index built afresh from the database.
    const fresh = await rebuilt(db)
    now = await entryIndex(db)
    expect(now.size).toBe(fresh.size)
    const people = await db.selectFrom('people').select(['given_name', 'family_name', 'date_of_birth']).orderBy('id').execute()
    for (const p of [...people.slice(0, 40), { given_name: 'Ottoline', family_name: 'Vasquez', date_of_birth: '2012-03-04' }]) {
      const q = query(p.given_name.replace(/a/, 'e'), p.family_name, p.date_of_birth)
      expect(now.index.find(q, { threshold: 0, limit: 100 })).toEqual(fresh.find(q, { threshold: 0, limit: 100 }))
    }

    await db.deleteFrom('person_identifiers').where('person_id', '=', id).execute()
    await db.deleteFrom('person_addresses').where('person_id', '=', id).execute()
    await db.deleteFrom('people').where('id', '=', id).execute()
    now = await entryIndex(db)
    expect(now.index.has(id)).toBe(false)
    expect(now.builds).toBe(builds)
    expect(now.updates).toBeGreaterThan(updates)
  })

  it('gives every caller at once the same, current index', async () => {
    const id = await addPerson('Marisol', 'Quenby', '2013-06-07')
    const all = await Promise.all(Array.from({ length: 5 }, () => entryIndex(db)))
    for (const got of all) expect(got.index.find(query('Marisol', 'Quenby', '2013-06-07'))[0]?.id).toBe(id)
  })

  it.skipIf(kind.name === 'pglite')('picks up a change whose transaction commits after a later one has been seen', async () => {
    await entryIndex(db)
    let release!: () => void
    const gate = new Promise<void>((resolve) => (release = resolve))
    let started!: () => void
    const inside = new Promise<void>((resolve) => (started = resolve))
    // A (slow) begins and writes first; B writes and commits; the index is synced; then A commits.
    const slow = db.transaction().execute(async (trx) => {
      await addPerson('Early', 'Writer', '2010-10-10', trx)
      started()
      await gate
    })
    await inside
    const later = await addPerson('Later', 'Writer', '2010-11-11')
    const between = await entryIndex(db)
    expect(between.index.has(later)).toBe(true)
    expect(between.index.find(query('Early', 'Writer', '2010-10-10'))).toEqual([])
    release()
    await slow
    const after = await entryIndex(db)
    expect(after.index.find(query('Early', 'Writer', '2010-10-10'))).toHaveLength(1)
  })

  it.skipIf(kind.name === 'pglite')('keeps two instances on one database in step: a change made through either is seen by the other at its next check', async () => {
    const url = new URL(process.env.TEST_DATABASE_URL!)
    url.pathname = `/${(await sql<{ name: string }>`select current_database() as name`.execute(db)).rows[0].name}`
    const other = await openDatabase({ url: url.href, poolSize: 2 })
    try {
      const mine = await entryIndex(db)
      const theirs = await entryIndex(other.db)
      const theirBuilds = theirs.builds
      const id = await addPerson('Anwen', 'Thistlewood', '2012-12-12', other.db)
      expect((await entryIndex(db)).index.find(query('Anwen', 'Thistlewood', '2012-12-12'))[0]?.id).toBe(id)
      await db.updateTable('people').set({ given_name: 'Annwen' }).where('id', '=', id).execute()
      expect((await entryIndex(other.db)).index.record(id)?.given_name).toBe('Annwen')
      expect((await entryIndex(other.db)).builds).toBe(theirBuilds)
      expect((await entryIndex(db)).builds).toBe(mine.builds)
    } finally {
      await other.close()
    }
  })
})
