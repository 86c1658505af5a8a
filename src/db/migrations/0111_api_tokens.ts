import { statements } from '../migration.ts'

/**
 * Personal API tokens an administrator issues. Only a SHA-256 hash of the token is kept (the
 * token itself is shown once), with the last characters as a hint to tell tokens apart.
 */
export default statements(
  `create table api_tokens (
     id uuid primary key default gen_random_uuid(),
     user_id uuid not null references users(id),
     name text not null check (length(btrim(name)) between 1 and 100),
     token_hash text not null unique check (token_hash ~ '^[0-9a-f]{64}$'),
     token_hint text not null,
     created_by uuid references users(id),
     created_at timestamptz not null default now(),
     expires_at timestamptz not null,
     revoked_at timestamptz,
     revoked_by uuid references users(id),
     last_used_at timestamptz
   )`,
  `create index api_tokens_user on api_tokens (user_id)`,
)
