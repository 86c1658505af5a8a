import { loadConfig } from '../config.ts'
import { openConfiguredDatabase } from '../bootstrap.ts'
import type { DatabaseHandle } from '../db/index.ts'
import { migrateToLatest } from '../db/migrate.ts'
import { systemContext, type RequestContext } from '../web/context.ts'

/**
 * Runs a CLI action against the configured database (DATABASE_URL, or the embedded one in
 * DATA_DIR), migrated first, and always closes it. Changes made from the CLI are audited as the
 * system, with the command line as the request.
 */
export async function withDatabase<T>(action: (handle: DatabaseHandle, ctx: RequestContext) => Promise<T>): Promise<T> {
  const config = loadConfig()
  const handle = await openConfiguredDatabase(config)
  try {
    await migrateToLatest(handle.db)
    const ctx: RequestContext = { ...systemContext(`cli-${Date.now()}`), method: 'CLI', path: process.argv.slice(2, 4).join(' ') }
    return await action(handle, ctx)
  } finally {
    await handle.close()
  }
}
