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
  nrmVoided?: boolean
}
export interface CountedOutcome {
  operation_id: string
  kind: string
  entity_id: string
  withdrawn_at?: Date | null
}

export const NO_OUTCOMES: OutcomeCounts = { linesClosed: 0, type1: 0, type2: 0, lineHoldersCharged: 0, arrests: 0, nrmReferrals: 0, safeguardingReferrals: 0 }

/**
 * Counts for each operation, and their sum. `lineHolders` maps a line to the people who run it
 * (a `runs` link the viewer may see). A line counts once however often its closure was recorded.
 */
export function outcomeCounts(activities: CountedActivity[], outcomes: CountedOutcome[], lineHolders: Map<string, Set<string>>): OutcomeCounts {
  const total = { ...NO_OUTCOMES }
  for (const operationId of new Set([...activities.map((a) => a.operation_id), ...outcomes.map((o) => o.operation_id)])) {
    const live = activities.filter((a) => a.operation_id === operationId && !a.withdrawn_at && !a.nrmVoided)
    const charged = new Set(outcomes.filter((o) => o.operation_id === operationId && o.kind === 'charge' && !o.withdrawn_at).map((o) => o.entity_id))
    const closed = new Set(live.filter((a) => a.kind === 'line_closure' && a.entity_id).map((a) => a.entity_id!))
    const holdersCharged = new Set<string>()
    for (const line of closed) {
      const holders = [...(lineHolders.get(line) ?? [])].filter((h) => charged.has(h))
      if (holders.length) {
        total.type1++
        for (const h of holders) holdersCharged.add(h)
      } else total.type2++
    }
    total.linesClosed += closed.size
    total.lineHoldersCharged += holdersCharged.size
    total.arrests += live.filter((a) => a.kind === 'arrest').length
    total.nrmReferrals += live.filter((a) => a.kind === 'nrm_referral').length
    total.safeguardingReferrals += new Set(live.filter((a) => a.kind === 'safeguarding_referral').map((a) => a.entity_id ?? a.operation_id)).size
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
