import { PGlite } from '@electric-sql/pglite'
import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import { mkdirSync } from 'node:fs'
import type { Database } from './schema.ts'
import { SerialPGliteDialect } from './pglite-dialect.ts'
import { registerPool } from './bulk.ts'

export type Db = Kysely<Database>

export interface DatabaseHandle {
  db: Db
  kind: 'postgres' | 'pglite'
  close(): Promise<void>
  /** PGlite only: the whole data folder as an uncompressed tar, for `loadDataDir` to start from. */
  dumpDataDir?(): Promise<Blob>
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
  /** Size of the connection pool for a server. */
  poolSize?: number
  /** Told when the server closes an idle pooled connection (the pool replaces it). */
  onIdleError?: (err: Error) => void
}

export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  if (options.url) {
    const pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize ?? 10,
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
          parsers[oid] ?? pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
      },
    })
    // An idle pooled connection can be closed by the server (a restart, or a test dropping its
    // database); pg reports that on the pool, and an unheard 'error' event would end the process.
    pool.on('error', (err) => options.onIdleError?.(err))
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
    registerPool(db, pool)
    return { db, kind: 'postgres', close: () => db.destroy() }
  }
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true })
  const client = await PGlite.create({ dataDir: options.dataDir, loadDataDir: options.loadDataDir, parsers })
  const db = new Kysely<Database>({ dialect: new SerialPGliteDialect(client) })
  return { db, kind: 'pglite', close: () => db.destroy(), dumpDataDir: () => client.dumpDataDir('none') }
}
