import { execFile, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { createWriteStream, existsSync, openAsBlob, readdirSync, renameSync, rmSync } from 'node:fs'
import { chmod, open, rename, rm } from 'node:fs/promises'
import path from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { promisify } from 'node:util'
import pg from 'pg'
import { APPLICATION_ROLE } from './scope.ts'

/**
 * Backups of either database. The embedded one is PGlite's own dump of its data folder (a gzipped
 * tar of PostgreSQL's files, taken between statements); a PostgreSQL server's is `pg_dump -Fc`.
 * A backup file appears whole or not at all, readable by its owner only (it holds personal data);
 * a restore checks the archive completely before it replaces anything.
 */
export class BackupError extends Error {}

const run = promisify(execFile)

/** Streams `source` into `file` through a file beside it, renamed into place once on disk. */
export async function writeAtomically(file: string, source: Readable | ((partial: string) => Promise<void>)) {
  const partial = path.join(path.dirname(file), `.${path.basename(file)}.partial-${randomBytes(6).toString('hex')}`)
  try {
    if (typeof source === 'function') {
      // Made first with the backup's mode, so the tool writing it (pg_dump) keeps it private.
      await (await open(partial, 'wx', 0o600)).close()
      await source(partial)
      await chmod(partial, 0o600)
    } else {
      await pipeline(source, createWriteStream(partial, { flags: 'wx', mode: 0o600 }))
    }
    // On disk before it takes the backup's name: a crash must not leave an empty file there.
    const written = await open(partial, 'r+')
    await written.sync()
    await written.close()
    await rename(partial, file)
  } catch (err) {
    await rm(partial, { force: true })
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' && !existsSync(path.dirname(file))) throw new BackupError(`cannot write ${file}: no folder ${path.dirname(file)}`)
    throw err
  }
}

/** What kind of backup a file is, from its first bytes. */
export async function archiveKind(file: string): Promise<'pglite' | 'postgres' | 'other'> {
  let handle
  try {
    handle = await open(file, 'r')
  } catch (err) {
    throw new BackupError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`)
  }
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(5), 0, 5, 0)
    if (bytesRead >= 2 && buffer[0] === 0x1f && buffer[1] === 0x8b) return 'pglite'
    if (bytesRead === 5 && buffer.toString('latin1') === 'PGDMP') return 'postgres'
    return 'other'
  } finally {
    await handle.close()
  }
}

async function expectKind(file: string, kind: 'pglite' | 'postgres') {
  const found = await archiveKind(file)
  if (found === kind) return
  if (found === 'other') throw new BackupError(`${file} is not a Lantern backup`)
  throw new BackupError(
    found === 'postgres'
      ? `${file} is a backup of a PostgreSQL server (pg_dump): restore it with DATABASE_URL set to that server`
      : `${file} is a backup of the embedded database: restore it without DATABASE_URL`,
  )
}

/**
 * Replaces the embedded database in `folder` with the backup in `file`. The archive is unpacked
 * beside the folder and opened as a Lantern database first; only then is the old folder swapped
 * out. The caller holds the folder's lock.
 */
export async function restoreEmbedded(file: string, folder: string, options: { force?: boolean } = {}) {
  await expectKind(file, 'pglite')
  const occupied = existsSync(folder) && readdirSync(folder).length > 0
  if (occupied && !options.force) {
    throw new BackupError(`${folder} already holds a database; restoring replaces all of it: back it up first, then add --force`)
  }
  const { PGlite } = await import('@electric-sql/pglite')
  const incoming = `${folder}.restoring-${randomBytes(6).toString('hex')}`
  try {
    const client = await PGlite.create({ dataDir: incoming, loadDataDir: await openAsBlob(file) }).catch((err: unknown) => {
      throw new BackupError(`${file} is not a readable backup of the embedded database (${(err as Error).message})`)
    })
    try {
      await client.query('select count(*) from kysely_migration').catch(() => {
        throw new BackupError(`${file} holds a database, but not Lantern's`)
      })
    } finally {
      await client.close()
    }
    const replaced = `${folder}.replaced-${randomBytes(6).toString('hex')}`
    if (existsSync(folder)) renameSync(folder, replaced)
    renameSync(incoming, folder)
    rmSync(replaced, { recursive: true, force: true })
  } finally {
    rmSync(incoming, { recursive: true, force: true })
  }
}

/**
 * libpq reads the connection from the environment, so a password in DATABASE_URL is never on a
 * command line (where `ps` shows it to every user of the machine).
 */
function libpqEnvironment(databaseUrl: string): NodeJS.ProcessEnv {
  const url = new URL(databaseUrl)
  const env: NodeJS.ProcessEnv = { ...process.env, PGHOST: url.hostname, PGPORT: url.port || '5432', PGDATABASE: decodeURIComponent(url.pathname.slice(1)) }
  if (url.username) env.PGUSER = decodeURIComponent(url.username)
  if (url.password) env.PGPASSWORD = decodeURIComponent(url.password)
  const sslmode = url.searchParams.get('sslmode')
  if (sslmode) env.PGSSLMODE = sslmode
  return env
}

const notInstalled = (tool: string) =>
  new BackupError(`${tool} is not installed: install PostgreSQL's client tools, the same major version as the server or newer (Debian and Ubuntu: apt install postgresql-client)`)

async function postgresTool(tool: 'pg_dump' | 'pg_restore', args: string[], databaseUrl?: string): Promise<string> {
  try {
    const { stdout } = await run(tool, args, { env: databaseUrl ? libpqEnvironment(databaseUrl) : process.env, maxBuffer: 64 * 1024 * 1024 })
    return stdout
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string }
    if (e.code === 'ENOENT') throw notInstalled(tool)
    const reason = (e.stderr ?? e.message).trim().split('\n')[0]
    throw new BackupError(`${tool} failed: ${reason}`)
  }
}

export async function backUpPostgres(databaseUrl: string, file: string) {
  await writeAtomically(file, async (partial) => {
    await postgresTool('pg_dump', ['--format=custom', `--file=${partial}`], databaseUrl)
  })
}

/**
 * Said first in the restore's transaction. The schema is emptied, not cleaned object by object:
 * `pg_restore --clean` drops a partition's inherited constraint before its parent's and fails on
 * the partitioned audit trail, and dropping the schema takes its default privileges with it, so no
 * table the restore makes is granted more than the backup says. The application role belongs to
 * the cluster, not the database: on a new server it is made (as migration 0700 does), so that the
 * backup's grants and revokes have someone to name.
 */
const EMPTY_THE_SCHEMA = `
set client_min_messages = warning;
do $$ begin
  if not exists (select 1 from pg_catalog.pg_roles where rolname = '${APPLICATION_ROLE}') then
    create role ${APPLICATION_ROLE} nologin;
    execute pg_catalog.format('grant ${APPLICATION_ROLE} to %I', current_user);
  end if;
end $$;
drop schema public cascade;
create schema public;
`

/**
 * Restores a `pg_dump -Fc` backup into the server's database in one transaction: all of it or, on
 * any error, none. A database that already holds tables is replaced only with `force`. The grants
 * and revokes the migrations made (the application role may only add to and read the audit trail)
 * and the row security come back as they were backed up.
 */
export async function restorePostgres(databaseUrl: string, file: string, options: { force?: boolean } = {}) {
  await expectKind(file, 'postgres')
  await postgresTool('pg_restore', ['--list', file])
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  let tables: number
  try {
    tables = (await client.query<{ n: number }>(`select count(*)::int as n from information_schema.tables where table_schema = 'public'`)).rows[0].n
  } finally {
    await client.end()
  }
  if (tables > 0 && !options.force) {
    throw new BackupError(`the database ${new URL(databaseUrl).pathname.slice(1)} already holds ${tables} tables; restoring replaces them: back it up first, then add --force`)
  }
  await restoreScript(databaseUrl, file)
}

/**
 * pg_restore writes the backup as SQL into psql, inside one transaction that `commit` ends only
 * once pg_restore has written all of it: psql stopped on an error, or a script cut short, leaves
 * the transaction open when psql disconnects, and the server rolls it back.
 */
async function restoreScript(databaseUrl: string, file: string) {
  // Settled, never rejected, so that a tool missing is reported once both have been waited for.
  const finished = (tool: string, child: ReturnType<typeof spawn>) =>
    new Promise<{ code: number | null; stderr: string; missing?: BackupError }>((resolve) => {
      let stderr = ''
      child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
      child.on('error', (err: NodeJS.ErrnoException) => resolve({ code: -1, stderr: err.message, missing: err.code === 'ENOENT' ? notInstalled(tool) : undefined }))
      child.on('close', (code) => resolve({ code, stderr }))
    })
  const psql = spawn('psql', ['--no-psqlrc', '--quiet', '--set=ON_ERROR_STOP=1'], { env: libpqEnvironment(databaseUrl), stdio: ['pipe', 'ignore', 'pipe'] })
  const psqlDone = finished('psql', psql)
  // psql may stop (an error) while the script still flows: what it no longer reads is dropped.
  psql.stdin.on('error', () => undefined)
  psql.stdin.write(`begin;\n${EMPTY_THE_SCHEMA}\n`)
  const restore = spawn('pg_restore', ['--no-owner', '--exit-on-error', '--file=-', file], { stdio: ['ignore', 'pipe', 'pipe'] })
  const restoreDone = finished('pg_restore', restore)
  restore.stdout.pipe(psql.stdin, { end: false })
  const written = await restoreDone
  psql.stdin.end(written.code === 0 ? 'commit;\n' : undefined)
  const applied = await psqlDone
  const missing = applied.missing ?? written.missing
  if (missing) throw missing
  const firstLine = (text: string) => text.trim().split('\n').find((line) => /ERROR|FATAL|error/.test(line)) ?? text.trim().split('\n')[0]
  // psql's error first: pg_restore then fails only because psql stopped reading.
  if (applied.code !== 0) throw new BackupError(`the restore failed and changed nothing: ${firstLine(applied.stderr)}`)
  if (written.code !== 0) throw new BackupError(`pg_restore failed, and the restore changed nothing: ${firstLine(written.stderr)}`)
}
