import { sql, type Kysely } from 'kysely'

/**
 * How long a web request may hold or wait for the database. Without limits, a request behind a
 * held lock waits for as long as the lock is held, and once every pooled connection is waiting,
 * pages that need none of those rows wait too. With them, the request fails fast, is answered
 * "service busy, try again" (503), and the pool keeps serving everyone else.
 */
export interface DatabaseLimits {
  /** Connections in the pool. */
  poolSize: number
  /** Requests that may wait for a connection at once; past that, a request is busy at once. */
  queueLimit: number
  /** How long a request waits for a pooled connection before it is busy. */
  queueTimeoutMs: number
  /** PostgreSQL's statement_timeout: the longest one statement may run. */
  statementTimeoutMs: number
  /** PostgreSQL's lock_timeout: the longest a statement waits for a lock. */
  lockTimeoutMs: number
}

/** Thrown instead of queueing when too many requests already wait for a connection. */
export class DatabaseBusyError extends Error {
  constructor(message = 'Too many requests are waiting for the database') {
    super(message)
    this.name = 'DatabaseBusyError'
  }
}

// PostgreSQL's SQLSTATEs: query_canceled (statement_timeout) and lock_not_available (lock_timeout).
const BUSY_CODES = new Set(['57014', '55P03'])
// pg-pool's words when queueTimeoutMs passes without a free connection.
const POOL_TIMEOUT = 'timeout exceeded when trying to connect'

/** Whether an error means "the database is busy": worth trying again shortly, not a fault. */
export function isDatabaseBusy(err: unknown): boolean {
  if (err instanceof DatabaseBusyError) return true
  const { code, message } = (err ?? {}) as { code?: unknown; message?: unknown }
  return (typeof code === 'string' && BUSY_CODES.has(code)) || message === POOL_TIMEOUT
}

/**
 * Runs `work` on one connection with neither the statement nor the lock timeout, then puts back
 * what the connection had. Start-up work is long on purpose (migrations, loading the demo) and a
 * second instance must wait for the first's however long that takes; the web's limits would cancel
 * it after seconds. The settings are saved and restored rather than reset, because nested calls
 * (the start-up lock around the migrator) would otherwise put the limits back half-way through.
 */
export async function withoutTimeouts<DB, T>(connection: Kysely<DB>, work: () => Promise<T>): Promise<T> {
  const saved = await sql<{ statement_timeout: string; lock_timeout: string }>`
    select current_setting('statement_timeout') as statement_timeout, current_setting('lock_timeout') as lock_timeout`.execute(connection)
  await sql`select set_config('statement_timeout', '0', false), set_config('lock_timeout', '0', false)`.execute(connection)
  try {
    return await work()
  } finally {
    const { statement_timeout, lock_timeout } = saved.rows[0]
    await sql`select set_config('statement_timeout', ${statement_timeout}, false), set_config('lock_timeout', ${lock_timeout}, false)`.execute(connection)
  }
}
