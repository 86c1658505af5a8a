import type { Logger } from 'pino'
import type { Config } from './config.ts'
import type { Db } from './db/index.ts'
import { auditService } from './audit/service.ts'
import { accessService } from './access/service.ts'
import { clockFor, type Clock } from './kernel/clock.ts'
import { createLogger } from './web/logger.ts'
import type { ModuleDeps } from './modules/types.ts'

/**
 * What every capability's services are built from, made in one place for the web app, the CLI,
 * benches and tests alike: the audit trail, the access service over it, and the clock the
 * configuration asks for.
 */
export function moduleDeps(options: { db: Db; config: Config; logger?: Logger; clock?: Clock; onAuditWrite?: (seconds: number) => void }): ModuleDeps {
  const { db, config } = options
  const audit = auditService(db, { onWrite: options.onAuditWrite })
  return {
    db,
    config,
    logger: options.logger ?? createLogger(config.logLevel),
    audit,
    access: accessService(db, audit),
    clock: options.clock ?? clockFor(config.today),
  }
}
