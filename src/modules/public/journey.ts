import { randomBytes, randomInt } from 'node:crypto'
import type { ChildAtRisk, WhenHappened } from './tables.ts'

/**
 * The "Report a concern" journey: one question per page, in this order, then check your answers.
 * Pure, so the order and the rules for where each page leads are tested on their own.
 */
export const JOURNEY = [
  { slug: 'what-you-saw' },
  { slug: 'where' },
  { slug: 'when' },
  { slug: 'who' },
  { slug: 'child' },
  { slug: 'anything-else' },
  { slug: 'contact' },
  // Asked only of a reporter who chose to give contact details.
  { slug: 'contact-details', appliesTo: (a: Answers) => a.contact === 'contact' },
] as const

export type JourneySlug = (typeof JOURNEY)[number]['slug']
export const BASE = '/report'

/** What the reporter has said so far. Kept in the session until the report is sent. */
export interface Answers {
  what?: string
  where?: string
  /** An area id, or 'elsewhere' / 'unknown'. */
  area?: string
  when?: WhenHappened
  whenDetail?: string
  who?: string
  child?: ChildAtRisk
  anythingElse?: string
  contact?: 'anonymous' | 'contact'
  contactName?: string
  contactPhone?: string
  contactEmail?: string
}

export interface Journey {
  /** The idempotency key of this journey: one report per token, however often it is sent. */
  token: string
  answers: Answers
  /** Pages the reporter has answered (optional pages count once they have been through them). */
  answered: JourneySlug[]
}

export function isJourneySlug(value: string): value is JourneySlug {
  return JOURNEY.some((p) => p.slug === value)
}

export function newJourneyToken(): string {
  return randomBytes(24).toString('base64url')
}

export function newJourney(): Journey {
  return { token: newJourneyToken(), answers: {}, answered: [] }
}

export const pathOf = (slug: JourneySlug | 'check') => `${BASE}/${slug}`

/** The pages this reporter is asked, given their answers so far. */
export function pagesFor(journey: Journey): JourneySlug[] {
  return JOURNEY.filter((p) => !('appliesTo' in p) || p.appliesTo(journey.answers)).map((p) => p.slug)
}

/** Where a page's "Continue" leads: the next question, or back to the check page when changing an answer. */
export function nextPath(slug: JourneySlug, journey: Journey, changing: boolean): string {
  const missing = firstUnanswered(journey)
  if (changing) return missing ? pathOf(missing) : pathOf('check')
  const pages = pagesFor(journey)
  const next = pages[pages.indexOf(slug) + 1]
  return next ? pathOf(next) : pathOf('check')
}

/** The page the GOV.UK back link points to. */
export function previousPath(slug: JourneySlug | 'check', journey: Journey, changing = false): string {
  const pages = pagesFor(journey)
  if (slug === 'check') return pathOf(pages[pages.length - 1])
  if (changing) return pathOf('check')
  const index = pages.indexOf(slug)
  return index <= 0 ? BASE : pathOf(pages[index - 1])
}

/** The first page not yet answered, or undefined when the report is ready to check and send. */
export function firstUnanswered(journey: Journey): JourneySlug | undefined {
  return pagesFor(journey).find((slug) => !journey.answered.includes(slug))
}

export function markAnswered(journey: Journey, slug: JourneySlug, answers: Partial<Answers>): Journey {
  const next: Journey = {
    ...journey,
    answers: { ...journey.answers, ...answers },
    answered: journey.answered.includes(slug) ? journey.answered : [...journey.answered, slug],
  }
  if (slug === 'contact' && answers.contact === 'anonymous') {
    // Choosing anonymity forgets any contact details given before.
    next.answers = { ...next.answers, contactName: undefined, contactPhone: undefined, contactEmail: undefined }
    next.answered = next.answered.filter((s) => s !== 'contact-details')
  }
  return next
}

// No 0/O, 1/I/L: a reference is read out over the phone.
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789'

/** A random reference such as "HX7K-2MQD": not sequential, so it says nothing about when or in what order reports came. */
export function newReference(): string {
  let s = ''
  for (let i = 0; i < 8; i++) s += ALPHABET[randomInt(ALPHABET.length)]
  return `${s.slice(0, 4)}-${s.slice(4)}`
}

export const REFERENCE_PATTERN = /^[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}$/
