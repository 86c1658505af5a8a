/**
 * Lantern's calendar is the partnership's: England's wall clock (Europe/London, with summer time).
 * Instants are stored in UTC; days, months and ages are read in London, so a child born on
 * 1 June turns a year older at midnight in England, not at 1am in summer.
 */

// Built once: constructing an Intl formatter costs more than most requests' own date work.
const LONDON = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
})

function partsOf(at: Date): Record<string, string> {
  return Object.fromEntries(LONDON.formatToParts(at).map((x) => [x.type, x.value]))
}

/** The London wall-clock reading of an instant: 'YYYY-MM-DD' and 'HH:MM'. */
export function londonParts(at: Date): { date: string; time: string } {
  const p = partsOf(at)
  return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}` }
}

/** The calendar day an instant falls on in England, as 'YYYY-MM-DD'. */
export function londonDay(at: Date): string {
  return londonParts(at).date
}

/** The first day of the month an instant falls in, in England, as 'YYYY-MM-01'. */
export function londonMonth(at: Date): string {
  return `${londonDay(at).slice(0, 7)}-01`
}

function offsetMinutes(at: Date): number {
  const p = partsOf(at)
  const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second))
  return Math.round((asUtc - Math.floor(at.getTime() / 1000) * 1000) / 60_000)
}

/** The instant a London wall-clock reading names ('YYYY-MM-DD', 'HH:MM'). */
export function fromLondon(date: string, time: string): Date {
  const [y, m, d] = date.split('-').map(Number)
  const [hh, mm] = time.split(':').map(Number)
  const guess = Date.UTC(y, m - 1, d, hh, mm)
  let at = new Date(guess - offsetMinutes(new Date(guess)) * 60_000)
  // Near a clock change the first guess can take the other side's offset: settle it once more.
  at = new Date(guess - offsetMinutes(at) * 60_000)
  return at
}

/** A run of whole months, as the indicators ask other capabilities for their counts. */
export interface MonthRange {
  /** First month, 'YYYY-MM-DD' (any day in it). */
  from: string
  /** Last month, 'YYYY-MM-DD' (any day in it). */
  to: string
}
