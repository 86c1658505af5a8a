import { sql } from 'kysely'
import type { Db } from './index.ts'
import { pendingMigrations } from './migrate.ts'
import { runAsOwner } from './scope.ts'

/** Throws unless the database answers, as whoever is asking (a request: the application role). */
export async function databaseAnswers(db: Db): Promise<void> {
  await sql`select 1`.execute(db)
}

/**
 * Whether this instance may take traffic: its database answers the role requests use, and holds
 * every migration this release brings (an instance started against an older database, or during
 * a restore, is not ready).
 */
export async function readyForTraffic(db: Db): Promise<boolean> {
  const answers = databaseAnswers(db).then(() => true)
  const migrated = runAsOwner("readiness: the migrator's table, which the application role may not read", () => pendingMigrations(db)).then((pending) => pending.length === 0)
  return Promise.all([answers, migrated]).then((checks) => checks.every(Boolean), () => false)
}
