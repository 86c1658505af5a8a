import type { Actor } from '../kernel/context.ts'
import type { Permission } from './permissions.ts'

/** The ownership facts of a personal record: who holds it and who it has been shared with. */
export interface RecordAccess {
  type: string
  id: string
  ownerAgencyId: string
  sharedAgencyIds: readonly string[]
  sharedUserIds: readonly string[]
  /** The actor recorded a justification for this record and it has not expired. */
  breakGlass?: boolean
}

export type Decision =
  | { allowed: true; basis: 'role' | 'owner' | 'shared-agency' | 'shared-user' | 'break-glass' }
  | { allowed: false; reason: 'role' | 'need-to-know'; canBreakGlass: boolean }

/**
 * May this actor do this action, and on this record if one is named? The role must hold the
 * permission; for a personal record the actor must also have a need to know: their agency owns
 * the record, it is shared with their agency or with them, or they recorded a justification
 * ("break glass"). Pure, so every rule is tested as a table.
 */
export function decide(actor: Actor, action: Permission, record?: RecordAccess): Decision {
  if (!actor.permissions.has(action)) {
    return { allowed: false, reason: 'role', canBreakGlass: false }
  }
  if (!record) return { allowed: true, basis: 'role' }
  if (record.ownerAgencyId === actor.agencyId) return { allowed: true, basis: 'owner' }
  if (record.sharedAgencyIds.includes(actor.agencyId)) return { allowed: true, basis: 'shared-agency' }
  if (record.sharedUserIds.includes(actor.id)) return { allowed: true, basis: 'shared-user' }
  if (record.breakGlass && actor.permissions.has('break-glass')) return { allowed: true, basis: 'break-glass' }
  return { allowed: false, reason: 'need-to-know', canBreakGlass: actor.permissions.has('break-glass') }
}
