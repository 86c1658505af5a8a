/**
 * The order of an NRM referral's decisions and a CAWN's dates, pure. A reasonable-grounds (RG)
 * decision comes on or after the referral; a conclusive-grounds (CG) decision only follows a
 * positive RG decision, on or after it. A CAWN expires after it is served; a breach falls within it.
 */

export const EXPLOITATION_TYPES = [
  { value: 'criminal', text: 'Criminal exploitation, including county lines' },
  { value: 'sexual', text: 'Sexual exploitation' },
  { value: 'labour', text: 'Labour exploitation' },
  { value: 'domestic_servitude', text: 'Domestic servitude' },
  { value: 'other', text: 'Other' },
] as const

export const DECISIONS = [
  { value: 'positive', text: 'Positive' },
  { value: 'negative', text: 'Negative' },
] as const

type Issue = { field: string; message: string }

export interface NrmDates {
  referredOn: string
  rgDecision: 'positive' | 'negative' | null
  rgDecisionOn: string | null
  cgDecision: 'positive' | 'negative' | null
  cgDecisionOn: string | null
}

export function nrmIssues(n: NrmDates): Issue[] {
  const issues: Issue[] = []
  if (n.rgDecision && !n.rgDecisionOn) issues.push({ field: 'rg-day', message: 'Enter the date of the reasonable grounds decision' })
  if (!n.rgDecision && n.rgDecisionOn) issues.push({ field: 'rgDecision', message: 'Select the reasonable grounds decision, or clear its date' })
  if (n.rgDecisionOn && n.rgDecisionOn < n.referredOn) issues.push({ field: 'rg-day', message: 'The reasonable grounds decision date must be the same as or after the referral date' })
  if (n.cgDecision && !n.cgDecisionOn) issues.push({ field: 'cg-day', message: 'Enter the date of the conclusive grounds decision' })
  if (!n.cgDecision && n.cgDecisionOn) issues.push({ field: 'cgDecision', message: 'Select the conclusive grounds decision, or clear its date' })
  if ((n.cgDecision || n.cgDecisionOn) && n.rgDecision !== 'positive') issues.push({ field: 'cgDecision', message: 'A conclusive grounds decision follows a positive reasonable grounds decision' })
  else if (n.cgDecisionOn && n.rgDecisionOn && n.cgDecisionOn < n.rgDecisionOn) issues.push({ field: 'cg-day', message: 'The conclusive grounds decision date must be the same as or after the reasonable grounds decision' })
  return issues
}

/** Where a referral stands, in words. */
export function nrmStage(n: Pick<NrmDates, 'rgDecision' | 'cgDecision'>): string {
  if (n.cgDecision) return n.cgDecision === 'positive' ? 'Conclusive grounds: positive' : 'Conclusive grounds: negative'
  if (n.rgDecision === 'positive') return 'Reasonable grounds: positive, awaiting conclusive grounds'
  if (n.rgDecision === 'negative') return 'Reasonable grounds: negative'
  return 'Awaiting reasonable grounds decision'
}

const birthday = (dateOfBirth: string, years: number) => {
  const [y, m, d] = dateOfBirth.split('-').map(Number)
  // Date.UTC rolls 29 February on to 1 March in a year without it, as the law counts a leap-day birthday.
  return new Date(Date.UTC(y + years, m - 1, d)).toISOString().slice(0, 10)
}

/**
 * The day a CAWN on this child ends by law: a notice under the Children Act 1989 (s.49, a child
 * in care) or the Child Abduction Act 1984 (s.2) protects a child, so none runs past the 18th
 * birthday. Unknown without a date of birth.
 */
export function cawnLegalLimit(child: { date_of_birth: string | null }): string | null {
  return child.date_of_birth ? birthday(child.date_of_birth, 18) : null
}

/**
 * The expiry worked out from the date of birth when the user leaves it blank: the 16th birthday
 * (the Child Abduction Act's age) for a child who is not looked after and is not yet 16 on the day
 * it is served, otherwise the 18th birthday.
 */
export function cawnDefaultExpiry(child: { date_of_birth: string | null; looked_after: boolean }, servedOn: string): string | null {
  if (!child.date_of_birth) return null
  const sixteenth = birthday(child.date_of_birth, 16)
  return !child.looked_after && servedOn < sixteenth ? sixteenth : birthday(child.date_of_birth, 18)
}

export function cawnIssues(c: { servedOn: string; expiresOn: string | null }, child: { given_name: string; date_of_birth: string | null }): Issue[] {
  if (!c.expiresOn) return [{ field: 'expires-day', message: `Enter the expiry date: ${child.given_name}’s date of birth is not known, so it cannot be worked out` }]
  if (c.expiresOn <= c.servedOn) return [{ field: 'expires-day', message: 'The expiry date must be after the date the notice was served' }]
  const limit = cawnLegalLimit(child)
  if (limit && c.expiresOn > limit) {
    const [y, m, d] = limit.split('-').map(Number)
    const shown = new Date(Date.UTC(y, m - 1, d)).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })
    return [{ field: 'expires-day', message: `The notice cannot run past ${child.given_name}’s 18th birthday: enter an expiry date on or before ${shown}` }]
  }
  return []
}

export function breachIssues(b: { occurredOn: string }, cawn: { served_on: string; expires_on: string }): Issue[] {
  if (b.occurredOn < cawn.served_on) return [{ field: 'occurred-day', message: 'A breach must be on or after the date the notice was served' }]
  if (b.occurredOn > cawn.expires_on) return [{ field: 'occurred-day', message: 'A breach must be on or before the date the notice expired' }]
  return []
}

export function cawnActive(c: { served_on: string; expires_on: string }, today: string): boolean {
  return c.served_on <= today && today < c.expires_on
}
