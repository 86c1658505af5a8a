import type { Db } from '../../db/index.ts'
import { NotFoundError } from '../../kernel/errors.ts'
import { evidenceWording, formatReference, statusLabel } from './domain.ts'
import { scrutinyStore, type TrackerFilter } from './store.ts'
import { decorate, TRACKER_PAGE, type Decorated } from './decorate.ts'
import type { Clock } from '../../kernel/clock.ts'
import { programme } from './strategy.ts'
import { traceStore } from './trace-store.ts'
import type { TrackerQuery } from './schemas.ts'

/**
 * The public side of the tracker: no sign-in, nothing restricted, ever. Every query here asks the
 * store for public visibility (a public body, an item that is not restricted and not made under a
 * restricted agenda item), and files are checked the same way before they are sent.
 */

/** What the public may know about how an item was handled: events and dates, never addresses. */
const PUBLIC_EVIDENCE = new Set(['made', 'sent', 'due_set', 'reminder_queued', 'reminder_sent', 'not_sent', 'response_received', 'answered', 'chased', 'became_overdue'])

export function publicScrutiny(db: Db, clock: Clock) {
  const today = () => clock.today()
  const store = scrutinyStore(db)

  async function publicBody(slug: string) {
    const body = await store.bodyBySlug(slug)
    if (!body || !body.public) throw new NotFoundError()
    return body
  }

  function filterFrom(query: Partial<TrackerQuery>): TrackerFilter {
    return { kinds: query.kind, statuses: query.status, rags: query.rag, overdueOnly: query.overdue, openOnly: (query.show ?? 'all') === 'open', q: query.q }
  }

  return {
    async bodies() {
      const day = today()
      const [bodies, counts] = await Promise.all([store.bodies(true), store.bodyCounts(day, { public: true })])
      return { bodies: bodies.map((b) => ({ ...b, counts: counts.get(b.id) })), today: day }
    },

    async body(slug: string, query: Partial<TrackerQuery>, page = 1) {
      const body = await publicBody(slug)
      const day = today()
      const filter = { ...filterFrom(query), bodyIds: [body.id] }
      const [members, scrutinises, meetings, rows, total, counts] = await Promise.all([
        store.members(body.id),
        store.scrutinises(body.id),
        store.meetings(body.id),
        store.tracker(filter, { public: true }, day, { limit: TRACKER_PAGE, offset: (page - 1) * TRACKER_PAGE }),
        store.trackerCount(filter, { public: true }, day),
        store.bodyCounts(day, { public: true }),
      ])
      const work = await programme(db, body.id, day)
      work.assessments = work.assessments.filter((f) => !f.restricted)
      work.files = work.files.filter((f) => !f.restricted)
      return {
        body,
        members,
        scrutinises,
        upcoming: meetings.filter((m) => m.meeting_date >= day).reverse(),
        past: meetings.filter((m) => m.meeting_date < day),
        rows: rows.map((r) => decorate(r, day)),
        total,
        page,
        pages: Math.max(1, Math.ceil(total / TRACKER_PAGE)),
        counts: counts.get(body.id),
        work,
        today: day,
      }
    },

    async meeting(slug: string, meetingId: string) {
      const body = await publicBody(slug)
      const meeting = await store.meeting(meetingId)
      if (!meeting || meeting.body_id !== body.id) throw new NotFoundError()
      const day = today()
      const agenda = (await store.agendaItems(meetingId)).filter((a) => !a.restricted)
      const files = (await store.filesFor({ agendaItemIds: agenda.map((a) => a.id) })).filter((f) => !f.restricted)
      const items = (await store.tracker({ meetingId }, { public: true }, day)).map((r) => decorate(r, day))
      return {
        body,
        meeting: { ...meeting, minutes: meeting.minutes_published ? meeting.minutes : '' },
        agenda: agenda.map((a) => ({ ...a, minutes: meeting.minutes_published ? a.minutes : '', files: files.filter((f) => f.agenda_item_id === a.id) })),
        items,
        today: day,
      }
    },

    async item(slug: string, itemId: string) {
      const body = await publicBody(slug)
      const day = today()
      const [row] = await store.tracker({ ids: [itemId], bodyIds: [body.id] }, { public: true }, day)
      if (!row) throw new NotFoundError()
      const trace = traceStore(db)
      const [history, responses, evidence, actions, indicators] = await Promise.all([store.history(itemId), store.responses(itemId), store.evidence(itemId), trace.actionsFor(itemId), trace.indicatorsFor(itemId)])
      return {
        body,
        item: decorate(row, day),
        history: history.map((h) => ({ id: h.id, status: h.status, statusText: statusLabel(h.status), rag: h.rag, reason: h.reason, note: h.note, changed_at: h.changed_at, by: h.changed_by_agency })),
        responses: responses.map((r) => ({ id: r.id, responded_on: r.responded_on, text: r.text, responder: r.responder, answers: r.answers, recorded_at: r.recorded_at })),
        evidence: evidence.filter((e) => PUBLIC_EVIDENCE.has(e.event)).map((e) => ({ id: e.id, event: e.event, occurred_on: e.occurred_on, ...evidenceWording(e), recorded_at: e.recorded_at })),
        trace: { actions, indicators },
        today: day,
      }
    },

    /** An item's public page by its id alone (for followers): null once it is no longer public. */
    async itemById(itemId: string) {
      const [row] = await store.tracker({ ids: [itemId] }, { public: true }, today())
      if (!row) return null
      return this.item(row.body_slug, itemId)
    },

    /** A file anyone may download: not restricted, under an agenda item that is not, of a public body. */
    async file(id: string) {
      const file = await store.file(id)
      if (!file || file.restricted || file.agenda_item_restricted || file.event_id || !file.owner_body_id || !file.content) throw new NotFoundError()
      const body = await store.body(file.owner_body_id)
      if (!body?.public) throw new NotFoundError()
      return file
    },

    /** The open-data tracker: every public item with its responses and status history. */
    async openData(slug?: string) {
      const day = today()
      const body = slug ? await publicBody(slug) : null
      const filter = body ? { bodyIds: [body.id] } : {}
      const [rows, responses, history] = await Promise.all([
        store.tracker(filter, { public: true }, day),
        store.responsesWhere(filter, { public: true }, day),
        store.historyWhere(filter, { public: true }, day),
      ])
      const group = <T extends { item_id: string }>(list: T[]) => {
        const map = new Map<string, T[]>()
        for (const x of list) map.set(x.item_id, [...(map.get(x.item_id) ?? []), x])
        return map
      }
      return { body, rows: rows.map((r) => decorate(r, day)), responses: group(responses), history: group(history), today: day }
    },

    async activity(slug?: string, limit = 50) {
      const body = slug ? await publicBody(slug) : null
      const day = today()
      const entries = await store.publicActivity(limit, day, body?.id)
      const ids = [...new Set(entries.map((e) => e.item_id))]
      const rows = new Map((await store.tracker({ ids }, { public: true }, day)).map((r) => [r.id, decorate(r, day)] as [string, Decorated]))
      return { body, entries: entries.filter((e) => rows.has(e.item_id)).map((e) => ({ ...e, item: rows.get(e.item_id)! })), today: day }
    },

    reference: formatReference,
  }
}
