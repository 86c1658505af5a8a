import { formatReference, kindLabel, statusLabel, timeliness } from './domain.ts'
import type { TrackerRow } from './store.ts'

/** Rows a tracker page shows at once. */
export const TRACKER_PAGE = 100

export type Decorated = ReturnType<typeof decorate>

/** A tracker row with its reference, labels and timeliness worked out for the pages and exports. */
export function decorate(row: TrackerRow, day: string) {
  const t = timeliness(row, day)
  return {
    ...row,
    reference: formatReference(row.body_code, row.municipal_year, row.kind, row.number),
    kindText: kindLabel(row.kind, row.request_type),
    statusText: statusLabel(row.status),
    overdue: t.overdue,
    daysOverdue: t.daysOverdue,
    due: t.due,
    dueBasis: t.dueBasis,
    notSent: t.notSent,
    answeredLate: t.answeredLate,
    daysLate: t.daysLate,
    answered: t.answered,
    dueIn: t.dueIn,
    dueSoon: t.dueSoon,
    awaiting: t.awaiting,
    shownRag: t.rag,
  }
}
