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
    ['other agency with a recorded justification', actor(POLICE, practitioner), 'person:view', record({ breakGlassUntil: new Date('2030-01-01T18:00:00Z') }), true, 'break-glass'],
    ['panel member never sees a person, even in the owning agency', actor(COUNCIL, panel), 'person:view', record(), false, 'role'],
    ['panel member with a justification still cannot', actor(COUNCIL, panel), 'person:view', record({ breakGlassUntil: new Date('2030-01-01T18:00:00Z') }), false, 'role'],
    ['role check without a record', actor(COUNCIL, panel), 'aggregates:view', undefined, true, 'role'],
    ['justification needs the break-glass permission', actor(POLICE, ['person:view']), 'person:view', record({ breakGlassUntil: new Date('2030-01-01T18:00:00Z') }), false, 'need-to-know'],
  ] as const)('%s', (_name, who, action, rec, allowed, why) => {
    const decision = decide(who, action as Permission, rec, 'session')
    expect(decision.allowed).toBe(allowed)
    if (decision.allowed) expect(decision.basis).toBe(why)
    else expect(decision.reason).toBe(why)
  })

  it('offers break glass only to a role that holds it, and only for need-to-know denials', () => {
    expect(decide(actor(POLICE, practitioner), 'person:view', record(), 'session')).toEqual({ allowed: false, reason: 'need-to-know', canBreakGlass: true })
    expect(decide(actor(POLICE, ['person:view']), 'person:view', record(), 'session')).toEqual({ allowed: false, reason: 'need-to-know', canBreakGlass: false })
    expect(decide(actor(COUNCIL, panel), 'person:view', record(), 'session')).toEqual({ allowed: false, reason: 'role', canBreakGlass: false })
  })
})

describe('decide: break glass is read-only, owner-only sharing, never through the API', () => {
  const until = new Date('2030-01-01T18:00:00Z')
  const underBreakGlass = record({ breakGlassUntil: until })
  const manager: Permission[] = ['person:view', 'person:edit', 'person:share', 'person:export', 'note:create', 'assessment:create', 'network:view', 'break-glass']

  it('opens a record to be read, with its expiry, in a signed-in session', () => {
    expect(decide(actor(POLICE, manager), 'person:view', underBreakGlass, 'session')).toEqual({ allowed: true, basis: 'break-glass', breakGlassUntil: until })
    expect(decide(actor(POLICE, manager), 'network:view', underBreakGlass, 'session')).toMatchObject({ allowed: true, basis: 'break-glass' })
  })

  it.each(['person:edit', 'person:share', 'person:export', 'note:create', 'assessment:create'] as const)('never allows %s under break glass', (action) => {
    expect(decide(actor(POLICE, manager), action, underBreakGlass, 'session')).toEqual({ allowed: false, reason: 'break-glass-read-only', canBreakGlass: false })
  })

  it('ignores break glass for an API token, and when the way of signing in is not known', () => {
    expect(decide(actor(POLICE, manager), 'person:view', underBreakGlass, 'api-token')).toEqual({ allowed: false, reason: 'need-to-know', canBreakGlass: false })
    expect(decide(actor(POLICE, manager), 'person:view', underBreakGlass, undefined)).toMatchObject({ allowed: false, reason: 'need-to-know' })
  })

  it('lets only the owning agency share: not an agency or a person it is shared with', () => {
    expect(decide(actor(COUNCIL, manager), 'person:share', record(), 'session')).toEqual({ allowed: true, basis: 'owner' })
    expect(decide(actor(POLICE, manager), 'person:share', record({ sharedAgencyIds: [POLICE] }), 'session')).toEqual({ allowed: false, reason: 'need-to-know', canBreakGlass: false })
    expect(decide(actor(NHS, manager, 'nurse'), 'person:share', record({ sharedUserIds: ['nurse'] }), 'session')).toEqual({ allowed: false, reason: 'need-to-know', canBreakGlass: false })
    // Those it is shared with still work on it.
    expect(decide(actor(POLICE, manager), 'person:edit', record({ sharedAgencyIds: [POLICE] }), 'session')).toMatchObject({ allowed: true, basis: 'shared-agency' })
  })

  it('does not offer break glass for an action it cannot open', () => {
    expect(decide(actor(POLICE, manager), 'person:edit', record(), 'session')).toEqual({ allowed: false, reason: 'need-to-know', canBreakGlass: false })
    expect(decide(actor(POLICE, manager), 'person:view', record(), 'api-token')).toEqual({ allowed: false, reason: 'need-to-know', canBreakGlass: false })
  })
})

describe('decide: a record merged into another is read-only', () => {
  const manager: Permission[] = ['person:view', 'person:edit', 'person:share', 'person:export', 'note:create', 'assessment:create', 'linkage:merge']
  const retired = record({ retiredInto: 'child-2' })

  it.each(['person:edit', 'person:share', 'note:create', 'assessment:create'] as const)('refuses %s even to the owning agency', (action) => {
    expect(decide(actor(COUNCIL, manager), action, retired, 'session')).toEqual({ allowed: false, reason: 'retired', canBreakGlass: false })
  })

  it('still lets it be read, and its merge be undone', () => {
    expect(decide(actor(COUNCIL, manager), 'person:view', retired, 'session')).toMatchObject({ allowed: true })
    expect(decide(actor(COUNCIL, manager), 'linkage:merge', retired, 'session')).toMatchObject({ allowed: true })
  })
})

describe('decide: only the owning agency discloses a record (subject access)', () => {
  const governance: Permission[] = ['person:disclose']
  it('allows the owning agency and refuses an agency or a person it is shared with, or a justification', () => {
    expect(decide(actor(COUNCIL, governance), 'person:disclose', record(), 'session')).toEqual({ allowed: true, basis: 'owner' })
    expect(decide(actor(POLICE, governance), 'person:disclose', record({ sharedAgencyIds: [POLICE] }), 'session')).toMatchObject({ allowed: false, reason: 'need-to-know' })
    expect(decide(actor(NHS, governance, 'nurse'), 'person:disclose', record({ sharedUserIds: ['nurse'] }), 'session')).toMatchObject({ allowed: false, reason: 'need-to-know' })
    expect(decide(actor(POLICE, [...governance, 'break-glass']), 'person:disclose', record({ breakGlassUntil: new Date('2030-01-01T18:00:00Z') }), 'session')).toMatchObject({ allowed: false })
  })
})

describe('decide: a closed record is read-only, by the same list of changes', () => {
  const manager: Permission[] = ['person:view', 'person:edit', 'person:share', 'note:create', 'assessment:create', 'network:view', 'network:edit', 'person:close']
  const closed = record({ closed: true })

  it.each(['person:edit', 'person:share', 'note:create', 'assessment:create', 'network:edit'] as const)('refuses %s even to the owning agency', (action) => {
    expect(decide(actor(COUNCIL, manager), action, closed, 'session')).toEqual({ allowed: false, reason: 'closed', canBreakGlass: false })
  })

  it('still lets it be read and its closure decided, and lets anyone who could change it ask to reopen it', () => {
    expect(decide(actor(COUNCIL, manager), 'person:view', closed, 'session')).toMatchObject({ allowed: true })
    expect(decide(actor(COUNCIL, manager), 'person:close', closed, 'session')).toMatchObject({ allowed: true })
    expect(decide(actor(COUNCIL, manager), 'person:edit', closed, 'session', { askingToReopen: true })).toMatchObject({ allowed: true })
    expect(decide(actor(COUNCIL, manager), 'note:create', closed, 'session', { askingToReopen: true })).toMatchObject({ allowed: false, reason: 'closed' })
  })

  it('tells someone without a need to know only that they lack one', () => {
    expect(decide(actor(POLICE, manager), 'person:edit', closed, 'session')).toMatchObject({ allowed: false, reason: 'need-to-know' })
    expect(decide(actor(POLICE, manager), 'person:edit', record({ retiredInto: 'child-2' }), 'session')).toMatchObject({ allowed: false, reason: 'need-to-know' })
  })
})
