import type { LanternModule } from '../types.ts'
import { networkRoutes } from './routes.ts'
import { seedNetwork } from './demo.ts'
import './tables.ts'

/** Network intelligence: entities, graded links, the explorer, maps, exports and cross-border lines. */
export const networkModule: LanternModule = {
  name: 'network',
  nav: [{ text: 'Network', href: '/network', permission: 'network:view', order: 35 }],
  staffRoutes: networkRoutes,
  seedDemo: seedNetwork,
}
