import { statements } from '../migration.ts'

/**
 * An NRM referral recorded in error is voided, never deleted, exactly as a missing episode is
 * (0161, whose `lantern_keep_voided` freezes the row once voided).
 */
export default statements(
  `alter table nrm_referrals
     add column voided_at timestamptz,
     add column voided_by uuid references users(id),
     add column void_reason text check (void_reason is null or length(void_reason) between 1 and 1000)`,
  `alter table nrm_referrals add constraint nrm_referrals_void_whole
     check ((voided_at is null) = (voided_by is null) and (voided_at is null) = (void_reason is null))`,
  `create trigger nrm_referrals_keep_voided before update on nrm_referrals
     for each row when (old.voided_at is not null) execute function lantern_keep_voided()`,
)
