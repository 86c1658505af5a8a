import { sql, type Expression, type SelectQueryBuilder, type SqlBool } from 'kysely'
import type { Db } from '../../db/index.ts'
import type { Database } from '../../db/schema.ts'
import type { PeopleTable } from '../people/index.ts'
import type { CurrentUser } from '../../kernel/context.ts'
import { onCaseloadOf, ratingAwaitsConfirmation, visibleTo } from '../people/index.ts'
import { MISSING_RECENT_DAYS, REVIEW_DUE_DAYS, type RegisterFilter } from './schemas.ts'
import { reviewPrompted } from '../missing/index.ts'
import { CAWN_EXPIRY_WARNING_DAYS, NRM_DECISION_WAIT_DAYS, registerFacts } from '../referrals/index.ts'

type PeopleQuery = SelectQueryBuilder<Database & { p: PeopleTable }, 'p', object>

import { addDays } from '../../kernel/elapsed.ts'

/** The moment "recently missing" starts, for a given day. */
export function missingSince(today: string): Date {
  return new Date(Date.parse(`${addDays(today, -MISSING_RECENT_DAYS)}T00:00:00Z`))
}

/** An episode with no found time: the child is missing now. Over `people as p`. */
const missingNow = sql<SqlBool>`exists (select 1 from missing_episodes m where m.person_id = p.id and m.found_at is null and m.voided_at is null)`

/** A return home interview neither held nor declined 72 hours after the child was found. */
const interviewOverdue = (asOf: Date) =>
  sql<SqlBool>`exists (select 1 from missing_episodes m where m.person_id = p.id and m.voided_at is null and m.found_at is not null and m.rhi_held_at is null and not m.rhi_declined and m.found_at < ${asOf}::timestamptz - interval '72 hours')`

/** LIKE pattern for a word typed by a user: % and _ are literal. */
const likeWord = (word: string) => `%${word.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`

/**
 * The register's conditions on people, on top of need-to-know (`visibleTo`): every filter of the
 * register page, the CSV export and the API. Merged records never appear.
 */
export function applyFilter(q: PeopleQuery, f: Omit<RegisterFilter, 'sort' | 'page' | 'pageSize'>, today: string, asOf: Date): PeopleQuery {
  q = q.where('p.merged_into', 'is', null)
  if (f.records === 'open') q = q.where('p.closed_at', 'is', null)
  if (f.records === 'closed') q = q.where('p.closed_at', 'is not', null)
  if (f.kind !== 'all') q = q.where('p.kind', '=', f.kind)
  if (f.rag.length) {
    const levels = f.rag.filter((r): r is 'red' | 'amber' | 'green' => r !== 'none')
    q = q.where((eb) => {
      const parts: Expression<SqlBool>[] = []
      if (levels.length) parts.push(eb('p.current_rag', 'in', levels))
      if (f.rag.includes('none')) parts.push(eb('p.current_rag', 'is', null))
      return eb.or(parts)
    })
  }
  if (f.area) q = q.where((eb) => eb.or([eb('p.current_area_id', '=', f.area), eb('p.home_area_id', '=', f.area)]))
  if (f.agency) q = q.where('p.owner_agency_id', '=', f.agency)
  if (f.team) q = q.where('p.owner_team_id', '=', f.team)
  if (f.worker) q = q.where('p.allocated_worker_id', '=', f.worker)
  if (f.review === 'overdue') q = q.where('p.next_review_due', '<', today)
  // A review a serious episode made due now is due, whatever date the last screening set.
  if (f.review === 'due') q = q.where((eb) => eb.or([eb.and([eb('p.next_review_due', '>=', today), eb('p.next_review_due', '<=', addDays(today, REVIEW_DUE_DAYS))]), reviewPrompted('p')]))
  if (f.review === 'due_or_overdue') q = q.where((eb) => eb.or([eb('p.next_review_due', '<=', addDays(today, REVIEW_DUE_DAYS)), reviewPrompted('p')]))
  if (f.outOfArea) q = q.where(sql<SqlBool>`p.current_area_id <> p.home_area_id`)
  if (f.missing) {
    const since = missingSince(today)
    q = q.where(({ exists, selectFrom }) =>
      exists(selectFrom('missing_episodes as m').select(sql`1`.as('one')).whereRef('m.person_id', '=', 'p.id').where('m.voided_at', 'is', null).where('m.reported_missing_at', '>=', since)),
    )
  }
  if (f.missingNow) q = q.where(missingNow)
  if (f.rhiOverdue) q = q.where(interviewOverdue(asOf))
  // The same facts as Home's lists of notices expiring and NRM decisions awaited.
  if (f.cawnExpiring) q = q.where(registerFacts.cawnExpiringBy(today, addDays(today, CAWN_EXPIRY_WARNING_DAYS)))
  if (f.nrmAwaited) q = q.where(registerFacts.nrmAwaitedSince(addDays(today, -NRM_DECISION_WAIT_DAYS)))
  if (f.q) {
    const text = f.q
    const words = text.split(/\s+/).filter(Boolean).slice(0, 5)
    const compact = text.replace(/\s/g, '')
    q = q.where((eb) =>
      eb.or([
        // Every word is part of a name or an alias...
        eb.and(
          words.map((w) =>
            eb.or([
              eb(sql`lower(p.given_name)`, 'like', likeWord(w)),
              eb(sql`lower(p.family_name)`, 'like', likeWord(w)),
              eb(sql`lower(coalesce(p.preferred_name, ''))`, 'like', likeWord(w)),
              eb.exists(eb.selectFrom('person_aliases as al').select(sql`1`.as('one')).whereRef('al.person_id', '=', 'p.id').where(sql`lower(al.name)`, 'like', likeWord(w))),
            ]),
          ),
        ),
        // ...or the whole search is an identifier (NHS number, case number, nominal).
        eb.exists(eb.selectFrom('person_identifiers as i').select(sql`1`.as('one')).whereRef('i.person_id', '=', 'p.id').where(sql`upper(replace(i.value, ' ', ''))`, '=', compact.toUpperCase())),
      ]),
    )
  }
  return q
}

const RAG_ORDER = sql<number>`case p.current_rag when 'red' then 0 when 'amber' then 1 when 'green' then 2 else 3 end`

/** SQL for the register, caseloads and the counts behind the dashboards. */
export function registerStore(db: Db) {
  const base = (user: CurrentUser) => db.selectFrom('people as p').where(visibleTo(user, 'p'))

  /**
   * The columns a list of people shows. Names of areas, agencies, teams and workers are scalar
   * subqueries rather than joins: PostgreSQL works them out for the rows of the page only, after
   * sorting and LIMIT, and plans the query much faster than a five-way join.
   */
  function rowsQuery(q: PeopleQuery, today: string, asOf: Date) {
    return q.select([
      'p.id',
      'p.kind',
      'p.given_name',
      'p.family_name',
      'p.preferred_name',
      'p.date_of_birth',
      'p.approximate_age',
      'p.gender',
      'p.current_rag',
      'p.current_rag_at',
      'p.next_review_due',
      'p.looked_after',
      'p.care_leaver',
      'p.send',
      'p.home_area_id',
      'p.current_area_id',
      'p.owner_agency_id',
      'p.owner_team_id',
      'p.allocated_worker_id',
      'p.closed_at',
      sql<string | null>`(select a.name from areas a where a.id = p.home_area_id)`.as('home_area_name'),
      sql<string | null>`(select a.name from areas a where a.id = p.current_area_id)`.as('current_area_name'),
      sql<string>`(select g.short_name from agencies g where g.id = p.owner_agency_id)`.as('owner_agency_name'),
      sql<string | null>`(select t.name from teams t where t.id = p.owner_team_id)`.as('team_name'),
      sql<string | null>`(select u.name from users u where u.id = p.allocated_worker_id)`.as('worker_name'),
      ratingAwaitsConfirmation.as('rag_awaiting_confirmation'),
      sql<number>`(select count(*) from missing_episodes m where m.person_id = p.id and m.voided_at is null and m.reported_missing_at >= ${missingSince(today)})`.as('missing_recent'),
      missingNow.as('missing_now'),
      interviewOverdue(asOf).as('rhi_overdue'),
      reviewPrompted('p').as('review_prompted'),
      registerFacts.cawnExpiresOn(today).as('cawn_expires_on'),
      registerFacts.nrmLatest.as('nrm_latest'),
      registerFacts.nrmAwaitedSince(addDays(today, -NRM_DECISION_WAIT_DAYS)).as('nrm_awaited'),
    ])
  }

  function sorted<Q extends PeopleQuery>(q: Q, sort: RegisterFilter['sort']): Q {
    const byName = (x: Q) => x.orderBy(sql`lower(p.family_name)`).orderBy(sql`lower(p.given_name)`).orderBy('p.id') as Q
    switch (sort) {
      case 'name':
        return byName(q)
      case 'review':
        return byName(q.orderBy(sql`p.next_review_due asc nulls last`) as Q)
      case 'assessed':
        return byName(q.orderBy(sql`p.current_rag_at desc nulls last`) as Q)
      default:
        return byName(q.orderBy(RAG_ORDER).orderBy(sql`p.next_review_due asc nulls last`) as Q)
    }
  }

  return {
    /** One page of the register for this user, and how many match by risk level. */
    async search(user: CurrentUser, filter: RegisterFilter, today: string, now: Date) {
      const where = applyFilter(base(user), filter, today, now)
      const byRag = where.select(['p.current_rag', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('p.current_rag')
      // The page and the counts by risk level in one statement, one round trip: the counts are an
      // uncorrelated subquery, which PostgreSQL works out once (an InitPlan) and repeats on each
      // row. The sort orders have indexes, so a large match stops after a page's worth of rows.
      const page = await sorted(rowsQuery(where, today, now), filter.sort)
        .select(sql<{ current_rag: 'red' | 'amber' | 'green' | null; n: number }[]>`(select coalesce(json_agg(c), '[]') from (${byRag}) c)`.as('rag_counts'))
        .limit(filter.pageSize)
        .offset((filter.page - 1) * filter.pageSize)
        .execute()
      // A page past the end has no row to carry the counts: ask for them alone.
      const ragCounts = page.length ? page[0].rag_counts : await byRag.execute()
      const counts = { red: 0, amber: 0, green: 0, notRated: 0 }
      for (const r of ragCounts) counts[r.current_rag ?? 'notRated'] = Number(r.n)
      const rows = page.map(({ rag_counts: _counts, ...row }) => row)
      return { rows, total: counts.red + counts.amber + counts.green + counts.notRated, counts }
    },

    /** Every matching row, in pages, for an export. */
    async *all(user: CurrentUser, filter: RegisterFilter, today: string, now: Date, batch = 1000) {
      const where = applyFilter(base(user), filter, today, now)
      for (let offset = 0; ; offset += batch) {
        const rows = await sorted(rowsQuery(where, today, now), filter.sort).limit(batch).offset(offset).execute()
        yield rows
        if (rows.length < batch) return
      }
    },

    count: async (user: CurrentUser, filter: RegisterFilter, today: string, now: Date) =>
      Number((await applyFilter(base(user), filter, today, now).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n),

    /** The open records allocated to this worker that the user may see (at most `limit`). */
    caseload(user: CurrentUser, workerId: string, today: string, now: Date, limit = 500) {
      const q = base(user).where('p.merged_into', 'is', null).where('p.closed_at', 'is', null).where('p.allocated_worker_id', '=', workerId)
      return sorted(rowsQuery(q, today, now), 'review').limit(limit).execute()
    },

    /**
     * A team's cases (held by the team, or allocated to one of its members) that the user may see:
     * counts per worker, and the reviews due within `REVIEW_DUE_DAYS` or overdue, soonest first.
     */
    async team(user: CurrentUser, teamId: string, today: string, now: Date, limit = 200) {
      const dueBy = addDays(today, REVIEW_DUE_DAYS)
      const since = missingSince(today)
      const scope = base(user)
        .where('p.merged_into', 'is', null)
        .where('p.closed_at', 'is', null)
        // The team's workers as an array, not a subquery, so that both halves of the "or" can use an index.
        .where(sql<SqlBool>`(p.owner_team_id = ${teamId} or p.allocated_worker_id = any(array(select u.id from users u where u.team_id = ${teamId})))`)
      const [workers, reviews] = await Promise.all([
        scope
          .leftJoin('users as w', 'w.id', 'p.allocated_worker_id')
          .select([
            'p.allocated_worker_id as worker_id',
            'w.name as worker_name',
            sql<number>`count(*)`.as('total'),
            sql<number>`count(*) filter (where p.current_rag = 'red')`.as('red'),
            sql<number>`count(*) filter (where p.current_rag = 'amber')`.as('amber'),
            sql<number>`count(*) filter (where p.current_rag = 'green')`.as('green'),
            sql<number>`count(*) filter (where p.current_rag is null)`.as('not_rated'),
            sql<number>`count(*) filter (where p.next_review_due < ${today})`.as('overdue'),
            // A serious episode makes a review due now, as on Home, unless it was overdue already.
            sql<number>`count(*) filter (where (p.next_review_due >= ${today} and p.next_review_due <= ${dueBy}) or (${reviewPrompted('p')} and not coalesce(p.next_review_due < ${today}, false)))`.as('due'),
            sql<number>`count(*) filter (where exists (select 1 from missing_episodes m where m.person_id = p.id and m.voided_at is null and m.reported_missing_at >= ${since}))`.as('missing'),
          ])
          .groupBy(['p.allocated_worker_id', 'w.name'])
          .execute(),
        sorted(rowsQuery(scope.where((eb) => eb.or([eb('p.next_review_due', '<=', dueBy), reviewPrompted('p')])), today, now), 'review').limit(limit).execute(),
      ])
      return { workers, reviews }
    },

    /**
     * Reviews due by `dueBy` or overdue on the cases that come to this user (`onCaseloadOf`), and
     * reviews a serious episode has made due now (`reviewPrompted`), soonest first, with one more
     * row than `limit` so the caller knows there are more.
     */
    reviewsDue: (user: CurrentUser, wholeTeam: boolean, today: string, dueBy: string, limit: number) =>
      base(user)
        .where('p.merged_into', 'is', null)
        .where(onCaseloadOf(user, wholeTeam))
        .where((eb) => eb.or([eb('p.next_review_due', '<=', dueBy), reviewPrompted('p')]))
        .select(['p.id', 'p.given_name', 'p.family_name', 'p.preferred_name', 'p.next_review_due', 'p.current_rag', 'p.current_rag_at', reviewPrompted('p').as('review_prompted')])
        .orderBy(sql`case when ${reviewPrompted('p')} then least(p.next_review_due, ${today}::date) else p.next_review_due end`)
        .orderBy('p.id')
        .limit(limit + 1)
        .execute(),

    /** Counts of people by risk level and area, for everyone in the partnership (no need-to-know: no names). */
    async countsByArea(kind: 'child' | 'adult' | 'all', by: 'current' | 'home') {
      const column = by === 'current' ? 'p.current_area_id' : 'p.home_area_id'
      let q = db
        .selectFrom('people as p')
        .leftJoin('areas as a', 'a.id', column)
        .select(['a.id as area_id', 'a.name as area_name', 'a.code as area_code', 'p.current_rag', (eb) => eb.fn.countAll<number>().as('n')])
        .where('p.merged_into', 'is', null)
        .groupBy(['a.id', 'a.name', 'a.code', 'p.current_rag'])
      if (kind !== 'all') q = q.where('p.kind', '=', kind)
      return q.execute()
    },

    /** Missing episodes reported since `since`, by the area the child lives in. */
    missingByArea: (since: Date) =>
      db
        .selectFrom('missing_episodes as m')
        .innerJoin('people as p', 'p.id', 'm.person_id')
        .leftJoin('areas as a', 'a.id', 'p.current_area_id')
        .select(['a.id as area_id', 'a.name as area_name', (eb) => eb.fn.countAll<number>().as('episodes'), sql<number>`count(distinct m.person_id)`.as('children')])
        .where('m.reported_missing_at', '>=', since)
        .where('m.voided_at', 'is', null)
        .where('p.merged_into', 'is', null)
        .groupBy(['a.id', 'a.name'])
        .execute(),

    /** Everything the register's filter offers, in one round trip. */
    async options() {
      const { rows } = await sql<{ areas: { id: string; name: string }[]; agencies: { id: string; name: string }[]; teams: { id: string; name: string; agency: string }[]; workers: { id: string; name: string; agency: string }[] }>`
        select
          (select coalesce(json_agg(json_build_object('id', id, 'name', name) order by name), '[]') from areas where kind <> 'county' and kind <> 'force') as areas,
          (select coalesce(json_agg(json_build_object('id', id, 'name', name) order by name), '[]') from agencies where active) as agencies,
          (select coalesce(json_agg(json_build_object('id', t.id, 'name', t.name, 'agency', a.short_name) order by a.short_name, t.name), '[]')
             from teams t join agencies a on a.id = t.agency_id where t.active) as teams,
          (select coalesce(json_agg(json_build_object('id', u.id, 'name', u.name, 'agency', a.short_name) order by u.name), '[]')
             from users u join agencies a on a.id = u.agency_id join roles r on r.id = u.role where u.active and r.sees_personal_data) as workers
      `.execute(db)
      return rows[0]
    },
  }
}

export type RegisterStore = ReturnType<typeof registerStore>
