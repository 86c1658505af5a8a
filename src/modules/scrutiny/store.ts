import type { Db } from '../../db/index.ts'
import { trackerStore } from './tracker-store.ts'
import { bodiesStore } from './bodies-store.ts'
import { meetingsStore } from './meetings-store.ts'
import { itemsStore } from './items-store.ts'
import { itemRecordStore } from './item-record-store.ts'

export { dueSql, overdueSql, type TrackerFilter, type TrackerRow, type Visibility } from './visibility-store.ts'

/**
 * SQL for the tracker and everything around it, one store per concept composed into one. Pass a
 * transaction to run inside it.
 */
export function scrutinyStore(db: Db) {
  return { ...trackerStore(db), ...bodiesStore(db), ...meetingsStore(db), ...itemsStore(db), ...itemRecordStore(db) }
}

export type ScrutinyStore = ReturnType<typeof scrutinyStore>
