/**
 * Period labels of the trend series: months `YYYY-MM` (12 a year) and weeks `YYYY-Www` indexed 52
 * to a year, as R's `sts` objects do (so week 53 does not exist and the reference week one year
 * back is always 52 periods earlier).
 */

export type Frequency = 12 | 52

export interface ParsedPeriod {
  frequency: Frequency
  /** Periods since year 0: year * frequency + (month or week - 1). Consecutive periods differ by 1. */
  index: number
}

const MONTH = /^(\d{4})-(\d{2})$/
const WEEK = /^(\d{4})-W(\d{2})$/

/** Parses `YYYY-MM` or `YYYY-Www`; null when the label is neither. */
export function parsePeriod(label: string): ParsedPeriod | null {
  const trimmed = label.trim()
  const month = MONTH.exec(trimmed)
  if (month) {
    const m = Number(month[2])
    return m >= 1 && m <= 12 ? { frequency: 12, index: Number(month[1]) * 12 + m - 1 } : null
  }
  const week = WEEK.exec(trimmed)
  if (week) {
    const w = Number(week[2])
    return w >= 1 && w <= 52 ? { frequency: 52, index: Number(week[1]) * 52 + w - 1 } : null
  }
  return null
}

export function formatPeriod(index: number, frequency: Frequency): string {
  const year = Math.floor(index / frequency)
  const within = (index % frequency) + 1
  const number = String(within).padStart(2, '0')
  return frequency === 12 ? `${year}-${number}` : `${year}-W${number}`
}

/** The label `steps` periods after `label` (negative steps go back). */
export function shiftPeriod(label: string, steps: number): string {
  const parsed = parsePeriod(label)
  if (!parsed) throw new RangeError(`not a period: ${label}`)
  return formatPeriod(parsed.index + steps, parsed.frequency)
}
