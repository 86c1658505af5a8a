import { Migrator, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely'
import { readdir } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Db } from './index.ts'
import { withoutTimeouts } from './limits.ts'

const migrationsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations')

/**
 * Migrations are the files in ./migrations, applied in file-name order. Each capability numbers
 * its own range (0001 foundation, 0100 risk, 0200 network, 0300 linkage, 0400 public reports,
 * 0500 indicators, 0600 scrutiny) so they never collide.
 */
class FolderMigrationProvider implements MigrationProvider {
  constructor(private readonly leaveOut: readonly string[] = []) {}

  async getMigrations(): Promise<Record<string, Migration>> {
    const files = (await readdir(migrationsDir))
      .filter((f) => /^\d{4}_.+\.ts$/.test(f) && !this.leaveOut.includes(f.replace(/\.ts$/, '')))
      .sort()
    const migrations: Record<string, Migration> = {}
    for (const file of files) {
      const mod = (await import(path.join(migrationsDir, file))) as { default: Migration }
      migrations[file.replace(/\.ts$/, '')] = mod.default
    }
    return migrations
  }
}

/**
 * Applies every pending migration. Kysely's migrator takes a PostgreSQL advisory lock for the
 * duration, so two Lantern instances starting together apply each migration exactly once, and it
 * refuses to run when an applied migration's file is missing (migrations are forward-only).
 *
 * A pending migration may sort before one already applied: a release that adds 0202 to the network
 * range reaches installations that already ran 0601. So order is by file name among the pending
 * ones, not against the applied ones. `leaveOut` (for tests) builds such an older installation.
 */
export async function migrateToLatest(db: Db, options: { leaveOut?: readonly string[] } = {}): Promise<string[]> {
  // The web server's connections carry statement and lock timeouts (src/db/limits.ts). A
  // migration may rightly run long, and a second instance starting beside the first waits for its
  // migration lock: on this one connection, for this run only, neither is timed out.
  const { error, results }: MigrationResultSet = await db.connection().execute((connection) =>
    withoutTimeouts(connection, () =>
      new Migrator({ db: connection, provider: new FolderMigrationProvider(options.leaveOut), allowUnorderedMigrations: true }).migrateToLatest(),
    ),
  )
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')
    const reason = error instanceof Error ? error.message : String(error)
    throw new Error(`Database migration ${failed ? failed.migrationName + ' ' : ''}failed: ${reason}`)
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName)
}
