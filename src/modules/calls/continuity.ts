import type { Db } from '../../db/index.ts'
import { fromLondon } from '../../kernel/london.ts'
import { networkStore } from '../network/index.ts'
import { profileOf, profilesOf, scoreSuccessors, CONTINUITY_WINDOW, type ScoredCall } from '../../analytics/continuity/index.ts'
import { toE164 } from './csv.ts'
import { callsStore, type CallForScoring, type CallsStore } from './store.ts'

const DAY_MS = 86_400_000

const scored = (c: CallForScoring): ScoredCall => ({ caller: c.caller, callee: c.callee, hourOfWeek: Number(c.hour_of_week), cellSite: c.cell_site })

/** A line's or person's numbers: the line's own, and every number attributed to the entity. */
export async function numbersOf(store: CallsStore, entity: { id: string; phone_number: string | null }) {
  const attributions = await store.attributions(entity.id)
  const own = entity.phone_number ? toE164(entity.phone_number) : null
  const numbers = [...new Set([...(own ? [own] : []), ...attributions.map((a) => a.number)])]
  return { numbers, attributions, own }
}

/**
 * Scores the new numbers against every closed line the agency may see (or one), and records those
 * that look like a successor for an analyst to review. Run after each import and from a line's
 * calls page. The candidates are the numbers new since shortly before the closure that called or
 * were called by the closed line's contacts (`CONTINUITY_WINDOW`): the same rule as
 * `candidateNumbers` in the library, here in SQL over the calls the agency may see.
 */
export async function flagLineSuccessors(db: Db, agencyId: string, viewerId: string, onlyLine?: string): Promise<number> {
  const store = callsStore(db)
  const network = networkStore(db)
  const viewer = { id: viewerId, agencyId }
  const lines = onlyLine ? [onlyLine] : (await network.visibleEntities(viewer, ['line'])).map((e) => e.id)
  const closures = await network.lineClosures(viewer, lines)
  const latest = new Map<string, string>()
  for (const c of closures) if (c.entity_id && !latest.has(c.entity_id)) latest.set(c.entity_id, c.occurred_on)
  let flagged = 0
  for (const [lineId, closedOn] of latest) {
    const entity = await network.entity(lineId)
    if (!entity) continue
    const { numbers, attributions, own } = await numbersOf(store, entity)
    // The line as it was: its own number and those attributed to it before it closed.
    const before = [...new Set([...(own ? [own] : []), ...attributions.filter((a) => a.from_date <= closedOn).map((a) => a.number)])]
    if (!before.length) continue
    const closedAt = fromLondon(closedOn, '00:00')
    const from = new Date(closedAt.getTime() - CONTINUITY_WINDOW.daysBefore * DAY_MS)
    const dayAfter = new Date(closedAt.getTime() + DAY_MS)
    const until = new Date(closedAt.getTime() + CONTINUITY_WINDOW.daysAfter * DAY_MS)
    const newSince = new Date(closedAt.getTime() - CONTINUITY_WINDOW.newDaysBefore * DAY_MS)
    const profile = profileOf(new Set(before), (await store.callsOf(agencyId, before, from, dayAfter)).map(scored))
    const candidates = await store.newNumbersInContact(agencyId, [...profile.contacts.keys()], numbers, newSince, until, newSince)
    if (!candidates.length) continue
    const candidateCalls = (await store.callsOf(agencyId, candidates, newSince, until)).map(scored)
    const scores = scoreSuccessors(new Set(numbers), profile, profilesOf(new Set(candidates), candidateCalls)).filter((s) => s.flagged)
    const firsts = await store.firstCalls(agencyId, scores.map((s) => s.number))
    for (const s of scores) {
      await store.upsertFlag({
        line_entity_id: lineId,
        owner_agency_id: agencyId,
        closed_on: closedOn,
        number: s.number,
        score: s.score,
        contacts: s.contacts,
        places: s.places,
        hours: s.hours,
        shared_contacts: s.sharedContacts,
        calls: s.calls,
        first_call: firsts.get(s.number) ?? closedAt,
      })
      flagged++
    }
  }
  return flagged
}
