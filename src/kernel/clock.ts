import { fromLondon, londonDay, londonParts } from './london.ts'

/**
 * Where Lantern reads the time for casework: "today" for ages, review and return-home-interview
 * due dates, overdue recommendations, CAWN expiry, report periods, and the instant a record is made.
 * Built once by the composition root and handed to every service, so that tests and the demo can
 * run the whole product on a chosen day and give the same answers on any real date.
 *
 * Security timers (session expiry, lock-out, break glass, API token expiry) deliberately stay on
 * the real time: they are enforced against the database's own clock and must not move with a
 * setting.
 */
export interface Clock {
  /** The current instant. */
  now(): Date
  /** Today's date in England, 'YYYY-MM-DD'. */
  today(): string
}

/** A clock whose time can be moved by the test or demo that owns it. */
export interface SettableClock extends Clock {
  /** From now on the clock reads `at`, and runs on from there with the real time. */
  set(at: Date): void
}

function clockOf(now: () => Date): Clock {
  return { now, today: () => londonDay(now()) }
}

export const systemClock: Clock = clockOf(() => new Date())

/**
 * A clock that starts at `at` and runs on with the real time. Records made one after another
 * still get increasing times, while every date is worked out relative to `at`.
 */
export function startingAt(at: Date): SettableClock {
  let offset = at.getTime() - Date.now()
  return {
    ...clockOf(() => new Date(Date.now() + offset)),
    set(next: Date) {
      offset = next.getTime() - Date.now()
    },
  }
}

/**
 * The clock a configuration asks for: the real one, or one that starts on the chosen day at the
 * current London time of day (LANTERN_TODAY, for demos, training and tests).
 */
export function clockFor(today: string | undefined): Clock {
  return today ? startingAt(fromLondon(today, londonParts(new Date()).time)) : systemClock
}
