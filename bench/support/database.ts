import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { endedChildrenCpuMs, parentPid, processCpuMs } from './machine.ts'

async function onServer<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}

export interface BenchDatabase {
  name: string
  url: string
  /** Whether it was made just now (so it is empty). */
  created: boolean
  /** Drops it (forcing off any sessions left open); does nothing for a database kept by name. */
  drop: () => Promise<void>
}

/**
 * A database for one bench run on the PostgreSQL server `serverUrl` names: a new throwaway one
 * called `lantern_bench_<prefix>_<random>`, or with `keep` the database of that name, made when
 * missing and never dropped (so slow seeding can happen once, outside the measurement).
 */
export async function benchDatabase(serverUrl: string, prefix: string, keep?: string): Promise<BenchDatabase> {
  const name = keep || `lantern_bench_${prefix}_${randomBytes(4).toString('hex')}`
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`${name}: a bench database's name is lower-case letters, digits and _`)
  const created = await onServer(serverUrl, async (c) => {
    if ((await c.query('select 1 from pg_database where datname = $1', [name])).rowCount) return false
    await c.query(`create database ${name}`)
    return true
  })
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  const drop = keep ? async () => {} : () => onServer(serverUrl, (c) => c.query(`drop database if exists ${name} with (force)`)).then(() => {})
  return { name, url: url.href, created, drop }
}

/** The PostgreSQL backends connected to the database `url` names (a server's pool), to count their CPU. */
export function postgresBackends(url: string): Promise<number[]> {
  return onServer(url, async (c) => {
    const { rows } = await c.query<{ pid: number }>('select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()')
    return rows.map((r) => r.pid)
  })
}

/**
 * PostgreSQL's CPU time so far, in ms, for the database `url` names: its backends now and those in
 * `earlier` (a previous snapshot's), plus what the server has reaped of backends that ended. A pool
 * closes idle connections and opens new ones during a measurement, so summing the backends seen at
 * the start alone would lose the CPU of those that ended and miss those that began. Ended backends
 * of other databases count too: measure on an otherwise idle server.
 */
export async function postgresCpu(url: string, earlier: number[] = []): Promise<{ pids: number[]; ms: number }> {
  const live = await postgresBackends(url)
  const pids = [...new Set([...earlier, ...live])]
  const server = parentPid(live[0] ?? earlier[0])
  return { pids, ms: pids.reduce((t, p) => t + processCpuMs(p), 0) + endedChildrenCpuMs(server) }
}
