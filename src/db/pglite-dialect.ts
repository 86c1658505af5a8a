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

/**
 * A Kysely dialect for PGlite that hands out its single connection to one user at a time.
 * kysely-pglite's driver shares the connection freely, so two requests in flight could run their
 * statements inside each other's transactions; PGlite has exactly one session, so access must be
 * serialised here.
 */
export class SerialPGliteDialect implements Dialect {
  constructor(private readonly client: PGlite) {}
  createAdapter() {
    return new PostgresAdapter()
  }
  createDriver(): Driver {
    return new SerialPGliteDriver(this.client)
  }
  createIntrospector(db: Parameters<Dialect['createIntrospector']>[0]) {
    return new PostgresIntrospector(db)
  }
  createQueryCompiler() {
    return new PostgresQueryCompiler()
  }
}

class SerialPGliteDriver implements Driver {
  private queue: Promise<void> = Promise.resolve()
  private readonly connection: PGliteConnection
  private readonly releases = new Map<DatabaseConnection, () => void>()

  constructor(private readonly client: PGlite) {
    this.connection = new PGliteConnection(client)
  }
  async init() {}
  async acquireConnection(): Promise<DatabaseConnection> {
    let release!: () => void
    const turn = new Promise<void>((resolve) => (release = resolve))
    const previous = this.queue
    this.queue = previous.then(() => turn)
    await previous
    try {
      await applyScope(this.client, (text, values) => this.client.query(text, values))
    } catch (err) {
      release()
      throw err
    }
    this.releases.set(this.connection, release)
    return this.connection
  }
  async releaseConnection(connection: DatabaseConnection) {
    const release = this.releases.get(connection)
    this.releases.delete(connection)
    release?.()
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
