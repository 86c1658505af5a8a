import { statements } from '../migration.ts'

// Tokens are personal from here on: a token an administrator issued for someone else was seen by
// that administrator, so it could read as its user in their name. Each is revoked (by its issuer,
// as recorded) and its user issues a new one under Your API tokens. Tokens users hold of their own
// issue keep working.
export default statements(
  `update api_tokens set revoked_at = now(), revoked_by = created_by
    where revoked_at is null and created_by is distinct from user_id`,
)
