import type { LanternModule } from '../types.ts'
import { registerRoutes } from './routes.ts'
import { registerService } from './service.ts'

/** The risk register, caseloads, the team view and the counts by area. */
export const registerModule: LanternModule = {
  name: 'register',
  nav: [
    { text: 'Register', href: '/register', permission: 'register:view', order: 10 },
    { text: 'Risk by area', href: '/dashboards/risk', permission: 'aggregates:view', order: 15 },
  ],
  staffRoutes: registerRoutes,
  worklists: (deps) => {
    const register = registerService(deps)
    return (ctx) => register.worklists(ctx)
  },
}
