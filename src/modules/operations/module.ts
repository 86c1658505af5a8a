import type { LanternModule } from '../types.ts'
import './tables.ts'
import { operationsRoutes } from './routes.ts'
import { seedOperations } from './demo.ts'

/** Joint operations: targets, activities, outcomes and the risk of the children involved. */
export const operationsModule: LanternModule = {
  name: 'operations',
  nav: [{ text: 'Operations', href: '/operations', permission: 'network:view', order: 36 }],
  staffRoutes: operationsRoutes,
  seedDemo: seedOperations,
}
