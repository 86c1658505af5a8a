import type { LanternModule } from '../types.ts'
import { callsRoutes } from './routes.ts'
import { seedCalls } from './demo.ts'
import './tables.ts'

/** Phone data: call data imports, numbers attributed to entities, a line's calls, line continuity. */
export const callsModule: LanternModule = {
  name: 'calls',
  nav: [{ text: 'Phone data', href: '/network/calls', permission: 'network:view', order: 36 }],
  staffRoutes: callsRoutes,
  seedDemo: seedCalls,
}
