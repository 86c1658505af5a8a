import { UserError } from './errors.ts'

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/

/**
 * Checks a YYYY-MM-DD option before anything is opened: a day that is not on the calendar
 * (2026-02-30) is refused here in one line, not left to fail a statement in the database.
 */
export function checkDateOption(flag: string, value: string | undefined): void {
  if (value === undefined) return
  const m = ISO_DATE.exec(value)
  const day = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : undefined
  if (!m || !day || day.toISOString().slice(0, 10) !== value) throw new UserError(`${flag} must be a date as YYYY-MM-DD, not "${value}"`)
}

/** A whole-number option's value, refused in one line when it is not one. */
export function wholeNumberOption(flag: string, value: string): number {
  const n = Number(value)
  if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) throw new UserError(`${flag} must be a whole number, not "${value}"`)
  return n
}
