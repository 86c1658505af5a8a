import type { Db } from './index.ts'

/** The `settings` table: values an installation makes once and keeps (the demo's session secret and secret key). */
export function settingsStore(db: Db) {
  return {
    async get(key: string): Promise<string | undefined> {
      return (await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst())?.value
    },
    /** Keeps `value` unless another instance kept one first; returns whichever is kept. */
    async keepFirst(key: string, value: string): Promise<string> {
      await db.insertInto('settings').values({ key, value }).onConflict((oc) => oc.column('key').doNothing()).execute()
      return (await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirstOrThrow()).value
    },
    /** Sets `value`, replacing any kept. */
    async put(key: string, value: string) {
      await db.insertInto('settings').values({ key, value }).onConflict((oc) => oc.column('key').doUpdateSet({ value })).execute()
    },
    async remove(key: string) {
      await db.deleteFrom('settings').where('key', '=', key).execute()
    },
  }
}
