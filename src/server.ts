import { loadConfig } from './config.ts'
import { createLogger } from './web/logger.ts'
import { openConfiguredDatabase, prepareDatabase, resolveSessionSecret } from './bootstrap.ts'
import { createApp } from './app.ts'
import { modules } from './modules/index.ts'
import { stopServer } from './web/shutdown.ts'

const config = loadConfig()
const logger = createLogger(config.logLevel)
const handle = await openConfiguredDatabase(config, logger, config.database)
try {
  await prepareDatabase(config, handle.db, logger)
} catch (err) {
  logger.fatal((err as Error).message)
  await handle.close()
  process.exit(1)
}
const { app, services } = createApp({
  config,
  db: handle.db,
  databaseKind: handle.kind,
  logger,
  sessionSecret: await resolveSessionSecret(config, handle.db),
  modules,
})

const server = app.listen(config.port, config.host, () => {
  const where = handle.kind === 'pglite' ? `embedded PostgreSQL in ${config.dataDir}` : 'PostgreSQL server'
  logger.info(`Lantern is running at http://localhost:${config.port} (${config.mode} mode, ${where})`)
})

const prune = setInterval(() => void services.sessionStore.prune().catch(() => undefined), 15 * 60_000)
prune.unref()

async function shutdown(signal: string) {
  logger.info(`${signal}: stopping`)
  clearInterval(prune)
  await stopServer(server)
  await handle.close()
  process.exit(0)
}
process.on('SIGINT', () => void shutdown('SIGINT'))
process.on('SIGTERM', () => void shutdown('SIGTERM'))
