import type { LanternModule } from '../types.ts'
import { adminRoutes } from './routes.ts'

export const adminModule: LanternModule = {
  name: 'admin',
  nav: [{ text: 'Administration', href: '/admin', permission: ['admin:users', 'admin:audit'], order: 90 }],
  staffRoutes: adminRoutes,
}
