import { describe, expect, it } from 'vitest'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'

const run = promisify(execFile)

async function lantern(args: string[], env: Record<string, string>) {
  try {
    await run(process.execPath, ['bin/lantern.js', ...args], { env: { ...process.env, ...env } })
    return { code: 0, stderr: '' }
  } catch (err) {
    const e = err as { code: number; stderr: string }
    return { code: e.code, stderr: e.stderr }
  }
}

describe('a lantern command that fails', () => {
  it('says why in one line and exits 1, never with a stack trace: an unreachable database, a bad setting', async () => {
    const [unreachable, badSetting] = await Promise.all([
      lantern(['user', 'deactivate-demo'], { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/lantern' }),
      lantern(['user', 'deactivate-demo'], { PORT: 'not-a-port', DATABASE_URL: 'postgres://postgres@127.0.0.1:1/lantern' }),
    ])
    expect(unreachable.code).toBe(1)
    expect(unreachable.stderr).toMatch(/^lantern: unexpected error: connect ECONNREFUSED 127\.0\.0\.1:1 \(set LANTERN_DEBUG=1 to see where\)\n$/)
    expect(badSetting.code).toBe(1)
    expect(badSetting.stderr).toMatch(/^lantern: Lantern cannot start: the configuration is not valid\. PORT: .*\n$/)
  }, 120_000)

  it('refuses a day that is not on the calendar, or a seed that is not a number, before it touches the database', async () => {
    const unreachable = { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/lantern' }
    const [seed, scaleDay, firstSeen, lastSeen] = await Promise.all([
      lantern(['seed', '--demo', '--seed', 'abc'], unreachable),
      lantern(['seed', '--scale', 'test', '--today', '2026-02-30'], unreachable),
      lantern(['network', 'import', '--edges', 'edges.csv', '--agency', 'Police', '--first-seen', '2026-13-01'], unreachable),
      lantern(['network', 'import', '--edges', 'edges.csv', '--agency', 'Police', '--last-seen', '1 March'], unreachable),
    ])
    expect(seed).toEqual({ code: 1, stderr: 'lantern: --seed must be a whole number, not "abc"\n' })
    expect(scaleDay).toEqual({ code: 1, stderr: 'lantern: --today must be a date as YYYY-MM-DD, not "2026-02-30"\n' })
    expect(firstSeen).toEqual({ code: 1, stderr: 'lantern: --first-seen must be a date as YYYY-MM-DD, not "2026-13-01"\n' })
    expect(lastSeen).toEqual({ code: 1, stderr: 'lantern: --last-seen must be a date as YYYY-MM-DD, not "1 March"\n' })
  }, 120_000)

  it('refuses a weak first password for `lantern user add` before it touches the database', async () => {
    const add = (password: string) =>
      lantern(['user', 'add', '--email', 'jo.bloggs@council.example', '--name', 'Jo Bloggs', '--role', 'administrator', '--agency', 'Council'], {
        LANTERN_PASSWORD: password,
        DATABASE_URL: 'postgres://postgres@127.0.0.1:1/lantern',
      })
    const [demo, repeated, own] = await Promise.all([add('lantern-demo-2026'), add('aaaaaaaaaaaa'), add('bloggs-first-2026')])
    expect(demo).toMatchObject({ code: 1, stderr: expect.stringMatching(/^lantern: Password must not be the demo password.*\n$/) })
    expect(repeated.stderr).toMatch(/^lantern: Password must not be a character or a few characters repeated/)
    expect(own.stderr).toMatch(/^lantern: Password must not contain your name or email address/)
  }, 120_000)
})
