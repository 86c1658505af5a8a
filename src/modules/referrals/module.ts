import type { LanternModule } from '../types.ts'
import { referralsRoutes } from './routes.ts'
import { seedReferrals } from './demo.ts'
import { referralsService } from './service.ts'

/** National Referral Mechanism referrals and Child Abduction Warning Notices. */
export const referralsModule: LanternModule = {
  name: 'referrals',
  staffRoutes: referralsRoutes,
  worklists: (deps) => {
    const referrals = referralsService(deps)
    return (ctx) => referrals.worklists(ctx)
  },
  seedDemo: seedReferrals,
}
