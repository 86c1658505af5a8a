import { describe, expect, it } from 'vitest'
import { decide, type RecordAccess } from './policy.ts'
import { type Actor } from '../kernel/context.ts'
import type { Permission } from './permissions.ts'

const COUNCIL = 'agency-council'
const POLICE = 'agency-police'
const NHS = 'agency-nhs'

function actor(agencyId: string, permissions: Permission[], id = 'user-1'): Actor {
  return { id, agencyId, teamId: null, role: 'test', permissions: new Set(permissions) }
}

function record(overrides: Partial<RecordAccess> = {}): RecordAccess {
  return { type: 'person', id: 'child-1', ownerAgencyId: COUNCIL, sharedAgencyIds: [], sharedUserIds: [], ...overrides }
}

const practitioner: Permission[] = ['person:view', 'person:edit', 'break-glass']
const panel: Permission[] = ['aggregates:view']

describe('decide: role, then need-to-know', () => {
  it.each([
    // who, action, record, allowed, basis or reason
    ['owner agency practitioner views', actor(COUNCIL, practitioner), 'person:view', record(), true, 'owner'],
    ['owner agency practitioner edits', actor(COUNCIL, practitioner), 'person:edit', record(), true, 'owner'],
    ['other agency practitioner views unshared', actor(POLICE, practitioner), 'person:view', record(), false, 'need-to-know'],
    ['other agency practitioner views when shared with agency', actor(POLICE, practitioner), 'person:view', record({ sharedAgencyIds: [POLICE] }), true, 'shared-agency'],
    ['other agency practitioner views when shared with them', actor(NHS, practitioner, 'nurse'), 'person:view', record({ sharedUserIds: ['nurse'] }), true, 'shared-user'],
    ['share with another person does not open it to a colleague', actor(NHS, practitioner, 'colleague'), 'person:view', record({ sharedUserIds: ['nurse'] }), false, 'need-to-know'],
    ['other agency with a recorded justification', actor(POLICE, practitioner), 'person:view', record({ breakGlass: true }), true, 'break-glass'],
    ['panel member never sees a person, even in the owning agency', actor(COUNCIL, panel), 'person:view', record(), false, 'role'],
    ['panel member with a justification still cannot', actor(COUNCIL, panel), 'person:view', record({ breakGlass: true }), false, 'role'],
    ['role check without a record', actor(COUNCIL, panel), 'aggregates:view', undefined, true, 'role'],
    ['justification needs the break-glass permission', actor(POLICE, ['person:view']), 'person:view', record({ breakGlass: true }), false, 'need-to-know'],
  ] as const)('%s', (_name, who, action, rec, allowed, why) => {
    const decision = decide(who, action as Permission, rec)
    expect(decision.allowed).toBe(allowed)
    if (decision.allowed) expect(decision.basis).toBe(why)
    else expect(decision.reason).toBe(why)
  })

  it('offers break glass only to a role that holds it, and only for need-to-know denials', () => {
    expect(decide(actor(POLICE, practitioner), 'person:view', record())).toEqual({ allowed: false, reason: 'need-to-know', canBreakGlass: true })
    expect(decide(actor(POLICE, ['person:view']), 'person:view', record())).toEqual({ allowed: false, reason: 'need-to-know', canBreakGlass: false })
    expect(decide(actor(COUNCIL, panel), 'person:view', record())).toEqual({ allowed: false, reason: 'role', canBreakGlass: false })
  })
})
