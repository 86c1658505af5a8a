import type { RequestContext } from '../../kernel/context.ts'
import type { ModuleDeps } from '../types.ts'
import { bipartiteDensity, bipartiteNetwork, projection } from '../../analytics/graph/index.ts'
import { networkStore, type EntityRow } from './store.ts'
import { entityKindText, requireUser } from './service.ts'

/**
 * People by what they share: the network's people and the phones (deal lines), addresses,
 * vehicles or groups they are linked to, as a two-mode network, and its people projection (who
 * shares what with whom, how often). Read over the entities and links the user may see, as the
 * paths page reads them: need-to-know and handling codes applied, links graded E or marked wrong
 * left out, closed links kept as history.
 */

export const SHARED_KINDS = [
  { value: 'line', text: 'Phones (deal lines)', plural: 'phones', singular: 'phone', one: 'a phone' },
  { value: 'location', text: 'Addresses', plural: 'addresses', singular: 'address', one: 'an address' },
  { value: 'vehicle', text: 'Vehicles', plural: 'vehicles', singular: 'vehicle', one: 'a vehicle' },
  { value: 'group', text: 'Groups and gangs', plural: 'groups', singular: 'group', one: 'a group' },
] as const
export type SharedKind = (typeof SHARED_KINDS)[number]['value']

export interface TwoModeEntity {
  id: string
  label: string
  kindText: string
}

export interface TwoModeView {
  kind: (typeof SHARED_KINDS)[number]
  /** People linked to at least one thing of the kind, most linked first, each with what they are linked to. */
  people: (TwoModeEntity & { things: TwoModeEntity[]; sharesWith: number })[]
  /** Things of the kind linked to at least one person, most linked first, each with its people. */
  things: (TwoModeEntity & { people: TwoModeEntity[] })[]
  /** Pairs of people sharing at least one thing, most shared first. */
  pairs: { a: TwoModeEntity; b: TwoModeEntity; shared: TwoModeEntity[] }[]
  density: number
  ties: { person: string; thing: string }[]
}

export function twoModeService(deps: ModuleDeps) {
  const { access, audit } = deps
  const store = networkStore(deps.db)

  return {
    async peopleBy(ctx: RequestContext, kindValue: SharedKind): Promise<TwoModeView> {
      const user = requireUser(ctx)
      await access.authorise(ctx, 'network:view')
      const kind = SHARED_KINDS.find((k) => k.value === kindValue)!
      const [entities, links] = await Promise.all([store.visibleEntities(user, ['person', kind.value]), store.visibleLinks(user)])
      const byId = new Map(entities.map((e) => [e.id, e]))
      const ties: [string, string][] = []
      for (const link of links) {
        if (link.status === 'wrong' || link.grade_assessment === 'E') continue
        const [a, b] = [byId.get(link.source_id), byId.get(link.target_id)]
        if (!a || !b || a.kind === b.kind) continue
        ties.push(a.kind === 'person' ? [a.id, b.id] : [b.id, a.id])
      }
      const tied = new Set(ties.flat())
      const inOrder = (person: boolean) => entities.filter((e) => (e.kind === 'person') === person && tied.has(e.id)).map((e) => e.id)
      const network = bipartiteNetwork(inOrder(true), inOrder(false), ties)
      const view = (id: string): TwoModeEntity => {
        const e = byId.get(id) as EntityRow
        return { id, label: e.label, kindText: entityKindText(e) }
      }
      const people = projection(network, 'first')
      const partners = new Array<number>(network.first.length).fill(0)
      for (const edge of people.edges) {
        partners[edge.source]++
        partners[edge.target]++
      }
      const thingsOf = network.first.map(() => [] as number[])
      const peopleOf = network.second.map(() => [] as number[])
      for (const tie of network.ties) {
        thingsOf[tie.first].push(tie.second)
        peopleOf[tie.second].push(tie.first)
      }
      const byLabel = (a: TwoModeEntity, b: TwoModeEntity) => a.label.localeCompare(b.label)
      const result: TwoModeView = {
        kind,
        people: network.first
          .map((id, i) => ({ ...view(id), things: thingsOf[i].map((t) => view(network.second[t])).sort(byLabel), sharesWith: partners[i] }))
          .sort((a, b) => b.things.length - a.things.length || byLabel(a, b)),
        things: network.second.map((id, i) => ({ ...view(id), people: peopleOf[i].map((p) => view(network.first[p])).sort(byLabel) })).sort((a, b) => b.people.length - a.people.length || byLabel(a, b)),
        pairs: people.edges
          .map((edge) => {
            const [a, b] = [view(people.labels[edge.source]), view(people.labels[edge.target])].sort(byLabel)
            return { a, b, shared: edge.shared.map((t) => view(network.second[t])).sort(byLabel) }
          })
          .sort((x, y) => y.shared.length - x.shared.length || byLabel(x.a, y.a) || byLabel(x.b, y.b)),
        density: bipartiteDensity(network),
        ties: network.ties.map((t) => ({ person: network.first[t.first], thing: network.second[t.second] })),
      }
      await audit.record(ctx, { action: 'search', recordType: 'network', details: { report: 'two-mode', by: kind.value, people: result.people.length, things: result.things.length, pairs: result.pairs.length } })
      return result
    },
  }
}
