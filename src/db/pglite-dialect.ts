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
import { applyScope, requestAdmitted } from './scope.ts'
import type { DatabaseLimits } from './limits.ts'
import { Gate } from './admission.ts'

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

class SerialPGliteDriver implements Driver {
  /** The one session, handed to one user at a time, first come first served. */
  private readonly turns: Gate
  private handOn: (() => void) | undefined
  private readonly connection: PGliteConnection

  constructor(
    private readonly client: PGlite,
    limits?: QueueLimits,
  ) {
    this.turns = new Gate(limits && { capacity: 1, queueLimit: limits.queueLimit, queueTimeoutMs: limits.queueTimeoutMs })
    this.connection = new PGliteConnection(client)
  }
  async init() {}
  async acquireConnection(): Promise<DatabaseConnection> {
    // A request the web server let in (src/web/middleware/admission.ts) waits its turn for every
    // statement it needs; only the queue timeout refuses it.
    this.handOn = await this.turns.enter({ bounded: !requestAdmitted() })
    try {
      await applyScope(this.client, (text, values) => this.client.query(text, values))
    } catch (err) {
      this.handOn()
      throw err
    }
    return this.connection
  }
  async releaseConnection() {
    this.handOn?.()
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
