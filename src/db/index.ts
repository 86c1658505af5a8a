import { PGlite } from '@electric-sql/pglite'
import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import { mkdirSync } from 'node:fs'
import type { Database } from './schema.ts'
import { SerialPGliteDialect } from './pglite-dialect.ts'
import { DatabaseBusyError, type DatabaseLimits } from './limits.ts'
import { registerPool } from './bulk.ts'
import { openDoor } from './admission.ts'
import { applyScope, inRequest, requestAdmitted } from './scope.ts'

export type Db = Kysely<Database>

export interface DatabaseHandle {
  db: Db
  kind: 'postgres' | 'pglite'
  close(): Promise<void>
  /**
   * PGlite only: the whole data folder as a tar (gzipped if asked), for `loadDataDir` to start
   * from. Taken between statements, never inside another user's transaction.
   */
  dumpDataDir?(compression?: 'none' | 'gzip'): Promise<Blob>
}

// Same JavaScript values on both drivers: counts as numbers, dates as 'YYYY-MM-DD' strings (a date
// of birth must never shift by a time zone), numerics as numbers.
const INT8 = 20
const NUMERIC = 1700
const DATE = 1082
const parsers: Record<number, (value: string) => unknown> = {
  [INT8]: (v) => Number.parseInt(v, 10),
  [NUMERIC]: (v) => Number.parseFloat(v),
  [DATE]: (v) => v,
}

export interface DatabaseOptions {
  /** postgres://… for a PostgreSQL server; otherwise the embedded PGlite. */
  url?: string
  /** PGlite data folder; omitted means in memory (tests). */
  dataDir?: string
  /**
   * PGlite only: start from a data folder dumped earlier with `dumpDataDir('none')` instead of an
   * empty cluster. Tests use it to copy a database migrated and seeded once per run.
   */
  loadDataDir?: Blob
  /** Size of the connection pool for a server (limits.poolSize wins when both are given). */
  poolSize?: number
  /**
   * Statement and lock timeouts on every connection, and a bounded wait for one: a server's pool,
   * or the embedded database's queue of turns (its queue limit and timeout only: PGlite accepts
   * statement_timeout and lock_timeout but never fires them, see docs/security.md). The web
   * server sets them; the CLI and benches run long statements on purpose and do not.
   */
  limits?: DatabaseLimits
  /** Told when the server closes an idle pooled connection (the pool replaces it). */
  onIdleError?: (err: Error) => void
  /**
   * A server only: the tables' owner, when `url` logs in as a role that owns nothing (production,
   * docs/security.md). Statements outside any request (start-up, jobs) and reads that cross
   * need-to-know on purpose (`runAsOwner`) are sent on the owner's connections; with `url` alone,
   * `url` is the owner too.
   */
  ownerUrl?: string
}

/**
 * The pool as Kysely and bulk loads take from it: each client handed out carries the running
 * scope's role and user (src/db/scope.ts), and, with limits, a connection is refused at once
 * rather than queued past `queueLimit` waiters.
 */
function scopedPool(pool: pg.Pool, queueLimit?: number, ownerPool?: pg.Pool): pg.Pool {
  const connect = async () => {
    if (ownerPool && !inRequest()) return ownerPool.connect()
    if (queueLimit !== undefined && !requestAdmitted() && pool.waitingCount >= queueLimit) throw new DatabaseBusyError()
    const client = await pool.connect()
    try {
      await applyScope(client, (text, values) => client.query(text, values))
    } catch (err) {
      client.release(err as Error)
      throw err
    }
    return client
  }
  // The counts are read by /metrics (src/web/metrics.ts) through poolStats.
  return {
    connect,
    end: async () => {
      await Promise.all([pool.end(), ownerPool?.end()])
    },
    get totalCount() {
      return pool.totalCount
    },
    get idleCount() {
      return pool.idleCount
    },
    get waitingCount() {
      return pool.waitingCount
    },
  } as unknown as pg.Pool
}

function serverPool(url: string, max: number, limits?: DatabaseLimits): pg.Pool {
  return new pg.Pool({
    connectionString: url,
    max,
    // Lantern's statements are short; the row-level security policies' subqueries inflate their
    // estimated cost past jit_above_cost, and compiling them took longer than running them
    // (240 ms against 80 ms for the register's counts on the county seed).
    options: '-c jit=off',
    // Sent when each connection starts, so they hold for every statement on it.
    ...(limits && { statement_timeout: limits.statementTimeoutMs, lock_timeout: limits.lockTimeoutMs, connectionTimeoutMillis: limits.queueTimeoutMs }),
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') => parsers[oid] ?? pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  })
}

export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  if (options.url) {
    const limits = options.limits
    const pool = serverPool(options.url, limits?.poolSize ?? options.poolSize ?? 10, limits)
    // Outside requests the owner's statements are few (start-up, jobs, the marked cross reads), and
    // long on purpose: no web limits on them.
    const ownerPool = options.ownerUrl && options.ownerUrl !== options.url ? serverPool(options.ownerUrl, 4) : undefined
    // An idle pooled connection can be closed by the server (a restart, or a test dropping its
    // database); pg reports that on the pool, and an unheard 'error' event would end the process.
    for (const p of [pool, ownerPool]) p?.on('error', (err) => options.onIdleError?.(err))
    const scoped = scopedPool(pool, limits?.queueLimit, ownerPool)
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: scoped }) })
    registerPool(db, scoped)
    if (limits) openDoor(db, limits)
    return { db, kind: 'postgres', close: () => db.destroy() }
  }
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true })
  const client = await PGlite.create({ dataDir: options.dataDir, loadDataDir: options.loadDataDir, parsers })
  const db = new Kysely<Database>({ dialect: new SerialPGliteDialect(client, options.limits) })
  if (options.limits) openDoor(db, options.limits)
  return {
    db,
    kind: 'pglite',
    close: () => db.destroy(),
    // Holding the dialect's one connection queues every other query until the dump is taken.
    dumpDataDir: (compression = 'none') => db.connection().execute(() => client.dumpDataDir(compression)),
  }
}
