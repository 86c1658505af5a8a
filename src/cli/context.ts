import type { Config } from '../config.ts'
import type { DatabaseHandle } from '../db/index.ts'
import type { RequestContext } from '../kernel/context.ts'
import { UserError } from './errors.ts'
import type { ServerChannel } from './forward.ts'

export interface DatabaseOptions<T> {
  /** false: open the database as it is (`db migrate`, `backup`). Default: migrate first. */
  migrate?: boolean
  /**
   * Where the running server can do this command's work: how to send it there. Without it, a
   * command refuses while a server holds the embedded database.
   */
  forward?: (server: ServerChannel) => Promise<T>
}

/** The command line as typed after `lantern`, for the audit trail and the lock file. */
export function commandLine(words = 2) {
  return process.argv.slice(2, 2 + words).join(' ')
}

/**
 * Runs a CLI action against the configured database (DATABASE_URL, or the embedded one in
 * DATA_DIR), migrated first unless asked not to, and always closes it. Every command that opens
 * the database comes through here, so none can open the embedded folder while another process has
 * it open. Changes made from the CLI are audited as the system, with the command line as the
 * request.
 */
export async function withDatabase<T>(action: (handle: DatabaseHandle, ctx: RequestContext) => Promise<T>, options: DatabaseOptions<T> = {}): Promise<T> {
  // Imported here, not at the top: every command file imports this one, and `lantern --help` should
  // not load the database drivers and the web app.
  const [{ loadConfig }, { openConfiguredDatabase, underStartUpLock }, { migrateToLatest }, { commandContext }] = await Promise.all([
    import('../config.ts'),
    import('../bootstrap.ts'),
    import('../db/migrate.ts'),
    import('../kernel/context.ts'),
  ])
  const config = loadConfig()
  return withDataFolder(
    config,
    async () => {
      const handle = await openConfiguredDatabase(config, undefined, undefined, 'owner')
      try {
        if (options.migrate !== false) await underStartUpLock(handle.db, (db) => migrateToLatest(db))
        return await action(handle, commandContext(commandLine()))
      } finally {
        await handle.close()
      }
    },
    options.forward,
  )
}

/**
 * Runs `work` holding the embedded database's folder (nothing to hold on a PostgreSQL server). If
 * the server holds it, the work goes to the server when the command can forward it; otherwise, or
 * if another command holds it, the command stops at once with what to do, touching nothing.
 */
export async function withDataFolder<T>(config: Config, work: () => Promise<T>, forward?: (server: ServerChannel) => Promise<T>): Promise<T> {
  if (config.databaseUrl) return work()
  const [{ acquireDataDirLock, DataDirLockedError }, { serverChannel }] = await Promise.all([import('../db/data-dir-lock.ts'), import('./forward.ts')])
  let lock
  try {
    lock = acquireDataDirLock(config.dataDir, { kind: 'command', what: `lantern ${commandLine()}` })
  } catch (err) {
    if (!(err instanceof DataDirLockedError)) throw err
    if (err.holder.kind === 'server' && forward) return forward(serverChannel(config.dataDir, err.holder))
    const advice =
      err.holder.kind === 'server'
        ? 'stop the server first, do it in the web pages, or set DATABASE_URL to use a PostgreSQL server'
        : 'wait for it to finish, then try again'
    throw new UserError(`${err.message}, so this command did nothing: ${advice}`)
  }
  try {
    return await work()
  } finally {
    lock.release()
  }
}
