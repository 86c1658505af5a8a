import pg from 'pg'
import { randomBytes } from 'node:crypto'
import { openDatabase, type DatabaseHandle } from '../../src/db/index.ts'
import { migrateToLatest } from '../../src/db/migrate.ts'

export interface TestDatabase extends DatabaseHandle {
  /** Closes the connection and removes the throwaway database. */
  dispose(): Promise<void>
}

export interface TestDatabaseKind {
  name: 'pglite' | 'postgres'
  create(options?: { migrate?: boolean }): Promise<TestDatabase>
}

async function createPglite(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const handle = await openDatabase({})
  if (options.migrate !== false) await migrateToLatest(handle.db)
  return { ...handle, dispose: () => handle.close() }
}

/**
 * A fresh database on the PostgreSQL server named by TEST_DATABASE_URL, one per test file, so
 * parallel runs and CI never see each other's rows. Dropped afterwards.
 */
async function createPostgres(serverUrl: string, options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const name = `lantern_t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`
  const admin = new pg.Client({ connectionString: serverUrl })
  await admin.connect()
  await admin.query(`create database ${name}`)
  await admin.end()
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  const handle = await openDatabase({ url: url.href, poolSize: 5 })
  if (options.migrate !== false) await migrateToLatest(handle.db)
  return {
    ...handle,
    async dispose() {
      await handle.close()
      const cleanup = new pg.Client({ connectionString: serverUrl })
      await cleanup.connect()
      await cleanup.query(`drop database if exists ${name} with (force)`)
      await cleanup.end()
    },
  }
}

/**
 * The databases every integration test runs against: always the embedded PGlite, and the real
 * PostgreSQL server too when TEST_DATABASE_URL is set (as .ci/run does).
 */
export function testDatabaseKinds(): TestDatabaseKind[] {
  const kinds: TestDatabaseKind[] = [{ name: 'pglite', create: createPglite }]
  const url = process.env.TEST_DATABASE_URL
  if (url) kinds.push({ name: 'postgres', create: (options) => createPostgres(url, options) })
  return kinds
}

/** The database the browser tests run the app on: the real server when configured, else PGlite. */
export function primaryTestDatabaseKind(): TestDatabaseKind {
  const kinds = testDatabaseKinds()
  return kinds[kinds.length - 1]
}
