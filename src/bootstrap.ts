import { randomBytes } from 'node:crypto'
import { existsSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { sql } from 'kysely'
import type { Logger } from 'pino'
import type { Config } from './config.ts'
import { openDatabase, type DatabaseHandle, type Db } from './db/index.ts'
import { openReplica, type ReadReplica } from './db/replica.ts'
import { withoutTimeouts, type DatabaseLimits } from './db/limits.ts'
import { migrateToLatest } from './db/migrate.ts'
import { activeDemoAccounts, isEmpty, seedDemo } from './demo/seed.ts'
import { clockFor } from './kernel/clock.ts'
import { modules } from './modules/index.ts'
import { settingsStore } from './db/settings.ts'
import { newSecretKeyText, secretBox, secretKeysFrom, type SecretKeys } from './auth/secret-box.ts'
import { resealTotpSecrets } from './auth/totp-secrets.ts'

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
 * server passes `limits` (config.database; on the embedded database, its queue limit and timeout);
 * the CLI runs long statements on purpose and does not. `as: 'owner'` (`lantern` commands)
 * connects as DATABASE_OWNER_URL when set; the web server's handle sends work outside requests
 * (start-up, jobs, `runAsOwner`) there too.
 */
export async function openConfiguredDatabase(config: Config, logger?: Logger, limits?: DatabaseLimits, as: 'web' | 'owner' = 'web'): Promise<DatabaseHandle> {
  const url = as === 'owner' ? (config.databaseOwnerUrl ?? config.databaseUrl) : config.databaseUrl
  if (url) {
    return openDatabase({ url, ownerUrl: config.databaseOwnerUrl, limits, onIdleError: (err) => logger?.warn({ err: err.message }, 'database closed an idle connection') })
  }
  const folder = embeddedFolder(config)
  refuseAfterCutShortRestore(folder)
  try {
    return await openDatabase({ dataDir: folder, limits })
  } catch (err) {
    throw new Error(`the embedded database in ${folder} cannot be opened (${(err as Error).message}); if it is damaged, restore your latest backup: lantern restore FILE --force`)
  }
}

/**
 * The streaming replica for the analytics pages, when REPLICA_DATABASE_URL names one: the web
 * login on the replica's server, with the web server's limits. A physical copy has the primary's
 * roles and passwords, so the reads marked `runAsOwner` (partnership counts, derived indicator
 * series) use the owner's login (DATABASE_OWNER_URL) at the replica's address: only reads ever
 * reach it. Opening it reads nothing, so an instance starts while its replica is away.
 */
export async function openConfiguredReplica(config: Config, logger?: Logger): Promise<ReadReplica | undefined> {
  if (!config.replica) return undefined
  const replica = new URL(config.replica.url)
  const owner = new URL(config.databaseOwnerUrl ?? config.databaseUrl ?? config.replica.url)
  owner.host = replica.host
  owner.pathname = replica.pathname
  return openReplica({
    url: config.replica.url,
    maxLagSeconds: config.replica.maxLagSeconds,
    ownerUrl: owner.href,
    limits: config.database,
    onIdleError: (err) => logger?.warn({ err: err.message }, 'the replica closed an idle connection'),
  })
}

/**
 * The session secret: from the environment in production; in demo mode, made once and kept in the
 * database so every instance sharing the database agrees and restarts keep people signed in.
 */
export async function resolveSessionSecret(config: Config, db: Db): Promise<string> {
  if (config.sessionSecret) return config.sessionSecret
  const settings = settingsStore(db)
  return (await settings.get('session_secret')) ?? settings.keepFirst('session_secret', randomBytes(32).toString('base64url'))
}

// The demo's own secret key, made once like the session secret. It sits beside what it seals, so
// it protects nothing from a copy of the database: production must give LANTERN_SECRET_KEY.
const DEMO_SECRET_KEY = 'secret_key'

/**
 * The keys that seal secrets in the database (src/auth/secret-box.ts): LANTERN_SECRET_KEY and the
 * previous ones, or in demo mode one made once and kept in the database. A kept key is still
 * offered as a previous one once LANTERN_SECRET_KEY is set, so the start-up reseal moves its values.
 */
export async function resolveSecretKeys(config: Config, db: Db): Promise<SecretKeys> {
  const settings = settingsStore(db)
  const kept = await settings.get(DEMO_SECRET_KEY)
  if (config.secretKey) return secretKeysFrom(config.secretKey, [...config.previousSecretKeys, ...(kept ? [kept] : [])])
  if (config.mode === 'production') throw new Error('LANTERN_SECRET_KEY is required in production')
  return secretKeysFrom(kept ?? (await settings.keepFirst(DEMO_SECRET_KEY, newSecretKeyText())), config.previousSecretKeys)
}

/**
 * Seals TOTP secrets still in clear (kept before they were sealed) and moves those under a
 * previous key to the current one. Once a configured key holds them all, the demo's kept key,
 * which sat beside them, is deleted.
 */
export async function resealSecrets(config: Config, db: Db, keys: SecretKeys, logger?: Logger) {
  const report = await resealTotpSecrets(db, secretBox(keys))
  if (report.sealed || report.resealed) logger?.info(report, `sealed ${report.sealed} TOTP secret(s) kept in clear and moved ${report.resealed} to the current key`)
  if (report.unopenable) logger?.warn(report, `${report.unopenable} TOTP secret(s) do not open with the configured keys: those people cannot use their authenticator app until the key that sealed them is in LANTERN_PREVIOUS_SECRET_KEYS or an administrator resets their two-factor authentication`)
  if (config.secretKey && !report.unopenable) await settingsStore(db).remove(DEMO_SECRET_KEY)
  return report
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
 * Migrates, loads the demo into an empty demo database, makes the session secret, seals TOTP
 * secrets under the current key, and refuses production with demo accounts: all under the
 * start-up lock. Returns the session secret and the secret keys.
 */
export async function prepareDatabase(config: Config, db: Db, logger: Logger): Promise<{ sessionSecret: string; secretKeys: SecretKeys }> {
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
    const secretKeys = await resolveSecretKeys(config, conn)
    await resealSecrets(config, conn, secretKeys, logger)
    return { sessionSecret: await resolveSessionSecret(config, conn), secretKeys }
  })
}
