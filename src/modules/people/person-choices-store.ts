import { sql } from 'kysely'
import type { Db } from '../../db/index.ts'
import { containsPattern } from '../../db/like.ts'

/** A person as another capability offers them for choosing (public triage links reports to them). */
export interface PersonChoiceRow {
  id: string
  kind: string
  given_name: string
  family_name: string
  preferred_name: string | null
  date_of_birth: string | null
  approximate_age: number | null
  owner_agency_id: string
  area_name: string | null
}

/**
 * People found by name or alias, or by id, for another capability to offer. Row-level security
 * still applies in a request (a person the user has no need to know about does not come back);
 * the caller checks person:view per row as well.
 */
export function personChoices(db: Db) {
  const person = sql`select p.id, p.kind, p.given_name, p.family_name, p.preferred_name, p.date_of_birth::text as date_of_birth,
      p.approximate_age, p.owner_agency_id, a.name as area_name
    from people p left join areas a on a.id = p.current_area_id`
  return {
    search: async (q: string) => {
      const like = containsPattern(q.toLowerCase())
      const { rows } = await sql<PersonChoiceRow>`${person}
        where p.merged_into is null
          and (lower(p.given_name || ' ' || p.family_name) like ${like}
               or lower(coalesce(p.preferred_name, '')) like ${like}
               or exists (select 1 from person_aliases pa where pa.person_id = p.id and lower(pa.name) like ${like}))
        order by p.family_name, p.given_name limit 50`.execute(db)
      return rows
    },
    byIds: async (ids: string[]) => (await sql<PersonChoiceRow>`${person} where p.id in (${sql.join(ids)})`.execute(db)).rows,
    /** A person not merged into another. */
    current: async (id: string) => (await sql<PersonChoiceRow>`${person} where p.id = ${id} and p.merged_into is null`.execute(db)).rows[0],
  }
}
