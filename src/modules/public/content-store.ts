import { sql } from 'kysely'
import type { Db } from '../../db/index.ts'

export interface PageContent {
  title: string
  summary: string
  body: string
  changeNote: string
}

/** SQL for the public information pages and their version history. */
export function contentStore(db: Db) {
  const current = () =>
    db
      .selectFrom('public_pages as p')
      .innerJoin('public_page_versions as v', (j) => j.onRef('v.page_id', '=', 'p.id').onRef('v.version', '=', 'p.current_version'))
      .leftJoin('users as u', 'u.id', 'v.created_by')
      .select([
        'p.id',
        'p.path',
        'p.section',
        'p.sort_order',
        'p.current_version',
        'v.title',
        'v.summary',
        'v.body',
        'v.change_note',
        'v.created_at as updated_at',
        'u.name as updated_by_name',
      ])

  return {
    pages: () => current().orderBy('p.sort_order').orderBy('p.path').execute(),
    pageByPath: (path: string) => current().where('p.path', '=', path).executeTakeFirst(),
    page: (id: string) => current().where('p.id', '=', id).executeTakeFirst(),
    pathTaken: async (path: string) => Boolean(await db.selectFrom('public_pages').select('id').where('path', '=', path).executeTakeFirst()),

    versions: (pageId: string) =>
      db
        .selectFrom('public_page_versions as v')
        .leftJoin('users as u', 'u.id', 'v.created_by')
        .select(['v.version', 'v.title', 'v.change_note', 'v.created_at', 'u.name as created_by_name'])
        .where('v.page_id', '=', pageId)
        .orderBy('v.version', 'desc')
        .execute(),

    version: (pageId: string, version: number) =>
      db
        .selectFrom('public_page_versions as v')
        .leftJoin('users as u', 'u.id', 'v.created_by')
        .select(['v.version', 'v.title', 'v.summary', 'v.body', 'v.change_note', 'v.created_at', 'u.name as created_by_name'])
        .where('v.page_id', '=', pageId)
        .where('v.version', '=', version)
        .executeTakeFirst(),

    /**
     * Publishes a new version on top of `baseVersion`. Returns false (and changes nothing) when
     * someone else published since the editor opened the page.
     */
    async publish(trx: Db, pageId: string, baseVersion: number, content: PageContent, userId: string): Promise<number | false> {
      const bumped = await trx
        .updateTable('public_pages')
        .set({ current_version: sql`current_version + 1` })
        .where('id', '=', pageId)
        .where('current_version', '=', baseVersion)
        .returning('current_version')
        .executeTakeFirst()
      if (!bumped) return false
      await trx
        .insertInto('public_page_versions')
        .values({
          page_id: pageId,
          version: bumped.current_version,
          title: content.title,
          summary: content.summary,
          body: content.body,
          change_note: content.changeNote,
          created_by: userId,
        })
        .execute()
      return bumped.current_version
    },

    async create(trx: Db, path: string, content: PageContent, userId: string): Promise<string> {
      const order = await trx
        .selectFrom('public_pages')
        .select(sql<number>`coalesce(max(sort_order), 0) + 10`.as('next'))
        .where('section', '=', 'signs')
        .executeTakeFirstOrThrow()
      const page = await trx
        .insertInto('public_pages')
        .values({ path, section: 'signs', sort_order: Number(order.next), current_version: 1 })
        .returning('id')
        .executeTakeFirstOrThrow()
      await trx
        .insertInto('public_page_versions')
        .values({ page_id: page.id, version: 1, title: content.title, summary: content.summary, body: content.body, change_note: content.changeNote, created_by: userId })
        .execute()
      return page.id
    },
  }
}

export type ContentStore = ReturnType<typeof contentStore>
