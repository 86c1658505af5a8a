import type { DatabaseHandle } from '../db/index.ts'
import type { RequestContext } from '../web/context.ts'

/**
 * Runs a CLI action against the configured database (DATABASE_URL, or the embedded one in
 * DATA_DIR), migrated first, and always closes it. Changes made from the CLI are audited as the
 * system, with the command line as the request.
 */
export async function withDatabase<T>(action: (handle: DatabaseHandle, ctx: RequestContext) => Promise<T>): Promise<T> {
  // Imported here, not at the top: every command file imports this one, and `lantern --help` should
  // not load the database drivers and the web app.
  const [{ loadConfig }, { openConfiguredDatabase }, { migrateToLatest }, { systemContext }] = await Promise.all([
    import('../config.ts'),
    import('../bootstrap.ts'),
    import('../db/migrate.ts'),
    import('../web/context.ts'),
  ])
  const handle = await openConfiguredDatabase(loadConfig())
  try {
    await migrateToLatest(handle.db)
    const ctx: RequestContext = { ...systemContext(`cli-${Date.now()}`), method: 'CLI', path: process.argv.slice(2, 4).join(' ') }
    return await action(handle, ctx)
  } finally {
    await handle.close()
  }
}
