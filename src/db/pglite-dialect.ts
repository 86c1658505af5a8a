import type { PGlite } from '@electric-sql/pglite'
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type QueryResult,
} from 'kysely'
import { applyScope } from './scope.ts'
import { DatabaseBusyError, type DatabaseLimits } from './limits.ts'

/** The bounds on the embedded database's queue of turns, as the pool's queue has on a server. */
export type QueueLimits = Pick<DatabaseLimits, 'queueLimit' | 'queueTimeoutMs'>

/**
 * A Kysely dialect for PGlite that hands out its single connection to one user at a time.
 * kysely-pglite's driver shares the connection freely, so two requests in flight could run their
 * statements inside each other's transactions; PGlite has exactly one session, so access must be
 * serialised here. With `limits` (the web server's), the queue of users waiting for their turn
 * is bounded like a server pool's: past `queueLimit` waiting, or after `queueTimeoutMs`, a user
 * gets DatabaseBusyError ("service busy") instead of waiting for as long as the turn before takes.
 */
export class SerialPGliteDialect implements Dialect {
  constructor(
    private readonly client: PGlite,
    private readonly limits?: QueueLimits,
  ) {}
  createAdapter() {
    return new PostgresAdapter()
  }
  createDriver(): Driver {
    return new SerialPGliteDriver(this.client, this.limits)
  }
  createIntrospector(db: Parameters<Dialect['createIntrospector']>[0]) {
    return new PostgresIntrospector(db)
  }
  createQueryCompiler() {
    return new PostgresQueryCompiler()
  }
}

interface Waiter {
  start(): void
  timer?: NodeJS.Timeout
}

class SerialPGliteDriver implements Driver {
  private held = false
  /** Users waiting for the session, first come first served. */
  private readonly waiting: Waiter[] = []
  private readonly connection: PGliteConnection

  constructor(
    private readonly client: PGlite,
    private readonly limits?: QueueLimits,
  ) {
    this.connection = new PGliteConnection(client)
  }
  async init() {}
  async acquireConnection(): Promise<DatabaseConnection> {
    await this.takeTurn()
    try {
      await applyScope(this.client, (text, values) => this.client.query(text, values))
    } catch (err) {
      this.handOn()
      throw err
    }
    return this.connection
  }
  async releaseConnection() {
    this.handOn()
  }
  private takeTurn(): Promise<void> {
    if (!this.held) {
      this.held = true
      return Promise.resolve()
    }
    const limits = this.limits
    if (limits && this.waiting.length >= limits.queueLimit) return Promise.reject(new DatabaseBusyError())
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { start: resolve }
      if (limits) {
        waiter.timer = setTimeout(() => {
          this.waiting.splice(this.waiting.indexOf(waiter), 1)
          reject(new DatabaseBusyError(`Waited ${limits.queueTimeoutMs} ms for the embedded database`))
        }, limits.queueTimeoutMs)
      }
      this.waiting.push(waiter)
    })
  }
  /** The session goes to the next user waiting, or is free. */
  private handOn() {
    const next = this.waiting.shift()
    if (!next) {
      this.held = false
      return
    }
    clearTimeout(next.timer)
    next.start()
  }
  async beginTransaction(connection: DatabaseConnection) {
    await connection.executeQuery(CompiledQuery.raw('begin'))
  }
  async commitTransaction(connection: DatabaseConnection) {
    await connection.executeQuery(CompiledQuery.raw('commit'))
  }
  async rollbackTransaction(connection: DatabaseConnection) {
    await connection.executeQuery(CompiledQuery.raw('rollback'))
  }
  async destroy() {
    await this.client.close()
  }
}

class PGliteConnection implements DatabaseConnection {
  constructor(private readonly client: PGlite) {}
  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.client.query<R>(query.sql, [...query.parameters])
    const affected = result.affectedRows
    return {
      rows: result.rows,
      numAffectedRows: affected === undefined ? undefined : BigInt(affected),
    }
  }
  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('PGlite does not support streaming queries')
  }
}
