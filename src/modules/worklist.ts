import type { WorkItem, Worklist } from './types.ts'

/** The most items one worklist on Home shows; each links to its full list. */
export const WORKLIST_LENGTH = 15

/**
 * A worklist from rows read with one more than WORKLIST_LENGTH: the extra row only says there
 * are more, and the link to the full list is offered then.
 */
export function worklist<R>(list: Pick<Worklist, 'key' | 'title' | 'hint'> & { rows: R[]; item: (row: R) => WorkItem; more: { text: string; href: string } }): Worklist {
  return {
    key: list.key,
    title: list.title,
    hint: list.hint,
    items: list.rows.slice(0, WORKLIST_LENGTH).map(list.item),
    more: list.rows.length > WORKLIST_LENGTH ? list.more : null,
  }
}
