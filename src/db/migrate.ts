import { Migrator, sql, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely'
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
    const migrations: Record<string, Migration> = {}
    for (const [name, file] of await migrationFiles()) {
      if (this.leaveOut.includes(name)) continue
      const mod = (await import(path.join(migrationsDir, file))) as { default: Migration }
      migrations[name] = mod.default
    }
    return migrations
  }
}

/**
 * This release's migrations, name to file, in name order. Run from source the files are `.ts`; the
 * production build (scripts/build.ts) compiles them beside its code as `.js`, under the same names.
 */
async function migrationFiles(): Promise<[name: string, file: string][]> {
  return (await readdir(migrationsDir))
    .filter((f) => /^\d{4}_.+\.[jt]s$/.test(f))
    .sort()
    .map((f) => [f.replace(/\.[jt]s$/, ''), f])
}

let releaseMigrations: Promise<string[]> | undefined

/**
 * The migrations this release brings that the database has not applied (all of them before the
 * first): an instance is ready for traffic only when there are none. Reads the migrator's own
 * table, which the application role may not read: call it as the owner.
 */
export async function pendingMigrations(db: Db): Promise<string[]> {
  releaseMigrations ??= migrationFiles().then((files) => files.map(([name]) => name))
  releaseMigrations.catch(() => (releaseMigrations = undefined))
  const exists = await sql<{ found: string | null }>`select to_regclass('kysely_migration')::text as found`.execute(db)
  const applied = exists.rows[0].found ? new Set((await sql<{ name: string }>`select name from kysely_migration`.execute(db)).rows.map((r) => r.name)) : new Set<string>()
  return (await releaseMigrations).filter((name) => !applied.has(name))
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
