import type { Router } from 'express'
import type { Logger } from 'pino'
import type { Config } from '../config.ts'
import type { Db } from '../db/index.ts'
import type { AccessService } from '../access/service.ts'
import type { AuditService } from '../audit/service.ts'
import type { NavItem } from '../web/nav.ts'
import type { DemoSeed } from '../demo/context.ts'
import type { Clock } from '../kernel/clock.ts'
import type { RequestContext } from '../kernel/context.ts'
import type { JobDefinition } from '../db/job-runner.ts'

/** A line on the home page about something waiting for the user. */
export interface Notice {
  text: string
  href: string
}

/** What every capability is built from: the composition root hands the same set to each. */
export interface ModuleDeps {
  db: Db
  config: Config
  logger: Logger
  access: AccessService
  audit: AuditService
  /** "Today" and "now" for casework: the real time, or a chosen day in demos and tests. */
  clock: Clock
}

/**
 * A capability of Lantern. Routers are mounted in a fixed place: `publicRoutes` before sign-in,
 * `staffRoutes` behind it, `apiRoutes` under /api/v1 behind token authentication.
 */
export interface LanternModule {
  name: string
  nav?: NavItem[]
  publicRoutes?(deps: ModuleDeps): Router
  staffRoutes?(deps: ModuleDeps): Router
  apiRoutes?(deps: ModuleDeps): Router
  /** What the home page should tell this user now (things waiting for them), each with a link. */
  notices?(deps: ModuleDeps): (ctx: RequestContext) => Promise<Notice[]>
  /** Values every signed-in page's layout needs from this capability (the header's unread count). */
  staffLocals?(deps: ModuleDeps): (ctx: RequestContext) => Promise<Record<string, unknown>>
  /**
   * Background and scheduled work (src/db/job-runner.ts), run by the server and `lantern worker`.
   * Jobs run as the database owner: one that tells a user anything applies need-to-know itself.
   */
  jobs?(deps: ModuleDeps): JobDefinition[]
  /** Adds this capability's part of the demo story; runs in module order. */
  seedDemo?(seed: DemoSeed): Promise<void>
}

export type { NavItem, JobDefinition }
