import type { Level } from '../risk/index.ts'

/**
 * An operation's results in the Home Office's County Lines Programme terms (docs/joint-operations.md),
 * worked out from what was recorded rather than typed a second time. Withdrawn activities, and NRM
 * activities whose referral was voided on the child's record, count for nothing.
 */
export interface OutcomeCounts {
  linesClosed: number
  /** Closed through the arrest and charge of a line holder. */
  type1: number
  /** Closed by deactivating the line's number or SIM, with no line holder charged. */
  type2: number
  lineHoldersCharged: number
  arrests: number
  nrmReferrals: number
  safeguardingReferrals: number
}

export interface CountedActivity {
  operation_id: string
  kind: string
  entity_id: string | null
  withdrawn_at: Date | null
  /** The London day it happened (YYYY-MM-DD); needed only when counting for a period. */
  occurred_on?: string
  nrmVoided?: boolean
}
export interface CountedOutcome {
  operation_id: string
  kind: string
  entity_id: string
  withdrawn_at?: Date | null
  occurred_on?: string
}

/** London days (YYYY-MM-DD), either end left open. */
export interface Period {
  from?: string
  to?: string
}

const within = (day: string | undefined, period: Period) =>
  (!period.from && !period.to) || (day !== undefined && (!period.from || day >= period.from) && (!period.to || day <= period.to))

/** Each key's earliest day among `rows`. */
function firstDays<T>(rows: T[], key: (row: T) => string | null, day: (row: T) => string | undefined): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>()
  for (const row of rows) {
    const k = key(row)
    if (k === null) continue
    const d = day(row)
    const seen = out.get(k)
    if (!out.has(k) || (d !== undefined && (seen === undefined || d < seen))) out.set(k, d)
  }
  return out
}

export const NO_OUTCOMES: OutcomeCounts = { linesClosed: 0, type1: 0, type2: 0, lineHoldersCharged: 0, arrests: 0, nrmReferrals: 0, safeguardingReferrals: 0 }

/**
 * Counts for each operation, and their sum. `lineHolders` maps a line to the people who run it
 * (a `runs` link the viewer may see). A line counts once however often its closure was recorded.
 *
 * For a period, each record counts in the period of its day: a line in the period of its first
 * closure, a line holder in the period of their first charge. Whether a closure is type 1 is a fact
 * about the line and the operation, not the period: a holder charged after the period still makes
 * it type 1 (the Home Office counts the closure "through the arrest and charge of a line holder"),
 * so the periods add up to the whole. Pass every record of the operations, not only the period's.
 */
export function outcomeCounts(activities: CountedActivity[], outcomes: CountedOutcome[], lineHolders: Map<string, Set<string>>, period: Period = {}): OutcomeCounts {
  const total = { ...NO_OUTCOMES }
  for (const operationId of new Set([...activities.map((a) => a.operation_id), ...outcomes.map((o) => o.operation_id)])) {
    const live = activities.filter((a) => a.operation_id === operationId && !a.withdrawn_at && !a.nrmVoided)
    const inPeriod = live.filter((a) => within(a.occurred_on, period))
    const charged = firstDays(
      outcomes.filter((o) => o.operation_id === operationId && o.kind === 'charge' && !o.withdrawn_at),
      (o) => o.entity_id,
      (o) => o.occurred_on,
    )
    const closed = firstDays(
      live.filter((a) => a.kind === 'line_closure'),
      (a) => a.entity_id,
      (a) => a.occurred_on,
    )
    const holdersCharged = new Set<string>()
    for (const [line, closedOn] of closed) {
      const holders = [...(lineHolders.get(line) ?? [])].filter((h) => charged.has(h))
      for (const h of holders) if (within(charged.get(h), period)) holdersCharged.add(h)
      if (!within(closedOn, period)) continue
      total.linesClosed++
      if (holders.length) total.type1++
      else total.type2++
    }
    total.lineHoldersCharged += holdersCharged.size
    total.arrests += inPeriod.filter((a) => a.kind === 'arrest').length
    total.nrmReferrals += inPeriod.filter((a) => a.kind === 'nrm_referral').length
    total.safeguardingReferrals += new Set(inPeriod.filter((a) => a.kind === 'safeguarding_referral').map((a) => a.entity_id ?? a.operation_id)).size
  }
  return total
}

export interface Rating {
  level: Level
  /** The London day it was submitted. */
  on: string
}
export interface RiskAround {
  before: Level | null
  beforeOn: string | null
  after: Level | null
  afterOn: string | null
}

/**
 * A child's risk either side of the day an activity concerned them: before is the last rating on or
 * before that day, after the first rating made after it. With no such day, the rating in force now.
 */
export function riskAround(ratings: Rating[], anchor: string | null): RiskAround {
  const sorted = [...ratings].sort((a, b) => a.on.localeCompare(b.on))
  if (!anchor) {
    const last = sorted.at(-1)
    return { before: last?.level ?? null, beforeOn: last?.on ?? null, after: null, afterOn: null }
  }
  const before = sorted.filter((r) => r.on <= anchor).at(-1)
  const after = sorted.find((r) => r.on > anchor)
  return { before: before?.level ?? null, beforeOn: before?.on ?? null, after: after?.level ?? null, afterOn: after?.on ?? null }
}
