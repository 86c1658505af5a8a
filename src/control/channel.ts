import { randomBytes } from 'node:crypto'
import { readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'

/**
 * How a `lantern` command reaches the server that holds the embedded database: the server listens
 * on 127.0.0.1 only, on a port of its choosing, and writes the port and a secret made at each start
 * beside its lock file, readable by its own user only (0600). A command run by that user reads
 * them and sends its work to the server instead of opening the folder a second time.
 */
export interface ControlAddress {
  pid: number
  port: number
  secret: string
}

const CONTROL_FILE = 'lantern.control'

export function controlPath(dataDir: string) {
  return path.join(dataDir, CONTROL_FILE)
}

export function newControlSecret() {
  return randomBytes(32).toString('base64url')
}

/** Written aside with mode 0600 and renamed into place, so a reader sees all of it or nothing. */
export function publishControl(dataDir: string, address: ControlAddress) {
  const file = controlPath(dataDir)
  const draft = `${file}.${randomBytes(6).toString('hex')}`
  writeFileSync(draft, JSON.stringify(address), { flag: 'wx', mode: 0o600 })
  renameSync(draft, file)
}

export function withdrawControl(dataDir: string, pid = process.pid) {
  if (readControl(dataDir)?.pid === pid) unlinkSync(controlPath(dataDir))
}

export function readControl(dataDir: string): ControlAddress | undefined {
  try {
    return JSON.parse(readFileSync(controlPath(dataDir), 'utf8')) as ControlAddress
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return undefined
    if (code === 'EACCES') throw new Error(`cannot read ${controlPath(dataDir)}: run the command as the user the server runs as`)
    throw err
  }
}
