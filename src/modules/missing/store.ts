import { sql, type Expression, type Insertable, type RawBuilder, type SqlBool, type Updateable } from 'kysely'
import type { MonthRange } from '../../kernel/london.ts'
import type { Db } from '../../db/index.ts'
import type { CurrentUser } from '../../kernel/context.ts'
import { onCaseloadOf, visibleTo } from '../people/index.ts'
import type { MissingSuggestionCounts } from './rules.ts'
import type { MissingEpisodesTable } from './tables.ts'

/**
 * SQL for missing episodes. The exported functions below the store are for other capabilities
 * (the register, the indicators, the API): they do no permission checks, so the caller must.
 */
export function missingStore(db: Db) {
  return {
    find: (id: string) => db.selectFrom('missing_episodes').selectAll().where('id', '=', id).executeTakeFirst(),
    insert: (row: Insertable<MissingEpisodesTable>) => db.insertInto('missing_episodes').values(row).returning('id').executeTakeFirstOrThrow(),
    /** Optimistic concurrency: updates only the version the user saw; returns the rows changed. */
    async update(id: string, version: number, row: Updateable<MissingEpisodesTable>): Promise<number> {
      const result = await db
        .updateTable('missing_episodes')
        .set({ ...row, updated_at: sql`now()`, version: sql`version + 1` })
        .where('id', '=', id)
        .where('version', '=', version)
        .executeTakeFirst()
      return Number(result.numUpdatedRows)
    },
    /** The times of a person's episodes, to refuse one that overlaps another (a voided one is not an absence). */
    spans: (personId: string) =>
      db.selectFrom('missing_episodes').select(['id', 'reported_missing_at', 'found_at']).where('person_id', '=', personId).where('voided_at', 'is', null).execute(),
    /** Voids the version the user saw, if not voided already; returns the rows changed. */
    async void(id: string, version: number, userId: string, reason: string, at: Date): Promise<number> {
      const result = await db
        .updateTable('missing_episodes')
        .set({ voided_at: at, voided_by: userId, void_reason: reason, updated_by: userId, updated_at: sql`now()`, version: sql`version + 1` })
        .where('id', '=', id)
        .where('version', '=', version)
        .where('voided_at', 'is', null)
        .executeTakeFirst()
      return Number(result.numUpdatedRows)
    },
    areas: () => db.selectFrom('areas').select(['id', 'name']).orderBy('name').execute(),
    agencies: () => db.selectFrom('agencies').select(['id', 'name']).where('active', '=', true).orderBy('name').execute(),
    areaName: async (id: string | null) => (id ? ((await db.selectFrom('areas').select('name').where('id', '=', id).executeTakeFirst())?.name ?? null) : null),
  }
}

/** A person's missing episodes, voided ones too (the page strikes them through), newest first, with the area and agency names. */
export function missingEpisodesForPerson(db: Db, personId: string) {
  return db
    .selectFrom('missing_episodes as m')
    .leftJoin('areas as fa', 'fa.id', 'm.found_area_id')
    .leftJoin('areas as ma', 'ma.id', 'm.missing_from_area_id')
    .leftJoin('agencies as ra', 'ra.id', 'm.rhi_agency_id')
    .leftJoin('users as u', 'u.id', 'm.created_by')
    .leftJoin('users as v', 'v.id', 'm.voided_by')
    .selectAll('m')
    .select(['fa.name as found_area_name', 'ma.name as missing_from_area_name', 'ra.name as rhi_agency_name', 'u.name as created_by_name', 'v.name as voided_by_name'])
    .where('m.person_id', '=', personId)
    .orderBy('m.reported_missing_at', 'desc')
    .execute()
}

export type MissingEpisodeRow = Awaited<ReturnType<typeof missingEpisodesForPerson>>[number]

/**
 * "Reported missing in the last N days", as a condition on a person id column, for the register's
 * filter: `.where(missingInLastDays(30, 'p.id', clock.now()))`.
 */
export function missingInLastDays(days: number, personIdColumn: string, asOf: Date): Expression<SqlBool> {
  const until = sql`${asOf}::timestamptz`
  return sql<SqlBool>`exists (select 1 from missing_episodes me where me.person_id = ${sql.ref(personIdColumn)} and me.voided_at is null and me.reported_missing_at > ${until} - make_interval(days => ${days}) and me.reported_missing_at <= ${until})`
}

/** Counts of a person's episodes in the windows the screening's missing indicators use. */
export async function missingSuggestionCounts(db: Db, personId: string, asOf: Date): Promise<MissingSuggestionCounts> {
  const row = await db
    .selectFrom('missing_episodes')
    .select([
      sql<number>`count(*) filter (where reported_missing_at >= ${asOf}::timestamptz - interval '3 months')`.as('last3'),
      sql<number>`count(*) filter (where reported_missing_at < ${asOf}::timestamptz - interval '3 months' and reported_missing_at >= ${asOf}::timestamptz - interval '6 months')`.as('mid'),
      sql<number>`count(*) filter (where found_out_of_area and reported_missing_at >= ${asOf}::timestamptz - interval '3 months')`.as('ooa3'),
      sql<number>`count(*) filter (where found_out_of_area and reported_missing_at < ${asOf}::timestamptz - interval '3 months' and reported_missing_at >= ${asOf}::timestamptz - interval '6 months')`.as('ooa6'),
    ])
    .where('person_id', '=', personId)
    .where('voided_at', 'is', null)
    .where('reported_missing_at', '<=', asOf)
    .executeTakeFirstOrThrow()
  return { last3Months: Number(row.last3), months3to6: Number(row.mid), outOfArea3: Number(row.ooa3), outOfArea3to6: Number(row.ooa6) }
}

/**
 * Missing episodes per area per month (UK time), for the indicators: episodes reported, children
 * they involved, how many were found out of area, and return-home interviews held within 72 hours.
 * The area is the one the child went missing from.
 */
export async function missingEpisodesByAreaMonth(db: Db, range: MonthRange) {
  const rows = await sql<{
    month: string
    area_id: string | null
    area_code: string | null
    area_name: string | null
    episodes: number
    children: number
    found_out_of_area: number
    rhi_in_time: number
  }>`
    select to_char(date_trunc('month', m.reported_missing_at at time zone 'Europe/London'), 'YYYY-MM') as month,
           m.missing_from_area_id as area_id, a.code as area_code, a.name as area_name,
           count(*)::int as episodes,
           count(distinct m.person_id)::int as children,
           count(*) filter (where m.found_out_of_area)::int as found_out_of_area,
           count(*) filter (where m.rhi_held_at is not null and m.rhi_held_at <= m.found_at + interval '72 hours')::int as rhi_in_time
      from missing_episodes m
      left join areas a on a.id = m.missing_from_area_id
     where m.voided_at is null
       and m.reported_missing_at >= date_trunc('month', ${range.from}::timestamp) at time zone 'Europe/London'
       and m.reported_missing_at < (date_trunc('month', ${range.to}::timestamp) + interval '1 month') at time zone 'Europe/London'
     group by 1, 2, 3, 4
     order by 1, 4`.execute(db)
  return rows.rows
}

/**
 * Children missing now (an episode with no found time) whom the user may see, longest missing
 * first, one row per episode; `limit + 1` rows so the caller knows there are more.
 */
export function missingNow(db: Db, user: CurrentUser, asOf: Date, limit: number) {
  return db
    .selectFrom('missing_episodes as m')
    .innerJoin('people as p', 'p.id', 'm.person_id')
    .select(['m.id', 'm.person_id', 'm.reported_missing_at', 'p.given_name', 'p.family_name', 'p.preferred_name'])
    .where('m.found_at', 'is', null)
    .where('m.voided_at', 'is', null)
    .where('m.reported_missing_at', '<=', asOf)
    .where('p.merged_into', 'is', null)
    .where(visibleTo(user, 'p'))
    .orderBy('m.reported_missing_at')
    .orderBy('m.id')
    .limit(limit + 1)
    .execute()
}

/**
 * Return home interviews not yet held or declined, for children found since `foundSince` on the
 * cases that come to this user, the earliest due first.
 */
export function interviewsAwaited(db: Db, user: CurrentUser, wholeTeam: boolean, foundSince: Date, limit: number) {
  return db
    .selectFrom('missing_episodes as m')
    .innerJoin('people as p', 'p.id', 'm.person_id')
    .select(['m.id', 'm.person_id', 'm.found_at', 'p.given_name', 'p.family_name', 'p.preferred_name'])
    .where('m.found_at', '>=', foundSince)
    .where('m.voided_at', 'is', null)
    .where('m.rhi_held_at', 'is', null)
    .where('m.rhi_declined', '=', false)
    .where('p.merged_into', 'is', null)
    .where(visibleTo(user, 'p'))
    .where(onCaseloadOf(user, wholeTeam))
    .orderBy('m.found_at')
    .orderBy('m.id')
    .limit(limit + 1)
    .execute()
}

/**
 * A review is due now on the person (`people as <alias>`): a serious episode, not voided, prompted
 * one after their rating was last set. Answered by submitting a screening, which sets the rating.
 */
export function reviewPrompted(personAlias = 'p'): RawBuilder<SqlBool> {
  return sql<SqlBool>`exists (select 1 from missing_episodes rp where rp.person_id = ${sql.ref(`${personAlias}.id`)} and rp.voided_at is null
    and rp.review_prompted_at is not null and rp.review_prompted_at > coalesce(${sql.ref(`${personAlias}.current_rag_at`)}, '-infinity'::timestamptz))`
}

/** The latest serious episode that prompts a review of this person now, if any (the caller checks need-to-know). */
export function reviewPromptFor(db: Db, personId: string) {
  return db
    .selectFrom('missing_episodes as m')
    .innerJoin('people as p', 'p.id', 'm.person_id')
    .select(['m.id', 'm.reported_missing_at', 'm.found_at', 'm.serious_reasons', 'm.review_prompted_at'])
    .where('m.person_id', '=', personId)
    .where('m.voided_at', 'is', null)
    .where('m.review_prompted_at', 'is not', null)
    .where(sql<SqlBool>`m.review_prompted_at > coalesce(p.current_rag_at, '-infinity'::timestamptz)`)
    .orderBy('m.review_prompted_at', 'desc')
    .limit(1)
    .executeTakeFirst()
}
