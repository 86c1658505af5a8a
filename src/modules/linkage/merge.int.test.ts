import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { testDatabaseKinds, type TestDatabase } from '../../../test/support/databases.ts'
import { moduleDeps } from '../../composition.ts'
import { usersStore } from '../../auth/users-store.ts'
import { loadConfig } from '../../config.ts'
import type { RequestContext } from '../../kernel/context.ts'
import type { Db } from '../../db/index.ts'
import { ForbiddenError } from '../../kernel/errors.ts'
import { mergeService, MergeRefused } from './merge.ts'
import { personReferences } from './merge-store.ts'
import { runAsRequest, setRequestViewer } from '../../db/scope.ts'

/**
 * Every row in the database that references either person (every foreign key to people found in
 * the catalogue, plus shares), and the two people rows themselves, as plain sorted JSON. The merge's
 * own timeline entries (ref_type linkage_merge) are left out: they are the history of the merge.
 */
async function snapshot(db: Db, ids: string[]) {
  const out: Record<string, unknown[]> = {}
  const json = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).sort()
  for (const ref of await personReferences(db)) {
    const { rows } = await sql<Record<string, unknown>>`select * from ${sql.id(ref.table)} where ${sql.id(ref.column)} in (${sql.join(ids)})`.execute(db)
    out[`${ref.table}.${ref.column}`] = json(rows.filter((r) => !(ref.table === 'person_events' && r.ref_type === 'linkage_merge')))
  }
  const shares = await db.selectFrom('record_shares').selectAll().where('record_type', '=', 'person').where('record_id', 'in', ids).execute()
  out.record_shares = json(shares)
  out.people = json(await db.selectFrom('people').selectAll().where('id', 'in', ids).orderBy('id').execute())
  return out
}

describe.each(testDatabaseKinds())('merge and unmerge ($name)', (kind) => {
  let database: TestDatabase
  let merges: ReturnType<typeof mergeService>
  const refs: Record<string, string> = {}
  const ctx: Record<string, RequestContext> = {}

  beforeAll(async () => {
    database = await kind.create({ demo: true })
    const db = database.db
    const deps = moduleDeps({ db, config: loadConfig({ NODE_ENV: 'test', LANTERN_MODE: 'demo', LOG_LEVEL: 'silent' }) })
    merges = mergeService(deps)
    const users = usersStore(db)
    for (const who of ['analyst', 'manager', 'officer', 'practitioner']) {
      const row = (await users.findByEmail(`${who}@lantern.test`))!
      ctx[who] = { user: (await users.currentUser(row.id))!, requestId: `test-${who}` }
    }
    const person = async (given: string, family: string) => (await db.selectFrom('people').select('id').where('given_name', '=', given).where('family_name', '=', family).executeTakeFirstOrThrow()).id
    refs.jayden = await person('Jayden', 'Price')
    refs.jaden = await person('Jaden', 'Pryce')
  }, 120_000)
  afterAll(async () => {
    await database?.dispose()
  })

  it('finds every table that references a person in the catalogue, not from a fixed list', async () => {
    const refsFound = (await personReferences(database.db)).map((r) => `${r.table}.${r.column}`)
    for (const expected of ['person_events.person_id', 'person_identifiers.person_id', 'person_aliases.person_id', 'person_notes.person_id', 'people.merged_into']) expect(refsFound).toContain(expected)
    expect(refsFound.some((r) => r.startsWith('linkage_'))).toBe(false)
  })

  it('merges the police record into the council record, keeping every identifier and all history, and an unmerge restores both exactly', async () => {
    const db = database.db
    const ids = [refs.jayden, refs.jaden]
    const before = await snapshot(db, ids)
    const jadenRows = Object.fromEntries(Object.entries(before).map(([k, v]) => [k, v.filter((r) => (r as string).includes(refs.jaden)).length]))
    expect(jadenRows['person_identifiers.person_id']).toBeGreaterThan(0)
    expect(jadenRows['person_notes.person_id']).toBeGreaterThan(0)

    const outcome = await merges.request(ctx.analyst, { survivorId: refs.jayden, mergedId: refs.jaden, reason: 'Same child: same date of birth, placement in Southampton' })
    // Jayden's record is the council's, so the police analyst's merge waits for the council's agreement.
    expect(outcome.status).toBe('pending')
    expect(JSON.stringify(await snapshot(db, ids))).toEqual(JSON.stringify(before))
    await expect(merges.confirm(ctx.officer, outcome.mergeId, null)).rejects.toThrow(ForbiddenError)
    await merges.confirm(ctx.manager, outcome.mergeId, 'The council agrees')

    // Everything of Jaden's is now on Jayden's record; nothing deleted.
    const identifiers = await db.selectFrom('person_identifiers').select(['person_id', 'value']).where('value', '=', 'HIOW-4471902').execute()
    expect(identifiers).toEqual([{ person_id: refs.jayden, value: 'HIOW-4471902' }])
    const notes = await db.selectFrom('person_notes').select('person_id').where('body', 'like', '%Gave his name as Jaden Pryce%').execute()
    expect(notes).toEqual([{ person_id: refs.jayden }])
    const merged = await db.selectFrom('people').select(['merged_into']).where('id', '=', refs.jaden).executeTakeFirstOrThrow()
    expect(merged.merged_into).toBe(refs.jayden)
    const timeline = await db.selectFrom('person_events').select(['person_id', 'kind']).where('kind', '=', 'merged').execute()
    expect(timeline.map((t) => t.person_id).sort()).toEqual([...ids].sort())
    const audited = await db.selectFrom('audit_events').select(['record_id']).where('action', '=', 'merge').execute()
    expect(audited.map((a) => a.record_id).sort()).toEqual([...ids].sort())
    // The police, who owned Jaden's record, still see the child through the surviving record.
    const policeShare = await db.selectFrom('record_shares').select('id').where('record_id', '=', refs.jayden).where('agency_id', '=', ctx.officer.user!.agencyId).execute()
    expect(policeShare.length).toBeGreaterThan(0)
    expect(JSON.stringify(await snapshot(db, ids))).not.toEqual(JSON.stringify(before))

    const result = await merges.unmerge(ctx.analyst, outcome.mergeId, 'Test of undo')
    expect(result.missing).toBe(0)
    const after = await snapshot(db, ids)
    expect(after).toEqual(before)
    const unmergedEvents = await db.selectFrom('person_events').select('person_id').where('kind', '=', 'unmerged').execute()
    expect(unmergedEvents).toHaveLength(2)
    await expect(merges.unmerge(ctx.analyst, outcome.mergeId, 'twice')).rejects.toThrow(MergeRefused)
  })

  it('needs a different manager to confirm a merge of records whose dates of birth differ', async () => {
    const db = database.db
    // Two police children shared with the council, with different dates of birth.
    const pair = await db
      .selectFrom('people as p')
      .innerJoin('record_shares as s', (j) => j.onRef('s.record_id', '=', 'p.id').on('s.agency_id', '=', ctx.manager.user!.agencyId))
      .select(['p.id', 'p.date_of_birth'])
      .where('p.owner_agency_id', '=', ctx.analyst.user!.agencyId)
      .where('p.kind', '=', 'child')
      .where('p.merged_into', 'is', null)
      .where('p.id', 'not in', [refs.jayden, refs.jaden])
      .orderBy('p.id')
      .limit(2)
      .execute()
    expect(pair).toHaveLength(2)
    expect(pair[0].date_of_birth).not.toBe(pair[1].date_of_birth)
    const outcome = await merges.request(ctx.analyst, { survivorId: pair[0].id, mergedId: pair[1].id, reason: 'Same child, checked' })
    expect(outcome.status).toBe('pending')
    expect(await db.selectFrom('people').select('merged_into').where('id', '=', pair[1].id).executeTakeFirstOrThrow()).toEqual({ merged_into: null })
    // The analyst's role may request but not confirm.
    await expect(merges.confirm(ctx.analyst, outcome.mergeId, null)).rejects.toThrow(ForbiddenError)
    await merges.confirm(ctx.manager, outcome.mergeId, 'Checked with the school: same child, date of birth typed wrongly')
    expect(await db.selectFrom('people').select('merged_into').where('id', '=', pair[1].id).executeTakeFirstOrThrow()).toEqual({ merged_into: pair[0].id })
    await expect(merges.confirm(ctx.manager, outcome.mergeId, null)).rejects.toThrow(MergeRefused)
  })

  it('refuses a manager confirming their own merge request', async () => {
    const db = database.db
    const kids = await db.selectFrom('people').select(['id']).where('owner_agency_id', '=', ctx.manager.user!.agencyId).where('kind', '=', 'child').where('merged_into', 'is', null).where('id', 'not in', [refs.jayden, refs.jaden]).orderBy('date_of_birth').limit(2).execute()
    const outcome = await merges.request(ctx.manager, { survivorId: kids[0].id, mergedId: kids[1].id, reason: 'Same child, checked' })
    expect(outcome.status).toBe('pending')
    await expect(merges.confirm(ctx.manager, outcome.mergeId, null)).rejects.toThrow(/different manager/)
    await merges.decline(ctx.manager, outcome.mergeId, 'Not the same')
  })

  it('remembers "not the same person" and refuses a merge that would join them, even through a third record', async () => {
    const db = database.db
    await merges.markNotSame(ctx.analyst, refs.jayden, refs.jaden, 'Different children: checked with the placement')
    await expect(merges.request(ctx.analyst, { survivorId: refs.jaden, mergedId: refs.jayden, reason: 'Same child, checked' })).rejects.toThrow(/not the same person/)
    expect(await db.selectFrom('people').select('merged_into').where('id', 'in', [refs.jayden, refs.jaden]).execute()).toEqual([{ merged_into: null }, { merged_into: null }])
  })

  it('refuses a merge without a reason', async () => {
    await expect(merges.request(ctx.analyst, { survivorId: refs.jayden, mergedId: refs.jaden, reason: ' ' })).rejects.toThrow(/Enter why/)
  })

  it('refuses a merge by someone whose role does not allow it', async () => {
    await expect(merges.request(ctx.practitioner, { survivorId: refs.jayden, mergedId: refs.jaden, reason: 'Same child, checked' })).rejects.toThrow(ForbiddenError)
  })

  it('holds merges, what they moved and "not the same person" in the database for those who see either record only', async () => {
    const db = database.db
    const health = (await db.selectFrom('agencies').select(['id', 'kind']).where('kind', '=', 'health').executeTakeFirstOrThrow())
    const mine = [refs.jayden, refs.jaden]
    // Through the application role, as a store that forgot the condition would read them.
    const rowsAs = (agencyId: string, agencyKind: string) =>
      runAsRequest(async () => {
        setRequestViewer({ id: crypto.randomUUID(), agencyId, agencyKind, permissions: ['person:view', 'linkage:merge'] }, { breakGlass: false })
        const merged = await db.selectFrom('linkage_merges').select('id').where((eb) => eb.or([eb('survivor_id', 'in', mine), eb('merged_id', 'in', mine)])).execute()
        return {
          merges: merged.length,
          moves: merged.length ? (await db.selectFrom('linkage_merge_moves').select('id').where('merge_id', 'in', merged.map((m) => m.id)).execute()).length : 0,
          notSame: (await db.selectFrom('linkage_not_same').select('id').where('person_a', 'in', mine).execute()).length,
          model: (await db.selectFrom('linkage_entry_model').select('id').execute()).length,
        }
      })
    // The match model is trained on first use; one row stands for it here.
    await db.insertInto('linkage_entry_model').values({ id: 'test-model', model: '{}', trained_on: 0 }).onConflict((oc) => oc.column('id').doNothing()).execute()
    const owner = ctx.analyst.user!
    const seen = await rowsAs(owner.agencyId, owner.agencyKind)
    expect(seen.merges).toBeGreaterThan(0)
    expect(seen.moves).toBeGreaterThan(0)
    expect(seen.notSame).toBe(1)
    expect(seen.model).toBe(0)
    expect(await rowsAs(health.id, health.kind)).toEqual({ merges: 0, moves: 0, notSame: 0, model: 0 })
  })
})
