import type { LanternModule } from '../types.ts'
import { riskRoutes } from './routes.ts'
import { seedRisk } from './demo.ts'
import { riskService } from './service.ts'

/** Exploitation risk screening, RAG ratings, reviews and the screening tool. */
export const riskModule: LanternModule = {
  name: 'risk',
  nav: [
    { text: 'Red ratings to confirm', href: '/risk/awaiting-confirmation', permission: 'assessment:confirm-red', order: 30 },
    { text: 'Screening tool', href: '/admin/screening-tool', permission: 'admin:config', order: 91 },
  ],
  staffRoutes: riskRoutes,
  worklists: (deps) => {
    const risk = riskService(deps)
    return (ctx) => risk.worklists(ctx)
  },
  seedDemo: seedRisk,
}
