import type { Generated, Selectable } from 'kysely'
import type { CreatedAt, Timestamp } from '../../db/schema.ts'

export interface ApiTokensTable {
  id: Generated<string>
  user_id: string
  name: string
  /** SHA-256 of the token, hex. The token itself is never stored. */
  token_hash: string
  /** The token's last four characters, to tell tokens apart in lists. */
  token_hint: string
  created_by: string | null
  created_at: CreatedAt
  expires_at: Timestamp
  revoked_at: Timestamp | null
  revoked_by: string | null
  last_used_at: Timestamp | null
}

declare module '../../db/schema.ts' {
  interface Database {
    api_tokens: ApiTokensTable
  }
}

export type ApiToken = Selectable<ApiTokensTable>
