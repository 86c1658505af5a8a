import type { Frequency } from './tables.ts'

/**
 * Periods are held as the date of their first day ('YYYY-MM-01'): a month, a quarter (starting
 * January, April, July or October) or a financial year (starting 1 April).
 */

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']
const SHORT = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/** Months since year 0 of a 'YYYY-MM-DD' or 'YYYY-MM' string. */
export function monthIndex(period: string): number {
  return Number(period.slice(0, 4)) * 12 + Number(period.slice(5, 7)) - 1
}

export function fromMonthIndex(index: number): string {
  const year = Math.floor(index / 12)
  return `${String(year).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}-01`
}

export function addMonths(period: string, months: number): string {
  return fromMonthIndex(monthIndex(period) + months)
}

export function monthsIn(frequency: Frequency): number {
  return frequency === 'month' ? 1 : frequency === 'quarter' ? 3 : 12
}

/** The first month of the period of this frequency that contains `month`. */
export function periodContaining(month: string, frequency: Frequency): string {
  const i = monthIndex(month)
  if (frequency === 'month') return fromMonthIndex(i)
  if (frequency === 'quarter') return fromMonthIndex(i - (i % 3))
  // Financial year: April (month index 3 within the year) to March.
  const within = i % 12
  return fromMonthIndex(within >= 3 ? i - within + 3 : i - within - 9)
}

export function isPeriodStart(period: string, frequency: Frequency): boolean {
  return periodContaining(period, frequency) === period.slice(0, 7) + '-01'
}

/** The last day of the period. */
export function periodEnd(period: string, frequency: Frequency): string {
  const next = addMonths(period, monthsIn(frequency))
  const d = new Date(`${next}T00:00:00Z`)
  d.setUTCDate(0)
  return d.toISOString().slice(0, 10)
}

export function financialYearLabel(period: string): string {
  const start = periodContaining(period, 'year')
  const y = Number(start.slice(0, 4))
  return `${y}/${String((y + 1) % 100).padStart(2, '0')}`
}

/** "September 2026", "July to September 2026", "2025/26". */
export function periodLabel(period: string, frequency: Frequency): string {
  const i = monthIndex(period)
  const year = Math.floor(i / 12)
  if (frequency === 'month') return `${MONTHS[i % 12]} ${year}`
  if (frequency === 'quarter') {
    const end = i + 2
    return `${MONTHS[i % 12]} to ${MONTHS[end % 12]} ${Math.floor(end / 12)}`
  }
  return financialYearLabel(period)
}

/** "Sep 2026" for chart axes; quarters and years as their label. */
export function shortLabel(period: string, frequency: Frequency): string {
  const i = monthIndex(period)
  if (frequency === 'month') return `${SHORT[i % 12]} ${Math.floor(i / 12)}`
  if (frequency === 'quarter') return `${SHORT[i % 12]}–${SHORT[(i + 2) % 12]} ${Math.floor((i + 2) / 12)}`
  return financialYearLabel(period)
}

/** A span of months, inclusive, as "April 2025 to March 2026" (or one month's name). */
export function spanLabel(from: string, to: string): string {
  if (from.slice(0, 7) === to.slice(0, 7)) return periodLabel(from, 'month')
  if (periodContaining(from, 'year') === from.slice(0, 7) + '-01' && monthIndex(to) - monthIndex(from) === 11) return `financial year ${financialYearLabel(from)}`
  return `${periodLabel(from, 'month')} to ${periodLabel(to, 'month')}`
}

/**
 * Reads a period as people write it in a CSV file or a form: 'YYYY-MM' (a month, or the first
 * month of a quarter or financial year) or 'YYYY/YY' (a financial year). Null when not a period
 * of this frequency.
 */
export function parsePeriodInput(text: string, frequency: Frequency): string | null {
  const t = text.trim()
  const fy = /^(\d{4})\/(\d{2})$/.exec(t)
  if (fy) {
    const y = Number(fy[1])
    if ((y + 1) % 100 !== Number(fy[2]) || frequency !== 'year') return null
    return `${fy[1]}-04-01`
  }
  const m = /^(\d{4})-(\d{2})(?:-01)?$/.exec(t)
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) return null
  const period = `${m[1]}-${m[2]}-01`
  return isPeriodStart(period, frequency) ? period : null
}

/** What a period of this frequency looks like, for error messages. */
export function periodHint(frequency: Frequency): string {
  if (frequency === 'month') return 'a month like 2026-09'
  if (frequency === 'quarter') return 'the first month of a quarter like 2026-07 (January, April, July or October)'
  return 'a financial year like 2025/26'
}
