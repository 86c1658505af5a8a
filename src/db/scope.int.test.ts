import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { testDatabaseKinds, type TestDatabase } from '../../test/support/databases.ts'
import { runAsOwner, runAsRequest, setRequestViewer } from './scope.ts'

const viewer = { id: '00000000-0000-4000-8000-000000000001', agencyId: '00000000-0000-4000-8000-0000000000a1', agencyKind: 'police', permissions: ['person:view'] }

describe.each(testDatabaseKinds())('the application role on $name', (kind) => {
  let database: TestDatabase
  beforeAll(async () => {
    database = await kind.create()
  })
  afterAll(async () => {
    await database?.dispose()
  })

  const whoAmI = async () =>
    (
      await sql<{ role: string; user_id: string; agency: string }>`select current_user as role, current_setting('lantern.user_id', true) as user_id,
        current_setting('lantern.agency_id', true) as agency`.execute(database.db)
    ).rows[0]

  it('runs a request’s statements as lantern_app and the signed-in user, and everything else as the owner', async () => {
    const owner = (await whoAmI()).role
    expect(owner).not.toBe('lantern_app')
    await runAsRequest(async () => {
      expect(await whoAmI()).toMatchObject({ role: 'lantern_app', user_id: '' })
      setRequestViewer(viewer, { breakGlass: true })
      expect(await whoAmI()).toEqual({ role: 'lantern_app', user_id: viewer.id, agency: viewer.agencyId })
      // Inside a transaction too, and a rollback does not undo the setting.
      await database.db
        .transaction()
        .execute(async (trx) => {
          expect((await sql<{ role: string }>`select current_user as role`.execute(trx)).rows[0].role).toBe('lantern_app')
          throw new Error('roll back')
        })
        .catch(() => undefined)
      expect(await whoAmI()).toMatchObject({ role: 'lantern_app', user_id: viewer.id })
      expect((await runAsOwner('test', whoAmI)).role).toBe(owner)
    })
    expect(await whoAmI()).toMatchObject({ role: owner, user_id: '' })
  })

  it('keeps two requests in flight apart on the same pool', async () => {
    const other = { ...viewer, id: '00000000-0000-4000-8000-000000000002' }
    const seen = await Promise.all(
      [viewer, other, viewer, other].map((v) =>
        runAsRequest(async () => {
          setRequestViewer(v, { breakGlass: true })
          await new Promise((resolve) => setTimeout(resolve, 5))
          return (await whoAmI()).user_id
        }),
      ),
    )
    expect(seen).toEqual([viewer.id, other.id, viewer.id, other.id])
  })

  it('lets the application role add to and read the audit trail, and nothing more', async () => {
    await runAsRequest(async () => {
      setRequestViewer(viewer, { breakGlass: true })
      await database.db.insertInto('audit_events').values({ action: 'view', record_type: 'person', record_id: 'x' }).execute()
      expect((await database.db.selectFrom('audit_events').select('action').where('record_id', '=', 'x').execute()).length).toBe(1)
      for (const statement of [
        sql`update audit_events set action = 'nothing'`,
        sql`delete from audit_events`,
        sql`truncate audit_events`,
        sql`alter table audit_events disable trigger audit_events_no_update_delete`,
        sql`drop trigger audit_events_no_update_delete on audit_events`,
        sql`drop table audit_events`,
        sql`alter table audit_events add column forged text`,
      ]) {
        await expect(statement.execute(database.db), statement.compile(database.db).sql).rejects.toThrow(/permission denied|must be owner|append-only/)
      }
    })
    const rows = await database.db.selectFrom('audit_events').select('action').where('record_id', '=', 'x').execute()
    expect(rows).toEqual([{ action: 'view' }])
  })
})
