/** The referrals module's public surface: joint operations record an NRM referral as the child's own. */
export { referralsService } from './service.ts'
export { nrmReferralStates } from './store.ts'
