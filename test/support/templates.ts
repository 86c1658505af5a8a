import type { Db } from '../../src/db/index.ts'
import { seedDemo } from '../../src/demo/seed.ts'
import type { LanternModule } from '../../src/modules/types.ts'

/**
 * The day every test's demo data and app clock are relative to, so dates in assertions never drift
 * with the real date. LANTERN_TEST_TODAY (YYYY-MM-DD) runs the suite on another day.
 */
export const TEST_TODAY = new Date(`${process.env.LANTERN_TEST_TODAY || '2026-11-23'}T10:00:00Z`)

/**
 * Where test/global-setup.ts leaves the databases it prepared once for the whole run: PGlite data
 * folders as tar files, PostgreSQL template database names. Environment variables rather than
 * vitest's provide/inject so that scripts and benches using these helpers outside vitest simply
 * find them unset and build their databases from scratch.
 */
export const TEMPLATE_ENV = {
  pgliteMigrated: 'LANTERN_TEST_PGLITE_MIGRATED',
  pgliteDemo: 'LANTERN_TEST_PGLITE_DEMO',
  postgresMigrated: 'LANTERN_TEST_POSTGRES_MIGRATED',
  postgresDemo: 'LANTERN_TEST_POSTGRES_DEMO',
  /** The TEST_DATABASE_URL the PostgreSQL templates were made on; a test on another server ignores them. */
  postgresServer: 'LANTERN_TEST_POSTGRES_SERVER',
} as const

/** A folder shared by every test file of a run, where test/support/browser.ts notes the pages axe found clean. */
export const AXE_CHECKED_ENV = 'LANTERN_TEST_AXE_CHECKED'

async function allModules(): Promise<LanternModule[]> {
  return (await import('../../src/modules/index.ts')).modules
}

/**
 * True when seeding with this module list writes exactly what the prepared demo template holds:
 * the same modules in the same order with the same seed functions (a module rebuilt with other
 * options, such as the public module's rate limits, still seeds the same rows).
 */
export async function seedsLikeTemplate(list: LanternModule[]): Promise<boolean> {
  const all = await allModules()
  return list.length === all.length && list.every((m, i) => m.name === all[i].name && m.seedDemo === all[i].seedDemo)
}

/** The demo partnership as startTestApp has always loaded it: every module, relative to TEST_TODAY. */
export async function seedTestDemo(db: Db): Promise<void> {
  await seedDemo(db, await allModules(), { today: TEST_TODAY })
}
