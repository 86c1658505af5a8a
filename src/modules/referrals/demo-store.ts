import type { Insertable } from 'kysely'
import type { Db } from '../../db/index.ts'
import type { Database } from '../../db/schema.ts'

type New<T extends keyof Database> = Insertable<Database[T]>

/**
 * The demo's reads and writes. The demo back-dates referrals and notices, so it writes whole rows
 * rather than going through the service, which stamps the real time.
 */
export function referralsDemoStore(db: Db) {
  return {
    agencyName: async (id: string) => (await db.selectFrom('agencies').select('name').where('id', '=', id).executeTakeFirstOrThrow()).name,
    personName: (id: string) => db.selectFrom('people').select(['given_name', 'family_name', 'preferred_name']).where('id', '=', id).executeTakeFirstOrThrow(),
    dateOfBirth: async (id: string) => (await db.selectFrom('people').select('date_of_birth').where('id', '=', id).executeTakeFirstOrThrow()).date_of_birth,
    insertNrm: (v: New<'nrm_referrals'>) => db.insertInto('nrm_referrals').values(v).returning('id').executeTakeFirstOrThrow(),
    insertCawn: (v: New<'cawns'>) => db.insertInto('cawns').values(v).returning('id').executeTakeFirstOrThrow(),
    insertBreach: (v: New<'cawn_breaches'>) => db.insertInto('cawn_breaches').values(v).execute(),
  }
}
