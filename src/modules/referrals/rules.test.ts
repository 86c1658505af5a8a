import { describe, expect, it } from 'vitest'
import { breachIssues, cawnActive, cawnDefaultExpiry, cawnIssues, cawnLegalLimit, nrmIssues, nrmStage } from './rules.ts'

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
    expect(cawnIssues({ servedOn: '2026-10-01', expiresOn: '2026-10-01' }, { given_name: 'Kyle', date_of_birth: null })).toHaveLength(1)
    expect(breachIssues({ occurredOn: '2026-09-30' }, cawn)[0].message).toBe('A breach must be on or after the date the notice was served')
    expect(breachIssues({ occurredOn: '2027-06-02' }, cawn)[0].message).toBe('A breach must be on or before the date the notice expired')
    expect(breachIssues({ occurredOn: '2026-11-01' }, cawn)).toEqual([])
    expect(cawnActive(cawn, '2026-11-23')).toBe(true)
    expect(cawnActive(cawn, '2027-06-01')).toBe(false)
  })
})

describe('a CAWN’s expiry and the child’s date of birth', () => {
  const child = { given_name: 'Kyle', date_of_birth: '2011-05-20', looked_after: false }
  it('is worked out as the 16th birthday for a child not looked after, the 18th for a looked-after child or one already 16', () => {
    expect(cawnDefaultExpiry(child, '2026-12-01')).toBe('2027-05-20')
    expect(cawnDefaultExpiry({ ...child, looked_after: true }, '2026-12-01')).toBe('2029-05-20')
    expect(cawnDefaultExpiry({ ...child, date_of_birth: '2010-01-10' }, '2026-12-01')).toBe('2028-01-10')
    expect(cawnDefaultExpiry({ ...child, date_of_birth: null }, '2026-12-01')).toBeNull()
  })
  it('counts a leap-day birthday from 1 March in other years', () => {
    expect(cawnLegalLimit({ date_of_birth: '2012-02-29' })).toBe('2030-03-01')
  })
  it('refuses an expiry past the 18th birthday, and accepts one on it', () => {
    expect(cawnIssues({ servedOn: '2026-12-01', expiresOn: '2029-05-20' }, child)).toEqual([])
    expect(cawnIssues({ servedOn: '2026-12-01', expiresOn: '2029-05-21' }, child)).toEqual([{ field: 'expires-day', message: 'The notice cannot run past Kyle’s 18th birthday: enter an expiry date on or before 20 May 2029' }])
  })
  it('asks for the expiry when there is no date of birth to work it out from', () => {
    expect(cawnIssues({ servedOn: '2026-12-01', expiresOn: null }, { ...child, date_of_birth: null })[0].message).toMatch(/date of birth is not known/)
  })
})
