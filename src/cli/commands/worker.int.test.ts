import { afterAll, describe, expect, it } from 'vitest'
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import type { Db } from '../../db/index.ts'
import { moduleDeps } from '../../composition.ts'
import { loadConfig } from '../../config.ts'
import { modules } from '../../modules/index.ts'

const run = promisify(execFile)
const dataDir = mkdtempSync(path.join(tmpdir(), 'lantern-worker-cli-'))

async function lantern(args: string[]) {
  try {
    const { stdout, stderr } = await run('node', ['bin/lantern.js', ...args], { env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', SMTP_URL: '', LOG_LEVEL: 'silent' } })
    return { code: 0, stdout, stderr }
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

/** The scheduled jobs every module declares (declaring them touches no database). */
function scheduledJobs() {
  const deps = moduleDeps({ db: {} as Db, config: loadConfig({}) })
  return modules.flatMap((m) => m.jobs?.(deps) ?? []).filter((j) => j.every)
}

describe('lantern worker', () => {
  it('runs each scheduled job once for its period, and refuses a bad concurrency', async () => {
    const bad = await lantern(['worker', '--once', '--concurrency', 'lots'])
    expect(bad.code).toBe(1)
    expect(bad.stderr).toContain('--concurrency must be a whole number')
    // Every module's scheduled jobs, each due once on an empty database: all run, none fails.
    const first = await lantern(['worker', '--once'])
    expect(first).toMatchObject({ code: 0, stdout: `Ran ${scheduledJobs().length} jobs.\n` })
    // Run again straight away: the daily and six-hourly runs are done for their period; only the
    // minute's scan, the five-minute e-mail run and the five-minute indicator counts could fall due again.
    const again = await lantern(['worker', '--once'])
    expect(again.code).toBe(0)
    expect(Number(again.stdout.match(/^Ran (\d+) jobs?\.\n$/)?.[1])).toBeLessThanOrEqual(3)
  }, 240_000)
})
