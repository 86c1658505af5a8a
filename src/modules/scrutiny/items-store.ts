import { sql, type Insertable, type Updateable } from 'kysely'
import type { Db } from '../../db/index.ts'
import type { ItemKind, ItemStatus, Rag, ScrutinyItemsTable } from './tables.ts'

/** Resolutions, recommendations and requests: numbered per body, year and kind, and changed under optimistic locking. */
export function itemsStore(db: Db) {
  return {
    nextNumber: async (bodyId: string, year: string, kind: ItemKind) => {
      const row = await db
        .selectFrom('scrutiny_items')
        .select(sql<number>`coalesce(max(number), 0) + 1`.as('n'))
        .where('body_id', '=', bodyId)
        .where('municipal_year', '=', year)
        .where('kind', '=', kind)
        .executeTakeFirstOrThrow()
      return Number(row.n)
    },
    numberTaken: async (bodyId: string, year: string, kind: ItemKind, number: number) =>
      Boolean(
        await db
          .selectFrom('scrutiny_items')
          .select('id')
          .where('body_id', '=', bodyId)
          .where('municipal_year', '=', year)
          .where('kind', '=', kind)
          .where('number', '=', number)
          .executeTakeFirst(),
      ),
    insertItem: (v: Insertable<ScrutinyItemsTable>) => db.insertInto('scrutiny_items').values(v).returning('id').executeTakeFirstOrThrow(),
    itemRow: (id: string) => db.selectFrom('scrutiny_items').selectAll().where('id', '=', id).executeTakeFirst(),
    /** Changes the status only if nobody else has since: returns false when the version moved on. */
    setStatus: async (id: string, version: number, v: { status: ItemStatus; status_reason: string | null; rag: Rag | null; by: string | null }) => {
      const result = await db
        .updateTable('scrutiny_items')
        .set({
          status: v.status,
          status_reason: v.status_reason,
          rag: v.rag,
          status_changed_at: new Date(),
          status_changed_by: v.by,
          updated_at: new Date(),
          version: sql<number>`version + 1`,
        })
        .where('id', '=', id)
        .where('version', '=', version)
        .executeTakeFirst()
      return Number(result.numUpdatedRows) === 1
    },
    updateItem: (id: string, v: Updateable<ScrutinyItemsTable>) =>
      db
        .updateTable('scrutiny_items')
        .set({ ...v, updated_at: new Date(), version: sql<number>`version + 1` })
        .where('id', '=', id)
        .execute(),
  }
}
