import { sql, type RawBuilder } from 'kysely'
import type { Db } from '../../db/index.ts'
import { containsPattern } from '../../db/like.ts'
import { personChoices } from '../people/index.ts'

export interface NetworkRow {
  id: string
  kind: string
  label: string
  phone_number: string | null
  line_name: string | null
  location_type: string | null
  address: string | null
  postcode: string | null
  registration: string | null
  vehicle_description: string | null
  owner_agency_id: string
  area_name: string | null
}

/**
 * The reads triage makes of the records reports link to. Row-level security still applies (a row
 * the user has no need to know about does not come back); the caller checks permissions per row.
 */
export function linksStore(db: Db) {
  const people = personChoices(db)
  const entity = sql`select e.id, e.kind, e.label, e.phone_number, e.line_name, e.location_type, e.address, e.postcode,
      e.registration, e.vehicle_description, e.owner_agency_id, a.name as area_name
    from network_entities e left join areas a on a.id = e.area_id`

  return {
    tableNames: async () =>
      (await sql<{ table_name: string }>`select table_name from information_schema.tables where table_schema = current_schema()`.execute(db)).rows.map((r) => r.table_name),

    searchPeople: people.search,
    peopleByIds: people.byIds,
    currentPerson: people.current,
    // Lantern never closes a person's record (a merged record lives on in the one it was merged
    // into), so a report linked to a person stays as long as the person's record does.
    // Whether the record exists, whoever may see it (retention is the partnership's rule, not the viewer's).
    personIsOpen: (entityId: RawBuilder<unknown>) => sql<boolean>`exists (select 1 from lantern_record_ref('person', ${entityId}::uuid))`,

    searchEntities: async (kind: string, q: string) => {
      const like = containsPattern(q.toLowerCase())
      const digits = q.replace(/\D/g, '')
      const { rows } = await sql<NetworkRow>`${entity}
        where e.kind = ${kind}
          and (lower(e.label) like ${like} or lower(coalesce(e.address, '')) like ${like} or lower(coalesce(e.postcode, '')) like ${like}
               or lower(coalesce(e.line_name, '')) like ${like} or lower(coalesce(e.registration, '')) like ${like}
               or (${digits.length >= 4} and regexp_replace(coalesce(e.phone_number, ''), '[^0-9]', '', 'g') like ${'%' + digits + '%'}))
        order by e.label limit 50`.execute(db)
      return rows
    },
    entitiesByIds: async (ids: string[]) => (await sql<NetworkRow>`${entity} where e.id in (${sql.join(ids)})`.execute(db)).rows,
    entityOfKind: async (id: string, kind: string) => (await sql<NetworkRow>`${entity} where e.id = ${id} and e.kind = ${kind}`.execute(db)).rows[0],
    // Network intelligence is live while it has an open link, or while an operation that has not
    // concluded targets it or records activity against it.
    entityIsOpen: (entityId: RawBuilder<unknown>) => sql<boolean>`(exists (select 1 from network_links nl where nl.status = 'open' and (nl.source_id = ${entityId} or nl.target_id = ${entityId}))
      or exists (select 1 from operation_targets ot join operations o on o.id = ot.operation_id where ot.entity_id = ${entityId} and o.status <> 'concluded')
      or exists (select 1 from operation_activities oa join operations o on o.id = oa.operation_id where oa.entity_id = ${entityId} and o.status <> 'concluded'))`,

    /**
     * True when the link `alias` (a row of public_report_links) is of one of `kinds` and that kind
     * says the record is open; false when no kind is given.
     */
    openLinkCondition: (alias: string, kinds: { type: string; isOpen: (entityId: RawBuilder<unknown>) => RawBuilder<boolean> }[]) => {
      const entityId = sql.ref(`${alias}.entity_id`)
      if (!kinds.length) return sql<boolean>`false`
      return sql<boolean>`(${sql.join(
        kinds.map((k) => sql`(${sql.ref(`${alias}.entity_type`)} = ${k.type} and ${k.isOpen(entityId)})`),
        sql` or `,
      )})`
    },
  }
}

export type LinksStore = ReturnType<typeof linksStore>
