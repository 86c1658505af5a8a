import pg from 'pg'
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, rmSync, writeFileSync, appendFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { freePort } from '../../bench/support/server.ts'

/**
 * A streaming replica of the test PostgreSQL server, made for one test or bench: a second cluster
 * in a temporary folder, copied with `pg_basebackup` and started on a free port in the foreground
 * as a child process. Nothing about the main cluster changes: its replication connection needs a
 * `host replication` line in pg_hba.conf (.ci/run adds it; docs/deploy.md, "Testing a replica").
 * No replication slot is kept, so a replica that dies leaves nothing behind on the primary.
 */
export interface ReplicaCluster {
  port: number
  /** `databaseUrl` (a URL on the primary) with the replica's port instead. */
  urlFor(databaseUrl: string): string
  /** A superuser's connection to the replica, to pause replay or read its state. */
  query<T extends pg.QueryResultRow>(text: string): Promise<T[]>
  /** Waits until the replica has replayed everything the primary had written when called. */
  caughtUp(): Promise<void>
  stop(): Promise<void>
  /** Stops it if running and removes its folder. Safe to call more than once. */
  dispose(): Promise<void>
}

/** Where the server's own programs are, for the server's major version; undefined when absent. */
export async function serverTools(serverUrl: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: serverUrl })
  await client.connect()
  try {
    const major = Math.floor(Number((await client.query('show server_version_num')).rows[0].server_version_num) / 10_000)
    const dir = process.env.PG_BINDIR ?? `/usr/lib/postgresql/${major}/bin`
    return ['pg_basebackup', 'postgres'].every((tool) => existsSync(path.join(dir, tool))) ? dir : undefined
  } finally {
    await client.end()
  }
}

/** What a replication connection is refused with, or undefined when the server allows one. */
export async function replicationRefused(serverUrl: string): Promise<string | undefined> {
  const url = new URL(serverUrl)
  const client = new pg.Client({ host: url.hostname, port: Number(url.port || 5432), user: decodeURIComponent(url.username), password: decodeURIComponent(url.password), database: 'postgres', replication: true } as pg.ClientConfig)
  try {
    await client.connect()
    await client.query('IDENTIFY_SYSTEM')
    return undefined
  } catch (err) {
    return (err as Error).message
  } finally {
    await client.end().catch(() => {})
  }
}

/**
 * PostgreSQL refuses to run as root: when the tests do (a CI container), the replica runs as the
 * `postgres` user that owns the main cluster, in a folder it owns.
 */
function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim())
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim())
  return { uid, gid }
}

function run(bin: string, args: string[], user: ReturnType<typeof runAs>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'], ...user })
    let err = ''
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()))
    child.on('error', reject)
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${path.basename(bin)} exited with ${code}: ${err.trim()}`))))
  })
}

export async function startReplica(serverUrl: string, bindir: string): Promise<ReplicaCluster> {
  const primary = new URL(serverUrl)
  const user = runAs()
  const dir = mkdtempSync(path.join(tmpdir(), 'lantern-replica-'))
  const data = path.join(dir, 'data')
  if (user) chownSync(dir, user.uid, user.gid)
  let server: ChildProcess | undefined
  let admin: pg.Client | undefined
  const port = await freePort()

  async function stop() {
    await admin?.end().catch(() => {})
    admin = undefined
    const child = server
    server = undefined
    if (!child || child.exitCode !== null || child.signalCode !== null) return
    await new Promise<void>((resolve) => {
      const kill = setTimeout(() => child.kill('SIGKILL'), 5_000)
      child.once('exit', () => {
        clearTimeout(kill)
        resolve()
      })
      // SIGINT: PostgreSQL's fast shutdown (no waiting for clients).
      child.kill('SIGINT')
    })
  }
  // A test that throws, or a runner killed mid-test, must not leave a postmaster behind.
  const onExit = () => server?.kill('SIGKILL')
  process.once('exit', onExit)
  const dispose = async () => {
    await stop()
    process.removeListener('exit', onExit)
    rmSync(dir, { recursive: true, force: true })
  }

  try {
    await run(
      path.join(bindir, 'pg_basebackup'),
      ['-h', primary.hostname, '-p', primary.port || '5432', '-U', decodeURIComponent(primary.username) || 'postgres', '-D', data, '--wal-method=stream', '--write-recovery-conf', '--checkpoint=fast', '--no-sync'],
      user,
    )
    // Debian keeps a cluster's configuration outside its data folder, so the copy has none: the
    // replica gets its own, local only, with the limits a hot standby must not set below the primary's.
    const limits = await settingsOf(serverUrl, ['max_connections', 'max_worker_processes', 'max_prepared_transactions', 'max_locks_per_transaction', 'max_wal_senders'])
    writeFileSync(
      path.join(data, 'postgresql.conf'),
      [
        `port = ${port}`,
        `listen_addresses = '127.0.0.1'`,
        `unix_socket_directories = '${dir}'`,
        'hot_standby = on',
        'hot_standby_feedback = on',
        'ssl = off',
        'fsync = off',
        'shared_buffers = 32MB',
        `logging_collector = off`,
        ...Object.entries(limits).map(([k, v]) => `${k} = ${v}`),
        '',
      ].join('\n'),
    )
    writeFileSync(path.join(data, 'pg_hba.conf'), 'local all all trust\nhost all all 127.0.0.1/32 trust\n')
    writeFileSync(path.join(data, 'pg_ident.conf'), '')
    // The copied auto.conf may carry settings of the main cluster's; the replica's own come last.
    appendFileSync(path.join(data, 'postgresql.auto.conf'), `\nport = ${port}\n`)
    if (user) execFileSync('chown', ['-R', `${user.uid}:${user.gid}`, dir])

    server = spawn(path.join(bindir, 'postgres'), ['-D', data], { stdio: ['ignore', 'ignore', 'pipe'], ...user })
    let log = ''
    server.stderr!.on('data', (c: Buffer) => (log = (log + c.toString()).slice(-4000)))
    const url = new URL(serverUrl)
    url.port = String(port)
    url.pathname = '/postgres'
    const deadline = Date.now() + 30_000
    for (;;) {
      if (server.exitCode !== null) throw new Error(`the replica stopped while starting:\n${log}`)
      try {
        const client = new pg.Client({ connectionString: url.href })
        await client.connect()
        admin = client
        break
      } catch {
        if (Date.now() > deadline) throw new Error(`the replica did not accept connections within 30 s:\n${log}`)
        await new Promise((r) => setTimeout(r, 100))
      }
    }
  } catch (err) {
    await dispose()
    throw err
  }

  const query = async <T extends pg.QueryResultRow>(text: string) => {
    if (!admin) throw new Error('the replica is stopped')
    return (await admin.query<T>(text)).rows
  }
  return {
    port,
    urlFor(databaseUrl) {
      const u = new URL(databaseUrl)
      u.port = String(port)
      return u.href
    },
    query,
    async caughtUp() {
      const [{ lsn }] = await queryPrimary<{ lsn: string }>(serverUrl, 'select pg_current_wal_lsn()::text as lsn')
      const deadline = Date.now() + 20_000
      while (Date.now() < deadline) {
        const [{ behind }] = await query<{ behind: boolean }>(`select coalesce(pg_last_wal_replay_lsn() < '${lsn}'::pg_lsn, true) as behind`)
        if (!behind) return
        await new Promise((r) => setTimeout(r, 50))
      }
      throw new Error('the replica did not catch up within 20 s')
    },
    stop,
    dispose,
  }
}

async function queryPrimary<T extends pg.QueryResultRow>(serverUrl: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: serverUrl })
  await client.connect()
  try {
    return (await client.query<T>(text)).rows
  } finally {
    await client.end()
  }
}

async function settingsOf(serverUrl: string, names: string[]): Promise<Record<string, string>> {
  const rows = await queryPrimary<{ name: string; setting: string }>(serverUrl, `select name, setting from pg_settings where name in (${names.map((n) => `'${n}'`).join(',')})`)
  return Object.fromEntries(rows.map((r) => [r.name, r.setting]))
}
