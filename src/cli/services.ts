import type { Db } from '../db/index.ts'
import type { ModuleDeps } from '../modules/types.ts'

/**
 * The command line's one composition root: the services a command acts through, built from the
 * configuration as the server builds its own (src/composition.ts), each at most once per command.
 * Everything is imported when a command runs, never when `lantern` starts, so `lantern --help`
 * loads neither the database drivers nor the web app. A command that prints its own progress asks
 * for `quiet`, so that the services' log lines do not interleave with it.
 */
export async function commandServices(db: Db, options: { quiet?: boolean } = {}) {
  const [{ loadConfig }, { createLogger }, { moduleDeps }] = await Promise.all([import('../config.ts'), import('../web/logger.ts'), import('../composition.ts')])
  const config = loadConfig()
  const deps: ModuleDeps = moduleDeps({ db, config, logger: createLogger(options.quiet ? 'silent' : config.logLevel) })
  const once = <T>(build: () => Promise<T>) => {
    let built: Promise<T> | undefined
    return () => (built ??= build())
  }
  return {
    deps,
    calls: once(async () => (await import('../modules/calls/index.ts')).callsService(deps)),
    indicators: once(async () => (await import('../modules/indicators/service.ts')).indicatorsService(deps)),
    scrutiny: once(async () => (await import('../modules/scrutiny/service.ts')).scrutinyService(deps)),
    retention: once(async () => (await import('../modules/public/retention.ts')).retentionService(deps)),
  }
}
