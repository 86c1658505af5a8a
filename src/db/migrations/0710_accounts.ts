import { statements } from '../migration.ts'

/**
 * Accounts to ASVS level 2 (docs/security.md, "Accounts"):
 * - the issuer beside the OpenID Connect subject, so an account is bound to one provider's `sub`;
 * - a TOTP second factor (the secret, when it was confirmed, and the last time step used, so a
 *   code is never accepted twice) and its one-time recovery codes, kept as SHA-256 hashes;
 * - sign-in throttle counters, shared by every instance. They hold hashes of the email address
 *   typed and of the client's address, never either in clear: what people type into the email
 *   field is sometimes their password.
 *
 * None of these tables holds anyone's casework: no route reads them but the sign-in and account
 * pages, each for the signed-in user only, so they need no row-level security of their own.
 * The old per-account lock (`failed_attempts`, `locked_until`) let anyone lock anyone out; the
 * throttle replaces it, and the columns are cleared so no account stays locked by them.
 */
export default statements(
  `alter table users add column oidc_issuer text`,
  `alter table users add column totp_secret text`,
  `alter table users add column totp_enabled_at timestamptz`,
  `alter table users add column totp_last_step bigint`,
  `update users set failed_attempts = 0, locked_until = null`,
  `create table recovery_codes (
     id uuid primary key default gen_random_uuid(),
     user_id uuid not null references users(id) on delete cascade,
     code_hash text not null check (code_hash ~ '^[0-9a-f]{64}$'),
     created_at timestamptz not null default now(),
     used_at timestamptz,
     unique (user_id, code_hash)
   )`,
  `create table sign_in_throttle (
     key text primary key,
     account_hash text,
     failures integer not null default 0 check (failures >= 0),
     last_failure_at timestamptz,
     last_success_at timestamptz
   )`,
  `create index sign_in_throttle_account on sign_in_throttle (account_hash)`,
  `create index sign_in_throttle_last_failure on sign_in_throttle (last_failure_at)`,
)
