import type { Logger } from 'pino'
import { fromLondon } from '../kernel/london.ts'
import type { Db } from '../db/index.ts'
import type { Random } from './random.ts'

/**
 * What each capability's demo seed receives: the database, a seeded random generator, "today"
 * (every demo date is relative to it, so the story stays current), and the ids the foundation
 * created, by stable keys, for the later seeds to refer to.
 */
export interface DemoSeed {
  db: Db
  random: Random
  today: Date
  logger?: Logger
  refs: {
    areas: Record<string, string>
    agencies: Record<string, string>
    teams: Record<string, string>
    users: Record<string, string>
    /** Filled by later seeds (e.g. people by key) for the ones after them. */
    [kind: string]: Record<string, string>
  }
}

export function daysAgo(today: Date, days: number): Date {
  return new Date(today.getTime() - days * 86_400_000)
}

export function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10)
}

/** A moment `daysAgo` days before the demo's today, at a UK wall-clock time. */
export function demoAt(today: Date, daysAgo: number, time = '10:00'): Date {
  return fromLondon(isoDate(new Date(today.getTime() - daysAgo * 86_400_000)), time)
}
