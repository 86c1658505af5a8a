import { sql } from 'kysely'
import type { Db } from '../../db/index.ts'
import type { AreaKind } from '../../db/areas.ts'

export interface AreaValues {
  kind: AreaKind
  parent_id: string | null
  in_partnership: boolean
  population: number | null
}

/** SQL for the areas page. */
export function areasStore(db: Db) {
  return {
    list: () =>
      db
        .selectFrom('areas as a')
        .leftJoin('areas as p', 'p.id', 'a.parent_id')
        .select(['a.id', 'a.code', 'a.name', 'a.kind', 'a.parent_id', 'a.in_partnership', 'a.population', 'p.name as parent_name'])
        .orderBy('a.in_partnership', 'desc')
        .orderBy('a.name')
        .execute(),
    /** The area and every area above it, nearest first; empty when there is no such area. */
    selfAndAncestors: async (areaId: string) => {
      const { rows } = await sql<{ id: string }>`
        with recursive up(id, parent_id) as (
          select id, parent_id from areas where id = ${areaId}::uuid
          union all select a.id, a.parent_id from areas a join up on a.id = up.parent_id
        ) select id from up`.execute(db)
      return rows
    },
    /** Areas already holding this name (in any case) or this code. */
    sameNameOrCode: (name: string, code: string) =>
      db
        .selectFrom('areas')
        .select(['name', 'code'])
        .where((eb) => eb.or([eb(sql`lower(name)`, '=', name.toLowerCase()), eb('code', '=', code)]))
        .execute(),
    insert: (v: AreaValues & { name: string; code: string }) => db.insertInto('areas').values(v).returning('id').executeTakeFirstOrThrow(),
    update: (id: string, v: AreaValues) => db.updateTable('areas').set(v).where('id', '=', id).execute(),
  }
}
