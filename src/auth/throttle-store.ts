import { sql } from 'kysely'
import type { Db } from '../db/index.ts'

export interface ThrottleCounter {
  key: string
  failures: number
  /** Seconds since the last failure, by the database's clock (every instance reads the same). */
  since_failure_s: number | null
  /** Seconds since this pair last signed in, for a pair of an account and an address. */
  since_success_s: number | null
}

/** SQL for the sign-in throttle's counters (src/auth/throttle.ts). */
export function throttleStore(db: Db) {
  return {
    async counters(keys: string[]): Promise<ThrottleCounter[]> {
      const { rows } = await sql<ThrottleCounter>`
        select key, failures,
               extract(epoch from now() - last_failure_at)::float8 as since_failure_s,
               extract(epoch from now() - last_success_at)::float8 as since_success_s
          from sign_in_throttle where key in (${sql.join(keys)})`.execute(db)
      return rows
    },
    /** One more failure; a counter whose last failure is older than `forgetAfterS` starts again. */
    async fail(key: string, accountHash: string | null, forgetAfterS: number) {
      await sql`
        insert into sign_in_throttle (key, account_hash, failures, last_failure_at) values (${key}, ${accountHash}, 1, now())
        on conflict (key) do update set
          failures = case when sign_in_throttle.last_failure_at is null
                            or sign_in_throttle.last_failure_at < now() - make_interval(secs => ${forgetAfterS})
                          then 1 else sign_in_throttle.failures + 1 end,
          last_failure_at = now()`.execute(db)
    },
    /** The pair signed in: its failures are forgotten and the address is known for the account. */
    async succeed(pairKey: string, accountKey: string, accountHash: string) {
      await sql`
        insert into sign_in_throttle (key, account_hash, failures, last_success_at) values (${pairKey}, ${accountHash}, 0, now())
        on conflict (key) do update set failures = 0, last_failure_at = null, last_success_at = now()`.execute(db)
      await db.deleteFrom('sign_in_throttle').where('key', '=', accountKey).execute()
    },
    /**
     * Counts an attempt `key` refused. When no row about its refusals was written in the last
     * `reportEveryS`, returns how many to write now (this one and those since the last row) and
     * starts counting again; else returns 0.
     */
    async refuse(key: string, reportEveryS: number): Promise<number> {
      const { rows } = await sql<{ report: number }>`
        update sign_in_throttle t set
          refused = case when old.due then 0 else old.refused + 1 end,
          reported_at = case when old.due then now() else old.reported_at end,
          last_refused_at = now()
        from (select key, refused, reported_at,
                     reported_at is null or reported_at < now() - make_interval(secs => ${reportEveryS}) as due
                from sign_in_throttle where key = ${key} for update) old
        where t.key = old.key
        returning case when old.due then old.refused + 1 else 0 end as report`.execute(db)
      return rows[0]?.report ?? 0
    },
    /** Counters whose refusals stopped `quietS` ago with some not yet written: taken, to be written now. */
    async takeEndedRefusals(quietS: number): Promise<{ key: string; refused: number }[]> {
      const { rows } = await sql<{ key: string; refused: number }>`
        update sign_in_throttle t set refused = 0, reported_at = now()
        from (select key, refused from sign_in_throttle
               where refused > 0 and last_refused_at < now() - make_interval(secs => ${quietS}) for update) old
        where t.key = old.key
        returning old.key, old.refused`.execute(db)
      return rows
    },
    /** An administrator clears an account's delays (the addresses it signed in from stay known). */
    async clearAccount(accountHash: string) {
      await db.deleteFrom('sign_in_throttle').where('account_hash', '=', accountHash).where('last_success_at', 'is', null).execute()
      await db.updateTable('sign_in_throttle').set({ failures: 0, last_failure_at: null }).where('account_hash', '=', accountHash).execute()
    },
    /** Failures quiet for a day, and known addresses unused for 90 days, are of no more use once their refusals are written. */
    async prune() {
      await db
        .deleteFrom('sign_in_throttle')
        .where('refused', '=', 0)
        .where(sql<boolean>`coalesce(last_failure_at, '-infinity') < now() - interval '1 day'`)
        .where(sql<boolean>`coalesce(last_success_at, '-infinity') < now() - interval '90 days'`)
        .execute()
    },
  }
}
