import { createHash } from 'node:crypto'
import type { Db } from '../db/index.ts'
import { throttleStore, type ThrottleCounter } from './throttle-store.ts'

export interface ThrottleSettings {
  /** Failures of one account from one address before delays start. */
  threshold: number
  /** The longest delay for an account from one address and for an address, in minutes. */
  minutes: number
}

const DAY_S = 24 * 3600
/** An address that signed in to the account within this many days is known for it. */
const KNOWN_ADDRESS_DAYS = 90
/** Across every address an account is slowed, never stopped: at most this long between tries. */
const ACCOUNT_DELAY_CAP_S = 60

function hash(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\n')).digest('hex')
}

/** How an email address typed at sign-in is keyed: the same for accounts that exist and those that do not. */
export function accountHash(email: string): string {
  return hash('account', email.trim().toLowerCase())
}

/** Seconds to wait after `failures` failures: none for the first `free`, then 1, 2, 4 … up to the cap. */
function delay(failures: number, free: number, capS: number): number {
  return failures < free ? 0 : Math.min(capS, 2 ** (failures - free))
}

/**
 * Failed sign-ins slow down whoever makes them, with growing delays, and never lock an account
 * (docs/security.md, "Signing in"). Three counters, in PostgreSQL so every instance agrees:
 *
 * - an account from one address: `threshold` free failures, then 1 s, 2 s, 4 s … up to `minutes`;
 * - an address, over every account: 10 × `threshold` free failures within an hour, then the same
 *   growth (guessing one password against many accounts);
 * - an account, over every address: 4 × `threshold` free failures, then delays of at most a
 *   minute (guessing from many addresses); it does not apply to an address the account signed in
 *   from in the last 90 days, so others' failures alone never keep the real person out.
 *
 * Counters are keyed by the email address as typed, hashed: an unknown email is throttled exactly
 * like a real one, so the answer never tells whether an account exists. Only failures count;
 * a successful sign-in clears the account's counters (never the address's, which a person with
 * an account of their own could otherwise reset while guessing at others).
 */
export function signInThrottle(db: Db, settings: ThrottleSettings) {
  const store = throttleStore(db)
  const capS = settings.minutes * 60
  const keysFor = (email: string, address: string) => {
    const account = accountHash(email)
    return {
      account,
      pair: `pair:${hash('pair', account, address)}`,
      accountOnly: `account:${account}`,
      address: `address:${hash('address', address)}`,
    }
  }
  const rules = (keys: ReturnType<typeof keysFor>) => [
    { key: keys.pair, free: settings.threshold, cap: capS, forget: DAY_S },
    { key: keys.address, free: settings.threshold * 10, cap: capS, forget: 3600 },
    { key: keys.accountOnly, free: settings.threshold * 4, cap: ACCOUNT_DELAY_CAP_S, forget: DAY_S },
  ]

  return {
    /** Seconds this email from this address must still wait before a try is even checked (0: go ahead). */
    async wait(email: string, address: string): Promise<number> {
      const keys = keysFor(email, address)
      const found = new Map<string, ThrottleCounter>((await store.counters([keys.pair, keys.address, keys.accountOnly])).map((c) => [c.key, c]))
      const pair = found.get(keys.pair)
      const known = pair?.since_success_s != null && pair.since_success_s < KNOWN_ADDRESS_DAYS * DAY_S
      let wait = 0
      for (const rule of rules(keys)) {
        if (rule.key === keys.accountOnly && known) continue
        const counter = found.get(rule.key)
        if (!counter || counter.since_failure_s == null || counter.since_failure_s > rule.forget) continue
        const due = delay(counter.failures, rule.free, rule.cap)
        if (due > 0) wait = Math.max(wait, due - counter.since_failure_s)
      }
      return Math.max(0, Math.ceil(wait))
    },
    async failed(email: string, address: string) {
      const keys = keysFor(email, address)
      for (const rule of rules(keys)) await store.fail(rule.key, rule.key === keys.address ? null : keys.account, rule.forget)
    },
    async succeeded(email: string, address: string) {
      const keys = keysFor(email, address)
      await store.succeed(keys.pair, keys.accountOnly, keys.account)
    },
    clear: (email: string) => store.clearAccount(accountHash(email)),
    prune: () => store.prune(),
  }
}

export type SignInThrottle = ReturnType<typeof signInThrottle>
