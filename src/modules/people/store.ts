import { sql, type Expression, type SqlBool } from 'kysely'
import type { Db } from '../../db/index.ts'
import type { CurrentUser } from '../../kernel/context.ts'
import type { NoteFilter } from './schemas.ts'

/**
 * Need-to-know as ONE SQL condition on a `people` row: the user's agency owns the person, or the
 * person has a live share (not revoked, not expired) with the user's agency or with the user. Every list, search,
 * export and API query over people uses it, so a list can never show more than `decide()` in
 * src/access/policy.ts would allow for each record. Break glass opens one record at a time and is
 * deliberately not part of any list. It checks need-to-know only: the caller still checks the
 * role's permission (access.authorise) first.
 *
 *   db.selectFrom('people as p').where(visibleTo(user, 'p'))
 *
 * Written as `id in (…)`, one set for the agency and one for the user, rather than EXISTS: PostgreSQL
 * reads each set once per query from its own partial index (migration 0112) and hashes it, instead
 * of probing record_shares for every person.
 */
export function visibleTo(user: Pick<CurrentUser, 'id' | 'agencyId'>, alias = 'people'): Expression<SqlBool> {
  const id = sql.ref(`${alias}.id`)
  return sql<SqlBool>`(${sql.ref(`${alias}.owner_agency_id`)} = ${user.agencyId}
    or ${id} in (select rs.record_id from live_record_shares rs where rs.agency_id = ${user.agencyId} and rs.record_type = 'person')
    or ${id} in (select rs.record_id from live_record_shares rs where rs.user_id = ${user.id} and rs.record_type = 'person'))`
}

/**
 * The cases whose work comes to this user, over a `people` row (`p` unless named): the ones allocated to them and
 * the ones their team holds with nobody allocated; with `wholeTeam` (a manager), every case the
 * team holds or a team member is allocated (as the team view counts them). Open records only. Need-to-know still
 * applies: this only narrows what the user may already see.
 */
export function onCaseloadOf(user: Pick<CurrentUser, 'id' | 'teamId'>, wholeTeam: boolean, alias = 'p'): Expression<SqlBool> {
  const worker = sql.ref(`${alias}.allocated_worker_id`)
  const team = sql.ref(`${alias}.owner_team_id`)
  // A closed record is on nobody's caseload: its work has ended (closure.ts).
  const open = sql<SqlBool>`${sql.ref(`${alias}.closed_at`)} is null`
  if (!user.teamId) return sql<SqlBool>`(${open} and ${worker} = ${user.id})`
  if (wholeTeam) return sql<SqlBool>`(${open} and (${team} = ${user.teamId} or ${worker} in (select u.id from users u where u.team_id = ${user.teamId})))`
  return sql<SqlBool>`(${open} and (${worker} = ${user.id} or (${team} = ${user.teamId} and ${worker} is null)))`
}

/** The lists the person page shows beside the record (`peopleStore.related`). */
export interface PersonRelated {
  aliases: { id: string; name: string; kind: string }[]
  identifiers: { id: string; scheme: string; value: string; agency_name: string | null }[]
  addresses: { id: string; address: string; postcode: string | null; kind: string; from_date: string | null; to_date: string | null; area_name: string | null }[]
  shares: { id: string; granted_at: string; agency_name: string | null; user_name: string | null }[]
}

/** SQL for people and the records that hang off them. */
/**
 * Whether the person's current rating is a practitioner's Red still waiting for a manager
 * (issue 3: they are treated as Red meanwhile, and every view of the rating says it is unconfirmed).
 * For a query over `people as p`.
 */
export const ratingAwaitsConfirmation = sql<boolean>`exists (select 1 from risk_assessments ra where ra.person_id = p.id and ra.status = 'awaiting_confirmation')`

/** Who reads a note: police-only notes need a police agency, C-coded ones the author's or a listed agency. */
export type NoteReader = { policeOnly: boolean; agencyId: string }

export const NO_NOTE_FILTER: NoteFilter = { source: [], assessment: [] }

/**
 * The notes a reader may read, as the row-level security of migration 0821 says (kept here too for
 * the owner's connections, which no policy restricts, and for plan quality), and the list's filter.
 */
export function noteReadableBy(reader: NoteReader, filter: NoteFilter, alias: string): Expression<SqlBool> {
  const col = (c: string) => sql.ref(`${alias}.${c}`)
  const conditions = [
    sql<SqlBool>`(${col('grade_handling')} is distinct from 'C' or ${col('author_agency_id')} = ${reader.agencyId} or ${reader.agencyId}::uuid = any(${col('handling_agency_ids')}))`,
  ]
  if (!reader.policeOnly) conditions.push(sql<SqlBool>`${col('sensitivity')} = 'standard'`)
  if (filter.kind) conditions.push(sql<SqlBool>`${col('kind')} = ${filter.kind}`)
  if (filter.source.length) conditions.push(sql<SqlBool>`${col('grade_source')} in (${sql.join(filter.source)})`)
  if (filter.assessment.length) conditions.push(sql<SqlBool>`${col('grade_assessment')} in (${sql.join(filter.assessment)})`)
  if (filter.handling) conditions.push(sql<SqlBool>`${col('grade_handling')} = ${filter.handling}`)
  return sql<SqlBool>`(${sql.join(conditions, sql` and `)})`
}

export function peopleStore(db: Db) {
  return {
    find: (id: string) => db.selectFrom('people').selectAll().where('id', '=', id).executeTakeFirst(),

    /**
     * The record with the names of its agency, team, worker and areas. The names are scalar
     * subqueries rather than five joins: the same answer, planned in a fifth of the time, and this
     * is read for every page about a person.
     */
    details: (id: string) =>
      db
        .selectFrom('people as p')
        .selectAll('p')
        .select([
          sql<string>`(select a.name from agencies a where a.id = p.owner_agency_id)`.as('owner_agency_name'),
          sql<string | null>`(select t.name from teams t where t.id = p.owner_team_id)`.as('owner_team_name'),
          sql<string | null>`(select u.name from users u where u.id = p.allocated_worker_id)`.as('allocated_worker_name'),
          sql<string | null>`(select a.name from areas a where a.id = p.home_area_id)`.as('home_area_name'),
          sql<string | null>`(select a.name from areas a where a.id = p.current_area_id)`.as('current_area_name'),
          ratingAwaitsConfirmation.as('rag_awaiting_confirmation'),
          // Missing now: the identity bar says so on every page of the record.
          sql<Date | null>`(select min(m.reported_missing_at) from missing_episodes m where m.person_id = p.id and m.found_at is null and m.voided_at is null)`.as('missing_since'),
        ])
        .where('p.id', '=', id)
        .executeTakeFirst(),

    /**
     * What the person page shows beside the record, in one statement: aliases, identifiers,
     * addresses and the agencies or people it is shared with, in the same order as the separate
     * reads below. Timestamps inside JSON arrive as ISO strings.
     */
    async related(id: string): Promise<PersonRelated> {
      const { rows } = await sql<PersonRelated>`
        select
          coalesce((select json_agg(json_build_object('id', al.id, 'name', al.name, 'kind', al.kind) order by al.created_at)
                      from person_aliases al where al.person_id = ${id}), '[]') as aliases,
          coalesce((select json_agg(json_build_object('id', i.id, 'scheme', i.scheme, 'value', i.value, 'agency_name', a.short_name) order by i.scheme)
                      from person_identifiers i left join agencies a on a.id = i.agency_id where i.person_id = ${id}), '[]') as identifiers,
          coalesce((select json_agg(json_build_object('id', ad.id, 'address', ad.address, 'postcode', ad.postcode, 'kind', ad.kind,
                                                      'from_date', ad.from_date, 'to_date', ad.to_date, 'area_name', ar.name)
                                    order by coalesce(ad.to_date, '9999-12-31') desc)
                      from person_addresses ad left join areas ar on ar.id = ad.area_id where ad.person_id = ${id}), '[]') as addresses,
          coalesce((select json_agg(json_build_object('id', s.id, 'granted_at', s.granted_at, 'agency_name', a.name, 'user_name', u.name) order by s.granted_at)
                      from live_record_shares s left join agencies a on a.id = s.agency_id left join users u on u.id = s.user_id
                     where s.record_type = 'person' and s.record_id = ${id}), '[]') as shares`.execute(db)
      return rows[0]
    },

    aliases: (id: string) => db.selectFrom('person_aliases').select(['id', 'name', 'kind']).where('person_id', '=', id).orderBy('created_at').execute(),

    identifiers: (id: string) =>
      db
        .selectFrom('person_identifiers as i')
        .leftJoin('agencies as a', 'a.id', 'i.agency_id')
        .select(['i.id', 'i.scheme', 'i.value', 'a.short_name as agency_name'])
        .where('i.person_id', '=', id)
        .orderBy('i.scheme')
        .execute(),

    addresses: (id: string) =>
      db
        .selectFrom('person_addresses as ad')
        .leftJoin('areas as ar', 'ar.id', 'ad.area_id')
        .select(['ad.id', 'ad.address', 'ad.postcode', 'ad.kind', 'ad.from_date', 'ad.to_date', 'ar.name as area_name'])
        .where('ad.person_id', '=', id)
        .orderBy(sql`coalesce(ad.to_date, '9999-12-31')`, 'desc')
        .execute(),

    shares: (id: string) =>
      db
        .selectFrom('record_shares as s')
        .leftJoin('agencies as a', 'a.id', 's.agency_id')
        .leftJoin('users as u', 'u.id', 's.user_id')
        .select(['s.id', 's.granted_at', 'a.name as agency_name', 'u.name as user_name'])
        .where('s.record_type', '=', 'person')
        .where('s.record_id', '=', id)
        .where('s.revoked_at', 'is', null)
        .orderBy('s.granted_at')
        .execute(),

    /** A person's events newest first; a note's event only where its note may be read. */
    timeline: (id: string, reader: NoteReader) => {
      let q = db
        .selectFrom('person_events as e')
        .leftJoin('users as u', 'u.id', 'e.actor_id')
        .leftJoin('agencies as a', 'a.id', 'u.agency_id')
        .select(['e.id', 'e.at', 'e.kind', 'e.summary', 'e.ref_type', 'e.ref_id', 'e.police_only', 'u.name as actor_name', 'a.short_name as actor_agency'])
        .where('e.person_id', '=', id)
        .where((eb) =>
          eb.or([
            eb('e.ref_type', 'is distinct from', 'person_note'),
            eb.exists(eb.selectFrom('person_notes as tn').select('tn.id').whereRef('tn.id', '=', 'e.ref_id').where(noteReadableBy(reader, NO_NOTE_FILTER, 'tn'))),
          ]),
        )
        .orderBy('e.at', 'desc')
      if (!reader.policeOnly) q = q.where('e.police_only', '=', false)
      return q.execute()
    },

    /** Case notes the reader may read (`noteReadableBy`), newest first, narrowed by `filter`. */
    notes: (personId: string, reader: NoteReader, filter: NoteFilter, limit: number, offset: number) =>
      db
        .selectFrom('person_notes as n')
        .innerJoin('users as u', 'u.id', 'n.author_id')
        .innerJoin('agencies as a', 'a.id', 'n.author_agency_id')
        .leftJoin('teams as t', 't.id', 'u.team_id')
        .select(['n.id', 'n.kind', 'n.occurred_on', 'n.body', 'n.sensitivity', 'n.created_at', 'u.name as author_name', 'a.name as author_agency', 't.name as author_team'])
        .select(['n.grade_source', 'n.grade_assessment', 'n.grade_handling', 'n.handling_conditions'])
        .select(sql<string[]>`array(select ha.name from agencies ha where ha.id = any(n.handling_agency_ids) order by ha.name)`.as('handling_agencies'))
        .where('n.person_id', '=', personId)
        .where(noteReadableBy(reader, filter, 'n'))
        .orderBy('n.occurred_on', 'desc')
        .orderBy('n.created_at', 'desc')
        .limit(limit)
        .offset(offset)
        .execute(),

    countNotes: async (personId: string, reader: NoteReader, filter: NoteFilter) => {
      const row = await db
        .selectFrom('person_notes as n')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('n.person_id', '=', personId)
        .where(noteReadableBy(reader, filter, 'n'))
        .executeTakeFirstOrThrow()
      return Number(row.n)
    },

    areas: () => db.selectFrom('areas').select(['id', 'name', 'kind']).orderBy('name').execute(),
    agencies: () => db.selectFrom('agencies').select(['id', 'name']).where('active', '=', true).orderBy('name').execute(),
  }
}

export type PeopleStore = ReturnType<typeof peopleStore>
