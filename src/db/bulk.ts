import { Kysely, PostgresDialect } from 'kysely'
import type pg from 'pg'
import { from as copyFrom } from 'pg-copy-streams'
import type { Writable } from 'node:stream'
import type { Database } from './schema.ts'
// The database handle's type, spelt out here because index.ts imports this file.
type Db = Kysely<Database>

/** The pool behind each PostgreSQL database handle (PGlite has none). */
const pools = new WeakMap<Db, pg.Pool>()

export function registerPool(db: Db, pool: pg.Pool): void {
  pools.set(db, pool)
}

/** How a server database's connection pool stands (null for the embedded database: one connection). */
export function poolStats(db: Db): { total: number; idle: number; waiting: number } | null {
  const pool = pools.get(db)
  return pool ? { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount } : null
}

/** Starts `COPY … FROM STDIN` on the transaction's connection: rows are written to the stream. */
export type CopyIn = (copySql: string) => Writable

/**
 * Runs `work` in one transaction that can also bulk-load with `COPY FROM STDIN` (PostgreSQL only;
 * `copyIn` is null on PGlite). Kysely does not hand out its connections, so on a server the
 * transaction runs on a client taken from the pool here, with a Kysely of its own over that one
 * client: statements and COPY then share the transaction, and a failure rolls both back.
 */
export async function bulkTransaction<T>(db: Db, work: (trx: Db, copyIn: CopyIn | null) => Promise<T>): Promise<T> {
  const pool = pools.get(db)
  if (!pool) return db.transaction().execute((trx) => work(trx, null))
  const client = await pool.connect()
  // Released once, below; Kysely's own release would hand the client back mid-transaction.
  const single = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: { connect: async () => ({ query: client.query.bind(client), release: () => undefined }), end: async () => undefined } as never }),
  })
  let broken: Error | undefined
  try {
    return await single.transaction().execute((trx) => work(trx, (copySql) => client.query(copyFrom(copySql))))
  } catch (err) {
    broken = err as Error
    throw err
  } finally {
    await single.destroy()
    // After a failure the client may have been left mid-COPY: it is closed rather than reused.
    client.release(broken)
  }
}
