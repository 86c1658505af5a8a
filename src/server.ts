import type { AddressInfo } from 'node:net'
import { loadConfig } from './config.ts'
import { createLogger } from './web/logger.ts'
import { openConfiguredDatabase, openConfiguredReplica, prepareDatabase } from './bootstrap.ts'
import { createApp } from './app.ts'
import { modules } from './modules/index.ts'
import { acquireDataDirLock, DataDirLockedError, type DataDirLock } from './db/data-dir-lock.ts'
import { startControlServer, type ControlServer } from './control/server.ts'
import { stopServer } from './web/shutdown.ts'
import { jobRunner } from './composition.ts'

const config = loadConfig()
const logger = createLogger(config.logLevel)

// The embedded database takes one process: this server holds its folder until it stops.
let lock: DataDirLock | undefined
if (!config.databaseUrl) {
  try {
    lock = acquireDataDirLock(config.dataDir, { kind: 'server', what: 'the Lantern server' })
  } catch (err) {
    if (!(err instanceof DataDirLockedError)) throw err
    logger.fatal(`Lantern will not start: ${err.message}. Two processes in one embedded database would corrupt it: stop the other first, or set DATABASE_URL to use a PostgreSQL server.`)
    process.exit(1)
  }
  process.on('exit', () => lock?.release())
}

// With DATABASE_OWNER_URL the web login owns nothing; start-up work and background jobs run
// outside any request, so the handle sends them on the owner's connections (src/db/index.ts).
const handle = await openConfiguredDatabase(config, logger, config.database)
let secrets: Awaited<ReturnType<typeof prepareDatabase>>
try {
  secrets = await prepareDatabase(config, handle.db, logger)
} catch (err) {
  logger.fatal((err as Error).message)
  await handle.close()
  process.exit(1)
}
const replica = await openConfiguredReplica(config, logger)
const { app, services, deps } = createApp({ config, db: handle.db, databaseKind: handle.kind, logger, sessionSecret: secrets.sessionSecret, secretKeys: secrets.secretKeys, modules, replica })

// `lantern` commands run while this server holds the embedded database send their work here.
const control: ControlServer | undefined = lock ? await startControlServer({ dataDir: config.dataDir, handle, deps, logger }) : undefined

const server = app.listen(config.port, config.host, () => {
  const where = handle.kind === 'pglite' ? `embedded PostgreSQL in ${config.dataDir}` : 'PostgreSQL server'
  logger.info(`Lantern is running at http://localhost:${(server.address() as AddressInfo).port} (${config.mode} mode, ${where})`)
})

// Background jobs run outside any request: as the tables' owner.
const jobs = config.jobs === 'in-process' ? jobRunner(deps, modules, { concurrency: handle.kind === 'pglite' ? 1 : 2 }) : undefined
jobs?.start()

// Expired sessions; sign-in refusals that stopped written to the audit trail, and throttle
// counters of no more use forgotten (src/auth/throttle.ts).
const prune = setInterval(() => {
  void services.sessionStore.prune().catch(() => undefined)
  void services.auth.sweepThrottle().catch(() => undefined)
}, 5 * 60_000)
prune.unref()

async function shutdown(signal: string) {
  logger.info(`${signal}: stopping`)
  clearInterval(prune)
  await stopServer(server)
  // The job running now finishes first; a job cut off by a hard stop is taken back after its lease.
  await jobs?.stop()
  await control?.close()
  await replica?.close()
  await handle.close()
  lock?.release()
  process.exit(0)
}
process.on('SIGINT', () => void shutdown('SIGINT'))
process.on('SIGTERM', () => void shutdown('SIGTERM'))
