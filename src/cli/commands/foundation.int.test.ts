import { afterAll, describe, expect, it } from 'vitest'
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)
const dataDir = mkdtempSync(path.join(tmpdir(), 'lantern-cli-'))

async function lantern(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run('node', ['bin/lantern.js', ...args], { env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', ...env } })
    return { code: 0, stdout, stderr }
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

describe('the lantern command', () => {
  it('migrates, seeds the demo once, and adds a user, refusing bad input with exit code 1', async () => {
    expect((await lantern(['--help'])).stdout).toMatch(/db[\s\S]*seed[\s\S]*user/)
    expect((await lantern(['db', 'migrate'])).stdout).toMatch(/Applied \d+ migration/)
    expect((await lantern(['db', 'migrate'])).stdout).toContain('up to date')
    expect((await lantern(['seed', '--demo'])).code).toBe(0)
    const again = await lantern(['seed', '--demo'])
    expect(again.code).toBe(1)
    expect(again.stderr).toContain('demo data goes only into an empty database')
    const weak = await lantern(['user', 'add', '--email', 'first.admin@council.example', '--name', 'First Admin', '--role', 'administrator', '--agency', 'County council'], { LANTERN_PASSWORD: 'short' })
    expect(weak.code).toBe(1)
    expect(weak.stderr).toContain('12 characters')
    const ok = await lantern(['user', 'add', '--email', 'first.admin@council.example', '--name', 'First Admin', '--role', 'administrator', '--agency', 'County council'], { LANTERN_PASSWORD: 'copper kettle orbit lanes' })
    expect(ok.stdout).toContain('Added First Admin')
    const dup = await lantern(['user', 'add', '--email', 'first.admin@council.example', '--name', 'X', '--role', 'administrator', '--agency', 'County council'], { LANTERN_PASSWORD: 'copper kettle orbit lanes' })
    expect(dup.code).toBe(1)
  // Seven `lantern` processes, each starting Node and TypeScript: seconds on an idle machine, minutes on a busy one.
  }, 600_000)
})
