/**
 * The rules of a missing episode, pure: the return-home interview is due within 72 hours of the
 * child being found; found out of area means found outside both their home authority and the
 * area they live in now; the order of events must make sense.
 */

export const RHI_DUE_HOURS = 72

export const CONCERNS = [
  { value: 'drugs', text: 'Found with drugs' },
  { value: 'cash', text: 'Found with cash they cannot account for' },
  { value: 'weapon', text: 'Found with a knife or other weapon' },
  { value: 'phones', text: 'Found with phones that are not theirs' },
  { value: 'with_adults', text: 'Found with older or unknown adults' },
  { value: 'trap_house', text: 'Found at an address used for dealing' },
  { value: 'travel', text: 'Travelled by train, coach or taxi' },
  { value: 'injury', text: 'Injured' },
  { value: 'sexual_exploitation', text: 'Concern of sexual exploitation' },
  { value: 'arrested', text: 'Arrested' },
] as const
export type Concern = (typeof CONCERNS)[number]['value']

/** Who found a child: the form's choice, and how the history line says it ("Found … , by the police"). */
export const FOUND_BY = [
  { value: 'police', text: 'Police', phrase: 'by the police' },
  { value: 'parent_or_carer', text: 'Parent, carer or placement staff', phrase: 'by a parent, carer or placement staff' },
  { value: 'returned_themselves', text: 'Came back by themselves', phrase: 'having come back by themselves' },
  { value: 'professional', text: 'Another professional (social worker, youth worker, school)', phrase: 'by another professional' },
  { value: 'other', text: 'Someone else', phrase: 'by someone else' },
] as const

export type RhiStatus = 'still_missing' | 'due' | 'overdue' | 'held' | 'held_late' | 'declined'

export const RHI_STATUS_TEXT: Record<RhiStatus, string> = {
  still_missing: 'Still missing',
  due: 'Interview due',
  overdue: 'Interview overdue',
  held: 'Interview held',
  held_late: 'Interview held late',
  declined: 'Interview declined',
}

export interface EpisodeFacts {
  found_at: Date | null
  rhi_held_at: Date | null
  rhi_declined: boolean
}

export function rhiDueAt(foundAt: Date): Date {
  return new Date(foundAt.getTime() + RHI_DUE_HOURS * 3600_000)
}

/** Where the return-home interview stands, and when it is or was due. */
export function rhiStatus(ep: EpisodeFacts, now: Date): { status: RhiStatus; dueAt: Date | null; hoursLeft: number | null } {
  if (!ep.found_at) return { status: 'still_missing', dueAt: null, hoursLeft: null }
  const dueAt = rhiDueAt(ep.found_at)
  if (ep.rhi_held_at) return { status: ep.rhi_held_at.getTime() <= dueAt.getTime() ? 'held' : 'held_late', dueAt, hoursLeft: null }
  if (ep.rhi_declined) return { status: 'declined', dueAt, hoursLeft: null }
  const hoursLeft = Math.floor((dueAt.getTime() - now.getTime()) / 3600_000)
  return { status: now.getTime() > dueAt.getTime() ? 'overdue' : 'due', dueAt, hoursLeft }
}

/** Found somewhere that is neither their home authority nor where they live now. */
export function foundOutOfArea(foundAreaId: string | null, person: { home_area_id: string | null; current_area_id: string | null }): boolean {
  if (!foundAreaId) return false
  return foundAreaId !== person.home_area_id && foundAreaId !== person.current_area_id
}

export interface EpisodeTimes {
  reportedMissingAt: Date
  foundAt: Date | null
  foundAreaId: string | null
  foundBy: string | null
}

/** Rules across the episode's fields, each as a (field, message) for the error summary. */
export function episodeIssues(e: EpisodeTimes, existing?: { rhi_offered_at: Date | null; rhi_held_at: Date | null }): { field: string; message: string }[] {
  const issues: { field: string; message: string }[] = []
  if (e.foundAt) {
    if (e.foundAt.getTime() < e.reportedMissingAt.getTime()) issues.push({ field: 'found-day', message: 'The date and time they were found must be after they were reported missing' })
    if (!e.foundAreaId) issues.push({ field: 'foundAreaId', message: 'Select the area where they were found' })
    if (!e.foundBy) issues.push({ field: 'foundBy', message: 'Select who found them' })
    const rhi = existing?.rhi_held_at ?? existing?.rhi_offered_at
    if (rhi && rhi.getTime() < e.foundAt.getTime()) issues.push({ field: 'found-day', message: 'The date and time they were found must be before the return home interview already recorded' })
  } else {
    if (e.foundAreaId || e.foundBy) issues.push({ field: 'found-day', message: 'Enter the date they were found, or leave where and who found them blank' })
    if (existing?.rhi_held_at || existing?.rhi_offered_at) issues.push({ field: 'found-day', message: 'Enter the date they were found: a return home interview is already recorded' })
  }
  return issues
}

export interface RhiTimes {
  offeredAt: Date | null
  heldAt: Date | null
  heldBy: string | null
  declined: boolean
}

export function rhiIssues(r: RhiTimes, foundAt: Date | null): { field: string; message: string }[] {
  const issues: { field: string; message: string }[] = []
  if (!foundAt) return [{ field: 'offered-day', message: 'Record when they were found before recording a return home interview' }]
  if (r.offeredAt && r.offeredAt.getTime() < foundAt.getTime()) issues.push({ field: 'offered-day', message: 'The interview must be offered after they were found' })
  if (r.heldAt && r.heldAt.getTime() < foundAt.getTime()) issues.push({ field: 'held-day', message: 'The interview must be held after they were found' })
  if (r.heldAt && r.offeredAt && r.heldAt.getTime() < r.offeredAt.getTime()) issues.push({ field: 'held-day', message: 'The interview cannot be held before it was offered' })
  if (r.heldAt && !r.heldBy) issues.push({ field: 'heldBy', message: 'Enter who held the interview' })
  if (r.heldAt && r.declined) issues.push({ field: 'declined', message: 'An interview that was held was not declined: clear one of them' })
  if (r.declined && !r.offeredAt) issues.push({ field: 'offered-day', message: 'Enter when the interview was offered, as it was declined' })
  return issues
}

/** A suggested answer for the screening, from the episodes Lantern holds (the practitioner decides). */
export interface MissingSuggestionCounts {
  last3Months: number
  months3to6: number
  outOfArea3: number
  outOfArea3to6: number
}

export function suggestFromEpisodes(source: 'missing_repeat' | 'missing_out_of_area', c: MissingSuggestionCounts): { status: 'not_present' | 'recent' | 'current'; because: string } {
  const eps = (n: number) => `${n} missing episode${n === 1 ? '' : 's'}`
  if (source === 'missing_repeat') {
    const because = `Lantern holds ${eps(c.last3Months)} in the last 3 months and ${c.months3to6} from 3 to 6 months ago.`
    if (c.last3Months >= 2) return { status: 'current', because }
    if (c.last3Months + c.months3to6 >= 2) return { status: 'recent', because }
    return { status: 'not_present', because }
  }
  const because = `Found out of area ${c.outOfArea3} time${c.outOfArea3 === 1 ? '' : 's'} in the last 3 months and ${c.outOfArea3to6} from 3 to 6 months ago, in the episodes Lantern holds.`
  if (c.outOfArea3 > 0) return { status: 'current', because }
  if (c.outOfArea3to6 > 0) return { status: 'recent', because }
  return { status: 'not_present', because }
}

/** Another episode of the same child, as far as overlap is concerned. */
export interface EpisodeSpan {
  id: string
  reported_missing_at: Date
  found_at: Date | null
}

/**
 * A child cannot be missing twice at once: an episode whose time overlaps another (an open one
 * runs until now and beyond) would count one absence twice in the register, the RHIs due and the
 * screening's suggestions. Touching ends (found at 10:00, missing again at 10:00) do not overlap.
 */
export function overlappingEpisode(e: Pick<EpisodeTimes, 'reportedMissingAt' | 'foundAt'>, others: EpisodeSpan[], selfId?: string): EpisodeSpan | null {
  const start = e.reportedMissingAt.getTime()
  const end = e.foundAt ? e.foundAt.getTime() : Infinity
  for (const o of others) {
    if (o.id === selfId) continue
    const oStart = o.reported_missing_at.getTime()
    const oEnd = o.found_at ? o.found_at.getTime() : Infinity
    if (start < oEnd && oStart < end) return o
  }
  return null
}

/**
 * What makes an episode serious enough to review the child's risk now rather than on the date set
 * at the last screening (docs/risk.md, "A serious episode prompts a review"):
 * - found out of area (the county lines pattern: taken to sell or hold drugs elsewhere);
 * - found with a sign of harm or exploitation: every linked concern except travel alone;
 * - missing for longer than SERIOUS_HOURS, once found (an open episode is already on Home);
 * - reported missing while rated Red (the plan for a Red child has failed to keep them safe).
 */
export const SERIOUS_HOURS = 24
export const HARM_CONCERNS: readonly Concern[] = ['drugs', 'cash', 'weapon', 'phones', 'with_adults', 'trap_house', 'injury', 'sexual_exploitation', 'arrested']
export type SeriousReason = 'out_of_area' | 'harm_or_exploitation' | 'long' | 'while_red'

export const SERIOUS_REASON_TEXT: Record<SeriousReason, string> = {
  out_of_area: 'found out of area',
  harm_or_exploitation: 'found with signs of harm or exploitation',
  long: `missing for more than ${SERIOUS_HOURS} hours`,
  while_red: 'went missing while rated Red',
}

export interface SeriousFacts {
  reportedMissingAt: Date
  foundAt: Date | null
  outOfArea: boolean
  concerns: readonly string[]
  ratedRed: boolean
}

export function seriousReasons(e: SeriousFacts): SeriousReason[] {
  const reasons: SeriousReason[] = []
  if (e.outOfArea) reasons.push('out_of_area')
  if (e.concerns.some((c) => (HARM_CONCERNS as readonly string[]).includes(c))) reasons.push('harm_or_exploitation')
  if (e.foundAt && e.foundAt.getTime() - e.reportedMissingAt.getTime() > SERIOUS_HOURS * 3600_000) reasons.push('long')
  if (e.ratedRed) reasons.push('while_red')
  return reasons
}

/**
 * When a saved episode prompts a review: now, when it has a reason it did not have before (a new
 * fact calls for a new look); the earlier moment when its reasons are unchanged or fewer (an edit
 * of the notes is not news); never, when it is not serious.
 */
export function reviewPromptedAt(reasons: readonly SeriousReason[], before: { reasons: readonly SeriousReason[]; promptedAt: Date | null } | null, now: Date): Date | null {
  if (!reasons.length) return null
  const isNews = !before?.promptedAt || reasons.some((r) => !before.reasons.includes(r))
  return isNews ? now : before.promptedAt
}
