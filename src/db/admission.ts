import { DatabaseBusyError, type DatabaseLimits } from './limits.ts'

/** How many may be inside at once, how many may wait at the door, and for how long. */
export interface GateLimits {
  capacity: number
  queueLimit: number
  queueTimeoutMs: number
}

interface Waiter {
  enter(): void
  timer?: NodeJS.Timeout
}

/**
 * A door with room for `capacity` inside and a bounded, first-come queue outside it. One who
 * cannot wait (the queue is full) or who waits past the timeout is refused with DatabaseBusyError,
 * which the web answers "service busy, try again" (503). Without limits the queue is unbounded
 * and nobody is refused (the CLI and start-up wait however long it takes).
 *
 * The web server admits requests through one (so a request let in runs every statement it needs),
 * and the embedded database hands its one session out through another with capacity 1.
 */
export class Gate {
  private inside = 0
  private readonly waiting: Waiter[] = []

  constructor(private readonly limits: GateLimits | undefined) {}

  /**
   * Resolves once inside, with the way out (safe to call more than once). `bounded: false` may
   * queue past the queue limit (one already let in by an outer gate must not be refused for a
   * crowd it is not part of), but still gives up after the timeout.
   */
  enter(options: { bounded?: boolean } = {}): Promise<() => void> {
    const capacity = this.limits?.capacity ?? 1
    if (this.inside < capacity) {
      this.inside++
      return Promise.resolve(this.exit())
    }
    const limits = this.limits
    if (limits && options.bounded !== false && this.waiting.length >= limits.queueLimit) return Promise.reject(new DatabaseBusyError())
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { enter: () => resolve(this.exit()) }
      if (limits) {
        waiter.timer = setTimeout(() => {
          this.waiting.splice(this.waiting.indexOf(waiter), 1)
          reject(new DatabaseBusyError(`Waited ${limits.queueTimeoutMs} ms for the database`))
        }, limits.queueTimeoutMs)
      }
      this.waiting.push(waiter)
    })
  }

  /** How many are inside and how many wait (for /metrics). */
  get stats(): { inside: number; waiting: number } {
    return { inside: this.inside, waiting: this.waiting.length }
  }

  private exit(): () => void {
    let gone = false
    return () => {
      if (gone) return
      gone = true
      // The place goes straight to the first in the queue, so a newcomer cannot overtake them.
      const next = this.waiting.shift()
      if (!next) {
        this.inside--
        return
      }
      clearTimeout(next.timer)
      next.enter()
    }
  }
}

const doors = new WeakMap<object, Gate>()

/**
 * The web server's door for a database opened with limits: as many requests inside as the pool
 * has connections, `queueLimit` requests waiting, each for `queueTimeoutMs`. Sized from the same
 * limits as the pool, so what the door lets in the pool can serve.
 */
export function openDoor(db: object, limits: DatabaseLimits): void {
  doors.set(db, new Gate({ capacity: limits.poolSize, queueLimit: limits.queueLimit, queueTimeoutMs: limits.queueTimeoutMs }))
}

/** The door for this database, if it was opened with the web server's limits. */
export function doorFor(db: object): Gate | undefined {
  return doors.get(db)
}
