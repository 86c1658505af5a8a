import { sql, type Expression, type SqlBool } from 'kysely'
import type { Db } from '../../db/index.ts'
import type { CurrentUser } from '../../web/context.ts'

/**
 * Need-to-know as ONE SQL condition on a `people` row: the user's agency owns the person, or the
 * person is shared (and not revoked) with the user's agency or with the user. Every list, search,
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
    or ${id} in (select rs.record_id from record_shares rs where rs.agency_id = ${user.agencyId} and rs.record_type = 'person' and rs.revoked_at is null)
    or ${id} in (select rs.record_id from record_shares rs where rs.user_id = ${user.id} and rs.record_type = 'person' and rs.revoked_at is null))`
}

/** SQL for people and the records that hang off them. */
export function peopleStore(db: Db) {
  return {
    find: (id: string) => db.selectFrom('people').selectAll().where('id', '=', id).executeTakeFirst(),

    details: (id: string) =>
      db
        .selectFrom('people as p')
        .innerJoin('agencies as owner', 'owner.id', 'p.owner_agency_id')
        .leftJoin('teams as team', 'team.id', 'p.owner_team_id')
        .leftJoin('users as worker', 'worker.id', 'p.allocated_worker_id')
        .leftJoin('areas as home', 'home.id', 'p.home_area_id')
        .leftJoin('areas as current', 'current.id', 'p.current_area_id')
        .selectAll('p')
        .select([
          'owner.name as owner_agency_name',
          'team.name as owner_team_name',
          'worker.name as allocated_worker_name',
          'home.name as home_area_name',
          'current.name as current_area_name',
        ])
        .where('p.id', '=', id)
        .executeTakeFirst(),

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

    timeline: (id: string, includePoliceOnly: boolean) => {
      let q = db
        .selectFrom('person_events as e')
        .leftJoin('users as u', 'u.id', 'e.actor_id')
        .leftJoin('agencies as a', 'a.id', 'u.agency_id')
        .select(['e.id', 'e.at', 'e.kind', 'e.summary', 'e.ref_type', 'e.ref_id', 'e.police_only', 'u.name as actor_name', 'a.short_name as actor_agency'])
        .where('e.person_id', '=', id)
        .orderBy('e.at', 'desc')
      if (!includePoliceOnly) q = q.where('e.police_only', '=', false)
      return q.execute()
    },

    /** Case notes, newest first; police-only notes only when `includePoliceOnly`. */
    notes: (personId: string, includePoliceOnly: boolean, limit: number, offset: number) => {
      let q = db
        .selectFrom('person_notes as n')
        .innerJoin('users as u', 'u.id', 'n.author_id')
        .innerJoin('agencies as a', 'a.id', 'n.author_agency_id')
        .leftJoin('teams as t', 't.id', 'u.team_id')
        .select(['n.id', 'n.kind', 'n.occurred_on', 'n.body', 'n.sensitivity', 'n.created_at', 'u.name as author_name', 'a.name as author_agency', 't.name as author_team'])
        .where('n.person_id', '=', personId)
        .orderBy('n.occurred_on', 'desc')
        .orderBy('n.created_at', 'desc')
        .limit(limit)
        .offset(offset)
      if (!includePoliceOnly) q = q.where('n.sensitivity', '=', 'standard')
      return q.execute()
    },

    countNotes: async (personId: string, includePoliceOnly: boolean) => {
      let q = db.selectFrom('person_notes').select((eb) => eb.fn.countAll<number>().as('n')).where('person_id', '=', personId)
      if (!includePoliceOnly) q = q.where('sensitivity', '=', 'standard')
      return Number((await q.executeTakeFirstOrThrow()).n)
    },

    areas: () => db.selectFrom('areas').select(['id', 'name', 'kind']).orderBy('name').execute(),
    agencies: () => db.selectFrom('agencies').select(['id', 'name']).where('active', '=', true).orderBy('name').execute(),
  }
}

export type PeopleStore = ReturnType<typeof peopleStore>
