import type { LanternModule } from '../types.ts'
import { seedLinkage } from './demo.ts'
import { linkageRoutes } from './routes.ts'

export const linkageModule: LanternModule = {
  name: 'linkage',
  nav: [{ text: 'Record matching', href: '/linkage', permission: ['linkage:run', 'linkage:merge', 'linkage:confirm-merge'], order: 45 }],
  staffRoutes: linkageRoutes,
  seedDemo: seedLinkage,
}
