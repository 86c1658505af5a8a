import { sql, type Expression, type SqlBool } from 'kysely'
import { operationLead, takesPart } from '../../access/operations-store.ts'
import type { Db } from '../../db/index.ts'
import type { CurrentUser } from '../../kernel/context.ts'
import type { EntityKind, LinkStatus, NetworkEntitiesTable, NetworkLinksTable } from './tables.ts'
import type { Insertable } from 'kysely'
import { containsPattern } from '../../db/like.ts'

type Viewer = Pick<CurrentUser, 'id' | 'agencyId'>

/**
 * A link is visible when both its ends are and, if it is handled under code C, the viewer's agency
 * is the source agency or one of the agencies recorded as meeting the condition. Every page, map,
 * export, analysis and count goes through this (or `linkInScope` and `entityVisibleRow` together),
 * so a C link never leaks by a number. Both ends are checked row by row: the set of every entity
 * the viewer may see is hundreds of thousands of rows at national scale, too many to build for the
 * few links a page shows.
 */
export function linkVisibleTo(user: Viewer, alias = 'l'): Expression<SqlBool> {
  const l = (c: string) => sql.ref(`${alias}.${c}`)
  return sql<SqlBool>`(${linkCleared(user, alias)}
    and exists (select 1 from network_entities ve where ve.id = ${l('source_id')} and ${entityVisibleRow(user, 've')} offset 0)
    and exists (select 1 from network_entities ve where ve.id = ${l('target_id')} and ${entityVisibleRow(user, 've')} offset 0))`
}

/**
 * A link cleared for the viewer's agency under its handling code (P, or C and cleared). `offset 0`
 * keeps PostgreSQL from turning the EXISTS into a hash of every link the agency is cleared for,
 * built on every request: at national scale tens of thousands of rows read to answer for the few
 * C links a page meets, where an index probe for each of those is all it needs.
 */
export function linkCleared(user: Viewer, alias = 'l'): Expression<SqlBool> {
  const l = (c: string) => sql.ref(`${alias}.${c}`)
  return sql<SqlBool>`(${l('grade_handling')} = 'P' or ${l('source_agency_id')} = ${user.agencyId}
      or exists (select 1 from network_link_agencies nla where nla.link_id = ${l('id')} and nla.agency_id = ${user.agencyId} offset 0))`
}

/**
 * Need-to-know for a network entity, as one SQL condition. A person entity follows the register's
 * rule for its `people` row (owner agency, or shared with the agency or the user); any other entity
 * is visible to its owning agency and to agencies and users it is shared with (record_shares,
 * record_type 'network_entity').
 *
 * Written to be checked row by row: a probe of the person's row and of the share indexes for each
 * entity asked about. A set form (`person_id in (every person the agency owns or is shared)`) reads
 * and hashes those sets in full on every request, and at national scale, where they outgrow the
 * memory for a hash, PostgreSQL falls back to scanning the set once per entity: minutes for a list.
 */
export function entityVisibleRow(user: Viewer, alias = 'e'): Expression<SqlBool> {
  const e = (c: string) => sql.ref(`${alias}.${c}`)
  const shared = (type: string, id: Expression<unknown>) =>
    sql<SqlBool>`exists (select 1 from live_record_shares rs where rs.record_type = ${type} and rs.record_id = ${id}
      and (rs.agency_id = ${user.agencyId} or rs.user_id = ${user.id}) offset 0)`
  // `offset 0`: probe per entity, never a hash of everything shared with the agency (see linkCleared).
  return sql<SqlBool>`(case when ${e('person_id')} is null then (${e('owner_agency_id')} = ${user.agencyId} or ${shared('network_entity', e('id'))})
    else exists (select 1 from people vp where vp.id = ${e('person_id')} and (vp.owner_agency_id = ${user.agencyId} or ${shared('person', sql.ref('vp.id'))}) offset 0)
    end)`
}

/** Which links a scope takes in: statuses, grades, dates. Handling and need-to-know come on top. */
export interface LinkFilter {
  statuses: readonly LinkStatus[]
  assessments: readonly NetworkLinksTable['grade_assessment'][]
  sources: readonly NetworkLinksTable['grade_source'][]
  /** ISO date: links that had not ended before it (last seen, or closed, on or after it; or not known to have ended). */
  from?: string
  /** ISO date: links first seen on or before it (or since before records). */
  to?: string
}

/**
 * The last day a link held (`linkEnded` in service.ts says the same in TypeScript): its last-seen
 * date, or for a link closed without one, the day in London it was closed. Null: not known to
 * have ended.
 */
function linkEnded(alias: string) {
  const l = (c: string) => sql.ref(`${alias}.${c}`)
  return sql`coalesce(${l('last_seen')}, case when ${l('status')} = 'closed' then (${l('status_changed_at')} at time zone 'Europe/London')::date end)`
}

/**
 * A link in the scope and cleared for the viewer's agency under its handling code. Both ends'
 * need-to-know is checked separately (on the entities reached), so this reads only the link's row
 * and, for a C-handled link from another agency, its condition agencies.
 */
export function linkInScope(user: Viewer, filter: LinkFilter, alias = 'l'): Expression<SqlBool> {
  const l = (c: string) => sql.ref(`${alias}.${c}`)
  const list = (values: readonly (string | number)[]) => sql.join([...values])
  return sql<SqlBool>`(${l('status')} in (${list(filter.statuses)})
    and ${l('grade_assessment')} in (${list(filter.assessments)})
    and ${l('grade_source')} in (${list(filter.sources)})
    ${filter.to ? sql`and (${l('first_seen')} is null or ${l('first_seen')} <= ${filter.to}::date)` : sql``}
    ${filter.from ? sql`and (${linkEnded(alias)} is null or ${linkEnded(alias)} >= ${filter.from}::date)` : sql``}
    and ${linkCleared(user, alias)})`
}

/** The label an entity shows: a person's name from the register, otherwise its own label. */
const LABEL = sql<string>`case when p.id is null then e.label
  else p.given_name || case when p.preferred_name is not null then ' (' || p.preferred_name || ')' else '' end || ' ' || p.family_name end`

export interface EntityRow {
  id: string
  kind: EntityKind
  person_id: string | null
  person_kind: 'child' | 'adult' | null
  label: string
  area_code: string | null
  area_name: string | null
  /** Whether the entity's local authority is in the partnership. */
  area_in_partnership: boolean | null
  rag: 'red' | 'amber' | 'green' | null
  owner_agency_id: string
  owner_agency_name: string
  location_type: string | null
  phone_number: string | null
  line_name: string | null
  address: string | null
  postcode: string | null
  registration: string | null
  vehicle_description: string | null
  group_type: string | null
  description: string | null
  area_id: string | null
  version: number
  created_at: Date
}

export interface LinkRow {
  id: string
  source_id: string
  target_id: string
  type: NetworkLinksTable['type']
  directed: boolean
  first_seen: string | null
  last_seen: string | null
  source_agency_id: string
  source_agency_name: string
  basis: string
  grade_source: 1 | 2 | 3
  grade_assessment: 'A' | 'B' | 'C' | 'D' | 'E'
  grade_handling: 'P' | 'C'
  handling_conditions: string | null
  status: LinkStatus
  status_reason: string | null
  status_changed_at: Date | null
  created_at: Date
}

function entitySelect(db: Db) {
  return db
    .selectFrom('network_entities as e')
    .leftJoin('people as p', 'p.id', 'e.person_id')
    .leftJoin('areas as ar', (j) => j.on(sql<SqlBool>`ar.id = coalesce(e.area_id, p.current_area_id)`))
    .innerJoin('agencies as ag', (j) => j.on(sql<SqlBool>`ag.id = coalesce(p.owner_agency_id, e.owner_agency_id)`))
    .select([
      'e.id',
      'e.kind',
      'e.person_id',
      'p.kind as person_kind',
      LABEL.as('label'),
      'ar.code as area_code',
      'ar.name as area_name',
      'ar.in_partnership as area_in_partnership',
      'p.current_rag as rag',
      sql<string>`coalesce(p.owner_agency_id, e.owner_agency_id)`.as('owner_agency_id'),
      'ag.name as owner_agency_name',
      'e.location_type',
      'e.phone_number',
      'e.line_name',
      'e.address',
      'e.postcode',
      'e.registration',
      'e.vehicle_description',
      'e.group_type',
      'e.description',
      'e.area_id',
      'e.version',
      'e.created_at',
    ])
}

function linkSelect(db: Db) {
  return db
    .selectFrom('network_links as l')
    .innerJoin('agencies as sa', 'sa.id', 'l.source_agency_id')
    .select([
      'l.id',
      'l.source_id',
      'l.target_id',
      'l.type',
      'l.directed',
      sql<string | null>`l.first_seen::text`.as('first_seen'),
      sql<string | null>`l.last_seen::text`.as('last_seen'),
      'l.source_agency_id',
      'sa.name as source_agency_name',
      'l.basis',
      'l.grade_source',
      'l.grade_assessment',
      'l.grade_handling',
      'l.handling_conditions',
      'l.status',
      'l.status_reason',
      'l.status_changed_at',
      'l.created_at',
    ])
}

/** SQL for entities and links, and nothing else. */
export function networkStore(db: Db) {
  return {
    entity: (id: string) => entitySelect(db).where('e.id', '=', id).executeTakeFirst() as Promise<EntityRow | undefined>,

    entityForPerson: (personId: string) => db.selectFrom('network_entities').select(['id']).where('person_id', '=', personId).executeTakeFirst(),

    /** Every entity the viewer may see, optionally of some kinds. */
    visibleEntities: (user: Viewer, kinds?: EntityKind[]) => {
      let q = entitySelect(db).where(entityVisibleRow(user, 'e'))
      if (kinds?.length) q = q.where('e.kind', 'in', kinds)
      return q.orderBy('e.kind').orderBy(LABEL).execute() as Promise<EntityRow[]>
    },

    /**
     * A page of the entities the viewer may see, by kind then name, optionally of some kinds and
     * with a name containing `search`; and how many match, counted up to `countLimit` (past that the
     * list says "more than", as counting a national picture on every page would cost seconds).
     */
    entityPage: async (user: Viewer, options: { kinds?: EntityKind[]; search?: string | null; offset: number; limit: number; countLimit: number }) => {
      let q = entitySelect(db).where(entityVisibleRow(user, 'e'))
      if (options.kinds?.length) q = q.where('e.kind', 'in', options.kinds)
      if (options.search) q = q.where(sql<SqlBool>`${LABEL} ilike ${containsPattern(options.search)}`)
      const [rows, counted] = await Promise.all([
        q.orderBy('e.kind').orderBy(LABEL).orderBy('e.id').offset(options.offset).limit(options.limit).execute() as Promise<EntityRow[]>,
        db
          .selectFrom(q.clearSelect().select(sql<number>`1`.as('one')).limit(options.countLimit + 1).as('matches'))
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow(),
      ])
      const n = Number(counted.n)
      return { rows, total: Math.min(n, options.countLimit), more: n > options.countLimit }
    },

    /** Every link the viewer may see (all statuses: the caller scopes). */
    visibleLinks: (user: Viewer) => linkSelect(db).where(linkVisibleTo(user, 'l')).orderBy('l.created_at').execute() as Promise<LinkRow[]>,

    /** The links of one entity the viewer may see, most recently seen first, at most `limit`. */
    linksOf: (user: Viewer, entityId: string, limit: number) =>
      linkSelect(db)
        .where((eb) => eb.or([eb('l.source_id', '=', entityId), eb('l.target_id', '=', entityId)]))
        .where(linkVisibleTo(user, 'l'))
        .orderBy(sql`coalesce(l.last_seen, l.first_seen)`, (ob) => ob.desc().nullsLast())
        .orderBy('l.created_at', 'desc')
        .limit(limit)
        .execute() as Promise<LinkRow[]>,

    /** Entities by id (the caller has established that the viewer may see them). */
    entitiesByIds: (ids: readonly string[]) =>
      ids.length ? (entitySelect(db).where(sql<SqlBool>`e.id = any(${ids}::uuid[])`).execute() as Promise<EntityRow[]>) : Promise.resolve([] as EntityRow[]),

    /** Of these entities, the ones the viewer may see. */
    visibleIds: async (user: Viewer, ids: readonly string[]) =>
      ids.length ? (await db.selectFrom('network_entities as e').select('e.id').where(sql<SqlBool>`e.id = any(${ids}::uuid[])`).where(entityVisibleRow(user, 'e')).execute()).map((r) => r.id) : [],

    /** Of these entities, the ones the viewer may see, in full. */
    visibleEntitiesByIds: (user: Viewer, ids: readonly string[]) =>
      ids.length ? (entitySelect(db).where(sql<SqlBool>`e.id = any(${ids}::uuid[])`).where(entityVisibleRow(user, 'e')).execute() as Promise<EntityRow[]>) : Promise.resolve([] as EntityRow[]),

    /**
     * One breadth-first step of a network's traversal, in the database: the entities the viewer may
     * see that are linked to the frontier by an in-scope link the viewer may see, and are not yet
     * reached. At most `limit` are returned, so a step through a hub with thousands of links stops
     * as soon as it is known to be too large (the caller asks for one more than it can show).
     */
    step: async (user: Viewer, frontier: readonly string[], reached: readonly string[], filter: LinkFilter, limit: number) => {
      const { rows } = await sql<{ id: string }>`
        select c.id from (
          select l.target_id as id from network_links l where l.source_id = any(${frontier}::uuid[]) and ${linkInScope(user, filter, 'l')}
          union
          select l.source_id from network_links l where l.target_id = any(${frontier}::uuid[]) and ${linkInScope(user, filter, 'l')}
          except
          select unnest(${reached}::uuid[])
        ) c
        join network_entities e on e.id = c.id
        where ${entityVisibleRow(user, 'e')}
        limit ${limit}`.execute(db)
      return rows.map((r) => r.id)
    },

    /**
     * The in-scope links the viewer may see between any two of these (visible) entities: found
     * from the walk index alone (migration 0202), entity by entity, then read in full by id.
     */
    linksAmong: (user: Viewer, ids: readonly string[], filter: LinkFilter) =>
      ids.length
        ? (linkSelect(db)
            .where(
              sql<SqlBool>`l.id in (select w.id from unnest(${ids}::uuid[]) s(id) join network_links w on w.source_id = s.id
                where w.target_id = any(${ids}::uuid[]) and ${linkInScope(user, filter, 'w')})`,
            )
            .orderBy('l.created_at')
            .execute() as Promise<LinkRow[]>)
        : Promise.resolve([] as LinkRow[]),

    /**
     * The in-scope links the viewer may see anywhere (the whole partnership), at most `limit`: the
     * caller asks for one more than it can analyse and says so when there are more.
     */
    scopeLinks: (user: Viewer, filter: LinkFilter, limit: number) =>
      linkSelect(db)
        .innerJoin('network_entities as se', 'se.id', 'l.source_id')
        .innerJoin('network_entities as te', 'te.id', 'l.target_id')
        .where(linkInScope(user, filter, 'l'))
        .where(entityVisibleRow(user, 'se'))
        .where(entityVisibleRow(user, 'te'))
        .limit(limit)
        .execute() as Promise<LinkRow[]>,

    /**
     * Lines, groups and people the viewer may see, to choose a network's focus from, or null when
     * there are more than `limit` of them (a national picture: the choice then starts from an
     * entity's own page).
     */
    focusOptions: async (user: Viewer, limit: number) => {
      const kinds: EntityKind[] = ['line', 'person', 'group']
      const many = await db.selectFrom('network_entities as e').select('e.id').where('e.kind', 'in', kinds).where(entityVisibleRow(user, 'e')).limit(limit + 1).execute()
      if (many.length > limit) return null
      if (!many.length) return [] as EntityRow[]
      return entitySelect(db).where('e.id', 'in', many.map((r) => r.id)).orderBy('e.kind').orderBy(LABEL).execute() as Promise<EntityRow[]>
    },

    link: (id: string) => linkSelect(db).where('l.id', '=', id).executeTakeFirst() as Promise<LinkRow | undefined>,

    linkVisible: async (user: Viewer, id: string) =>
      Boolean(await db.selectFrom('network_links as l').select('l.id').where('l.id', '=', id).where(linkVisibleTo(user, 'l')).executeTakeFirst()),

    linkAgencies: (linkId: string) =>
      db
        .selectFrom('network_link_agencies as a')
        .innerJoin('agencies as ag', 'ag.id', 'a.agency_id')
        .select(['ag.id', 'ag.name'])
        .where('a.link_id', '=', linkId)
        .orderBy('ag.name')
        .execute(),

    insertEntity: (row: Insertable<NetworkEntitiesTable>) => db.insertInto('network_entities').values(row).returning('id').executeTakeFirstOrThrow(),

    insertLink: (row: Insertable<NetworkLinksTable>) => db.insertInto('network_links').values(row).returning('id').executeTakeFirstOrThrow(),

    insertLinkAgencies: async (linkId: string, agencyIds: string[]) => {
      if (agencyIds.length) await db.insertInto('network_link_agencies').values(agencyIds.map((agency_id) => ({ link_id: linkId, agency_id }))).execute()
    },

    /** Closes a link or marks it wrong; only an open or closed link can change, and never back to open. */
    setLinkStatus: async (id: string, status: Exclude<LinkStatus, 'open'>, reason: string, userId: string) => {
      const result = await db
        .updateTable('network_links')
        .set({ status, status_reason: reason, status_changed_by: userId, status_changed_at: new Date() })
        .where('id', '=', id)
        .where('status', '=', status === 'closed' ? 'open' : sql<LinkStatus>`status`)
        .where('status', '<>', 'wrong')
        .executeTakeFirst()
      return Number(result.numUpdatedRows) === 1
    },

    /**
     * The closures (a DDTRO or another line closure) recorded against these lines, latest first, in
     * operations the viewer's agency leads or is a partner in.
     */
    lineClosures: (user: Viewer, lineIds: string[]) =>
      lineIds.length
        ? db
            .selectFrom('operation_activities as a')
            .innerJoin('operations as o', 'o.id', 'a.operation_id')
            .select(['a.entity_id', sql<string>`a.occurred_on::text`.as('occurred_on'), 'a.description', 'o.name as operation_name'])
            .where('a.kind', '=', 'line_closure')
            .where('a.withdrawn_at', 'is', null)
            .where('a.entity_id', 'in', lineIds)
            .where(takesPart(user.agencyId))
            .orderBy('a.occurred_on', 'desc')
            .execute()
        : Promise.resolve([]),

    /** Operations targeting the entity that the viewer's agency takes part in, newest first. */
    operationsTargeting: (user: Viewer, entityId: string) =>
      db
        .selectFrom('operation_targets as t')
        .innerJoin('operations as o', 'o.id', 't.operation_id')
        .select(['o.id', 'o.name', 'o.status', sql<string>`o.started_on::text`.as('started_on')])
        .where('t.entity_id', '=', entityId)
        .where(takesPart(user.agencyId))
        .orderBy('o.started_on', 'desc')
        .execute(),

    /** The live targets among these entities of operations the viewer's agency takes part in, for the map's operation nodes. */
    operationTargetsAmong: (user: Viewer, entityIds: readonly string[]) =>
      entityIds.length
        ? db
            .selectFrom('operation_targets as t')
            .innerJoin('operations as o', 'o.id', 't.operation_id')
            .select(['o.id', 'o.name', 'o.status', sql<string>`o.started_on::text`.as('started_on'), 't.entity_id'])
            .where('t.entity_id', 'in', entityIds)
            .where('t.withdrawn_at', 'is', null)
            .where(takesPart(user.agencyId))
            .orderBy('o.name')
            .execute()
        : Promise.resolve([]),

    /** The operations the viewer's agency takes part in, by name, for the explorer's scope choice. */
    operationChoices: (user: Viewer) => db.selectFrom('operations as o').select(['o.id', 'o.name']).where(takesPart(user.agencyId)).orderBy('o.name').execute(),

    /** The lead agency of an operation hidden from the viewer, for the refusal (read as the owner). */
    operationLead: (operationId: string) => operationLead(db, operationId),

    /** An operation's name, whether the viewer's agency takes part in it, and its live targets. */
    operationTargets: async (user: Viewer, operationId: string) => {
      const op = await db.selectFrom('operations as o').select(['o.id', 'o.name', 'o.lead_agency_id', takesPart(user.agencyId).as('takes_part')]).where('o.id', '=', operationId).executeTakeFirst()
      if (!op) return undefined
      const targets = await db.selectFrom('operation_targets').select('entity_id').where('operation_id', '=', operationId).where('withdrawn_at', 'is', null).execute()
      return { ...op, entityIds: targets.map((t) => t.entity_id) }
    },

    /** Activities recorded against these entities in operations the viewer's agency leads or is a partner in, latest first. */
    activitiesOn: (user: Viewer, entityIds: readonly string[]) =>
      entityIds.length
        ? db
            .selectFrom('operation_activities as a')
            .innerJoin('operations as o', 'o.id', 'a.operation_id')
            .select(['a.id', 'a.kind', 'a.entity_id', sql<string>`a.occurred_on::text`.as('occurred_on'), 'a.description', 'o.name as operation_name', 'o.id as operation_id'])
            .where('a.entity_id', 'in', entityIds)
            .where(takesPart(user.agencyId))
            .orderBy('a.occurred_on', 'desc')
            .execute()
        : Promise.resolve([]),

    /** What happened to these entities' own records (details changed), latest first, with who did it. */
    entityEvents: (entityIds: readonly string[]) =>
      entityIds.length
        ? db
            .selectFrom('network_entity_events as ev')
            .leftJoin('users as u', 'u.id', 'ev.actor_id')
            .select(['ev.entity_id', 'ev.at', 'ev.summary', 'u.name as actor'])
            .where('ev.entity_id', 'in', entityIds)
            .orderBy('ev.at', 'desc')
            .execute()
        : Promise.resolve([]),

    areas: () => db.selectFrom('areas').select(['id', 'name', 'code']).orderBy('name').execute(),
    agencies: () => db.selectFrom('agencies').select(['id', 'name', 'kind']).where('active', '=', true).orderBy('name').execute(),

    /** People the viewer may see who are not yet network entities, for "add a person". */
    peopleNotInNetwork: (user: Viewer) =>
      db
        .selectFrom('people as p')
        .select(['p.id', 'p.given_name', 'p.family_name', 'p.preferred_name', 'p.kind'])
        .where('p.merged_into', 'is', null)
        .where(sql<SqlBool>`(p.owner_agency_id = ${user.agencyId} or p.id in (select rs.record_id from live_record_shares rs where rs.record_type = 'person' and (rs.agency_id = ${user.agencyId} or rs.user_id = ${user.id})))`)
        .where(sql<SqlBool>`not exists (select 1 from network_entities ne where ne.person_id = p.id)`)
        .orderBy('p.family_name')
        .orderBy('p.given_name')
        .limit(1000)
        .execute(),
  }
}

export type NetworkStore = ReturnType<typeof networkStore>
