import { afterEach, describe, expect, it } from 'vitest'
import type { AddressInfo } from 'node:net'
import type { Server } from 'node:http'
import { createApp } from '../../app.ts'
import { loadConfig } from '../../config.ts'
import { sql } from 'kysely'
import { modules } from '../index.ts'
import { createLogger } from '../../web/logger.ts'
import { TEST_SECRETS } from '../../../test/support/secrets.ts'
import { testDatabaseKinds, type TestDatabase } from '../../../test/support/databases.ts'

/**
 * A load balancer sends traffic to an instance only while /ready answers 200: its database
 * answers and holds every migration this release brings. /live says only that the process serves.
 * Neither tells a visitor anything more than UP or DOWN.
 */
const opened: { server: Server; database: TestDatabase }[] = []
afterEach(async () => {
  for (const { server, database } of opened.splice(0)) {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
    await database.dispose().catch(() => undefined)
  }
})

async function lanternOn(database: TestDatabase) {
  // Production's answers: a demo's /info says more, and these must not.
  const config = { ...loadConfig({ NODE_ENV: 'test', LANTERN_MODE: 'demo', LOG_LEVEL: 'silent' }), mode: 'production' as const }
  const { app } = createApp({ config, db: database.db, databaseKind: database.kind, logger: createLogger('silent'), ...TEST_SECRETS, modules })
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s))
  })
  opened.push({ server, database })
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return async (path: string) => {
    const res = await fetch(`${base}${path}`)
    return { status: res.status, body: (await res.json()) as unknown, cache: res.headers.get('cache-control') }
  }
}

const UP = { status: 200, body: { status: 'UP' } }
const DOWN = { status: 503, body: { status: 'DOWN' } }

describe.each(testDatabaseKinds())('readiness and liveness on $name', (kind) => {
  it('is not ready on a database not yet migrated, and alive all the same', async () => {
    const get = await lanternOn(await kind.create({ migrate: false }))
    expect(await get('/ready')).toEqual({ ...DOWN, cache: 'no-store' })
    expect(await get('/live')).toMatchObject(UP)
    expect(await get('/ping')).toMatchObject(UP)
  })

  it('is ready only while the database holds every migration of this release and answers; says no more than UP or DOWN', async () => {
    const database = await kind.create()
    const get = await lanternOn(database)
    expect(await get('/ready')).toEqual({ ...UP, cache: 'no-store' })

    // An older database under this release: its newest migration not applied yet.
    const newest = (await sql<{ name: string; timestamp: string }>`select name, timestamp from kysely_migration order by name desc limit 1`.execute(database.db)).rows[0]
    await sql`delete from kysely_migration where name = ${newest.name}`.execute(database.db)
    expect(await get('/ready')).toMatchObject(DOWN)
    await sql`insert into kysely_migration (name, timestamp) values (${newest.name}, ${newest.timestamp})`.execute(database.db)
    expect(await get('/ready')).toMatchObject(UP)

    await database.close()
    expect(await get('/ready')).toEqual({ ...DOWN, cache: 'no-store' })
    expect(await get('/live')).toMatchObject(UP)
  })
})
