import { statements } from '../migration.ts'

/**
 * Throttled sign-in attempts are counted on the counter that refused them instead of each writing
 * an audit row (someone hammering sign-in filled the audit trail): `refused` since the last row
 * about them, when that row was written, and when the last one was refused, so the rest is written
 * once they stop (src/auth/throttle.ts).
 */
export default statements(
  `alter table sign_in_throttle add column refused integer not null default 0 check (refused >= 0)`,
  `alter table sign_in_throttle add column reported_at timestamptz`,
  `alter table sign_in_throttle add column last_refused_at timestamptz`,
  `create index sign_in_throttle_unreported on sign_in_throttle (last_refused_at) where refused > 0`,
)
