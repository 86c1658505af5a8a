import type { LanternModule } from '../types.ts'
import './tables.ts'
import { Router } from 'express'
import { indicatorRoutes } from './routes.ts'
import { strategyRoutes } from './strategy-routes.ts'
import { reportPublicRoutes, reportStaffRoutes } from './reports-routes.ts'
import { seedIndicators } from './demo.ts'
import { indicatorsService } from './service.ts'
import { DERIVED_REFRESH_SECONDS } from './derived.ts'

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
  // Lantern's own counts are of complete months, so a change reaches them only when it is dated in
  // a past month (a late assessment, an episode found or voided); counting every series again every
  // few minutes keeps them within that of the records, and each page says when they were counted.
  jobs: (deps) => [
    {
      name: 'indicators.derived-series',
      every: { seconds: DERIVED_REFRESH_SECONDS },
      // Queued again at the next period anyway: a failed count is not worth retrying late.
      maxAttempts: 1,
      async run() {
        const service = indicatorsService(deps)
        const done = await service.refreshDerivedSeries()
        // Judged right after counting, so the first reader after a change does not wait for it.
        const judged = await service.keepJudgements()
        deps.logger.info({ series: done, judged }, 'Lantern counts counted again and judged')
      },
    },
  ],
}
