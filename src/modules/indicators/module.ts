import type { LanternModule } from '../types.ts'
import './tables.ts'
import { Router } from 'express'
import { indicatorRoutes } from './routes.ts'
import { strategyRoutes } from './strategy-routes.ts'
import { reportPublicRoutes, reportStaffRoutes } from './reports-routes.ts'
import { seedIndicators } from './demo.ts'

/**
 * Indicators, emerging trends and the partnership strategy: the catalogue and its values, the
 * police.uk import, the dashboard and indicator pages, the strategy, and the performance reports
 * for panel meetings (published ones are public at /performance).
 */
export const indicatorsModule: LanternModule = {
  name: 'indicators',
  nav: [
    { text: 'Indicators', href: '/indicators', permission: 'indicators:view', order: 60 },
    { text: 'Strategy', href: '/strategy', permission: 'indicators:view', order: 62 },
  ],
  publicRoutes: (deps) => reportPublicRoutes(deps),
  staffRoutes: (deps) => Router().use(indicatorRoutes(deps), strategyRoutes(deps), reportStaffRoutes(deps)),
  seedDemo: seedIndicators,
}
