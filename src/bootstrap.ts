import { randomBytes } from 'node:crypto'
import path from 'node:path'
import type { Logger } from 'pino'
import type { Config } from './config.ts'
import { openDatabase, type DatabaseHandle, type Db } from './db/index.ts'
import type { DatabaseLimits } from './db/limits.ts'
import { migrateToLatest } from './db/migrate.ts'
import { activeDemoAccounts, isEmpty, seedDemo } from './demo/seed.ts'
import { modules } from './modules/index.ts'

/**
 * Opens the configured database: a PostgreSQL server, or the embedded PGlite in DATA_DIR. The web
 * server passes `limits` (config.database); the CLI runs long statements on purpose and does not.
 */
export function openConfiguredDatabase(config: Config, logger?: Logger, limits?: DatabaseLimits): Promise<DatabaseHandle> {
  return openDatabase(
    config.databaseUrl
      ? { url: config.databaseUrl, limits, onIdleError: (err) => logger?.warn({ err: err.message }, 'database closed an idle connection') }
      : { dataDir: path.join(config.dataDir, 'pglite') },
  )
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

/** Migrates, loads the demo into an empty demo database, and refuses production with demo accounts. */
export async function prepareDatabase(config: Config, db: Db, logger: Logger) {
  const applied = await migrateToLatest(db)
  if (applied.length) logger.info({ migrations: applied }, `applied ${applied.length} migration(s)`)
  if (config.mode === 'demo' && (await isEmpty(db))) {
    logger.info('new demo database: loading the demo partnership')
    await seedDemo(db, modules, { logger })
  }
  if (config.mode === 'production') {
    const demo = await activeDemoAccounts(db)
    if (demo > 0) {
      throw new Error(
        `Lantern will not start in production: ${demo} demo account(s) with the published demo password are active. Deactivate them (lantern user deactivate-demo) or use a fresh database.`,
      )
    }
  }
}
