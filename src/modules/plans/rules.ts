import { addDays } from '../../kernel/elapsed.ts'
import { formatDate } from '../../web/nunjucks.ts'
import type { ActionStatus, Attendee, MeetingFieldsBefore, MeetingKind } from './tables.ts'

export const MEETING_KINDS: { value: MeetingKind; text: string }[] = [
  { value: 'strategy', text: 'Strategy discussion' },
  { value: 'mace', text: 'MACE meeting (multi-agency child exploitation)' },
  { value: 'cp_conference', text: 'Child protection conference' },
]

export const meetingKindText = (kind: string): string => MEETING_KINDS.find((k) => k.value === kind)?.text ?? 'Meeting'

/** The line a meeting writes on each person's history (the service's and the demo's). */
export const meetingHeldSummary = (kind: string, heldOn: string, chair: string): string => `${meetingKindText(kind)} held on ${formatDate(heldOn)}, chaired by ${chair}`

/** An open action counts as due from this many days before its due day: on Home and the child's plan. */
export const DUE_SOON_DAYS = 14

export type ActionState = 'open' | 'due' | 'overdue' | 'done' | 'cancelled'

export const ACTION_STATE_TEXT: Record<ActionState, string> = { open: 'Open', due: 'Due soon', overdue: 'Overdue', done: 'Done', cancelled: 'Cancelled' }

/** Days are 'YYYY-MM-DD' in England (the casework clock's `today()`), so they compare as strings. */
export function actionState(action: { status: ActionStatus; due_on: string }, today: string): ActionState {
  if (action.status !== 'open') return action.status
  if (action.due_on < today) return 'overdue'
  return action.due_on <= addDays(today, DUE_SOON_DAYS) ? 'due' : 'open'
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i

/**
 * Records named on a form one a line, by the address of their page or their id: the last id on each
 * line (an address may carry only one record's), each once. Lines that name none are returned by
 * number for the error message.
 */
export function idsIn(text: string): { ids: string[]; unreadable: number[] } {
  const ids: string[] = []
  const unreadable: number[] = []
  text.split(/\r?\n/).forEach((line, index) => {
    if (!line.trim()) return
    const match = line.match(UUID)
    if (!match) return unreadable.push(index + 1)
    const id = match[0].toLowerCase()
    if (!ids.includes(id)) ids.push(id)
  })
  return { ids, unreadable }
}

/** Rows for attendees on the meeting form: a row left empty is skipped. */
export const ATTENDEE_ROWS = 8

const field = (body: Record<string, unknown>, row: number, name: string) => String(body[`attendee-${row}-${name}`] ?? '').trim()

export function readAttendees(body: Record<string, unknown>): { attendees: Attendee[]; issues: { field: string; message: string }[] } {
  const attendees: Attendee[] = []
  const issues: { field: string; message: string }[] = []
  for (let row = 1; row <= ATTENDEE_ROWS; row++) {
    const [name, role, agencyId] = [field(body, row, 'name'), field(body, row, 'role'), field(body, row, 'agency')]
    if (!name) {
      if (role || agencyId) issues.push({ field: `attendee-${row}-name`, message: `Enter the name of attendee ${row}, or clear the row` })
      continue
    }
    if (name.length > 120) issues.push({ field: `attendee-${row}-name`, message: `The name of attendee ${row} must be 120 characters or fewer` })
    if (role.length > 120) issues.push({ field: `attendee-${row}-role`, message: `The role of attendee ${row} must be 120 characters or fewer` })
    if (agencyId && !UUID.test(agencyId)) issues.push({ field: `attendee-${row}-agency`, message: `Select the agency of attendee ${row} from the list` })
    attendees.push({ name, role: role || null, agencyId: agencyId || null, attended: field(body, row, 'attended') !== 'apologies' })
  }
  return { attendees, issues }
}

/** What a correction of a meeting may change, as the history names it. */
export const MEETING_FIELD_TEXT: Record<keyof MeetingFieldsBefore, string> = {
  kind: 'Kind of meeting',
  held_on: 'Date held',
  chair: 'Chair',
  chair_agency_id: 'Chair’s agency',
  attendees: 'Attendees',
  decisions: 'Decisions',
}

/** The fields an edit changes, in the form's order; attendees compare as a whole list, order included. */
export function changedMeetingFields(before: MeetingFieldsBefore, after: MeetingFieldsBefore): (keyof MeetingFieldsBefore)[] {
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)
  const attendee = (a: Attendee) => [a.name, a.role, a.agencyId, a.attended]
  return (Object.keys(MEETING_FIELD_TEXT) as (keyof MeetingFieldsBefore)[]).filter((k) =>
    k === 'attendees' ? !same(before.attendees.map(attendee), after.attendees.map(attendee)) : !same(before[k] ?? null, after[k] ?? null),
  )
}
