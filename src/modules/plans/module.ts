import type { LanternModule } from '../types.ts'
import { plansRoutes } from './routes.ts'
import { plansService } from './service.ts'
import { seedPlans } from './demo.ts'
import { plansSubjectAccess } from './disclosure.ts'

/** Multi-agency plans: strategy discussions, MACE meetings and conferences, and the actions agreed at them. */
export const plansModule: LanternModule = {
  name: 'plans',
  staffRoutes: plansRoutes,
  worklists: (deps) => {
    const plans = plansService(deps)
    return (ctx) => plans.worklists(ctx)
  },
  subjectAccess: plansSubjectAccess,
  seedDemo: seedPlans,
}
