import { describe, expect, it } from 'vitest'
import { breachIssues, cawnActive, cawnIssues, nrmIssues, nrmStage } from './rules.ts'

const nrm = (o: Partial<Parameters<typeof nrmIssues>[0]> = {}) => ({ referredOn: '2026-10-01', rgDecision: null, rgDecisionOn: null, cgDecision: null, cgDecisionOn: null, ...o })

describe('NRM decisions', () => {
  it.each([
    ['a referral alone', nrm(), []],
    ['a positive RG after the referral', nrm({ rgDecision: 'positive', rgDecisionOn: '2026-10-05' }), []],
    ['an RG decision dated before the referral', nrm({ rgDecision: 'positive', rgDecisionOn: '2026-09-30' }), ['rg-day: The reasonable grounds decision date must be the same as or after the referral date']],
    ['an RG decision with no date', nrm({ rgDecision: 'negative' }), ['rg-day: Enter the date of the reasonable grounds decision']],
    ['a CG decision after a negative RG', nrm({ rgDecision: 'negative', rgDecisionOn: '2026-10-05', cgDecision: 'positive', cgDecisionOn: '2026-11-01' }), ['cgDecision: A conclusive grounds decision follows a positive reasonable grounds decision']],
    ['a CG decision before the RG', nrm({ rgDecision: 'positive', rgDecisionOn: '2026-10-05', cgDecision: 'positive', cgDecisionOn: '2026-10-04' }), ['cg-day: The conclusive grounds decision date must be the same as or after the reasonable grounds decision']],
  ] as const)('%s', (_n, input, issues) => {
    expect(nrmIssues(input).map((i) => `${i.field}: ${i.message}`)).toEqual(issues)
  })
  it('says where a referral stands', () => {
    expect(nrmStage({ rgDecision: null, cgDecision: null })).toBe('Awaiting reasonable grounds decision')
    expect(nrmStage({ rgDecision: 'positive', cgDecision: null })).toBe('Reasonable grounds: positive, awaiting conclusive grounds')
  })
})

describe('CAWNs', () => {
  const cawn = { served_on: '2026-10-01', expires_on: '2027-06-01' }
  it('expires after it is served, and a breach falls within it', () => {
    expect(cawnIssues({ servedOn: '2026-10-01', expiresOn: '2026-10-01' })).toHaveLength(1)
    expect(breachIssues({ occurredOn: '2026-09-30' }, cawn)[0].message).toBe('A breach must be on or after the date the notice was served')
    expect(breachIssues({ occurredOn: '2027-06-02' }, cawn)[0].message).toBe('A breach must be on or before the date the notice expired')
    expect(breachIssues({ occurredOn: '2026-11-01' }, cawn)).toEqual([])
    expect(cawnActive(cawn, '2026-11-23')).toBe(true)
    expect(cawnActive(cawn, '2027-06-01')).toBe(false)
  })
})
