import { sql } from 'kysely'
import { openDatabase, type Db } from './index.ts'
import type { DatabaseLimits } from './limits.ts'

/**
 * A PostgreSQL streaming replica that takes the read-only analytics pages off the primary
 * (docs/deploy.md, "A read replica"). It is a copy of the whole cluster, so the same roles, grants
 * and row-level security policies answer there as on the primary: a request reads it as the same
 * application role, as the same user (src/db/scope.ts).
 *
 * It is used only while it is near enough: a replica further behind than `maxLagSeconds`, away,
 * or failing a read hands the page to the primary. Writes (the audit trail included) never go to
 * it: only services built over `db` here for reading are given it.
 */
export interface ReadReplica {
  db: Db
  /** Whether the next read may go to the replica: up, in recovery, and within the lag bound. */
  usable(): Promise<boolean>
  /** Whether `err` means the replica failed a read (then it is left alone for a while); false for faults of the read itself. */
  failed(err: unknown): boolean
  /** Told where each analytics read went (for /metrics). */
  onRead?: (source: 'replica' | 'primary') => void
  close(): Promise<void>
}

export interface ReplicaOptions {
  url: string
  maxLagSeconds: number
  /** The owner's connections on the primary, for the reads a service makes as the owner on purpose. */
  ownerUrl?: string
  limits?: DatabaseLimits
  /** After a failure, how long to send every read to the primary before trying the replica again. */
  retryAfterMs?: number
  /** How long to wait for a connection to the replica before reading from the primary instead. */
  connectTimeoutMs?: number
  onIdleError?: (err: Error) => void
  /** Told where each analytics read went (for /metrics). */
  onRead?: (source: 'replica' | 'primary') => void
}

// Connection failures (class 08), the server shutting down or gone (57P01-57P03), and a query
// cancelled because replay needed what it read (40001 on a standby).
const REPLICA_FAILURES = /^(08|57P0[123]|40001$)/
const NETWORK_FAILURES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE'])

/**
 * How far behind the replica is, in seconds: none while it has replayed everything it received,
 * else the age of the last transaction it replayed (the usual measure; an idle primary does not
 * make an up-to-date replica look late). Null when the server is not a replica (promoted).
 */
const LAG_SQL = sql<{ standby: boolean; lag: number | null }>`select pg_is_in_recovery() as standby,
  case when pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() then 0
       else extract(epoch from now() - pg_last_xact_replay_timestamp())::float8 end as lag`

export async function openReplica(options: ReplicaOptions): Promise<ReadReplica> {
  const connectTimeoutMs = options.connectTimeoutMs ?? 1_000
  const limits = options.limits && { ...options.limits, queueTimeoutMs: Math.min(options.limits.queueTimeoutMs, connectTimeoutMs) }
  const handle = await openDatabase({ url: options.url, ownerUrl: options.ownerUrl, limits, poolSize: limits?.poolSize, onIdleError: options.onIdleError })
  const retryAfterMs = options.retryAfterMs ?? 5_000
  let awayUntil = 0

  function failed(err: unknown): boolean {
    const { code } = (err ?? {}) as { code?: unknown }
    const replicaFault = typeof code === 'string' && (REPLICA_FAILURES.test(code) || NETWORK_FAILURES.has(code))
    const poolTimeout = err instanceof Error && /timeout exceeded when trying to connect|Connection terminated/.test(err.message)
    if (replicaFault || poolTimeout) awayUntil = Date.now() + retryAfterMs
    return replicaFault || poolTimeout
  }

  return {
    db: handle.db,
    async usable() {
      if (Date.now() < awayUntil) return false
      try {
        const { standby, lag } = (await LAG_SQL.execute(handle.db)).rows[0]
        return standby && lag !== null && lag <= options.maxLagSeconds
      } catch {
        awayUntil = Date.now() + retryAfterMs
        return false
      }
    },
    failed,
    onRead: options.onRead,
    close: () => handle.close(),
  }
}

/**
 * A read-only service over the primary and the same built once over the replica, and a way to run
 * a read on whichever should answer now: the replica when usable, else the primary; a read the
 * replica fails part-way is read again from the primary.
 */
export function replicaReads<S>(replica: ReadReplica | undefined, onPrimary: S, build: (db: Db) => S) {
  const onReplica = replica && build(replica.db)
  const onRead = replica?.onRead
  return async function read<T>(work: (service: S) => Promise<T>): Promise<T> {
    if (onReplica && (await replica.usable())) {
      try {
        const result = await work(onReplica)
        onRead?.('replica')
        return result
      } catch (err) {
        if (!replica.failed(err)) throw err
      }
    }
    const result = await work(onPrimary)
    onRead?.('primary')
    return result
  }
}
