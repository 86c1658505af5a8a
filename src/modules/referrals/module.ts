import type { LanternModule } from '../types.ts'
import { referralsRoutes } from './routes.ts'
import { seedReferrals } from './demo.ts'

/** National Referral Mechanism referrals and Child Abduction Warning Notices. */
export const referralsModule: LanternModule = {
  name: 'referrals',
  staffRoutes: referralsRoutes,
  seedDemo: seedReferrals,
}
