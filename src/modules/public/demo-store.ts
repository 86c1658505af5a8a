import type { Insertable } from 'kysely'
import type { Db } from '../../db/index.ts'
import type { Database } from '../../db/schema.ts'

type New<T extends keyof Database> = Insertable<Database[T]>

/**
 * The demo's writes. The demo back-dates what it records (imported, linked and triaged times), so
 * it writes whole rows rather than going through the services, which stamp the real time.
 */
export function publicDemoStore(db: Db) {
  return {
    userNames: async () => new Map((await db.selectFrom('users').select(['id', 'name']).execute()).map((u) => [u.id, u.name])),
    insertImport: (v: New<'public_report_imports'>) => db.insertInto('public_report_imports').values(v).returning('id').executeTakeFirstOrThrow(),
    insertReport: (v: New<'public_reports'>) => db.insertInto('public_reports').values(v).returning('id').executeTakeFirstOrThrow(),
    insertLink: (v: New<'public_report_links'>) => db.insertInto('public_report_links').values(v).execute(),
    insertEvent: (v: New<'public_report_events'>) => db.insertInto('public_report_events').values(v).execute(),
    insertTriage: (v: New<'public_report_triage'>) => db.insertInto('public_report_triage').values(v).execute(),
  }
}
