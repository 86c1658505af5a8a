import type { RawBuilder } from 'kysely'
import type { ModuleDeps } from '../types.ts'
import { linksStore, type LinksStore, type NetworkRow } from './links-store.ts'
import type { PersonChoiceRow as PersonRow } from '../people/index.ts'
import type { RequestContext } from '../../kernel/context.ts'
import type { Permission } from '../../access/permissions.ts'

/** A record a report can be linked to, as offered to the triage officer. */
export interface Candidate {
  id: string
  label: string
  hint?: string
}

export interface DescribedLink {
  id: string
  entity_type: string
  entity_id: string
  note: string | null
  created_at: Date
  created_by_name: string | null
  kindLabel: string
  /** What the viewer may see of the record: its name and page, or only that it exists. */
  label: string
  href?: string
  visible: boolean
}

/**
 * One kind of record a report can link to. Each kind lives in another capability's tables; the
 * adapter reads them with the permission and need-to-know rules of that capability, so triage
 * never shows a record the officer could not open.
 */
interface LinkKind {
  type: string
  label: string
  /** The table that must exist for this kind to be offered. */
  table: string
  permission: Permission
  /** Where a new record of this kind is created, when the report shows one is needed. */
  createHref?: string
  /** What that page asks of the officer: the link to it is offered only to those who hold it. */
  createPermission?: Permission
  search(ctx: RequestContext, q: string): Promise<Candidate[]>
  /** Labels for linked records, hiding those the viewer may not see. */
  describe(ctx: RequestContext, ids: string[]): Promise<Map<string, { label: string; href?: string; visible: boolean }>>
  /**
   * SQL that is true while the linked record (its id given) is open: a report linked to an open
   * record is kept past its retention period, because it has become part of that record.
   */
  isOpen(entityId: RawBuilder<unknown>): RawBuilder<boolean>
  /** What "open" means for this kind, in words, for the triage page. */
  openMeaning: string
  /** Checks that the record exists and the officer may see it. */
  find(ctx: RequestContext, id: string): Promise<{ ok: true; label: string } | { ok: false; message: string }>
}

function personLabel(p: PersonRow) {
  const name = p.preferred_name ? `${p.given_name} (${p.preferred_name}) ${p.family_name}` : `${p.given_name} ${p.family_name}`
  return name
}

function personHint(p: PersonRow) {
  const parts = [p.kind === 'child' ? 'Child or young person' : 'Adult']
  if (p.date_of_birth) parts.push(`born ${p.date_of_birth}`)
  else if (p.approximate_age != null) parts.push(`about ${p.approximate_age}`)
  if (p.area_name) parts.push(p.area_name)
  return parts.join(', ')
}

/** The people register (children at risk and adults of concern), under its own access rules. */
function peopleKind({ access }: ModuleDeps, store: LinksStore): LinkKind {
  const ref = (p: PersonRow) => ({ type: 'person', id: p.id, ownerAgencyId: p.owner_agency_id })
  async function visible(ctx: RequestContext, rows: PersonRow[]) {
    const out: PersonRow[] = []
    for (const row of rows) if ((await access.check(ctx, 'person:view', ref(row))).allowed) out.push(row)
    return out
  }
  return {
    type: 'person',
    label: 'Person',
    table: 'people',
    permission: 'person:view',
    createHref: '/people/new',
    createPermission: 'person:create',
    isOpen: store.personIsOpen,
    openMeaning: 'a person’s record, kept as long as the person’s record is',
    async search(ctx, q) {
      const rows = await store.searchPeople(q)
      return (await visible(ctx, rows)).slice(0, 20).map((p) => ({ id: p.id, label: personLabel(p), hint: personHint(p) }))
    },
    async describe(ctx, ids) {
      const out = new Map<string, { label: string; href?: string; visible: boolean }>()
      if (!ids.length) return out
      const rows = await store.peopleByIds(ids)
      for (const row of rows) {
        const allowed = access.can(ctx, 'person:view') && (await access.check(ctx, 'person:view', ref(row))).allowed
        out.set(row.id, allowed ? { label: personLabel(row), href: `/people/${row.id}`, visible: true } : { label: 'A person record you do not have a need to know for', visible: false })
      }
      // Rows row-level security kept back are records the user has no need to know about.
      for (const id of ids) if (!out.has(id)) out.set(id, { label: 'A person record you do not have a need to know for', visible: false })
      return out
    },
    async find(ctx, id) {
      const row = await store.currentPerson(id)
      if (!row || !(await access.check(ctx, 'person:view', ref(row))).allowed) return { ok: false, message: 'Select a person you can see' }
      return { ok: true, label: personLabel(row) }
    },
  }
}

const NETWORK_KINDS = {
  location: { label: 'Location', noun: 'location' },
  line: { label: 'Deal line', noun: 'deal line' },
  vehicle: { label: 'Vehicle', noun: 'vehicle' },
} as const

function networkLabel(e: NetworkRow): string {
  if (e.kind === 'line') return [e.line_name ?? e.label, e.phone_number].filter(Boolean).join(', ') || 'Deal line'
  if (e.kind === 'vehicle') return [e.registration, e.vehicle_description ?? e.label].filter(Boolean).join(', ') || 'Vehicle'
  return e.label || [e.address, e.postcode].filter(Boolean).join(', ') || 'Location'
}

function networkHint(e: NetworkRow): string {
  const parts: string[] = []
  if (e.kind === 'location' && e.location_type) {
    const type = e.location_type.replace(/_/g, ' ')
    parts.push(type[0].toUpperCase() + type.slice(1))
  }
  if (e.kind === 'location' && e.label && e.address) parts.push(e.address)
  if (e.area_name) parts.push(e.area_name)
  return parts.join(', ')
}

/**
 * Locations, deal lines and vehicles from network intelligence (one table of entities, kept by
 * the network capability), under its rules: network:view and need-to-know on the entity.
 */
function networkKind({ access }: ModuleDeps, store: LinksStore, kind: keyof typeof NETWORK_KINDS): LinkKind {
  const ref = (e: NetworkRow) => ({ type: 'network_entity', id: e.id, ownerAgencyId: e.owner_agency_id })
  const seen = async (ctx: RequestContext, e: NetworkRow) => (await access.check(ctx, 'network:view', ref(e))).allowed
  return {
    type: kind,
    label: NETWORK_KINDS[kind].label,
    table: 'network_entities',
    permission: 'network:view',
    createHref: `/network/entities/new?kind=${kind}`,
    createPermission: 'network:edit',
    isOpen: store.entityIsOpen,
    openMeaning: `a ${NETWORK_KINDS[kind].noun} with open intelligence links or in an operation not yet concluded`,
    async search(ctx, q) {
      const rows = await store.searchEntities(kind, q)
      const out: Candidate[] = []
      for (const row of rows) if (out.length < 20 && (await seen(ctx, row))) out.push({ id: row.id, label: networkLabel(row), hint: networkHint(row) })
      return out
    },
    async describe(ctx, ids) {
      const out = new Map<string, { label: string; href?: string; visible: boolean }>()
      if (!ids.length) return out
      const rows = await store.entitiesByIds(ids)
      for (const row of rows) {
        const allowed = access.can(ctx, 'network:view') && (await seen(ctx, row))
        out.set(row.id, allowed ? { label: networkLabel(row), href: `/network/entities/${row.id}`, visible: true } : { label: `A ${NETWORK_KINDS[kind].noun} you do not have a need to know for`, visible: false })
      }
      for (const id of ids) if (!out.has(id)) out.set(id, { label: `A ${NETWORK_KINDS[kind].noun} you do not have a need to know for`, visible: false })
      return out
    },
    async find(ctx, id) {
      const row = await store.entityOfKind(id, kind)
      if (!row || !(await seen(ctx, row))) return { ok: false, message: `Select a ${NETWORK_KINDS[kind].noun} you can see` }
      return { ok: true, label: networkLabel(row) }
    },
  }
}

/**
 * The kinds of record reports link to. Each is offered only when its capability's tables exist
 * in this installation and the officer's role may see that kind of record.
 */
export function linkTargets(deps: ModuleDeps) {
  const store = linksStore(deps.db)
  const kinds: LinkKind[] = [peopleKind(deps, store), networkKind(deps, store, 'location'), networkKind(deps, store, 'line'), networkKind(deps, store, 'vehicle')]
  let present: Promise<Set<string>> | undefined
  const tablesPresent = () => (present ??= store.tableNames().then((names) => new Set(names)))

  async function installed() {
    const tables = await tablesPresent()
    return kinds.filter((k) => tables.has(k.table))
  }

  async function kind(ctx: RequestContext, type: string) {
    const k = (await installed()).find((x) => x.type === type)
    return k && deps.access.can(ctx, k.permission) ? k : undefined
  }

  return {
    /** The kinds this officer can link to here: type, label and, if they may create one, where. */
    async available(ctx: RequestContext) {
      return (await installed())
        .filter((k) => deps.access.can(ctx, k.permission))
        .map((k) => ({ type: k.type, label: k.label, createHref: k.createHref && k.createPermission && deps.access.can(ctx, k.createPermission) ? k.createHref : undefined }))
    },
    /** Every kind installed, whatever the viewer's role: for labelling links. */
    async installedKinds() {
      return (await installed()).map((k) => ({ type: k.type, label: k.label }))
    },
    async search(ctx: RequestContext, type: string, q: string) {
      const k = await kind(ctx, type)
      return k ? k.search(ctx, q) : []
    },
    async authoriseLink(ctx: RequestContext, type: string, id: string): Promise<{ ok: true; label: string } | { ok: false; message: string }> {
      const k = await kind(ctx, type)
      if (!k) return { ok: false, message: 'Select a kind of record you can link to' }
      return k.find(ctx, id)
    },
    /**
     * SQL true when the link `alias` (a row of public_report_links) points at an open record of
     * an installed kind. Links to kinds not installed, or to records that are gone, are not open.
     */
    async openLinkCondition(alias: string): Promise<RawBuilder<boolean>> {
      return store.openLinkCondition(alias, await installed())
    },
    /** What keeps a report linked to each kind, in words. */
    async openMeanings() {
      return (await installed()).map((k) => ({ type: k.type, label: k.label, meaning: k.openMeaning }))
    },
    async describe(
      ctx: RequestContext,
      links: { id: string; entity_type: string; entity_id: string; note: string | null; created_at: Date; created_by_name: string | null }[],
    ): Promise<DescribedLink[]> {
      const all = await installed()
      const out: DescribedLink[] = []
      const byType = new Map<string, string[]>()
      for (const l of links) byType.set(l.entity_type, [...(byType.get(l.entity_type) ?? []), l.entity_id])
      const labels = new Map<string, { label: string; href?: string; visible: boolean }>()
      for (const [type, ids] of byType) {
        const k = all.find((x) => x.type === type)
        if (!k) continue
        for (const [id, d] of await k.describe(ctx, ids)) labels.set(`${type}:${id}`, d)
      }
      for (const l of links) {
        const k = all.find((x) => x.type === l.entity_type)
        const d = labels.get(`${l.entity_type}:${l.entity_id}`) ?? { label: 'A record that no longer exists', visible: false }
        out.push({ ...l, kindLabel: k?.label ?? l.entity_type, ...d })
      }
      return out
    },
  }
}

export type LinkTargets = ReturnType<typeof linkTargets>
