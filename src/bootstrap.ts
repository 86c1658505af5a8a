import { randomBytes } from 'node:crypto'
import { existsSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { sql } from 'kysely'
import type { Logger } from 'pino'
import type { Config } from './config.ts'
import { openDatabase, type DatabaseHandle, type Db } from './db/index.ts'
import { withoutTimeouts, type DatabaseLimits } from './db/limits.ts'
import { migrateToLatest } from './db/migrate.ts'
import { activeDemoAccounts, isEmpty, seedDemo } from './demo/seed.ts'
import { clockFor } from './kernel/clock.ts'
import { modules } from './modules/index.ts'

/** The embedded database's own folder inside DATA_DIR (its lock and control files sit beside it). */
export function embeddedFolder(config: Config) {
  return path.join(config.dataDir, 'pglite')
}

/**
 * `lantern restore` moves the old folder aside, then the restored one in. Cut short between the
 * two, the folder is missing and opening it would make a new, empty database (and, in demo mode,
 * load the demo) while the real one sits aside: so stop and say where it is.
 */
function refuseAfterCutShortRestore(folder: string) {
  if (existsSync(folder) || !existsSync(path.dirname(folder))) return
  const aside = readdirSync(path.dirname(folder)).find((name) => name.startsWith(`${path.basename(folder)}.replaced-`))
  if (aside) {
    const where = path.join(path.dirname(folder), aside)
    throw new Error(`a restore was cut short: ${where} holds the database it was replacing; rename it to ${folder} to go back to it, or run lantern restore again`)
  }
}

/**
 * Opens the configured database: a PostgreSQL server, or the embedded PGlite in DATA_DIR. The web
 * server passes `limits` (config.database); the CLI runs long statements on purpose and does not.
 * `as: 'owner'` (`lantern` commands) connects as DATABASE_OWNER_URL when set; the web server's handle
 * sends work outside requests (start-up, jobs, `runAsOwner`) there too.
 */
export async function openConfiguredDatabase(config: Config, logger?: Logger, limits?: DatabaseLimits, as: 'web' | 'owner' = 'web'): Promise<DatabaseHandle> {
  const url = as === 'owner' ? (config.databaseOwnerUrl ?? config.databaseUrl) : config.databaseUrl
  if (url) {
    return openDatabase({ url, ownerUrl: config.databaseOwnerUrl, limits, onIdleError: (err) => logger?.warn({ err: err.message }, 'database closed an idle connection') })
  }
  const folder = embeddedFolder(config)
  refuseAfterCutShortRestore(folder)
  try {
    return await openDatabase({ dataDir: folder })
  } catch (err) {
    throw new Error(`the embedded database in ${folder} cannot be opened (${(err as Error).message}); if it is damaged, restore your latest backup: lantern restore FILE --force`)
  }
}

/**
 * The session secret: from the environment in production; in demo mode, made once and kept in the
 * database so every instance sharing the database agrees and restarts keep people signed in.
 */
export async function resolveSessionSecret(config: Config, db: Db): Promise<string> {
  if (config.sessionSecret) return config.sessionSecret
  const existing = await db.selectFrom('settings').select('value').where('key', '=', 'session_secret').executeTakeFirst()
  if (existing) return existing.value
  const secret = randomBytes(32).toString('base64url')
  await db.insertInto('settings').values({ key: 'session_secret', value: secret }).onConflict((oc) => oc.column('key').doNothing()).execute()
  const stored = await db.selectFrom('settings').select('value').where('key', '=', 'session_secret').executeTakeFirstOrThrow()
  return stored.value
}

/**
 * Runs start-up work holding a PostgreSQL advisory lock, on one connection, so instances starting
 * together on one database take turns: the first migrates and loads the demo, the next finds it
 * done. (Kysely's migrator locks only the migrations; the demo seed outside that lock ran twice and
 * one instance died on a duplicate key.) The lock is the session's, so a crash releases it. The
 * wait is not timed: the web's lock timeout cancelled a second instance waiting for the demo seed.
 */
export async function underStartUpLock<T>(db: Db, work: (db: Db) => Promise<T>): Promise<T> {
  return db.connection().execute((conn) =>
    withoutTimeouts(conn, async () => {
      await sql`select pg_advisory_lock(hashtext('lantern start-up'))`.execute(conn)
      try {
        return await work(conn)
      } finally {
        await sql`select pg_advisory_unlock(hashtext('lantern start-up'))`.execute(conn)
      }
    }),
  )
}

/**
 * Migrates, loads the demo into an empty demo database, makes the session secret, and refuses
 * production with demo accounts: all under the start-up lock. Returns the session secret.
 */
export async function prepareDatabase(config: Config, db: Db, logger: Logger): Promise<{ sessionSecret: string }> {
  return underStartUpLock(db, async (conn) => {
    const applied = await migrateToLatest(conn)
    if (applied.length) logger.info({ migrations: applied }, `applied ${applied.length} migration(s)`)
    if (config.mode === 'demo' && (await isEmpty(conn))) {
      logger.info('new demo database: loading the demo partnership')
      // The demo's story is told relative to the day Lantern's calendar starts (LANTERN_TODAY or today).
      await seedDemo(conn, modules, { logger, today: clockFor(config.today).now() })
    }
    if (config.mode === 'production') {
      const demo = await activeDemoAccounts(conn)
      if (demo > 0) {
        throw new Error(
          `Lantern will not start in production: ${demo} demo account(s) with the published demo password are active. Deactivate them (lantern user deactivate-demo) or use a fresh database.`,
        )
      }
    }
    return { sessionSecret: await resolveSessionSecret(config, conn) }
  })
}
