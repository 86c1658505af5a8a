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
/** While a counter refuses attempts, at most one audit row about them in this time. */
const REPORT_EVERY_S = 15 * 60
/** Refusals are over when a counter has refused nothing for this long: the rest is written then. */
const ENDED_AFTER_S = 5 * 60

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

  /** Seconds this email from this address must still wait, and the counter that asks the longest wait. */
  async function longestWait(email: string, address: string): Promise<{ seconds: number; key?: string }> {
    const keys = keysFor(email, address)
    const found = new Map<string, ThrottleCounter>((await store.counters([keys.pair, keys.address, keys.accountOnly])).map((c) => [c.key, c]))
    const pair = found.get(keys.pair)
    const known = pair?.since_success_s != null && pair.since_success_s < KNOWN_ADDRESS_DAYS * DAY_S
    let wait = 0
    let key: string | undefined
    for (const rule of rules(keys)) {
      if (rule.key === keys.accountOnly && known) continue
      const counter = found.get(rule.key)
      if (!counter || counter.since_failure_s == null || counter.since_failure_s > rule.forget) continue
      const due = delay(counter.failures, rule.free, rule.cap)
      if (due > 0 && due - counter.since_failure_s > wait) {
        wait = due - counter.since_failure_s
        key = rule.key
      }
    }
    return { seconds: Math.max(0, Math.ceil(wait)), key }
  }

  return {
    /** Seconds this email from this address must still wait before a try is even checked (0: go ahead). */
    wait: async (email: string, address: string) => (await longestWait(email, address)).seconds,
    /**
     * The wait, as `wait`; and an attempt made while there is one is counted as refused on the
     * counter that refused it. Refusals are not audited one by one (someone hammering sign-in
     * would fill the audit trail): `report` says when a row is due, with how many it covers.
     */
    async refuse(email: string, address: string): Promise<{ waitSeconds: number; report?: ThrottleReport }> {
      const { seconds, key } = await longestWait(email, address)
      if (seconds === 0 || !key) return { waitSeconds: 0 }
      const refused = await store.refuse(key, REPORT_EVERY_S)
      return { waitSeconds: seconds, report: refused ? { counter: key, refused } : undefined }
    },
    /** Refusals that have stopped, with the count not yet written, each taken once. */
    endedRefusals: (): Promise<ThrottleReport[]> => store.takeEndedRefusals(ENDED_AFTER_S).then((rows) => rows.map((r) => ({ counter: r.key, refused: r.refused }))),
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

/**
 * What an audit row about refused attempts says: which counter (`pair:`, `address:` or `account:`
 * and a hash, the same on every row about it, never an email or address in clear) and how many.
 */
export interface ThrottleReport {
  counter: string
  refused: number
}
