import { describe, expect, it } from 'vitest'
import { outcomeCounts, riskAround } from './outcomes.ts'

describe('outcome counts in Home Office terms', () => {
  const holders = new Map([['line-jay', new Set(['jay'])], ['line-kez', new Set(['kez'])]])
  const activity = (kind: string, entity_id: string | null, extra: { withdrawn_at?: Date; nrmVoided?: boolean; operation_id?: string } = {}) => ({ operation_id: 'op', kind, entity_id, withdrawn_at: null, ...extra })

  it('calls a closure type 1 when a line holder was charged in the operation, otherwise type 2', () => {
    const counts = outcomeCounts(
      [activity('line_closure', 'line-jay'), activity('line_closure', 'line-jay'), activity('line_closure', 'line-kez'), activity('arrest', 'jay')],
      [{ operation_id: 'op', kind: 'charge', entity_id: 'jay' }, { operation_id: 'op', kind: 'conviction', entity_id: 'kez' }],
      holders,
    )
    expect(counts).toMatchObject({ linesClosed: 2, type1: 1, type2: 1, lineHoldersCharged: 1, arrests: 1 })
  })

  it('counts nothing withdrawn and no voided referral; a charge in another operation is not this one’s', () => {
    const counts = outcomeCounts(
      [
        activity('arrest', 'jay', { withdrawn_at: new Date() }),
        activity('nrm_referral', 'kyle', { nrmVoided: true }),
        activity('nrm_referral', 'mason'),
        activity('safeguarding_referral', 'mason'),
        activity('safeguarding_referral', 'mason'),
        activity('line_closure', 'line-jay'),
      ],
      [{ operation_id: 'other', kind: 'charge', entity_id: 'jay' }],
      holders,
    )
    expect(counts).toMatchObject({ arrests: 0, nrmReferrals: 1, safeguardingReferrals: 1, type1: 0, type2: 1, lineHoldersCharged: 0 })
  })

  it('counts each record in the period of its day, a closure as type 1 whenever its holder was charged, so the periods add up to the whole', () => {
    const closures = [activity('line_closure', 'line-jay'), activity('line_closure', 'line-kez'), activity('line_closure', 'line-jay'), activity('arrest', 'jay')].map((a, i) => ({ ...a, occurred_on: ['2026-03-20', '2026-03-25', '2026-04-10', '2026-04-02'][i] }))
    const charges = [{ operation_id: 'op', kind: 'charge', entity_id: 'jay', occurred_on: '2026-04-03' }]
    const march = outcomeCounts(closures, charges, holders, { from: '2026-03-01', to: '2026-03-31' })
    const april = outcomeCounts(closures, charges, holders, { from: '2026-04-01', to: '2026-04-30' })
    expect(march).toMatchObject({ linesClosed: 2, type1: 1, type2: 1, lineHoldersCharged: 0, arrests: 0 })
    // The JAY line's second closure is not a second line closed.
    expect(april).toMatchObject({ linesClosed: 0, type1: 0, type2: 0, lineHoldersCharged: 1, arrests: 1 })
    const whole = outcomeCounts(closures, charges, holders)
    for (const key of Object.keys(whole) as (keyof typeof whole)[]) expect(march[key] + april[key]).toBe(whole[key])
  })

  it('does not count a withdrawn charge: the closure it made type 1 is type 2 again', () => {
    const counts = outcomeCounts([activity('line_closure', 'line-jay')], [{ operation_id: 'op', kind: 'charge', entity_id: 'jay', withdrawn_at: new Date() }], holders)
    expect(counts).toMatchObject({ type1: 0, type2: 1, lineHoldersCharged: 0 })
  })
})

describe('risk either side of an activity', () => {
  const ratings = [
    { level: 'amber' as const, on: '2026-05-07' },
    { level: 'amber' as const, on: '2026-07-06' },
    { level: 'green' as const, on: '2026-09-24' },
  ]
  it('takes the last rating on or before the day and the first after it, not the newest', () => {
    expect(riskAround(ratings, '2026-06-01')).toEqual({ before: 'amber', beforeOn: '2026-05-07', after: 'amber', afterOn: '2026-07-06' })
    expect(riskAround(ratings, '2026-07-06')).toEqual({ before: 'amber', beforeOn: '2026-07-06', after: 'green', afterOn: '2026-09-24' })
  })
  it('with no activity yet, shows the rating in force and no after', () => {
    expect(riskAround(ratings, null)).toEqual({ before: 'green', beforeOn: '2026-09-24', after: null, afterOn: null })
  })
})
