import type { Db } from '../../../db/index.ts'

type Positions = Record<string, { x: number; y: number }>

/** Analysts' saved map layouts, one per analyst and scope. */
export function mapLayoutsStore(db: Db) {
  return {
    find: async (userId: string, scopeKey: string): Promise<Positions | undefined> => {
      const row = await db.selectFrom('network_map_layouts').select('positions').where('user_id', '=', userId).where('scope_key', '=', scopeKey).executeTakeFirst()
      return row?.positions
    },
    save: (userId: string, scopeKey: string, positions: Positions) =>
      db
        .insertInto('network_map_layouts')
        .values({ user_id: userId, scope_key: scopeKey, positions: JSON.stringify(positions), saved_at: new Date() })
        .onConflict((oc) => oc.columns(['user_id', 'scope_key']).doUpdateSet({ positions: JSON.stringify(positions), saved_at: new Date() }))
        .execute(),
  }
}
