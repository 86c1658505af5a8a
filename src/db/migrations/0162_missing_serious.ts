import { statements } from '../migration.ts'

/**
 * Why an episode is serious (src/modules/missing/rules.ts, `seriousReasons`), worked out when the
 * episode is saved, with the facts of that moment (the child's rating then), and when it first
 * prompted a review. A review submitted after that moment answers the prompt. Episodes recorded
 * before this migration have no reasons: the prompt is for what happens from now on.
 */
export default statements(
  `alter table missing_episodes
     add column serious_reasons jsonb not null default '[]',
     add column review_prompted_at timestamptz`,
  `alter table missing_episodes add constraint missing_episodes_prompt_has_reason
     check (review_prompted_at is null or jsonb_array_length(serious_reasons) > 0)`,
  // Home and the register ask of every case whether a prompt is open: only serious episodes count.
  `create index missing_episodes_review_prompts on missing_episodes (person_id, review_prompted_at)
     where review_prompted_at is not null and voided_at is null`,
)
