import { readDateInput } from '../../web/date-input.ts'
import { fromLondon, londonParts } from '../../kernel/london.ts'

/**
 * Dates and times as practitioners give them: UK local time (Europe/London, with summer time), a
 * GOV.UK date input and a time field. Stored as UTC instants.
 */

export type TimeResult = { ok: true; value: string | null } | { ok: false; message: string }

/** Reads "21:30", "21.30", "9:30pm", "9pm", "12am" into 'HH:MM'. */
export function parseTime(raw: unknown, label: string, required: boolean): TimeResult {
  const text = String(raw ?? '')
    .trim()
    .toLowerCase()
    .replace(/\s+/g, '')
  if (!text) return required ? { ok: false, message: `Enter the time ${label.toLowerCase()}` } : { ok: true, value: null }
  const bad = { ok: false as const, message: `Time ${label.toLowerCase()} must be a real time, like 21:30 or 9:30pm` }
  const m = text.match(/^(\d{1,2})(?:[:.](\d{2}))?(am|pm)?$/)
  if (!m) return bad
  let hour = Number(m[1])
  const minute = m[2] ? Number(m[2]) : 0
  if (!m[2] && !m[3]) return bad
  if (minute > 59) return bad
  if (m[3]) {
    if (hour < 1 || hour > 12) return bad
    if (m[3] === 'am' && hour === 12) hour = 0
    if (m[3] === 'pm' && hour !== 12) hour += 12
  } else if (hour > 23) return bad
  return { ok: true, value: `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}` }
}

export type DateTimeResult = { ok: true; value: Date | null } | { ok: false; field: string; message: string }

/**
 * Reads a GOV.UK date input `<name>-day/-month/-year` and a time field `<name>-time` as one
 * instant, refusing one in the future. `label` completes "Enter the date …", e.g. "they were reported missing".
 */
export function readDateTimeInput(body: Record<string, unknown> | undefined, name: string, label: string, options: { required: boolean; now: Date }): DateTimeResult {
  const { now } = options
  const hasTime = String(body?.[`${name}-time`] ?? '').trim() !== ''
  const date = readDateInput(body, name, `Date ${label}`, { required: options.required || hasTime })
  if (!date.ok) return { ok: false, field: `${name}-day`, message: date.message.replace(/^Enter date /, 'Enter the date ') }
  const time = parseTime(body?.[`${name}-time`], label, date.value != null)
  if (!time.ok) return { ok: false, field: `${name}-time`, message: time.message }
  if (date.value == null || time.value == null) return { ok: true, value: null }
  const at = fromLondon(date.value, time.value)
  if (at.getTime() > now.getTime()) return { ok: false, field: `${name}-day`, message: `The date and time ${label.toLowerCase()} must be in the past` }
  return { ok: true, value: at }
}

/** The form fields for showing a stored instant again. */
export function dateTimeParts(at: Date | null | undefined, name: string): Record<string, string> {
  if (!at) return {}
  const { date, time } = londonParts(at)
  const [y, m, d] = date.split('-')
  return { [`${name}-day`]: String(Number(d)), [`${name}-month`]: String(Number(m)), [`${name}-year`]: y, [`${name}-time`]: time }
}
