import type { Insertable } from 'kysely'
import type { Db } from '../../db/index.ts'
import type { Database } from '../../db/schema.ts'

/**
 * The demo's reads and writes. The demo back-dates episodes (reported, found and interviewed
 * times), so it writes whole rows rather than going through the service, which stamps the real time.
 */
export function missingDemoStore(db: Db) {
  return {
    /** Where each person lives and is placed, to tell when a child was found out of area. */
    people: () => db.selectFrom('people').select(['id', 'home_area_id', 'current_area_id']).execute(),
    areaNames: async () => new Map((await db.selectFrom('areas').select(['id', 'name']).execute()).map((a) => [a.id, a.name])),
    insertEpisode: (v: Insertable<Database['missing_episodes']>) => db.insertInto('missing_episodes').values(v).returning('id').executeTakeFirstOrThrow(),
  }
}
