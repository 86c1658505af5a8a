import type { Router } from 'express'
import type { Logger } from 'pino'
import type { Config } from '../config.ts'
import type { Db } from '../db/index.ts'
import type { AccessService } from '../access/service.ts'
import type { AuditService } from '../audit/service.ts'
import type { Permission } from '../access/permissions.ts'
import type { DemoSeed } from '../demo/context.ts'
import type { Clock } from '../kernel/clock.ts'

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

export interface NavItem {
  text: string
  href: string
  /** Shown to users holding any of these permissions (all signed-in users when omitted). */
  permission?: Permission | Permission[]
  /** Position in the navigation, lower first. */
  order: number
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
  /** Adds this capability's part of the demo story; runs in module order. */
  seedDemo?(seed: DemoSeed): Promise<void>
}
