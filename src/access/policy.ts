import type { Actor, AuthMethod } from '../kernel/context.ts'
import type { Permission } from './permissions.ts'

/** The ownership facts of a personal record: who holds it and who it has been shared with. */
export interface RecordAccess {
  type: string
  id: string
  ownerAgencyId: string
  /** Agencies and people with a live share: not revoked and not past its expiry. */
  sharedAgencyIds: readonly string[]
  sharedUserIds: readonly string[]
  /** When the actor's live justification ("break glass") for this record ends, if they hold one. */
  breakGlassUntil?: Date | null
  /** The record this one was merged into: it is kept, read-only, for its history. */
  retiredInto?: string | null
  /** A closed record (its work has ended): read-only until a manager reopens it. */
  closed?: boolean
}

/** What a caller says it is doing beyond the permission, where the rule depends on it. */
export interface DecideOptions {
  /**
   * Asking for a closed record to be reopened: the one change a closed record allows, asked by
   * anyone who could change it were it open (a manager then decides).
   */
  askingToReopen?: boolean
}

export type Decision =
  | { allowed: true; basis: 'role' | 'owner' | 'shared-agency' | 'shared-user' }
  | { allowed: true; basis: 'break-glass'; breakGlassUntil: Date }
  | { allowed: false; reason: DenialReason; canBreakGlass: boolean }

export type DenialReason = 'role' | 'need-to-know' | 'break-glass-read-only' | 'retired' | 'closed'

/** What break glass opens: reading the record, nothing that changes, shares or exports it. */
export const BREAK_GLASS_OPENS: ReadonlySet<Permission> = new Set<Permission>(['person:view', 'network:view'])

/**
 * The one list of what changes or passes on a person's record (their details, notes, screenings,
 * episodes, referrals and notices, shares, and the network entity that stands for them). Refused
 * on a record merged into another, whose work now belongs on the record kept, and on a closed
 * record, read-only until reopened. Undoing a merge (linkage:merge) and deciding a closure
 * (person:close) stay open: they are how a record comes back. src/access/change-paths.int.test.ts
 * fails when a change path reaches the database without this rule.
 */
export const CHANGES_A_RECORD: ReadonlySet<Permission> = new Set<Permission>(['person:edit', 'person:share', 'note:create', 'assessment:create', 'assessment:confirm-red', 'network:edit'])

/**
 * What only the owning agency may do: a share or a justification never passes a record on, nor
 * the right to disclose it (the owner is the controller who answers a subject access request), nor
 * to close or reopen it.
 */
const OWNER_ONLY: ReadonlySet<Permission> = new Set<Permission>(['person:share', 'person:disclose', 'person:close'])

/**
 * May this actor do this action, and on this record if one is named? The role must hold the
 * permission; for a personal record the actor must also have a need to know: their agency owns
 * the record, it is shared with their agency or with them, or they recorded a justification
 * ("break glass") in a signed-in session. Break glass only lets them read; it never applies to a
 * request made with an API token (or any way in other than a session). Only the owning agency
 * shares. Pure, so every rule is tested as a table.
 */
export function decide(actor: Actor, action: Permission, record: RecordAccess | undefined, via: AuthMethod | undefined, options: DecideOptions = {}): Decision {
  if (!actor.permissions.has(action)) {
    return { allowed: false, reason: 'role', canBreakGlass: false }
  }
  if (!record) return { allowed: true, basis: 'role' }
  const access = needToKnow(actor, action, record, via)
  // Only someone who may know the record is told it is merged or closed.
  if (!access.allowed || !CHANGES_A_RECORD.has(action)) return access
  if (record.retiredInto) return { allowed: false, reason: 'retired', canBreakGlass: false }
  if (record.closed && !(options.askingToReopen && action === 'person:edit')) return { allowed: false, reason: 'closed', canBreakGlass: false }
  return access
}

/** The need-to-know half of `decide`: owner, shares, then a justification. */
function needToKnow(actor: Actor, action: Permission, record: RecordAccess, via: AuthMethod | undefined): Decision {
  if (record.ownerAgencyId === actor.agencyId) return { allowed: true, basis: 'owner' }
  const breakGlassApplies = via === 'session' && actor.permissions.has('break-glass')
  if (!OWNER_ONLY.has(action)) {
    if (record.sharedAgencyIds.includes(actor.agencyId)) return { allowed: true, basis: 'shared-agency' }
    if (record.sharedUserIds.includes(actor.id)) return { allowed: true, basis: 'shared-user' }
  }
  if (breakGlassApplies && record.breakGlassUntil) {
    if (BREAK_GLASS_OPENS.has(action)) return { allowed: true, basis: 'break-glass', breakGlassUntil: record.breakGlassUntil }
    return { allowed: false, reason: 'break-glass-read-only', canBreakGlass: false }
  }
  return { allowed: false, reason: 'need-to-know', canBreakGlass: breakGlassApplies && BREAK_GLASS_OPENS.has(action) }
}
