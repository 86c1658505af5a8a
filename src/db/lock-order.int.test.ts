import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import pg from 'pg'
import { testDatabaseKinds } from '../../test/support/databases.ts'
import type { TestDatabase } from '../../test/support/databases.ts'

/**
 * Two rows every writer may lock until commit: the audit chain's head (each audit event) and the
 * indicators' inputs counter (each change to what a judgement reads, migration 0850). Two
 * transactions that take them in opposite orders deadlock, and PostgreSQL cancels one. The order
 * must not depend on each service writing the input before auditing: whichever comes first in a
 * transaction, the counter is taken last, at commit (migration 0950).
 */
const postgres = testDatabaseKinds().find((k) => k.name === 'postgres')

describe.skipIf(!postgres)('the audit chain head and the indicator inputs counter (PostgreSQL)', () => {
  let database: TestDatabase
  const clients: pg.Client[] = []
  beforeAll(async () => {
    database = await postgres!.create({})
  })
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.end()))
    await database?.dispose()
  })

  async function connect() {
    const client = new pg.Client({ connectionString: database.url })
    await client.connect()
    await client.query(`set lock_timeout = '20s'`)
    clients.push(client)
    return client
  }
  const audit = (client: pg.Client, what: string) => client.query(`insert into audit_events (action, record_type) values ('view', $1)`, [what])
  // A statement trigger fires whether or not a row changes: this is a write to an input.
  const writeInput = (client: pg.Client) => client.query(`update indicators set name = name where false`)
  let reader: pg.Client | undefined
  const version = async () => {
    reader ??= await connect()
    return Number((await reader.query(`select version from indicator_inputs`)).rows[0].version)
  }

  it('lets a transaction that audits first and then writes an input run beside one that writes first and audits after', async () => {
    const auditsFirst = await connect()
    const writesFirst = await connect()
    const before = await version()

    await auditsFirst.query('begin')
    await audit(auditsFirst, 'first')
    await writesFirst.query('begin')
    await writeInput(writesFirst)
    // Waits for the chain head that `auditsFirst` holds.
    const second = audit(writesFirst, 'second').then(() => writesFirst.query('commit'))
    await new Promise((resolve) => setTimeout(resolve, 200))
    // With the counter taken at the write, this waited for `writesFirst`, which waits for this: a deadlock.
    const first = writeInput(auditsFirst).then(() => auditsFirst.query('commit'))
    const outcomes = await Promise.allSettled([first, second])

    expect(outcomes.map((o) => (o.status === 'rejected' ? String((o.reason as Error).message) : 'committed'))).toEqual(['committed', 'committed'])
    // Each transaction moved the counter, once.
    expect(await version()).toBe(before + 2)
  })

  it('moves the counter once per transaction however many inputs it writes, and not at all when it rolls back', async () => {
    const client = await connect()
    const before = await version()
    await client.query('begin')
    for (let i = 0; i < 3; i++) await writeInput(client)
    await client.query('commit')
    expect(await version()).toBe(before + 1)
    await client.query('begin')
    await writeInput(client)
    await client.query('rollback')
    expect(await version()).toBe(before + 1)
  })
})
