import type { ModuleDeps } from '../types.ts'
import type { RequestContext } from '../../kernel/context.ts'
import { londonDay } from '../../kernel/london.ts'
import { missingEpisodesForPerson } from '../missing/index.ts'
import { publicReportStats } from '../public/index.ts'
import { gradeText, linkFromEnd, linkTypeText, networkService, requireUser } from './service.ts'
import type { ScopeInput } from './schemas.ts'

export type TimelineKind = 'link' | 'operation' | 'missing' | 'public' | 'record'

export interface TimelineEvent {
  /** ISO date, in London. */
  date: string
  kind: TimelineKind
  text: string
  /** The entity the event is about, for its link. */
  entityId: string
  entityLabel: string
}

/** The kinds as a reader names them, in the order the filter lists them. */
export const TIMELINE_KINDS: { value: TimelineKind; text: string }[] = [
  { value: 'link', text: 'Links first and last seen, closed or marked wrong' },
  { value: 'operation', text: 'Operation activities' },
  { value: 'missing', text: 'Children missing and found' },
  { value: 'public', text: 'Reports from the public' },
  { value: 'record', text: 'Changes to the records' },
]

/** Events after the timeline's end date, or before its start, are left out; undefined ends are open. */
function within(date: string, from?: string, to?: string): boolean {
  return (!from || date >= from) && (!to || date <= to)
}

/**
 * The timeline of a scoped network (the explorer's scope: the whole partnership, an operation, or a
 * line, group or person's network): when each link was first and last seen and closed, the
 * operation activities against its entities, its children's missing episodes, the reports from the
 * public linked to its places and lines, and changes to its records. Only what the explorer would
 * show the user: the entities and links come from the same need-to-know walk, activities from
 * operations their agency takes part in, episodes under their own row-level security, and of a
 * public report only the day it came in. Newest first, grouped by month. Audited as a search.
 */
export function scopeTimeline(deps: ModuleDeps) {
  const { db, access, audit } = deps
  const network = networkService(deps)

  return async function timeline(ctx: RequestContext, input: ScopeInput, chosen: readonly TimelineKind[] = TIMELINE_KINDS.map((k) => k.value)) {
    await access.authorise(ctx, 'network:view')
    const user = requireUser(ctx)
    const { rows, description, limited } = await network.scoped(ctx, input)
    const entities = new Map(rows.entities.map((e) => [e.id, e]))
    const [from, to] = input.asAt ? [undefined, input.asAt] : [input.from, input.to]
    const ids = [...entities.keys()]
    const events: TimelineEvent[] = []
    const add = (event: Omit<TimelineEvent, 'entityLabel'>) => {
      if (within(event.date, from, to)) events.push({ ...event, entityLabel: entities.get(event.entityId)!.label })
    }

    for (const l of rows.links) {
      const target = entities.get(l.target_id)!.label
      const told = `${entities.get(l.source_id)!.label} ${linkFromEnd(l, l.source_id, target).sentence}`
      if (l.first_seen) add({ date: l.first_seen, kind: 'link', text: `First seen: ${told} (${gradeText(l)})`, entityId: l.source_id })
      if (l.last_seen) add({ date: l.last_seen, kind: 'link', text: `Last seen: ${told}`, entityId: l.source_id })
      if (l.status !== 'open' && l.status_changed_at) {
        add({ date: londonDay(l.status_changed_at), kind: 'link', text: `${l.status === 'wrong' ? 'Marked wrong' : 'Closed'}: ${told} (${linkTypeText(l.type).toLowerCase()}): ${l.status_reason ?? ''}`, entityId: l.source_id })
      }
    }
    for (const a of await network.store.activitiesOn(user, ids)) {
      add({ date: a.occurred_on, kind: 'operation', text: `${a.operation_name}: ${a.kind.replace(/_/g, ' ')}${a.description ? `: ${a.description}` : ''}`, entityId: a.entity_id! })
    }
    for (const e of rows.entities.filter((e) => e.person_id && e.person_kind === 'child')) {
      for (const m of await missingEpisodesForPerson(db, e.person_id!)) {
        if (m.voided_at) continue
        add({ date: londonDay(m.reported_missing_at), kind: 'missing', text: `${e.label} reported missing`, entityId: e.id })
        if (m.found_at) add({ date: londonDay(m.found_at), kind: 'missing', text: `${e.label} found${m.found_out_of_area ? ` out of area${m.found_area_name ? `, in ${m.found_area_name}` : ''}` : ''}`, entityId: e.id })
      }
    }
    const reports = publicReportStats(db)
    for (const kind of ['line', 'location', 'vehicle', 'group'] as const) {
      const ofKind = rows.entities.filter((e) => e.kind === kind).map((e) => e.id)
      for (const r of await reports.reportDatesFor(kind, ofKind)) add({ date: r.received_on, kind: 'public', text: 'Reported by the public', entityId: r.entity_id })
    }
    for (const ev of await network.store.entityEvents(ids)) {
      add({ date: londonDay(ev.at), kind: 'record', text: `${ev.summary}${ev.actor ? ` by ${ev.actor}` : ''}`, entityId: ev.entity_id })
    }

    const kinds = new Set(chosen)
    const shown = events.filter((e) => kinds.has(e.kind)).sort((a, b) => b.date.localeCompare(a.date) || a.text.localeCompare(b.text))
    const months: { month: string; events: TimelineEvent[] }[] = []
    for (const event of shown) {
      const month = event.date.slice(0, 7)
      if (months.at(-1)?.month !== month) months.push({ month, events: [] })
      months.at(-1)!.events.push(event)
    }
    await audit.record(ctx, { action: 'search', recordType: 'network', details: { report: 'timeline', scope: input.scope, operationId: input.operationId, entityId: input.entityId, events: shown.length } })
    return { description, limited, months, count: shown.length }
  }
}
