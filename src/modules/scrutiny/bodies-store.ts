import { sql, type Insertable, type Updateable } from 'kysely'
import type { Db } from '../../db/index.ts'
import type { ScrutinyBodiesTable } from './tables.ts'
import { awaiting, dueSql, overdueSql, type Visibility, visibilitySql } from './visibility-store.ts'

/** Scrutiny bodies, their members, the organisations they scrutinise, and the agencies to choose from. */
export function bodiesStore(db: Db) {
  return {
    bodies: (publicOnly: boolean) => {
      let q = db
        .selectFrom('scrutiny_bodies as b')
        .leftJoin('agencies as a', 'a.id', 'b.agency_id')
        .leftJoin('agencies as s', 's.id', 'b.support_agency_id')
        .selectAll('b')
        .select(['a.name as agency_name', 's.name as support_agency_name'])
        .orderBy(sql`case b.kind when 'panel' then 0 when 'select_committee' then 1 when 'strategy_group' then 2 else 3 end`)
        .orderBy('b.name')
      if (publicOnly) q = q.where('b.public', '=', true)
      return q.execute()
    },
    body: (id: string) =>
      db
        .selectFrom('scrutiny_bodies as b')
        .leftJoin('agencies as a', 'a.id', 'b.agency_id')
        .leftJoin('agencies as s', 's.id', 'b.support_agency_id')
        .selectAll('b')
        .select(['a.name as agency_name', 's.name as support_agency_name'])
        .where('b.id', '=', id)
        .executeTakeFirst(),
    bodyBySlug: (slug: string) =>
      db
        .selectFrom('scrutiny_bodies as b')
        .leftJoin('agencies as a', 'a.id', 'b.agency_id')
        .leftJoin('agencies as s', 's.id', 'b.support_agency_id')
        .selectAll('b')
        .select(['a.name as agency_name', 's.name as support_agency_name'])
        .where('b.slug', '=', slug)
        .executeTakeFirst(),
    /** A body by its public slug or its short code (as the command line names one). */
    bodyBySlugOrCode: (slugOrCode: string) =>
      db
        .selectFrom('scrutiny_bodies')
        .selectAll()
        .where((eb) => eb.or([eb('slug', '=', slugOrCode), eb('code', '=', slugOrCode.toUpperCase())]))
        .executeTakeFirst(),
    /** Locks the body row so numbering items within it is serialised. */
    lockBody: (id: string) => db.selectFrom('scrutiny_bodies').select('id').where('id', '=', id).forUpdate().executeTakeFirst(),
    bodyCounts: async (today: string, visibility: Visibility) => {
      const { rows } = await sql<{ body_id: string; open: number; overdue: number; due_soon: number; total: number }>`
        select i.body_id,
               count(*) filter (where i.status <> 'closed') as open,
               count(*) filter (where ${overdueSql(today)}) as overdue,
               count(*) filter (where ${awaiting} and ${dueSql} between ${today}::date and (${today}::date + 14)) as due_soon,
               count(*) as total
          from scrutiny_items i
          join scrutiny_bodies b on b.id = i.body_id
          join scrutiny_meetings m on m.id = i.meeting_id
          left join scrutiny_agenda_items ai on ai.id = i.agenda_item_id
         where ${visibilitySql(visibility)}
         group by i.body_id`.execute(db)
      return new Map(rows.map((r) => [r.body_id, r]))
    },
    insertBody: (v: Insertable<ScrutinyBodiesTable>) => db.insertInto('scrutiny_bodies').values(v).returning('id').executeTakeFirstOrThrow(),
    updateBody: (id: string, v: Updateable<ScrutinyBodiesTable>) =>
      db.updateTable('scrutiny_bodies').set({ ...v, updated_at: new Date() }).where('id', '=', id).execute(),
    slugTaken: async (slug: string, exceptId?: string) => {
      let q = db.selectFrom('scrutiny_bodies').select('id').where('slug', '=', slug)
      if (exceptId) q = q.where('id', '<>', exceptId)
      return Boolean(await q.executeTakeFirst())
    },
    nameTaken: async (name: string, exceptId?: string) => {
      let q = db.selectFrom('scrutiny_bodies').select('id').where(sql<boolean>`lower(name) = ${name.toLowerCase()}`)
      if (exceptId) q = q.where('id', '<>', exceptId)
      return Boolean(await q.executeTakeFirst())
    },
    members: (bodyId: string) => db.selectFrom('scrutiny_body_members').selectAll().where('body_id', '=', bodyId).orderBy('position').orderBy('name').execute(),
    insertMember: (v: { body_id: string; name: string; role: string; organisation: string }) =>
      db
        .insertInto('scrutiny_body_members')
        .values({ ...v, position: sql<number>`(select coalesce(max(position), 0) + 1 from scrutiny_body_members where body_id = ${v.body_id})` })
        .returning('id')
        .executeTakeFirstOrThrow(),
    deleteMember: (bodyId: string, id: string) => db.deleteFrom('scrutiny_body_members').where('body_id', '=', bodyId).where('id', '=', id).executeTakeFirst(),
    scrutinises: (bodyId: string) =>
      db.selectFrom('scrutiny_body_scrutinises').selectAll().where('body_id', '=', bodyId).orderBy('organisation').execute(),
    insertScrutinised: (v: { body_id: string; organisation: string; agency_id: string | null }) =>
      db.insertInto('scrutiny_body_scrutinises').values(v).returning('id').executeTakeFirstOrThrow(),
    scrutinisedTaken: async (bodyId: string, organisation: string) =>
      Boolean(
        await db
          .selectFrom('scrutiny_body_scrutinises')
          .select('id')
          .where('body_id', '=', bodyId)
          .where(sql<boolean>`lower(organisation) = ${organisation.toLowerCase()}`)
          .executeTakeFirst(),
      ),

    agencies: () => db.selectFrom('agencies').select(['id', 'name', 'short_name', 'kind']).where('active', '=', true).orderBy('name').execute(),
    agency: (id: string) => db.selectFrom('agencies').select(['id', 'name', 'short_name', 'kind']).where('id', '=', id).executeTakeFirst(),
  }
}
