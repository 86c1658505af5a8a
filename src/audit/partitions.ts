/**
 * Months of the audit trail's partitions (migration 0800), in UTC: a month is named "YYYY-MM", its
 * partition `audit_events_YYYY_MM` and, once exported and detached, `audit_archive_YYYY_MM`.
 */

/** How many months ahead of the current one the `audit.partitions` job keeps made. */
export const MONTHS_AHEAD = 3

function monthIndex(month: string): number {
  const [y, m] = month.split('-').map(Number)
  return y * 12 + (m - 1)
}

function monthAt(index: number): string {
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`
}

export function monthOf(date: Date): string {
  return date.toISOString().slice(0, 7)
}

/** The month's first instant and the next month's, as PostgreSQL reads them. */
export function monthBounds(month: string): { from: string; to: string } {
  return { from: `${month}-01 00:00:00+00`, to: `${monthAt(monthIndex(month) + 1)}-01 00:00:00+00` }
}

export function monthOfPartition(table: string): string | undefined {
  const m = /^audit_events_(\d{4})_(\d{2})$/.exec(table)
  return m ? `${m[1]}-${m[2]}` : undefined
}

export function archiveTableName(month: string): string {
  return `audit_archive_${month.replace('-', '_')}`
}

/** The current month and the `ahead` after it. */
export function monthsAhead(now: Date, ahead = MONTHS_AHEAD): string[] {
  const first = monthIndex(monthOf(now))
  return Array.from({ length: ahead + 1 }, (_, i) => monthAt(first + i))
}

/**
 * The attached months a retention of `keepMonths` lets go: those before the month `keepMonths`
 * before the current one. The current month is never let go, whatever the setting.
 */
export function monthsPastRetention(attached: string[], now: Date, keepMonths: number): string[] {
  const oldestKept = monthIndex(monthOf(now)) - Math.max(0, Math.floor(keepMonths))
  return attached.filter((m) => monthIndex(m) < oldestKept).sort()
}
