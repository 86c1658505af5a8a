import { sql } from 'kysely'
import { londonDay } from '../../kernel/london.ts'
import type { ModuleDeps } from '../types.ts'
import type { RequestContext, CurrentUser } from '../../kernel/context.ts'
import { ForbiddenError, NotFoundError, ConflictError } from '../../kernel/errors.ts'
import { formErrors, type Result } from '../../kernel/form-errors.ts'
import { recordPersonEvent } from '../people/index.ts'
import { publicReportStats } from '../public/index.ts'
import {
  brokers as findBrokers,
  buildNetwork,
  shortestPaths,
  crossBorderPairs,
  crossBorderLines,
  measuresAccuracy,
  networkMetrics,
  type Entity,
  type Link,
  type Network,
  type Scope,
} from '../../analytics/graph/index.ts'
import { networkStore, type EntityRow, type LinkFilter, type LinkRow } from './store.ts'
import { ENTITY_KIND_TEXT, LINK_TYPES, LOCATION_TYPES, type EntityInput, type LinkInput, type PathsInput, type ScopeInput } from './schemas.ts'
import type { RecordRef } from '../../access/service.ts'

export function requireUser(ctx: RequestContext): CurrentUser {
  if (!ctx.user) throw new ForbiddenError('You need to sign in', { reason: 'role', canBreakGlass: false })
  return ctx.user
}

/** The access-control record of an entity: a person entity is the register's person. */
export function entityRef(entity: Pick<EntityRow, 'id' | 'person_id' | 'owner_agency_id'>): RecordRef {
  return entity.person_id ? { type: 'person', id: entity.person_id, ownerAgencyId: entity.owner_agency_id } : { type: 'network_entity', id: entity.id, ownerAgencyId: entity.owner_agency_id }
}

export const linkTypeText = (type: string) => LINK_TYPES.find((t) => t.value === type)?.text ?? type

/**
 * A link told from one of its ends: from its source "runs JAY (07700 900461)", from its target "is
 * run by Reece Holloway"; a link without direction reads the same from both. `short` is the same
 * without the other end, for a table that names it beside.
 */
export function linkFromEnd(link: Pick<LinkRow, 'type' | 'directed' | 'source_id'>, endId: string, other: string): { short: string; sentence: string } {
  const type = LINK_TYPES.find((t) => t.value === link.type)
  const phrase: string = (!link.directed || link.source_id === endId ? type?.text : type?.reverse) ?? link.type
  const short = phrase.replace('{other} ', '')
  return {
    short: short.charAt(0).toUpperCase() + short.slice(1),
    sentence: phrase.includes('{other}') ? phrase.replace('{other}', other) : `${phrase.charAt(0).toLowerCase()}${phrase.slice(1)} ${other}`,
  }
}

/** A deal line's status: closed by the latest closure (a DDTRO or other) recorded against it, or open. */
export type LineStatus = { closed: false } | { closed: true; on: string; description: string; operation: string }
export const locationTypeText = (type: string | null) => LOCATION_TYPES.find((t) => t.value === type)?.text ?? ''
export const gradeText = (l: Pick<LinkRow, 'grade_source' | 'grade_assessment' | 'grade_handling'>) => `${l.grade_source}${l.grade_assessment}${l.grade_handling}`

/** What kind an entity is for the link analysis (children and nominals are told apart). */
export function analysisKind(e: Pick<EntityRow, 'kind' | 'person_kind'>): Entity['kind'] {
  if (e.kind === 'person') return e.person_kind === 'child' ? 'child' : 'nominal'
  return e.kind
}

export function entityKindText(e: Pick<EntityRow, 'kind' | 'person_kind' | 'location_type'>): string {
  if (e.kind === 'person') return e.person_kind === 'child' ? 'Child' : 'Adult'
  if (e.kind === 'location') return locationTypeText(e.location_type) || 'Location'
  return ENTITY_KIND_TEXT[e.kind]
}

/**
 * The last day a link held: its last-seen date, or for a link closed without one, the day it was
 * closed (the store's `linkEnded` is the same rule in SQL). Null: not known to have ended.
 */
export function linkEnded(l: Pick<LinkRow, 'last_seen' | 'status' | 'status_changed_at'>): string | null {
  return l.last_seen ?? (l.status === 'closed' && l.status_changed_at ? londonDay(l.status_changed_at) : null)
}

export function toAnalysis(entities: EntityRow[], links: LinkRow[]): { entities: Entity[]; links: Link[] } {
  return {
    entities: entities.map((e) => ({ id: e.id, kind: analysisKind(e), label: e.label, localAuthority: e.area_name, inPartnership: e.area_in_partnership, rag: e.rag })),
    links: links.map((l) => ({
      id: l.id,
      source: l.source_id,
      target: l.target_id,
      type: l.type,
      directed: l.directed,
      firstSeen: l.first_seen,
      lastSeen: linkEnded(l),
      grade: { source: l.grade_source, assessment: l.grade_assessment, handling: l.grade_handling },
      status: l.status,
    })),
  }
}

export interface NodeRow {
  id: string
  label: string
  kind: string
  kindText: string
  area: string | null
  rag: string | null
  degree: number
  betweenness: number
  closeness: number
  community: number
  href: string
}

export interface ScopedNetwork {
  nodes: NodeRow[]
  links: (LinkRow & { sourceLabel: string; targetLabel: string; typeText: string; grade: string })[]
  brokers: { id: string; label: string; componentIncrease: number; largestReduction: number; betweenness: number }[]
  components: number
  communities: number
  /** Which measures are exact and which estimated, with an estimate's error. */
  accuracy: string
  description: string
  /** Why the network shown is smaller than the scope asked for, when it is. */
  limited: string | null
  /** Operations the viewer's agency takes part in that target entities in the scope: drawn on the map, not analysed. */
  operations: MapOperation[]
}

export interface MapOperation {
  id: string
  name: string
  status: string
  href: string
  /** The operation's live targets among the scope's entities, and their names. */
  targets: string[]
  targetLabels: string[]
}

/**
 * The most a scoped network may hold to be drawn and analysed on a page (exact betweenness, Louvain
 * and the map's layout all grow faster than the network does). Past these the explorer says so.
 */
/** The label a line, place, vehicle or group shows, from its details. */
function labelFor(input: EntityInput): string {
  if (input.kind === 'line') return `${input.lineName}${input.phoneNumber ? ` (${input.phoneNumber})` : ''}`
  if (input.kind === 'location') return input.address!
  if (input.kind === 'vehicle') return `${input.registration!.toUpperCase()}${input.vehicleDescription ? ` ${input.vehicleDescription}` : ''}`
  return input.label ?? ''
}

/** How a changed field is named on the timeline. */
const ENTITY_FIELD_TEXT = {
  label: 'name',
  phone_number: 'phone number',
  line_name: 'line name',
  location_type: 'type of location',
  address: 'address',
  postcode: 'postcode',
  registration: 'registration',
  vehicle_description: 'make, model and colour',
  group_type: 'type of group',
  area_id: 'local authority',
  description: 'description',
} as const

export const SCOPE_LIMITS = { entities: 1000, links: 5000 }

/** The most links an entity's page lists (the most recently seen). */
export const ENTITY_PAGE_LIMITS = { links: 500 }

/** How many ways from one entity to another the paths page shows: the shortest and the next few. */
export const PATHS_SHOWN = 4

/** The most lines, groups and people the explorer lists to choose from. */
export const FOCUS_OPTIONS_LIMIT = 500

/** The link form lists up to this many entities to choose from; with more it finds them by name, showing this many matches. */
export const LINK_CHOICES_LIMIT = 500
export const LINK_SEARCH_RESULTS = 20

/** An entity's details as the new-entity and edit forms set them. */
function detailColumns(input: EntityInput) {
  return {
    label: labelFor(input),
    phone_number: input.phoneNumber ?? null,
    line_name: input.lineName ?? null,
    location_type: (input.locationType as EntityRow['location_type'] as never) ?? null,
    address: input.address ?? null,
    postcode: input.postcode ?? null,
    registration: input.registration?.toUpperCase() ?? null,
    vehicle_description: input.vehicleDescription ?? null,
    group_type: input.groupType ?? null,
    area_id: input.areaId ?? null,
    description: input.description ?? null,
  }
}

/** Entities, graded links and link analysis, under need-to-know and the handling code. */
export function networkService(deps: ModuleDeps) {
  const { db, access, audit } = deps
  const store = networkStore(db)

  async function loadEntity(ctx: RequestContext, id: string, permission: 'network:view' | 'network:edit' = 'network:view') {
    await access.authorise(ctx, permission)
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw new NotFoundError()
    const entity = await store.entity(id)
    if (!entity) return access.refuseUnreadable(ctx, permission, 'network_entity', id)
    await access.authorise(ctx, permission, entityRef(entity))
    return entity
  }

  /** Every entity and link the user may see, as the analysis library's records. */
  async function visibleData(user: CurrentUser) {
    const [entities, links] = await Promise.all([store.visibleEntities(user), store.visibleLinks(user)])
    return { rows: { entities, links }, data: toAnalysis(entities, links) }
  }

  async function operationTargets(ctx: RequestContext, operationId: string) {
    const user = requireUser(ctx)
    const op = await store.operationTargets(user, operationId)
    if (!op) {
      const lead = await store.operationLead(operationId)
      if (lead) await access.authorise(ctx, 'network:view', { type: 'operation', id: operationId, ownerAgencyId: lead })
      throw new NotFoundError()
    }
    if (!op.takes_part) await access.authorise(ctx, 'network:view', { type: 'operation', id: op.id, ownerAgencyId: op.lead_agency_id })
    return { name: op.name, ids: op.entityIds }
  }

  /**
   * Builds the scoped network the explorer, the maps and the exports show, in the database: a
   * network around entities is walked out step by step over the in-scope links the user may see
   * (`store.step`), then its entities and the links between them are read; the whole partnership
   * is read as its in-scope links. Never more than `SCOPE_LIMITS` allow: a step that would take the
   * network past them is left out and `limited` says so, rather than drawing 200,000 entities.
   */
  async function scoped(ctx: RequestContext, input: ScopeInput): Promise<{ network: Network; rows: { entities: EntityRow[]; links: LinkRow[] }; description: string; limited: string | null }> {
    const user = requireUser(ctx)
    // As at a date, the network is the links that held that day: a link closed since was open then,
    // so whether closed links are wanted today does not apply.
    const statuses: LinkRow['status'][] = input.closed === 'yes' || input.asAt ? ['open', 'closed'] : ['open']
    const sources = input.sources.map(Number) as (1 | 2 | 3)[]
    const [from, to] = input.asAt ? [input.asAt, input.asAt] : [input.from, input.to]
    const filter: LinkFilter = { statuses, assessments: input.grades, sources, from, to }
    const scope: Scope = { from, to, assessments: input.grades, sources, statuses }
    const operation = input.scope === 'operation' && input.operationId ? await operationTargets(ctx, input.operationId) : null
    // One transaction for the reads, to turn PostgreSQL's JIT off for them: a walk through a hub
    // is estimated expensive enough to be compiled, and compiling took 50 to 60 ms of a 120 ms
    // request at national scale, for queries that then run in a few milliseconds.
    const read = await db.transaction().execute(async (trx) => {
      await sql`set local jit = off`.execute(trx)
      const s = networkStore(trx)
      if (operation || (input.scope === 'entity' && input.entityId)) {
        let focus: string[]
        let name: string
        if (operation) {
          focus = await s.visibleIds(user, operation.ids)
          name = `${operation.name}: its targets`
        } else {
          const [entity] = await s.visibleEntitiesByIds(user, [input.entityId!])
          if (!entity) throw new NotFoundError()
          focus = [entity.id]
          name = entity.label
        }
        const reached = [...focus]
        let frontier = [...focus]
        let steps = 0
        let limited: string | null = null
        while (steps < input.steps && frontier.length) {
          const room = SCOPE_LIMITS.entities - reached.length
          const next = await s.step(user, frontier, reached, filter, room + 1)
          if (next.length > room) {
            limited = `Within ${steps + 1} step${steps ? 's' : ''} this network has more than ${SCOPE_LIMITS.entities.toLocaleString('en-GB')} entities, too many to draw or analyse: it is shown ${steps ? `within ${steps} step${steps === 1 ? '' : 's'}` : 'without the entities linked to it'}. Narrow it with the dates or grades, or choose an entity nearer the edge of the network.`
            break
          }
          reached.push(...next)
          frontier = next
          steps++
        }
        const stepsShown = limited ? steps : input.steps
        const entities = await s.entitiesByIds(reached)
        const links = await s.linksAmong(user, reached, filter)
        return { entities, links, focus, limited, stepsShown, description: stepsShown ? `${name} and everything within ${stepsShown} step${stepsShown === 1 ? '' : 's'}` : `${name} alone` }
      }
      let links = await s.scopeLinks(user, filter, SCOPE_LIMITS.links + 1)
      let limited: string | null = null
      if (links.length > SCOPE_LIMITS.links) {
        limited = `The whole partnership has more than ${SCOPE_LIMITS.links.toLocaleString('en-GB')} links in this scope, too many to draw or analyse here. Choose an operation, or a line, group or person’s network, or narrow the dates or grades.`
        links = []
      }
      const entities = await s.entitiesByIds([...new Set(links.flatMap((l) => [l.source_id, l.target_id]))])
      return { entities, links, focus: [] as string[], limited, stepsShown: 0, description: 'The whole partnership' }
    })
    const { entities, links, focus, limited } = read
    let description = read.description
    if (focus.length || operation) scope.around = { ids: focus, steps: read.stepsShown }
    let network = buildNetwork(toAnalysis(entities, links), scope)
    if (input.kinds.length < 5) {
      const keep = new Set(input.kinds)
      const focusSet = new Set(focus)
      network = network.copy()
      const entityKind = new Map(entities.map((e) => [e.id, e.kind]))
      for (const node of network.nodes()) if (!keep.has(entityKind.get(node)!) && !focusSet.has(node)) network.dropNode(node)
    }
    if (input.asAt) description += `, as at ${input.asAt}`
    else if (input.from || input.to) description += `, links seen ${input.from ? `from ${input.from}` : ''}${input.from && input.to ? ' ' : ''}${input.to ? `to ${input.to}` : ''}`
    description += `, assessments ${input.grades.join(', ')}`
    return { network, rows: { entities, links }, description, limited }
  }

  /** Each line's status from the closures recorded against it in operations the user's agency takes part in. */
  async function lineStatuses(user: CurrentUser, lineIds: string[], asAt?: string): Promise<Map<string, LineStatus>> {
    const statuses = new Map<string, LineStatus>(lineIds.map((id) => [id, { closed: false }]))
    for (const c of await store.lineClosures(user, lineIds)) {
      if (asAt && c.occurred_on > asAt) continue
      if (c.entity_id && !statuses.get(c.entity_id)!.closed) statuses.set(c.entity_id, { closed: true, on: c.occurred_on, description: c.description, operation: c.operation_name })
    }
    return statuses
  }

  /** Says "closed" of each line among the nodes that a closure had been recorded against by `asAt` (or by now). */
  async function markClosedLines(ctx: RequestContext, nodes: NodeRow[], asAt?: string) {
    const statuses = await lineStatuses(requireUser(ctx), nodes.filter((n) => n.kind === 'line').map((n) => n.id), asAt)
    for (const node of nodes) if (statuses.get(node.id)?.closed) node.kindText += ' (closed)'
  }

  /**
   * The operations (the viewer's agency taking part) that target the scope's entities, each with
   * its targets among them; as at a date, only those started by then.
   */
  async function operationsOnMap(ctx: RequestContext, nodes: NodeRow[], asAt?: string): Promise<MapOperation[]> {
    const rows = await store.operationTargetsAmong(requireUser(ctx), nodes.map((n) => n.id))
    const labels = new Map(nodes.map((n) => [n.id, n.label]))
    const operations = new Map<string, MapOperation>()
    for (const r of rows) {
      if (asAt && r.started_on > asAt) continue
      const op = operations.get(r.id) ?? { id: r.id, name: r.name, status: r.status, href: `/operations/${r.id}`, targets: [], targetLabels: [] }
      op.targets.push(r.entity_id)
      op.targetLabels.push(labels.get(r.entity_id)!)
      operations.set(r.id, op)
    }
    return [...operations.values()]
  }

  return {
    store,
    scoped,

    /** The ids of the lines among `entities` that a closure has been recorded against. */
    async closedLines(ctx: RequestContext, entities: Pick<EntityRow, 'id' | 'kind'>[]): Promise<Set<string>> {
      const statuses = await lineStatuses(requireUser(ctx), entities.filter((e) => e.kind === 'line').map((e) => e.id))
      return new Set([...statuses].filter(([, s]) => s.closed).map(([id]) => id))
    },

    /** An entity's page: details, visible links, timeline, operations, public reports. Audited. */
    async entityPage(ctx: RequestContext, id: string) {
      const user = requireUser(ctx)
      const entity = await loadEntity(ctx, id)
      // A national hub has thousands of links: the page lists the most recent and says so.
      const limit = ENTITY_PAGE_LIMITS.links
      const links = await store.linksOf(user, id, limit + 1)
      const moreLinks = links.length > limit
      if (moreLinks) links.length = limit
      // A link is visible only when both its ends are, so the other ends are read by id.
      const others = new Map((await store.entitiesByIds([...new Set(links.map((l) => (l.source_id === id ? l.target_id : l.source_id)))])).map((e) => [e.id, e]))
      const described = links.map((l) => {
        const otherId = l.source_id === id ? l.target_id : l.source_id
        const other = others.get(otherId)!
        return {
          ...l,
          other,
          otherKind: other ? entityKindText(other) : '',
          typeText: linkTypeText(l.type),
          told: linkFromEnd(l, id, other?.label ?? ''),
          grade: gradeText(l),
        }
      })
      const operations = await store.operationsTargeting(user, id)
      const activities = await store.activitiesOn(user, [id])
      const timeline = [
        ...described.flatMap((l) => [
          { date: l.first_seen ?? l.created_at.toISOString().slice(0, 10), text: `First seen: ${l.told.sentence} (${l.grade})` },
          ...(l.last_seen ? [{ date: l.last_seen, text: `Last seen: ${l.told.sentence}` }] : []),
          ...(l.status !== 'open' && l.status_changed_at ? [{ date: l.status_changed_at.toISOString().slice(0, 10), text: `Link ${l.status === 'wrong' ? 'marked wrong' : 'closed'} (${l.told.sentence}): ${l.status_reason}` }] : []),
        ]),
        ...activities.map((a) => ({ date: a.occurred_on, text: `${a.operation_name}: ${a.kind.replace(/_/g, ' ')}${a.description ? ` – ${a.description}` : ''}` })),
      ].sort((a, b) => b.date.localeCompare(a.date))
      const events = await store.entityEvents([id])
      timeline.push(...events.map((ev) => ({ date: ev.at.toISOString().slice(0, 10), text: `${ev.summary}${ev.actor ? ` by ${ev.actor}` : ''}` })))
      timeline.sort((a, b) => b.date.localeCompare(a.date))
      const publicReports = entity.kind === 'person' ? null : await publicReportStats(db).reportCountsFor(entity.kind, entity.id)
      const lineStatus = entity.kind === 'line' ? (await lineStatuses(user, [entity.id])).get(entity.id)! : null
      await audit.record(ctx, { action: 'view', recordType: 'network_entity', recordId: id })
      return { entity, kindText: entityKindText(entity), links: described, moreLinks, linksLimit: limit, timeline, operations, publicReports, lineStatus }
    },

    /** The choices of the form for a new entity: areas, and the register's people not yet in the network. */
    async entityFormOptions(ctx: RequestContext) {
      const user = requireUser(ctx)
      const [areas, people] = await Promise.all([store.areas(), store.peopleNotInNetwork(user)])
      return {
        areas: areas.map((a) => ({ value: a.id, text: a.name })),
        people: people.map((p) => ({ value: p.id, text: `${p.given_name}${p.preferred_name ? ` (${p.preferred_name})` : ''} ${p.family_name} (${p.kind === 'child' ? 'child' : 'adult'})` })),
      }
    },

    /**
     * The choices of the form for a link from `entityId`: the agencies, and the entity at the other
     * end. Up to LINK_CHOICES_LIMIT visible entities are listed to choose from; past that (a
     * national picture) the form finds them by name instead: `find` lists up to
     * LINK_SEARCH_RESULTS matches, and `targetId` is the one chosen (kept only if the user may see it).
     */
    async linkFormOptions(ctx: RequestContext, entityId: string, choice: { find?: string; targetId?: string } = {}) {
      const user = requireUser(ctx)
      const find = choice.find?.trim().slice(0, 100) ?? ''
      const [agencies, listed] = await Promise.all([
        store.agencies(),
        store.entityPage(user, { offset: 0, limit: LINK_CHOICES_LIMIT + 1, countLimit: LINK_CHOICES_LIMIT + 1 }),
      ])
      const text = (e: EntityRow) => `${e.label} (${entityKindText(e)})`
      const others = (rows: EntityRow[]) => rows.filter((e) => e.id !== entityId).map((e) => ({ value: e.id, text: text(e) }))
      const options = { agencies: agencies.map((a) => ({ value: a.id, text: a.name })) }
      if (listed.rows.length <= LINK_CHOICES_LIMIT) return { ...options, entities: others(listed.rows), findByName: false as const }
      const [matches, chosen] = await Promise.all([
        find ? store.entityPage(user, { search: find, offset: 0, limit: LINK_SEARCH_RESULTS + 1, countLimit: LINK_SEARCH_RESULTS + 1 }) : null,
        choice.targetId && /^[0-9a-f-]{36}$/i.test(choice.targetId) ? store.visibleEntitiesByIds(user, [choice.targetId]) : [],
      ])
      if (find) await audit.record(ctx, { action: 'search', recordType: 'network_entity', details: { q: find, for: 'link', count: Math.min(matches!.rows.length, LINK_SEARCH_RESULTS) } })
      return {
        ...options,
        findByName: true as const,
        find,
        matches: matches ? others(matches.rows.slice(0, LINK_SEARCH_RESULTS)) : null,
        moreMatches: Boolean(matches && matches.rows.length > LINK_SEARCH_RESULTS),
        chosen: chosen[0] && chosen[0].id !== entityId ? { value: chosen[0].id, text: text(chosen[0]) } : null,
      }
    },

    async createEntity(ctx: RequestContext, input: EntityInput): Promise<Result<string>> {
      const user = requireUser(ctx)
      await access.authorise(ctx, 'network:edit')
      let owner = user.agencyId
      if (input.kind === 'person') {
        const person = await db.selectFrom('people').select(['id', 'owner_agency_id']).where('id', '=', input.personId!).executeTakeFirst()
        if (!person) return { ok: false, errors: formErrors([{ field: 'personId', message: 'Select a person' }]) }
        await access.authorise(ctx, 'person:view', { type: 'person', id: person.id, ownerAgencyId: person.owner_agency_id })
        // Putting a person in the network changes their record: refused while it is closed.
        const change = await access.check(ctx, 'network:edit', { type: 'person', id: person.id, ownerAgencyId: person.owner_agency_id })
        if (!change.allowed && (change.reason === 'closed' || change.reason === 'retired')) {
          return { ok: false, errors: formErrors([{ field: 'personId', message: 'This person’s record is closed, so they cannot be added to the network until a manager reopens it' }]) }
        }
        if (await store.entityForPerson(person.id)) return { ok: false, errors: formErrors([{ field: 'personId', message: 'This person is already in the network' }]) }
        owner = person.owner_agency_id
      }
      const id = await db.transaction().execute(async (trx) => {
        const { id } = await networkStore(trx).insertEntity({
          kind: input.kind,
          person_id: input.kind === 'person' ? input.personId : null,
          ...detailColumns(input),
          // A person's area is the register's, never the entity's.
          area_id: input.kind === 'person' ? null : (input.areaId ?? null),
          owner_agency_id: owner,
          created_by: user.id,
          updated_by: user.id,
        })
        await audit.record(ctx, { action: 'create', recordType: 'network_entity', recordId: id, details: { kind: input.kind } }, trx)
        return id
      })
      return { ok: true, value: id }
    },

    /** A line, place, vehicle or group to edit (a person is edited in the register). */
    async entityForEdit(ctx: RequestContext, id: string) {
      const entity = await loadEntity(ctx, id, 'network:edit')
      const areas = entity.kind === 'person' ? [] : await store.areas()
      return { entity, areas: areas.map((a) => ({ value: a.id, text: a.name })) }
    },

    /**
     * Saves a line's, place's, vehicle's or group's details only if nobody else saved since the
     * form was opened (optimistic concurrency on `version`); otherwise ConflictError and nothing is
     * overwritten. The change goes on the entity's timeline and the audit trail, naming the fields.
     */
    async updateEntity(ctx: RequestContext, id: string, version: number, input: EntityInput): Promise<Result<string>> {
      const user = requireUser(ctx)
      const before = await loadEntity(ctx, id, 'network:edit')
      if (before.kind === 'person' || input.kind !== before.kind) throw new NotFoundError()
      const columns = detailColumns(input)
      const changed = (Object.keys(columns) as (keyof typeof columns)[]).filter((k) => (k !== 'label' || before.kind === 'group') && (before[k] ?? null) !== columns[k])
      const fieldNames = changed.map((k) => (k === 'area_id' && before.kind === 'line' ? 'exporting area' : ENTITY_FIELD_TEXT[k]))
      await db.transaction().execute(async (trx) => {
        const result = await trx
          .updateTable('network_entities')
          .set({ ...columns, updated_by: user.id, updated_at: sql`now()`, version: sql`version + 1` })
          .where('id', '=', id)
          .where('version', '=', Number.isInteger(version) ? version : -1)
          .executeTakeFirst()
        if (Number(result.numUpdatedRows) === 0) throw new ConflictError(`${before.label} was changed by someone else after you opened it.`)
        if (changed.length) await trx.insertInto('network_entity_events').values({ entity_id: id, kind: 'updated', summary: `Details changed: ${fieldNames.join(', ')}`, actor_id: user.id }).execute()
        await audit.record(ctx, { action: 'update', recordType: 'network_entity', recordId: id, details: { kind: before.kind, fields: changed } }, trx)
      })
      return { ok: true, value: id }
    },

    /** Records a graded link from `fromId`. Both ends must be visible to the recorder. */
    async addLink(ctx: RequestContext, fromId: string, input: LinkInput): Promise<Result<string>> {
      const user = requireUser(ctx)
      const from = await loadEntity(ctx, fromId, 'network:edit')
      const target = await store.entity(input.targetId)
      if (!target || target.id === from.id || !(await access.check(ctx, 'network:view', entityRef(target))).allowed) {
        return { ok: false, errors: formErrors([{ field: 'targetId', message: 'Select another entity you can see' }]) }
      }
      // A link goes on the record of each person at its ends: decide() refuses a closed one.
      const onTarget = await access.check(ctx, 'network:edit', entityRef(target))
      if (!onTarget.allowed && (onTarget.reason === 'closed' || onTarget.reason === 'retired')) {
        return { ok: false, errors: formErrors([{ field: 'targetId', message: `${target.label}’s record is closed, so no link to them can be recorded until a manager reopens it` }]) }
      }
      const agencies = await store.agencies()
      if (!agencies.some((a) => a.id === input.sourceAgencyId)) return { ok: false, errors: formErrors([{ field: 'sourceAgencyId', message: 'Select the source agency' }]) }
      const directed = input.direction !== 'none'
      const [source, dest] = input.direction === 'to' ? [target, from] : [from, target]
      const conditionAgencies = input.gradeHandling === 'C' ? [...new Set(input.conditionAgencies.filter((a) => a !== input.sourceAgencyId && agencies.some((x) => x.id === a)))] : []
      const id = await db.transaction().execute(async (trx) => {
        const s = networkStore(trx)
        const { id } = await s.insertLink({
          source_id: source.id,
          target_id: dest.id,
          type: input.type as LinkRow['type'],
          directed,
          first_seen: input.firstSeen ?? null,
          last_seen: input.lastSeen ?? null,
          source_agency_id: input.sourceAgencyId,
          basis: input.basis,
          grade_source: input.gradeSource,
          grade_assessment: input.gradeAssessment,
          grade_handling: input.gradeHandling,
          handling_conditions: input.handlingConditions ?? null,
          created_by: user.id,
        })
        await s.insertLinkAgencies(id, conditionAgencies)
        for (const end of [source, dest]) {
          if (!end.person_id) continue
          const other = end === source ? dest : source
          await recordPersonEvent(trx, {
            personId: end.person_id,
            kind: 'network-link',
            summary: `Network link recorded: ${linkFromEnd({ type: input.type as LinkRow['type'], directed, source_id: source.id }, end.id, other.label).sentence} (graded ${input.gradeSource}${input.gradeAssessment}${input.gradeHandling})`,
            actorId: user.id,
            refType: 'network_link',
            // Seen where the link is seen (row-level security on person_events follows ref_id): a
            // C-handled link's event reaches its source and condition agencies, police or not.
            refId: id,
          })
        }
        await audit.record(ctx, { action: 'create', recordType: 'network_link', recordId: id, details: { source: source.id, target: dest.id, type: input.type, grade: `${input.gradeSource}${input.gradeAssessment}${input.gradeHandling}` } }, trx)
        return id
      })
      return { ok: true, value: id }
    },

    /** A link the user may see, with its ends. */
    async link(ctx: RequestContext, id: string) {
      const user = requireUser(ctx)
      await access.authorise(ctx, 'network:view')
      if (!/^[0-9a-f-]{36}$/i.test(id)) throw new NotFoundError()
      const link = await store.link(id)
      if (!link || !(await store.linkVisible(user, id))) throw new NotFoundError()
      const [source, target] = await Promise.all([store.entity(link.source_id), store.entity(link.target_id)])
      await audit.record(ctx, { action: 'view', recordType: 'network_link', recordId: id })
      return { link, source: source!, target: target!, typeText: linkTypeText(link.type), grade: gradeText(link), conditionAgencies: await store.linkAgencies(id) }
    },

    /** Closes a link or marks it wrong, with the reason. Never deletes. */
    async setLinkStatus(ctx: RequestContext, id: string, status: 'closed' | 'wrong', reason: string) {
      const user = requireUser(ctx)
      await access.authorise(ctx, 'network:edit')
      if (!(await store.linkVisible(user, id))) throw new NotFoundError()
      await db.transaction().execute(async (trx) => {
        const changed = await networkStore(trx).setLinkStatus(id, status, reason, user.id)
        if (!changed) throw new ConflictError('This link has already been closed or marked wrong')
        await audit.record(ctx, { action: 'update', recordType: 'network_link', recordId: id, reason, details: { status } }, trx)
      })
    },

    /** The explorer: the scoped network with metrics, brokers, node and link tables. Audited as a search. */
    async explore(ctx: RequestContext, input: ScopeInput): Promise<ScopedNetwork> {
      await access.authorise(ctx, 'network:view')
      const { network, rows, description, limited } = await scoped(ctx, input)
      const result = await analyse(network, rows)
      await markClosedLines(ctx, result.nodes, input.asAt)
      const operations = await operationsOnMap(ctx, result.nodes, input.asAt)
      await audit.record(ctx, { action: 'search', recordType: 'network', details: { scope: input.scope, operationId: input.operationId, entityId: input.entityId, steps: input.steps, grades: input.grades, nodes: result.nodes.length, limited: Boolean(limited) } })
      return { ...result, description, limited, operations }
    },

    async exportScope(ctx: RequestContext, input: ScopeInput, format: string) {
      await access.authorise(ctx, 'network:export')
      const { network, rows, description, limited } = await scoped(ctx, input)
      const result = await analyse(network, rows)
      await markClosedLines(ctx, result.nodes, input.asAt)
      const operations = await operationsOnMap(ctx, result.nodes, input.asAt)
      await audit.record(ctx, { action: 'export', recordType: 'network', details: { format, scope: input.scope, operationId: input.operationId, entityId: input.entityId, nodes: result.nodes.length, links: result.links.length, limited: Boolean(limited) } })
      return { ...result, description, limited, operations }
    },

    /**
     * "How is A connected to B": the shortest path and the next few, over the links the user may
     * see (need-to-know and handling codes applied by the store; E-graded and wrong links left
     * out), each step with its links told the way the path runs, their grades and dates. Audited.
     */
    async paths(ctx: RequestContext, input: PathsInput) {
      const user = requireUser(ctx)
      const [from, to] = [await loadEntity(ctx, input.from), await loadEntity(ctx, input.to)]
      const { rows, data } = await visibleData(user)
      const network = buildNetwork(data, { includeIsolated: true })
      const byId = new Map(rows.entities.map((e) => [e.id, e]))
      const linkRows = new Map(rows.links.map((l) => [l.id, l]))
      const found = network.hasNode(from.id) && network.hasNode(to.id) ? shortestPaths(network, from.id, to.id, PATHS_SHOWN) : []
      const paths = found.map((path) =>
        path.nodes.slice(1).map((node, i) => {
          const at = byId.get(path.nodes[i])!
          const next = byId.get(node)!
          const links = network.getEdgeAttribute(path.edges[i], 'links').map((l) => linkRows.get(l.id)!)
          return {
            from: { id: at.id, label: at.label },
            to: { id: next.id, label: next.label, kindText: entityKindText(next) },
            links: links.map((l) => ({ id: l.id, told: linkFromEnd(l, at.id, next.label), grade: gradeText(l), first_seen: l.first_seen, last_seen: l.last_seen, status: l.status })),
          }
        }),
      )
      await audit.record(ctx, { action: 'search', recordType: 'network', details: { report: 'paths', from: from.id, to: to.id, paths: paths.length } })
      return { from, to, paths }
    },

    /** Entities to choose the two ends of a path from (up to LINK_CHOICES_LIMIT; past that, start from an entity's page). */
    async pathChoices(ctx: RequestContext, chosen: string[]) {
      const user = requireUser(ctx)
      await access.authorise(ctx, 'network:view')
      const listed = await store.entityPage(user, { offset: 0, limit: LINK_CHOICES_LIMIT, countLimit: LINK_CHOICES_LIMIT + 1 })
      const missing = chosen.filter((id) => /^[0-9a-f-]{36}$/i.test(id) && !listed.rows.some((e) => e.id === id))
      const rows = [...listed.rows, ...(missing.length ? await store.visibleEntitiesByIds(user, missing) : [])]
      return { entities: rows.map((e) => ({ value: e.id, text: `${e.label} (${entityKindText(e)})` })), more: listed.total > LINK_CHOICES_LIMIT }
    },

    /** Lines crossing local-authority borders, by area pair, over the links the user may see. */
    async crossBorder(ctx: RequestContext) {
      const user = requireUser(ctx)
      await access.authorise(ctx, 'network:view')
      const { data } = await visibleData(user)
      const network = buildNetwork(data)
      const labels = new Map(data.entities.map((e) => [e.id, e.label]))
      const pairs = crossBorderPairs(network).map((p) => ({ ...p, lineLabels: p.lines.map((id) => ({ id, label: labels.get(id) ?? id })) }))
      const lines = crossBorderLines(network)
      await audit.record(ctx, { action: 'search', recordType: 'network', details: { report: 'cross-border', pairs: pairs.length } })
      return { pairs, lines }
    },

    /**
     * Lines, groups and people for the explorer's scope choice, and operations. Past
     * FOCUS_OPTIONS_LIMIT lines, groups and people (a national picture) the list holds only the
     * chosen entity, and `more` says to start from an entity's own page.
     */
    async scopeOptions(ctx: RequestContext, chosenId?: string) {
      const user = requireUser(ctx)
      const listed = await store.focusOptions(user, FOCUS_OPTIONS_LIMIT)
      const chosen = !listed && chosenId && /^[0-9a-f-]{36}$/i.test(chosenId) ? await store.visibleEntitiesByIds(user, [chosenId]) : []
      const entities = listed ?? chosen
      const operations = await store.operationChoices(user)
      return {
        focus: entities.map((e) => ({ value: e.id, text: `${e.label} (${entityKindText(e)})` })),
        more: !listed,
        operations: operations.map((o) => ({ value: o.id, text: o.name })),
      }
    },
  }
}

/** Metrics, brokers and the node and link tables for a scoped network. */
export async function analyse(network: Network, rows: { entities: EntityRow[]; links: LinkRow[] }): Promise<Omit<ScopedNetwork, 'description' | 'limited' | 'operations'>> {
  const byId = new Map(rows.entities.map((e) => [e.id, e]))
  const metrics = await networkMetrics(network)
  const between = new Map([...metrics.metrics].map(([k, m]) => [k, m.betweenness]))
  const ranked = network.order > 0 ? await findBrokers(network, { betweenness: between, limit: 5 }) : []
  const nodes: NodeRow[] = [...metrics.metrics].map(([id, m]) => {
    const e = byId.get(id)!
    return { id, label: e.label, kind: analysisKind(e), kindText: entityKindText(e), area: e.area_name, rag: e.rag, degree: m.degree, betweenness: m.betweenness, closeness: Number.isFinite(m.closeness) ? m.closeness : 0, community: m.community, href: `/network/entities/${id}` }
  })
  nodes.sort((a, b) => b.betweenness - a.betweenness || b.degree - a.degree || a.label.localeCompare(b.label))
  const inScope = new Set<string>()
  network.forEachEdge((_e, attrs) => attrs.links.forEach((l) => inScope.add(l.id)))
  const links = rows.links
    .filter((l) => inScope.has(l.id))
    .map((l) => ({ ...l, sourceLabel: byId.get(l.source_id)!.label, targetLabel: byId.get(l.target_id)!.label, typeText: linkTypeText(l.type), grade: gradeText(l) }))
  return {
    nodes,
    links,
    brokers: ranked.filter((b) => b.componentIncrease > 0 || b.betweenness > 0).map((b) => ({ id: b.node, label: byId.get(b.node)!.label, componentIncrease: b.componentIncrease, largestReduction: b.largestReduction, betweenness: b.betweenness })),
    components: metrics.components,
    communities: metrics.communities,
    accuracy: measuresAccuracy(metrics.betweennessEstimate),
  }
}

/** GraphML for a scoped network (nodes with their metrics, links with their grades). */
export function toGraphml(result: Omit<ScopedNetwork, 'description' | 'limited' | 'operations'>): string {
  const esc = (v: unknown) => String(v ?? '').replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!)
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
    ...['label', 'kind', 'area', 'rag'].map((k) => `  <key id="${k}" for="node" attr.name="${k}" attr.type="string"/>`),
    ...['degree', 'betweenness', 'closeness'].map((k) => `  <key id="${k}" for="node" attr.name="${k}" attr.type="double"/>`),
    '  <key id="community" for="node" attr.name="community" attr.type="int"/>',
    ...['type', 'grade', 'first_seen', 'last_seen', 'status', 'source_agency'].map((k) => `  <key id="e_${k}" for="edge" attr.name="${k}" attr.type="string"/>`),
    '  <graph id="lantern" edgedefault="undirected">',
  ]
  for (const n of result.nodes) {
    out.push(`    <node id="${esc(n.id)}">` + [['label', n.label], ['kind', n.kind], ['area', n.area], ['rag', n.rag], ['degree', n.degree], ['betweenness', n.betweenness], ['closeness', n.closeness], ['community', n.community]].map(([k, v]) => `<data key="${k}">${esc(v)}</data>`).join('') + '</node>')
  }
  for (const l of result.links) {
    out.push(`    <edge id="${esc(l.id)}" source="${esc(l.source_id)}" target="${esc(l.target_id)}" directed="${l.directed}">` + [['type', l.type], ['grade', l.grade], ['first_seen', l.first_seen], ['last_seen', l.last_seen], ['status', l.status], ['source_agency', l.source_agency_name]].map(([k, v]) => `<data key="e_${k}">${esc(v)}</data>`).join('') + '</edge>')
  }
  out.push('  </graph>', '</graphml>')
  return out.join('\n') + '\n'
}
