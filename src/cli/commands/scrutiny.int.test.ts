import { afterAll, describe, expect, it } from 'vitest'
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)
const dataDir = mkdtempSync(path.join(tmpdir(), 'lantern-scrutiny-cli-'))

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

describe('lantern scrutiny', () => {
  it('runs the reminders and imports a ModernGov meeting, refusing bad input with exit code 1', async () => {
    expect((await lantern(['seed', '--demo'])).code).toBe(0)
    const bad = await lantern(['scrutiny', 'reminders', '--today', '2026-02-30'])
    expect(bad.code).toBe(1)
    expect(bad.stderr).toContain('--today must be a date as YYYY-MM-DD')
    const first = await lantern(['scrutiny', 'reminders'])
    expect(first.stdout).toMatch(
      /^\d{4}-\d{2}-\d{2}: queued \d+ reminder\(s\); sent \d+ to the log only \(SMTP_URL is not set\); 0 to retry; 0 failed; \d+ no longer needed\.\n\d{4}-\d{2}-\d{2}: follower updates wait: set PUBLIC_BASE_URL so their links work\.\n$/,
    )

    const imported = await lantern(['scrutiny', 'import-moderngov', '--body', 'PCP', 'test/fixtures/moderngov/getmeeting-police-and-crime-panel.xml'])
    expect(imported.stdout).toContain('Imported meeting into Hampshire and Isle of Wight Police and Crime Panel: 4 agenda item(s) added, 0 updated, 4 document link(s), 1 restricted.')
    const broken = path.join(dataDir, 'broken.xml')
    writeFileSync(broken, '<meeting><meetingid>1</meetingid><meetingdate>40/01/2026</meetingdate></meeting>')
    const refused = await lantern(['scrutiny', 'import-moderngov', '--body', 'PCP', broken])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('has a <meetingdate> that is not a real date')
  }, 180_000)
})
