import { afterEach, describe, expect, it } from 'vitest'
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import path from 'node:path'
import { acquireDataDirLock, currentHolder, DataDirLockedError, lockPath, type LockHolder } from './data-dir-lock.ts'

const folders: string[] = []
function folder() {
  const dir = mkdtempSync(path.join(tmpdir(), 'lantern-lock-'))
  folders.push(dir)
  return dir
}
afterEach(() => {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true })
})

function writeLock(dir: string, pid: number, extra: Partial<LockHolder> = {}) {
  const holder: LockHolder = { pid, startTicks: null, host: hostname(), kind: 'server', what: 'the Lantern server', since: '2026-01-01T09:00:00.000Z', token: 'old', ...extra }
  writeFileSync(lockPath(dir), JSON.stringify(holder))
}

describe('the embedded database folder lock', () => {
  it('lets one holder at a time in, names the holder to the next, and is free again once released', () => {
    const dir = folder()
    const first = acquireDataDirLock(dir, { kind: 'server', what: 'the Lantern server' })
    let refusal: unknown
    try {
      acquireDataDirLock(dir, { kind: 'command', what: 'lantern import police-uk' })
    } catch (err) {
      refusal = err
    }
    expect(refusal).toBeInstanceOf(DataDirLockedError)
    expect((refusal as Error).message).toContain(`the Lantern server (pid ${process.pid}`)
    expect(currentHolder(dir)?.kind).toBe('server')
    first.release()
    expect(currentHolder(dir)).toBeUndefined()
    const second = acquireDataDirLock(dir, { kind: 'command', what: 'lantern backup' })
    second.release()
    // Nothing left behind: no drafts, no stale copies.
    expect(readdirSync(dir)).toEqual([])
  })

  it('takes over a lock whose holder died (a crashed server does not block the next start)', () => {
    const dir = folder()
    const dead = spawnSync(process.execPath, ['-e', '']).pid
    writeLock(dir, dead)
    const lock = acquireDataDirLock(dir, { kind: 'server', what: 'the Lantern server' })
    expect(lock.holder.pid).toBe(process.pid)
    expect(currentHolder(dir)?.token).toBe(lock.holder.token)
    lock.release()
  })

  it('takes over a lock naming this very process (a restarted container reuses the pid)', () => {
    const dir = folder()
    writeLock(dir, process.pid)
    acquireDataDirLock(dir, { kind: 'server', what: 'the Lantern server' }).release()
    expect(existsSync(lockPath(dir))).toBe(false)
  })

  it('respects a live holder that is another process, and a pid reused by a later process is not it', async () => {
    const dir = folder()
    const child = spawn('sleep', ['30'])
    try {
      await new Promise((resolve) => child.once('spawn', resolve))
      writeLock(dir, child.pid!)
      expect(() => acquireDataDirLock(dir, { kind: 'command', what: 'lantern db migrate' })).toThrow(DataDirLockedError)
      // The same pid, but the lock was written by a process that started at another time.
      if (existsSync(`/proc/${child.pid}/stat`)) {
        writeLock(dir, child.pid!, { startTicks: 1 })
        acquireDataDirLock(dir, { kind: 'command', what: 'lantern db migrate' }).release()
      }
    } finally {
      child.kill()
    }
  })

  it('does not release a lock another process has taken since', () => {
    const dir = folder()
    const lock = acquireDataDirLock(dir, { kind: 'command', what: 'lantern backup' })
    writeLock(dir, process.pid, { token: 'someone-else' })
    lock.release()
    expect(existsSync(lockPath(dir))).toBe(true)
  })
})
