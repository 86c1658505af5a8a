/**
 * Line continuity: when a deal line's number is closed (a DDTRO, a seizure), the line usually
 * carries on under a new number that texts the same customers from the same places at the same
 * hours. This scores each new number by how much its calling pattern overlaps the closed line's,
 * so an analyst reviews the few that look like the same line rather than every new number.
 *
 * Pure: calls in, scores out. Which calls, which numbers are new and what hour of the week a call
 * fell in (in London) are the caller's business.
 */

/** One call as the scoring sees it. `hourOfWeek` is 0 (Monday 00:00-00:59) to 167 (Sunday 23:00). */
export interface ScoredCall {
  caller: string
  callee: string
  hourOfWeek: number
  /** The cell site of the caller's handset, when the data has one. */
  cellSite: string | null
}

/** A number's calling pattern: who it talks to, from where, when; each as counts. */
export interface CallProfile {
  calls: number
  contacts: Map<string, number>
  places: Map<string, number>
  hours: Map<number, number>
}

export interface ContinuityWeights {
  contacts: number
  places: number
  hours: number
}

export interface ContinuityOptions {
  weights: ContinuityWeights
  /** A score at or above this flags the number for review. */
  threshold: number
  /** Fewer calls than this tell too little to flag. */
  minCalls: number
}

/**
 * The defaults, measured on generated data by bench/line-continuity.ts (docs/performance.md):
 * contacts carry most of the evidence (a line's customer list is what its holder cannot replace),
 * places and hours separate a successor from a customer's own new phone.
 */
export const DEFAULT_CONTINUITY: ContinuityOptions = { weights: { contacts: 0.6, places: 0.25, hours: 0.15 }, threshold: 0.3, minCalls: 5 }

/**
 * Which calls a closure is judged on: the closed line's over `daysBefore` days up to its closure;
 * as candidates, numbers first seen no earlier than `newDaysBefore` days before it (a successor is
 * often ready first) that called or were called by the closed line's contacts within `daysAfter`.
 */
export const CONTINUITY_WINDOW = { daysBefore: 90, daysAfter: 90, newDaysBefore: 14 }

/**
 * The candidates for a closed line's successor among timed calls (`at`, ms), by the rule of
 * `CONTINUITY_WINDOW`: new numbers in contact with the closed line's contacts, other than its own.
 */
export function candidateNumbers(calls: Iterable<ScoredCall & { at: number }>, lineNumbers: ReadonlySet<string>, contacts: ReadonlySet<string>, closedAt: number): Set<string> {
  const day = 86_400_000
  const newSince = closedAt - CONTINUITY_WINDOW.newDaysBefore * day
  const until = closedAt + CONTINUITY_WINDOW.daysAfter * day
  const seenBefore = new Set<string>()
  const inContact = new Set<string>()
  for (const c of calls) {
    if (c.at < newSince) {
      seenBefore.add(c.caller)
      seenBefore.add(c.callee)
      continue
    }
    if (c.at >= until) continue
    if (contacts.has(c.caller) && !contacts.has(c.callee)) inContact.add(c.callee)
    if (contacts.has(c.callee) && !contacts.has(c.caller)) inContact.add(c.caller)
  }
  for (const n of [...inContact]) if (seenBefore.has(n) || lineNumbers.has(n)) inContact.delete(n)
  return inContact
}

export interface SuccessorScore {
  number: string
  score: number
  /** Each part in 0..1: the overlap of the two numbers' shares of calls by contact, cell site and hour of the week. */
  contacts: number
  places: number
  hours: number
  /** Contacts both numbers called or were called by. */
  sharedContacts: number
  calls: number
  flagged: boolean
}

function bump<K>(map: Map<K, number>, key: K) {
  map.set(key, (map.get(key) ?? 0) + 1)
}

/**
 * The profile of a set of numbers (one line may have held several) from the calls given: calls
 * between the numbers themselves are left out, as they say nothing about the line's customers.
 */
export function profileOf(numbers: ReadonlySet<string>, calls: Iterable<ScoredCall>): CallProfile {
  const profile: CallProfile = { calls: 0, contacts: new Map(), places: new Map(), hours: new Map() }
  for (const call of calls) {
    const outgoing = numbers.has(call.caller)
    const incoming = numbers.has(call.callee)
    if (outgoing === incoming) continue
    profile.calls++
    bump(profile.contacts, outgoing ? call.callee : call.caller)
    // The cell site belongs to the caller's handset: it places the line only on its own calls.
    if (outgoing && call.cellSite) bump(profile.places, call.cellSite)
    bump(profile.hours, call.hourOfWeek)
  }
  return profile
}

/** Profiles of many numbers at once, each from its own calls (one pass over the calls). */
export function profilesOf(numbers: ReadonlySet<string>, calls: Iterable<ScoredCall>): Map<string, CallProfile> {
  const profiles = new Map<string, CallProfile>()
  const of = (n: string) => {
    let p = profiles.get(n)
    if (!p) profiles.set(n, (p = { calls: 0, contacts: new Map(), places: new Map(), hours: new Map() }))
    return p
  }
  for (const call of calls) {
    for (const [self, other, outgoing] of [
      [call.caller, call.callee, true],
      [call.callee, call.caller, false],
    ] as const) {
      if (!numbers.has(self) || self === other) continue
      const p = of(self)
      p.calls++
      bump(p.contacts, other)
      if (outgoing && call.cellSite) bump(p.places, call.cellSite)
      bump(p.hours, call.hourOfWeek)
    }
  }
  return profiles
}

/**
 * The overlap of two count maps as shares (histogram intersection): the sum over keys of the
 * smaller share. 1 when both spread their calls the same way, 0 when they share nothing; 0 when
 * either has no counts (no cell sites in the data says nothing either way, and scores nothing).
 */
export function overlap<K>(a: ReadonlyMap<K, number>, b: ReadonlyMap<K, number>, leaveOut?: ReadonlySet<K>): number {
  let totalA = 0
  let totalB = 0
  for (const [k, v] of a) if (!leaveOut?.has(k)) totalA += v
  for (const [k, v] of b) if (!leaveOut?.has(k)) totalB += v
  if (!totalA || !totalB) return 0
  const [small, large, totalSmall, totalLarge] = a.size <= b.size ? [a, b, totalA, totalB] : [b, a, totalB, totalA]
  let sum = 0
  for (const [k, v] of small) {
    if (leaveOut?.has(k)) continue
    const w = large.get(k)
    if (w) sum += Math.min(v / totalSmall, w / totalLarge)
  }
  return sum
}

/**
 * Scores each candidate against the closed line. A candidate's calls with the closed line's own
 * numbers are left out of its contacts (a handset ringing the old number says nothing about the
 * customers). Highest score first; ties by number, so the order never depends on input order.
 */
export function scoreSuccessors(closedNumbers: ReadonlySet<string>, closed: CallProfile, candidates: ReadonlyMap<string, CallProfile>, options: ContinuityOptions = DEFAULT_CONTINUITY): SuccessorScore[] {
  const { weights } = options
  const total = weights.contacts + weights.places + weights.hours
  const scores: SuccessorScore[] = []
  for (const [number, profile] of candidates) {
    if (closedNumbers.has(number)) continue
    const contacts = overlap(closed.contacts, profile.contacts, closedNumbers)
    const places = overlap(closed.places, profile.places)
    const hours = overlap(closed.hours, profile.hours)
    let sharedContacts = 0
    for (const c of profile.contacts.keys()) if (!closedNumbers.has(c) && closed.contacts.has(c)) sharedContacts++
    const score = (weights.contacts * contacts + weights.places * places + weights.hours * hours) / total
    scores.push({ number, score, contacts, places, hours, sharedContacts, calls: profile.calls, flagged: score >= options.threshold && profile.calls >= options.minCalls && sharedContacts > 0 })
  }
  return scores.sort((a, b) => b.score - a.score || (a.number < b.number ? -1 : a.number > b.number ? 1 : 0))
}
