import type { Logger } from 'pino'
import type { Config } from './config.ts'
import type { Db } from './db/index.ts'
import type { ReadReplica } from './db/replica.ts'
import { auditService } from './audit/service.ts'
import { accessService } from './access/service.ts'
import { clockFor, type Clock } from './kernel/clock.ts'
import { createLogger } from './web/logger.ts'
import type { LanternModule, ModuleDeps } from './modules/types.ts'
import { createJobRunner, type JobRunner } from './db/job-runner.ts'

/**
 * What every capability's services are built from, made in one place for the web app, the CLI,
 * benches and tests alike: the audit trail, the access service over it, and the clock the
 * configuration asks for.
 */
export function moduleDeps(options: { db: Db; config: Config; logger?: Logger; clock?: Clock; onAuditWrite?: (seconds: number) => void; replica?: ReadReplica }): ModuleDeps {
  const { db, config } = options
  const audit = auditService(db, { onWrite: options.onAuditWrite })
  return {
    db,
    config,
    logger: options.logger ?? createLogger(config.logLevel),
    audit,
    access: accessService(db, audit),
    clock: options.clock ?? clockFor(config.today),
    replica: options.replica,
  }
}

/**
 * The job runner over every capability's jobs, for the server (in-process) and `lantern worker`.
 * The embedded database has one connection, so there it runs one job at a time.
 */
export function jobRunner(deps: ModuleDeps, modules: LanternModule[], options: { concurrency?: number; pollMilliseconds?: number } = {}): JobRunner {
  return createJobRunner({
    db: deps.db,
    logger: deps.logger,
    definitions: modules.flatMap((m) => m.jobs?.(deps) ?? []),
    concurrency: options.concurrency,
    pollMilliseconds: options.pollMilliseconds,
  })
}
