import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testDatabaseKinds, type TestDatabase } from '../../../test/support/databases.ts'
import personalTokens from '../../db/migrations/0113_personal_api_tokens.ts'
import { hashToken, newToken } from './tokens.ts'

describe.each(testDatabaseKinds())('upgrading to personal API tokens on $name', (kind) => {
  let database: TestDatabase
  beforeAll(async () => {
    database = await kind.create({ demo: true })
  })
  afterAll(async () => {
    await database?.dispose()
  })

  it('revokes every live token an administrator issued for someone else, and keeps users’ own', async () => {
    const db = database.db
    const id = async (email: string) => (await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id
    const [admin, practitioner] = [await id('admin@lantern.test'), await id('practitioner@lantern.test')]
    const insert = async (name: string, createdBy: string | null) =>
      db.insertInto('api_tokens').values({ user_id: practitioner, name, token_hash: hashToken(newToken()), token_hint: 'abcd', created_by: createdBy, expires_at: new Date(Date.now() + 86_400_000) }).execute()
    await insert('Issued by an administrator', admin)
    await insert('Issued by its user', practitioner)
    await insert('Issuer unknown', null)
    await personalTokens.up(db as never)
    const rows = await db.selectFrom('api_tokens').select(['name', 'revoked_at', 'revoked_by']).where('user_id', '=', practitioner).orderBy('name').execute()
    expect(rows.map((r) => [r.name, r.revoked_at !== null, r.revoked_by])).toEqual([
      ['Issued by an administrator', true, admin],
      ['Issued by its user', false, null],
      ['Issuer unknown', true, null],
    ])
  })
})
