/** The referrals module's public surface: joint operations record an NRM referral as the child's own; the register lists each person's CAWN and NRM facts. */
export { referralsService, CAWN_EXPIRY_WARNING_DAYS, NRM_DECISION_WAIT_DAYS } from './service.ts'
export { nrmReferralStates, registerFacts } from './store.ts'
export { nrmStage } from './rules.ts'
