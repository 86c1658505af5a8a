import type { AddressInfo } from 'node:net'
import { TEST_SECRETS } from './secrets.ts'
import type { Server } from 'node:http'
import { loadConfig, type Config } from '../../src/config.ts'
import { createApp } from '../../src/app.ts'
import { openConfiguredReplica } from '../../src/bootstrap.ts'
import { startingAt, type SettableClock } from '../../src/kernel/clock.ts'
import { createLogger } from '../../src/web/logger.ts'
import { seedDemo } from '../../src/demo/seed.ts'
import { modules } from '../../src/modules/index.ts'
import type { LanternModule } from '../../src/modules/types.ts'
import type { DatabaseLimits } from '../../src/db/limits.ts'
import { primaryTestDatabaseKind, type TestDatabase, type TestDatabaseKind } from './databases.ts'
import { seedsLikeTemplate, TEST_TODAY } from './templates.ts'

export { TEST_TODAY }

export interface TestApp {
  baseUrl: string
  app: ReturnType<typeof createApp>['app']
  services: ReturnType<typeof createApp>['services']
  /** What the app's modules were built from: a test builds a service of its own from the same. */
  deps: ReturnType<typeof createApp>['deps']
  /** The app's clock: it starts at TEST_TODAY, and a test may move it. */
  clock: SettableClock
  database: TestDatabase
  config: Config
  close(): Promise<void>
}

/**
 * Lantern on a random local port over a fresh, migrated database with the demo partnership,
 * exactly as `npm start` builds it. With every module that is a copy of the demo database seeded
 * once per run (test/global-setup.ts); another module list is seeded here.
 */
export interface TestAppOptions {
  kind?: TestDatabaseKind
  env?: Record<string, string>
  seed?: boolean
  modules?: LanternModule[]
  /** The day the app's calendar starts and the demo story is told from (TEST_TODAY unless given). */
  today?: Date
  /** Open the database with the web server's timeouts and pool bounds (PGlite: its queue's). */
  databaseLimits?: DatabaseLimits
  /**
   * A test that needs the database before the app starts (a replica copied from it) makes it
   * itself; the app disposes of it on close as of its own.
   */
  database?: TestDatabase
}

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const list = options.modules ?? modules
  const seed = options.seed !== false
  const today = options.today ?? TEST_TODAY
  // The prepared demo copy tells the story relative to TEST_TODAY; another day seeds afresh.
  const copy = seed && today.getTime() === TEST_TODAY.getTime() && (await seedsLikeTemplate(list))
  const database = options.database ?? (await (options.kind ?? primaryTestDatabaseKind()).create({ demo: copy, limits: options.databaseLimits }))
  const config = loadConfig({ NODE_ENV: 'test', LANTERN_MODE: 'demo', LOG_LEVEL: 'silent', ...options.env })
  if (seed && !copy && !options.database) await seedDemo(database.db, list, { today })
  const clock = startingAt(today)
  const replica = await openConfiguredReplica(config)
  const built = createApp({
    clock,
    config,
    db: database.db,
    databaseKind: database.kind,
    logger: createLogger(config.logLevel),
    ...TEST_SECRETS,
    modules: list,
    replica,
  })
  const server: Server = await new Promise((resolve) => {
    const s = built.app.listen(0, '127.0.0.1', () => resolve(s))
  })
  const { port } = server.address() as AddressInfo
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    app: built.app,
    services: built.services,
    deps: built.deps,
    clock,
    database,
    config,
    async close() {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
      await replica?.close()
      await database.dispose()
    },
  }
}
