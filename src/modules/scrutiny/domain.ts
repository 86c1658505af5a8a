import type { BodyKind, ItemKind, ItemStatus, NotificationKind, Rag, RequestType, WorkStatus } from './tables.ts'

/**
 * The rules of the tracker, pure so each is tested as a table: the vocabulary of kinds, statuses
 * and RAG ratings, references, municipal years, when an item is overdue, and when a reminder is
 * due. Nothing here reads a clock: "today" is always passed in.
 */

export const BODY_KINDS: { value: BodyKind; text: string }[] = [
  { value: 'panel', text: 'Police and crime panel' },
  { value: 'select_committee', text: 'Select committee' },
  { value: 'strategy_group', text: 'Strategy group' },
  { value: 'other', text: 'Other body' },
]

export const ITEM_KINDS: { value: ItemKind; text: string; plural: string; prefix: string }[] = [
  { value: 'resolution', text: 'Resolution', plural: 'Resolutions', prefix: 'Res' },
  { value: 'recommendation', text: 'Recommendation', plural: 'Recommendations', prefix: 'Rec' },
  { value: 'request', text: 'Request for information or action', plural: 'Requests for information and actions', prefix: 'Req' },
]

export const REQUEST_TYPES: { value: RequestType; text: string }[] = [
  { value: 'information', text: 'Request for information' },
  { value: 'action', text: 'Action' },
]

export const STATUSES: { value: ItemStatus; text: string; hint: string }[] = [
  { value: 'open', text: 'Open', hint: 'Made, and waiting for a response' },
  { value: 'accepted', text: 'Accepted', hint: 'The addressee has accepted it' },
  { value: 'in_progress', text: 'In progress', hint: 'Work to carry it out has started' },
  { value: 'implemented', text: 'Implemented', hint: 'Carried out in full' },
  { value: 'not_accepted', text: 'Not accepted', hint: 'The addressee has declined it: give the reason' },
  { value: 'answered', text: 'Answered', hint: 'The information was provided or the action done' },
  { value: 'closed', text: 'Closed', hint: 'The body needs nothing more' },
]

const STATUSES_BY_KIND: Record<ItemKind, ItemStatus[]> = {
  resolution: ['open', 'accepted', 'in_progress', 'implemented', 'not_accepted', 'closed'],
  recommendation: ['open', 'accepted', 'in_progress', 'implemented', 'not_accepted', 'closed'],
  request: ['open', 'in_progress', 'answered', 'closed'],
}

/** The positions an addressee may state when responding (the body alone closes an item or rates it). */
const RESPONDER_STATUSES: Record<ItemKind, ItemStatus[]> = {
  resolution: ['accepted', 'in_progress', 'implemented', 'not_accepted'],
  recommendation: ['accepted', 'in_progress', 'implemented', 'not_accepted'],
  request: ['in_progress'],
}

/** Statuses after which the body expects no further response. */
const SETTLED: ItemStatus[] = ['implemented', 'not_accepted', 'answered', 'closed']

export const RAGS: { value: Rag; text: string; hint: string }[] = [
  { value: 'green', text: 'Green', hint: 'Achieved' },
  { value: 'amber', text: 'Amber', hint: 'Acceptable progress' },
  { value: 'red', text: 'Red', hint: 'Unacceptable progress or overdue' },
]

export const WORK_STATUSES: { value: WorkStatus; text: string }[] = [
  { value: 'planned', text: 'Planned' },
  { value: 'in_progress', text: 'In progress' },
  { value: 'delayed', text: 'Delayed' },
  { value: 'complete', text: 'Complete' },
  { value: 'cancelled', text: 'Cancelled' },
]

export function statusesFor(kind: ItemKind): ItemStatus[] {
  return STATUSES_BY_KIND[kind]
}

export function responderStatusesFor(kind: ItemKind): ItemStatus[] {
  return RESPONDER_STATUSES[kind]
}

export function statusLabel(status: string): string {
  return STATUSES.find((s) => s.value === status)?.text ?? status
}

export function kindLabel(kind: string, requestType?: string | null): string {
  if (kind === 'request') return requestType === 'action' ? 'Action' : 'Request for information'
  return ITEM_KINDS.find((k) => k.value === kind)?.text ?? kind
}

export function reasonRequired(status: ItemStatus): boolean {
  return status === 'not_accepted'
}

export function isSettled(status: ItemStatus): boolean {
  return SETTLED.includes(status)
}

// Dates are 'YYYY-MM-DD' strings throughout: a due date is a calendar day, never an instant.
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/

export function isIsoDate(value: string): boolean {
  const m = ISO_DATE.exec(value)
  if (!m) return false
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3])
}

export function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000)
}

/**
 * The municipal year a date falls in. English councils' years run from the annual meeting in
 * May: 12 May 2020 and 31 March 2021 are both in 2020/21.
 */
export function municipalYear(iso: string): string {
  const year = Number(iso.slice(0, 4))
  const month = Number(iso.slice(5, 7))
  const start = month >= 5 ? year : year - 1
  return `${start}/${String((start + 1) % 100).padStart(2, '0')}`
}

/** "PCP 2020/21 Rec 2": the body, the municipal year and the number, as the minutes cite it. */
export function formatReference(code: string, year: string, kind: ItemKind, number: number): string {
  const prefix = ITEM_KINDS.find((k) => k.value === kind)?.prefix ?? kind
  return `${code} ${year} ${prefix} ${number}`
}

/** What the overdue and lateness rules need to know about an item. */
export interface TimelinessFacts {
  kind: ItemKind
  status: ItemStatus
  /** The date the body set for the response, if it set one. */
  response_due: string | null
  answered_on: string | null
  /** The date of the first response recorded, if any. */
  first_response_on: string | null
  /** When it was sent to the addressee, if anyone recorded that. */
  sent_on?: string | null
  /** The meeting that made it, and the body's period for a response (for the due-date rule). */
  meeting_date?: string | null
  response_days?: number | null
}

/**
 * The one overdue rule, for tracker items and work programme items alike: a due date has passed
 * and the thing is still open. Nothing else makes something overdue, and nothing else clears it.
 */
export function pastDue(due: string | null | undefined, open: boolean, today: string): boolean {
  return Boolean(open && due && due < today)
}

/**
 * The date a response is due. The date the body set, if it set one; otherwise the body's period
 * for a response counted from the day it was sent or, when nobody recorded sending it, from the
 * meeting that made it. So an item nobody sent still goes overdue: it is never quietly left out.
 * Mirrored in SQL by store.dueSql.
 */
export function dueDate(item: TimelinessFacts): string | null {
  if (item.response_due) return item.response_due
  const from = item.sent_on ?? item.meeting_date
  return from && item.response_days != null && item.response_days > 0 ? addDays(from, item.response_days) : null
}

/** How the due date was arrived at, said on the tracker so a counted date is never mistaken for a set one. */
export function dueBasis(item: TimelinessFacts): 'set' | 'from_sent' | 'from_meeting' | null {
  if (item.response_due) return 'set'
  if (!dueDate(item)) return null
  return item.sent_on ? 'from_sent' : 'from_meeting'
}

/** The date the body counts as the answer: a request's answered date, otherwise the first response. */
export function answeredDate(item: TimelinessFacts): string | null {
  return item.kind === 'request' ? item.answered_on : item.first_response_on
}

/** Still waiting for the addressee: not settled and not yet answered. */
export function awaitingResponse(item: TimelinessFacts): boolean {
  return !isSettled(item.status) && answeredDate(item) == null
}

/** Overdue: the response due date has passed and no answer has come. Computed, never stored. */
export function isOverdue(item: TimelinessFacts, today: string): boolean {
  return pastDue(dueDate(item), awaitingResponse(item), today)
}

export function daysOverdue(item: TimelinessFacts, today: string): number {
  return isOverdue(item, today) ? daysBetween(dueDate(item)!, today) : 0
}

/** Days late an answer came (0 when on time or not answered). */
export function daysLate(item: TimelinessFacts): number {
  const answered = answeredDate(item)
  const due = dueDate(item)
  if (!answered || !due) return 0
  return Math.max(0, daysBetween(due, answered))
}

/** The RAG shown: overdue is always red, whatever was last set; otherwise the body's own rating. */
export function shownRag(overdue: boolean, rag: Rag | null): Rag | null {
  return overdue ? 'red' : rag
}

export function effectiveRag(item: TimelinessFacts & { rag: Rag | null }, today: string): Rag | null {
  return shownRag(isOverdue(item, today), item.rag)
}

/** Everything the pages show about timeliness, worked out once. */
export function timeliness(item: TimelinessFacts & { rag: Rag | null }, today: string) {
  const overdue = isOverdue(item, today)
  const late = daysLate(item)
  const answered = answeredDate(item)
  const due = dueDate(item)
  const dueIn = due && awaitingResponse(item) && !overdue ? daysBetween(today, due) : null
  return {
    overdue,
    daysOverdue: daysOverdue(item, today),
    due,
    dueBasis: dueBasis(item),
    notSent: !item.sent_on,
    answered,
    answeredLate: late > 0,
    daysLate: late,
    dueIn,
    dueSoon: dueIn != null && dueIn <= 14,
    rag: shownRag(overdue, item.rag),
    awaiting: awaitingResponse(item),
  }
}

/** Work programme items follow the tracker's rule: past due and still open is overdue, and overdue is red. */
export function workTimeliness(w: { due_date: string | null; status: string; rag: Rag | null }, day: string) {
  const overdue = pastDue(w.due_date, !['complete', 'cancelled'].includes(w.status), day)
  return { overdue, daysOverdue: overdue ? daysBetween(w.due_date!, day) : 0, shownRag: shownRag(overdue, w.rag) }
}

export interface ReminderFacts extends TimelinessFacts {
  addressee_email: string | null
  reminder_days: number
}

export interface PlannedReminder {
  kind: Extract<NotificationKind, 'reminder_before' | 'reminder_overdue'>
  scheduledFor: string
}

/** Weekly chasing stops after this many overdue reminders; the clerk escalates after that. */
export const MAX_OVERDUE_REMINDERS = 8

/**
 * The reminder an item should have by `today`, if any: one a few days before the due date (the
 * body's reminder period), then one the day after it passes and weekly after that while nothing
 * has come. Each has a fixed date, so running the job twice a day never sends twice: the outbox
 * is unique on (item, kind, date).
 */
export function planReminders(item: ReminderFacts, today: string): PlannedReminder[] {
  const due = dueDate(item)
  if (!due || !item.addressee_email || !awaitingResponse(item)) return []
  if (today <= due) {
    if (item.reminder_days <= 0) return []
    const before = addDays(due, -item.reminder_days)
    return today >= before ? [{ kind: 'reminder_before', scheduledFor: before }] : []
  }
  const weeks = Math.floor((daysBetween(due, today) - 1) / 7)
  if (weeks >= MAX_OVERDUE_REMINDERS) return []
  return [{ kind: 'reminder_overdue', scheduledFor: addDays(due, 1 + 7 * weeks) }]
}

/** The words of a reminder email. Plain text: it goes to a mailbox, not a browser. */
export function reminderMessage(
  kind: NotificationKind,
  item: { reference: string; title: string; text: string; addressee: string; response_due: string | null; sent_on: string | null; body_name: string },
  today: string,
  link?: string,
): { subject: string; body: string } {
  const due = item.response_due ? formatLongDate(item.response_due) : 'no date set'
  const lines: string[] = [`Dear ${item.addressee},`, '']
  let subject: string
  if (kind === 'request') {
    subject = `${item.body_name}: ${item.reference} – response due by ${due}`
    lines.push(`The ${item.body_name} asks for a response to the following by ${due}.`)
  } else if (kind === 'reminder_before') {
    subject = `Reminder: ${item.reference} – response due by ${due}`
    lines.push(`This is a reminder that the ${item.body_name} expects a response to the following by ${due}.`)
  } else {
    const late = item.response_due ? daysBetween(item.response_due, today) : 0
    subject = `Overdue: ${item.reference} – response was due on ${due}`
    lines.push(
      `The response to the following was due on ${due} and has not been received (${late} day${late === 1 ? '' : 's'} overdue).`,
    )
  }
  if (item.sent_on) lines.push(`It was sent to you on ${formatLongDate(item.sent_on)}.`)
  lines.push('', `${item.reference}: ${item.title}`, '', item.text, '')
  if (link) lines.push(`Follow its progress: ${link}`, '')
  lines.push('Please reply to the clerk of the body. This message was sent by Lantern.')
  return { subject, body: lines.join('\n') }
}

const longDate = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })

export function formatLongDate(iso: string): string {
  return longDate.format(new Date(`${iso}T12:00:00Z`))
}

/** A slug for a public address: "County Strategy Group" → "county-strategy-group". */
export function slugify(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/g, '')
}

/** Kinds of organisation for invitations and attendance: the agency kinds, plus housing and faith groups. */
export const ORGANISATION_KINDS: { value: string; text: string }[] = [
  { value: 'county_council', text: 'County council' },
  { value: 'district_council', text: 'District or borough council' },
  { value: 'unitary_council', text: 'Unitary council' },
  { value: 'police', text: 'Police' },
  { value: 'health', text: 'Health (NHS)' },
  { value: 'education', text: 'Education' },
  { value: 'youth_justice', text: 'Youth justice' },
  { value: 'housing', text: 'Housing provider' },
  { value: 'voluntary', text: 'Voluntary or community group' },
  { value: 'oversight', text: 'Oversight (panel, commissioner’s office)' },
  { value: 'other', text: 'Other' },
]

export function organisationKindLabel(kind: string): string {
  return ORGANISATION_KINDS.find((k) => k.value === kind)?.text ?? kind
}

export interface AttendanceRow {
  organisation: string
  organisation_kind: string
  service: string
  role: string
  attendees: number
}

export interface InvitationRow {
  organisation: string
  organisation_kind: string
}

/**
 * "Who attended, by organisation": attendance grouped by kind of organisation, then by
 * organisation and service, with the invited organisations that sent nobody listed beside them,
 * so "were district council officers there?" is answered with names and numbers, not a guess.
 */
export function attendanceReport(attendance: AttendanceRow[], invitations: InvitationRow[]) {
  const kinds = new Map<string, { kind: string; label: string; attendees: number; organisations: Map<string, { organisation: string; attendees: number; lines: { service: string; role: string; attendees: number }[] }>; invitedAbsent: string[] }>()
  const kindOf = (k: string) => {
    let entry = kinds.get(k)
    if (!entry) {
      entry = { kind: k, label: organisationKindLabel(k), attendees: 0, organisations: new Map(), invitedAbsent: [] }
      kinds.set(k, entry)
    }
    return entry
  }
  const attendedOrgs = new Set<string>()
  for (const row of attendance) {
    const entry = kindOf(row.organisation_kind)
    entry.attendees += row.attendees
    const key = row.organisation.toLowerCase()
    attendedOrgs.add(key)
    let org = entry.organisations.get(key)
    if (!org) {
      org = { organisation: row.organisation, attendees: 0, lines: [] }
      entry.organisations.set(key, org)
    }
    org.attendees += row.attendees
    org.lines.push({ service: row.service, role: row.role, attendees: row.attendees })
  }
  for (const inv of invitations) {
    if (!attendedOrgs.has(inv.organisation.toLowerCase())) kindOf(inv.organisation_kind).invitedAbsent.push(inv.organisation)
  }
  const order = ORGANISATION_KINDS.map((k) => k.value)
  const rank = (kind: string) => (order.includes(kind) ? order.indexOf(kind) : order.length)
  const byKind = [...kinds.values()]
    .sort((a, b) => rank(a.kind) - rank(b.kind))
    .map((k) => ({
      kind: k.kind,
      label: k.label,
      attendees: k.attendees,
      attended: k.attendees > 0,
      organisations: [...k.organisations.values()].sort((a, b) => a.organisation.localeCompare(b.organisation)),
      invitedAbsent: k.invitedAbsent.sort((a, b) => a.localeCompare(b)),
    }))
  return {
    total: attendance.reduce((n, r) => n + r.attendees, 0),
    organisations: attendedOrgs.size,
    invited: invitations.length,
    byKind,
  }
}

/** Did anyone attend from this kind of organisation, optionally from a service whose name matches? */
export function attendedFrom(attendance: AttendanceRow[], kind: string, service?: RegExp) {
  const rows = attendance.filter((r) => r.organisation_kind === kind && (!service || service.test(r.service) || service.test(r.role)))
  return { attended: rows.length > 0, attendees: rows.reduce((n, r) => n + r.attendees, 0), organisations: [...new Set(rows.map((r) => r.organisation))].sort() }
}

const EVIDENCE_WHAT: Record<string, string> = {
  made: 'Made at the meeting',
  sent: 'Sent to the addressee',
  due_set: 'Response date set',
  reminder_queued: 'Reminder queued',
  reminder_sent: 'Reminder sent',
  not_sent: 'Not sent: no e-mail server configured',
  response_received: 'Response received',
  answered: 'Marked as answered',
  chased: 'Chased',
  became_overdue: 'Became overdue',
  note: 'Note',
}

const CHANNEL_TEXT: Record<string, string> = { email: 'By e-mail', letter: 'By letter', meeting: 'At a meeting', phone: 'By phone', system: 'Lantern' }

/**
 * The words for one evidence entry, the same on staff and public pages: what happened, and how
 * only when someone recorded how (an empty "How" is the truth when nobody said). A due-date
 * change says the old date, the new one and why.
 */
export function evidenceWording(e: { event: string; channel: string | null; previous_date?: string | null; new_date?: string | null; reason?: string | null }) {
  let what = EVIDENCE_WHAT[e.event] ?? e.event
  if (e.event === 'reminder_sent' && e.channel === 'email') what = 'Reminder sent by e-mail'
  if (e.event === 'due_set' && e.previous_date) {
    what = e.new_date ? `Response date moved from ${formatLongDate(e.previous_date)} to ${formatLongDate(e.new_date)}` : `Response date removed (was ${formatLongDate(e.previous_date)})`
  } else if (e.event === 'due_set' && e.new_date) {
    what = `Response date set: ${formatLongDate(e.new_date)}`
  }
  if (e.event === 'became_overdue' && e.previous_date) what = `Became overdue (the response was due on ${formatLongDate(e.previous_date)})`
  return { what, how: e.channel ? (CHANNEL_TEXT[e.channel] ?? '') : '', reason: e.reason ?? null }
}
