import pg from 'pg'
import { randomBytes } from 'node:crypto'
import { openAsBlob } from 'node:fs'
import { openDatabase, type DatabaseHandle } from '../../src/db/index.ts'
import type { DatabaseLimits } from '../../src/db/limits.ts'
import { migrateToLatest } from '../../src/db/migrate.ts'
import { seedTestDemo, TEMPLATE_ENV } from './templates.ts'

export interface TestDatabase extends DatabaseHandle {
  /** Closes the connection and removes the throwaway database. */
  dispose(): Promise<void>
  /** A PostgreSQL database's address: for a `lantern` process, or a test that needs a connection of its own. */
  url?: string
}

export interface CreateOptions {
  /** false: an empty database, for tests of the migrations themselves. */
  migrate?: boolean
  /** true: with the demo partnership as startTestApp loads it (every module, TEST_TODAY). */
  demo?: boolean
  /** PGlite: keep the database in this folder (a DATA_DIR's pglite folder) instead of memory. */
  dataDir?: string
  /** The web server's timeouts and pool bounds (PGlite: its queue limit and timeout). */
  limits?: DatabaseLimits
}

export interface TestDatabaseKind {
  name: 'pglite' | 'postgres'
  create(options?: CreateOptions): Promise<TestDatabase>
}

/**
 * The prepared copy to start from, if test/global-setup.ts made one for this run: the demo one
 * when asked for, else the migrated one; none for an unmigrated database.
 */
function templateFor(options: CreateOptions, names: { migrated: string; demo: string }): string | undefined {
  if (options.migrate === false) return undefined
  return process.env[options.demo ? names.demo : names.migrated] || undefined
}

/** Without a prepared copy (a script outside vitest), the database is built as it always was. */
async function build(handle: DatabaseHandle, options: CreateOptions) {
  if (options.migrate === false) return
  await migrateToLatest(handle.db)
  if (options.demo) await seedTestDemo(handle.db)
}

async function createPglite(options: CreateOptions = {}): Promise<TestDatabase> {
  const template = templateFor(options, { migrated: TEMPLATE_ENV.pgliteMigrated, demo: TEMPLATE_ENV.pgliteDemo })
  const handle = await openDatabase({ dataDir: options.dataDir, loadDataDir: template ? await openAsBlob(template) : undefined, limits: options.limits })
  if (!template) await build(handle, options)
  return { ...handle, dispose: () => handle.close() }
}

/**
 * A fresh database on the PostgreSQL server named by TEST_DATABASE_URL, one per test file, so
 * parallel runs and CI never see each other's rows. Dropped afterwards.
 */
async function createPostgres(serverUrl: string, options: CreateOptions = {}): Promise<TestDatabase> {
  const sameServer = process.env[TEMPLATE_ENV.postgresServer] === serverUrl
  const template = sameServer ? templateFor(options, { migrated: TEMPLATE_ENV.postgresMigrated, demo: TEMPLATE_ENV.postgresDemo }) : undefined
  const name = `lantern_t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`
  const admin = new pg.Client({ connectionString: serverUrl })
  await admin.connect()
  try {
    await admin.query(template ? `create database ${name} template ${template}` : `create database ${name}`)
  } finally {
    await admin.end()
  }
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  const handle = await openDatabase({ url: url.href, poolSize: 5, limits: options.limits })
  if (!template) await build(handle, options)
  return {
    ...handle,
    url: url.href,
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
