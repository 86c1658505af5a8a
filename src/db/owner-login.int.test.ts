import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import pg from 'pg'
import { randomBytes } from 'node:crypto'
import { sql } from 'kysely'
import { testDatabaseKinds, type TestDatabase } from '../../test/support/databases.ts'
import { openDatabase, type DatabaseHandle } from './index.ts'
import { runAsOwner, runAsRequest, setRequestViewer } from './scope.ts'

const serverUrl = process.env.TEST_DATABASE_URL
const postgres = testDatabaseKinds().find((k) => k.name === 'postgres')

/**
 * Production as docs/security.md sets it up: the web server logs in as a role that is only a member
 * of lantern_app, and the owner comes as DATABASE_OWNER_URL. The reads and writes meant to cross
 * need-to-know (runAsOwner) must still see and change every row, not silently nothing.
 */
describe.runIf(serverUrl && postgres)('a web login that owns nothing, with the owner beside it', () => {
  const login = `lantern_web_t_${randomBytes(4).toString('hex')}`
  let database: TestDatabase
  let web: DatabaseHandle
  let admin: pg.Client
  const stranger = { id: '00000000-0000-4000-8000-000000000009', agencyId: '00000000-0000-4000-8000-0000000000f9', agencyKind: 'council', permissions: ['person:view'] }

  beforeAll(async () => {
    database = await postgres!.create({ demo: true })
    admin = new pg.Client({ connectionString: database.url })
    await admin.connect()
    await admin.query(`create role ${login} login in role lantern_app`)
    const url = new URL(database.url!)
    url.username = login
    web = await openDatabase({ url: url.href, ownerUrl: database.url, poolSize: 2 })
  })
  afterAll(async () => {
    await web?.close()
    await admin?.query(`drop owned by ${login}`).catch(() => undefined)
    await admin?.query(`drop role if exists ${login}`)
    await admin?.end()
    await database?.dispose()
  })

  const people = async () => (await web.db.selectFrom('people').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n

  it('answers a request under row-level security as its user, and a read across need-to-know with every row', async () => {
    const all = (await database.db.selectFrom('people').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n
    expect(all).toBeGreaterThan(0)
    await runAsRequest(async () => {
      setRequestViewer(stranger, { breakGlass: false })
      expect(await people()).toBe(0)
      expect(await runAsOwner('test: partnership-wide count', people)).toBe(all)
      expect((await sql<{ role: string }>`select current_user as role`.execute(web.db)).rows[0].role).toBe('lantern_app')
    })
  })

  it('writes across need-to-know where the owner must, and the web login itself still cannot touch the audit trail', async () => {
    const person = await database.db.selectFrom('people').select(['id', 'version']).orderBy('id').executeTakeFirstOrThrow()
    await runAsRequest(async () => {
      setRequestViewer(stranger, { breakGlass: false })
      const changed = await runAsOwner('test: a job’s bookkeeping', () => web.db.updateTable('people').set({ version: person.version }).where('id', '=', person.id).executeTakeFirst())
      expect(changed.numUpdatedRows).toBe(1n)
      await expect(sql`update audit_events set action = 'nothing'`.execute(web.db)).rejects.toThrow(/permission denied|append-only/)
    })
  })
})
