import { randomBytes } from 'node:crypto'
import { linkSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import path from 'node:path'

/**
 * One writer for the embedded database. PGlite keeps PostgreSQL's files in a folder with nothing
 * stopping a second process from opening them too, and two processes writing one folder destroyed
 * it (`RuntimeError: Aborted()` on every later start). So whoever opens the folder first (the
 * server, or a `lantern` command) holds `lantern.lock` beside it until it stops.
 *
 * The lock names its holder (pid, the process's start time, host) rather than being kept fresh by
 * a timer (as proper-lockfile does): PGlite runs a query synchronously in WebAssembly, so a long
 * import can block the event loop for longer than any staleness window, and a timer-kept lock would
 * be "stolen" from a live server. A holder that died leaves its file behind; the next opener sees
 * the pid is gone (or now belongs to another process started later) and takes the lock over.
 */
export interface LockHolder {
  pid: number
  /** Linux: the process's start time in clock ticks since boot, to tell a reused pid apart. */
  startTicks: number | null
  host: string
  kind: 'server' | 'command'
  /** What holds it, for the message: "lantern import police-uk", "the Lantern server". */
  what: string
  since: string
  token: string
}

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder,
  ) {
    super(`${describeHolder(holder)} is using the embedded database in ${dataDir}`)
  }
}

export interface DataDirLock {
  readonly dataDir: string
  readonly holder: LockHolder
  /** Removes the lock file if it is still this process's. */
  release(): void
}

const LOCK_FILE = 'lantern.lock'
/** Tokens of the locks this process holds. */
const heldHere = new Set<string>()

export function lockPath(dataDir: string) {
  return path.join(dataDir, LOCK_FILE)
}

export function describeHolder(holder: LockHolder) {
  const who = holder.kind === 'server' ? `the Lantern server (pid ${holder.pid}` : `another command, ${holder.what} (pid ${holder.pid}`
  return `${who}${holder.host === hostname() ? '' : ` on ${holder.host}`}, since ${holder.since.slice(0, 19).replace('T', ' ')} UTC)`
}

/** The start time of a process in clock ticks since boot, where /proc tells it (Linux). */
function startTicks(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // Field 22; the command name (field 2) is in brackets and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const ticks = Number(fields[19])
    return Number.isFinite(ticks) ? ticks : null
  } catch {
    return null
  }
}

/** Whether the process that wrote the lock still runs. Another host's holder is taken as alive. */
export function isAlive(holder: LockHolder): boolean {
  if (holder.host !== hostname()) return true
  // After a container restart the new server often gets the pid its crashed predecessor had.
  if (holder.pid === process.pid) return heldHere.has(holder.token)
  try {
    process.kill(holder.pid, 0)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false
  }
  const now = startTicks(holder.pid)
  return holder.startTicks === null || now === null || now === holder.startTicks
}

function readHolder(file: string): LockHolder | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as LockHolder
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    // A file we cannot read is not ours to remove: treat it as held by an unknown process.
    throw new Error(`cannot read the lock ${file}: ${(err as Error).message}; remove it if no Lantern process is running`)
  }
}

/** The live holder of the folder's lock, if any. */
export function currentHolder(dataDir: string): LockHolder | undefined {
  const holder = readHolder(lockPath(dataDir))
  return holder && isAlive(holder) ? holder : undefined
}

/**
 * Takes the folder's lock or throws DataDirLockedError naming its live holder. The file appears
 * whole or not at all (written aside, then hard-linked into place, which fails if one exists).
 */
export function acquireDataDirLock(dataDir: string, who: { kind: LockHolder['kind']; what: string }): DataDirLock {
  mkdirSync(dataDir, { recursive: true })
  const file = lockPath(dataDir)
  const holder: LockHolder = {
    pid: process.pid,
    startTicks: startTicks(process.pid),
    host: hostname(),
    kind: who.kind,
    what: who.what,
    since: new Date().toISOString(),
    token: randomBytes(12).toString('hex'),
  }
  const draft = `${file}.${holder.token}`
  writeFileSync(draft, JSON.stringify(holder), { flag: 'wx' })
  try {
    for (let attempt = 0; attempt < 10; attempt++) {
      try {
        linkSync(draft, file)
        heldHere.add(holder.token)
        return lockHandle(dataDir, holder)
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
      }
      const existing = readHolder(file)
      if (!existing) continue
      if (isAlive(existing)) throw new DataDirLockedError(dataDir, existing)
      removeStale(file, existing)
    }
    throw new Error(`cannot take the lock ${file}: it keeps changing hands`)
  } finally {
    unlinkSync(draft)
  }
}

/**
 * Removes a dead holder's lock, and only that one: two processes may find the same stale lock at
 * once, and the slower must not remove the lock the faster has just taken. So the file is moved
 * aside and checked, and put back if it turns out to be a live one.
 */
function removeStale(file: string, stale: LockHolder) {
  const aside = `${file}.stale-${randomBytes(6).toString('hex')}`
  try {
    renameSync(file, aside)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return
    throw err
  }
  const moved = readHolder(aside)
  if (moved && moved.token !== stale.token) {
    try {
      linkSync(aside, file)
    } catch {
      // Someone took the free lock in the instant it was aside; theirs stands.
    }
  }
  unlinkSync(aside)
}

function lockHandle(dataDir: string, holder: LockHolder): DataDirLock {
  let held = true
  return {
    dataDir,
    holder,
    release() {
      if (!held) return
      held = false
      heldHere.delete(holder.token)
      const file = lockPath(dataDir)
      if (readHolder(file)?.token === holder.token) unlinkSync(file)
    },
  }
}
