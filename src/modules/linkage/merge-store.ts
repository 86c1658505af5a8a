import { sql } from 'kysely'
import type { Db } from '../../db/index.ts'
import type { CurrentUser } from '../../kernel/context.ts'
import { visibleTo } from '../people/index.ts'

/** A column somewhere in the schema that holds a person's id (a foreign key to people(id)). */
export interface PersonReference {
  table: string
  column: string
  /** Primary key columns of the table, to name each moved row. */
  key: string[]
  /** The column is part of a unique constraint: a move may collide with the survivor's own row. */
  unique: boolean
}

/**
 * Every foreign key that references people(id), read from the catalogue at run time so tables
 * that other modules add later are covered without a change here. The linkage_* tables are left
 * out: they are the history of merging itself.
 */
export async function personReferences(db: Db): Promise<PersonReference[]> {
  const { rows } = await sql<{ table_name: string; column_name: string; key: string[] | string | null; is_unique: boolean }>`
    select cl.relname as table_name, att.attname as column_name,
      (select array_agg(pa.attname::text order by pa.attnum) from pg_index pi
         join pg_attribute pa on pa.attrelid = pi.indrelid and pa.attnum = any(pi.indkey)
        where pi.indrelid = cl.oid and pi.indisprimary) as key,
      exists (select 1 from pg_index ui where ui.indrelid = cl.oid and ui.indisunique and att.attnum = any(ui.indkey)) as is_unique
    from pg_constraint c
    join pg_class cl on cl.oid = c.conrelid
    join pg_namespace n on n.oid = cl.relnamespace
    join pg_attribute att on att.attrelid = c.conrelid and att.attnum = c.conkey[1]
    where c.contype = 'f' and c.confrelid = 'people'::regclass and array_length(c.conkey, 1) = 1
      and n.nspname = current_schema() and cl.relname not like 'linkage\\_%'
    order by cl.relname, att.attname`.execute(db)
  return rows.map((r) => ({
    table: r.table_name,
    column: r.column_name,
    key: Array.isArray(r.key) ? r.key : typeof r.key === 'string' ? r.key.replace(/[{}]/g, '').split(',').filter(Boolean) : [],
    unique: r.is_unique,
  }))
}

function keyCondition(key: Record<string, unknown>) {
  return sql.join(
    Object.entries(key).map(([column, value]) => sql`${sql.id(column)}::text = ${String(value)}`),
    sql` and `,
  )
}

export function mergeStore(db: Db) {
  return {
    /** The key of every row whose `column` holds `personId`. */
    async keysOf(ref: PersonReference, personId: string): Promise<Record<string, unknown>[]> {
      const columns = sql.join(ref.key.map((k) => sql.id(k)))
      const { rows } = await sql<Record<string, unknown>>`select ${columns} from ${sql.id(ref.table)} where ${sql.id(ref.column)} = ${personId}`.execute(db)
      return rows
    },

    /** Points one row's column from `from` to `to`; true when the row was there and moved. */
    async moveRow(table: string, column: string, key: Record<string, unknown>, from: string, to: string): Promise<boolean> {
      const result = await sql`update ${sql.id(table)} set ${sql.id(column)} = ${to} where ${keyCondition(key)} and ${sql.id(column)} = ${from}`.execute(db)
      return Number(result.numAffectedRows ?? 0) === 1
    },

    async deleteRow(table: string, key: Record<string, unknown>): Promise<boolean> {
      const result = await sql`delete from ${sql.id(table)} where ${keyCondition(key)}`.execute(db)
      return Number(result.numAffectedRows ?? 0) === 1
    },

    savepoint: (name: string) => sql.raw(`savepoint ${name}`).execute(db),
    release: (name: string) => sql.raw(`release savepoint ${name}`).execute(db),
    rollbackTo: (name: string) => sql.raw(`rollback to savepoint ${name}`).execute(db),

    /** Both people, locked for the rest of the transaction, in id order so two merges cannot deadlock. */
    lockPeople: (ids: string[]) =>
      db
        .selectFrom('people')
        .selectAll()
        .where('id', 'in', ids)
        .orderBy('id')
        .forUpdate()
        .execute(),

    /** A record and every record merged into it, however deep. */
    async cluster(personId: string): Promise<string[]> {
      const { rows } = await sql<{ id: string }>`
        with recursive c(id) as (select ${personId}::uuid union select p.id from people p join c on p.merged_into = c.id)
        select id from c`.execute(db)
      return rows.map((r) => r.id)
    },

    /** A pair across the two sets recorded as not the same person, if any. */
    notSameBetween: (a: string[], b: string[]) =>
      db
        .selectFrom('linkage_not_same')
        .selectAll()
        .where((eb) => eb.or([eb.and([eb('person_a', 'in', a), eb('person_b', 'in', b)]), eb.and([eb('person_a', 'in', b), eb('person_b', 'in', a)])]))
        .executeTakeFirst(),

    sharesOf: (personId: string) =>
      db.selectFrom('live_record_shares').select(['id', 'agency_id', 'user_id', 'purpose', 'legal_basis', 'review_on', 'expires_at']).where('record_type', '=', 'person').where('record_id', '=', personId).execute(),

    merge: (id: string) => db.selectFrom('linkage_merges').selectAll().where('id', '=', id).executeTakeFirst(),

    /**
     * Merges waiting for a decision, with the agencies still to agree; only those waiting for this
     * agency's agreement when one is named.
     */
    pending(waitingForAgency: string | null) {
      let q = db
        .selectFrom('linkage_merges as m')
        .innerJoin('people as s', 's.id', 'm.survivor_id')
        .innerJoin('people as d', 'd.id', 'm.merged_id')
        .innerJoin('users as u', 'u.id', 'm.requested_by')
        .select(['m.id', 'm.requested_at', 'm.conflicts', 'm.reason', 's.id as survivor_id', 'd.id as merged_id', 's.given_name as s_given', 's.family_name as s_family', 'd.given_name as d_given', 'd.family_name as d_family', 'u.name as requested_by_name', 's.owner_agency_id as s_owner', 'd.owner_agency_id as d_owner'])
        .select((eb) =>
          eb
            .selectFrom('linkage_merge_agreements as g')
            .innerJoin('agencies as a', 'a.id', 'g.agency_id')
            .select(sql<string | null>`string_agg(a.name, ' and ' order by a.name)`.as('w'))
            .whereRef('g.merge_id', '=', 'm.id')
            .where('g.agreed_at', 'is', null)
            .as('waiting_for'),
        )
        .where('m.status', '=', 'pending')
      if (waitingForAgency) {
        q = q.where((eb) => eb.exists(eb.selectFrom('linkage_merge_agreements as g').select('g.merge_id').whereRef('g.merge_id', '=', 'm.id').where('g.agency_id', '=', waitingForAgency).where('g.agreed_at', 'is', null)))
      }
      return q.orderBy('m.requested_at').execute()
    },

    /**
     * Merges touching this person (either side), newest first. Both sides are outer joins, each
     * named only where the user may see it (null otherwise): row-level security hides the other
     * record, and an inner join would drop the merge with it.
     */
    mergesOf: (user: Pick<CurrentUser, 'id' | 'agencyId'>, personId: string) =>
      db
        .selectFrom('linkage_merges as m')
        .leftJoin('people as s', 's.id', 'm.survivor_id')
        .leftJoin('people as d', 'd.id', 'm.merged_id')
        .innerJoin('users as u', 'u.id', 'm.requested_by')
        .select(['m.id', 'm.status', 'm.requested_at', 'm.completed_at', 'm.undone_at', 'm.survivor_id', 'm.merged_id', 'u.name as requested_by_name'])
        .select([
          sql<string | null>`case when ${visibleTo(user, 's')} then s.given_name || ' ' || s.family_name end`.as('survivor_name'),
          sql<string | null>`case when ${visibleTo(user, 'd')} then d.given_name || ' ' || d.family_name end`.as('merged_name'),
        ])
        .where((eb) => eb.or([eb('m.survivor_id', '=', personId), eb('m.merged_id', '=', personId)]))
        .orderBy('m.requested_at', 'desc')
        .orderBy('m.id')
        .execute(),

    /** Strong identifiers of these people (scheme and value), to tell two people apart. */
    strongIdentifiers: (ids: string[], schemes: readonly string[]) =>
      db.selectFrom('person_identifiers').select(['person_id', 'scheme', 'value']).where('person_id', 'in', ids).where('scheme', 'in', schemes as never).execute(),

    /** The agencies whose agreement a merge waits for or has, with their names. */
    agreements: (mergeId: string) =>
      db
        .selectFrom('linkage_merge_agreements as g')
        .innerJoin('agencies as a', 'a.id', 'g.agency_id')
        .leftJoin('users as u', 'u.id', 'g.agreed_by')
        .select(['g.agency_id', 'a.name as agency_name', 'g.agreed_by', 'g.agreed_at', 'u.name as agreed_by_name'])
        .where('g.merge_id', '=', mergeId)
        .orderBy('a.name')
        .execute(),

    addAgreements: (mergeId: string, agencyIds: string[]) =>
      agencyIds.length ? db.insertInto('linkage_merge_agreements').values(agencyIds.map((agency_id) => ({ merge_id: mergeId, agency_id }))).execute() : Promise.resolve([]),

    /** One agency's agreement; false when it was not waited for (or already given). */
    async agree(mergeId: string, agencyId: string, userId: string): Promise<boolean> {
      const result = await db
        .updateTable('linkage_merge_agreements')
        .set({ agreed_by: userId, agreed_at: sql`now()` })
        .where('merge_id', '=', mergeId)
        .where('agency_id', '=', agencyId)
        .where('agreed_at', 'is', null)
        .executeTakeFirst()
      return Number(result.numUpdatedRows) === 1
    },

    /** A record's summary for an agency asked to agree to a merge into its own record (no need-to-know of its own). */
    summary: (personId: string) =>
      db
        .selectFrom('people as p')
        .innerJoin('agencies as a', 'a.id', 'p.owner_agency_id')
        .select(['p.id', 'p.given_name', 'p.family_name', 'p.date_of_birth', 'p.gender', 'p.owner_agency_id', 'a.name as owner_agency_name', 'p.merged_into'])
        .where('p.id', '=', personId)
        .executeTakeFirst(),

    moves: (mergeId: string) => db.selectFrom('linkage_merge_moves').selectAll().where('merge_id', '=', mergeId).orderBy('id', 'desc').execute(),
  }
}
