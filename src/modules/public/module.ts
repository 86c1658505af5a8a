import type { LanternModule } from '../types.ts'
import { publicSiteRoutes, type PublicRateLimits } from './routes-public.ts'
import { publicStaffRoutes } from './routes-staff.ts'
import type { ReportsStoreFactory } from './service.ts'
import { seedPublicDemo } from './demo.ts'
import './tables.ts'
import { retentionService } from './retention.ts'
import { systemContext } from '../../kernel/context.ts'

export interface PublicModuleOptions {
  /** Replaces the reports store (tests use it to make the database fail during a submission). */
  makeStore?: ReportsStoreFactory
  /** Per-address limits; the load test raises them because all its traffic comes from one address. */
  rateLimits?: PublicRateLimits
}

/**
 * The public site (the signs of county lines and exploitation, and "Report a concern") and the
 * staff's triage of what the public reports, with the editable public pages.
 */
export function createPublicModule(options: PublicModuleOptions = {}): LanternModule {
  return {
    name: 'public',
    nav: [
      { text: 'Reports from the public', href: '/public-reports', permission: 'reports:triage', order: 40 },
      { text: 'Public reports in figures', href: '/public-reports/summary', permission: 'reports:summary', order: 41 },
      { text: 'Public pages', href: '/public-content', permission: 'content:edit', order: 75 },
      { text: 'Report retention', href: '/admin/report-retention', permission: 'admin:config', order: 92 },
    ],
    publicRoutes: (deps) => publicSiteRoutes(deps, options),
    staffRoutes: (deps) => publicStaffRoutes(deps, options),
    seedDemo: seedPublicDemo,
    // What `lantern retention apply` does, each night at 02:00 UTC.
    jobs: (deps) => [
      {
        name: 'public.report-retention',
        every: { seconds: 86400, offsetSeconds: 2 * 3600 },
        async run() {
          await retentionService(deps).apply(systemContext('job:public.report-retention'))
        },
      },
    ],
  }
}

export const publicModule = createPublicModule()
