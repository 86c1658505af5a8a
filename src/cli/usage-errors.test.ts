import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Command } from 'commander'
import { buildProgram, runCli } from './index.ts'

/**
 * Every `lantern` command, however it is mistyped, ends with one line saying what is wrong and how
 * to find out more, and a non-zero exit (issue 15): the command tree is walked, so a command added
 * later is held to it too. Commander refuses these before any action runs, so nothing here opens
 * a database. Errors inside actions are src/cli/failures.int.test.ts's.
 */

/** Every command that does something (has no subcommands), by the words that name it. */
function leaves(command: Command, path: string[] = []): { path: string[]; command: Command }[] {
  const subs = command.commands.filter((c) => c.name() !== 'help')
  if (!subs.length) return [{ path, command }]
  return subs.flatMap((c) => leaves(c, [...path, c.name()]))
}

/** Runs the CLI in this process as `lantern ...words`, with what it writes to stderr. */
async function lantern(...words: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = ''
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk)
    return true
  })
  try {
    const code = await runCli(['node', 'lantern', ...words])
    return { code, stderr }
  } finally {
    spy.mockRestore()
  }
}

afterEach(() => {
  process.exitCode = undefined
})

describe('a mistyped lantern command', () => {
  it('finds the commands to walk', async () => {
    const names = leaves(await buildProgram()).map((l) => l.path.join(' '))
    expect(names).toEqual(expect.arrayContaining(['backup', 'restore', 'import police-uk', 'user add', 'db migrate', 'network metrics', 'trends farrington']))
    expect(names.length).toBeGreaterThan(15)
  })

  it('with an unknown option: one line naming it and the help to read, exit 1, for every command', async () => {
    const failures: string[] = []
    for (const { path } of leaves(await buildProgram())) {
      const { code, stderr } = await lantern(...path, '--no-such-option')
      // A command with an option it must have names that first.
      const expected = new RegExp(`^lantern: (unknown option '--no-such-option'|required option '[^']+' not specified)[^\\n]* \\(lantern ${path.join(' ')} --help says how to use it\\)\\n$`)
      if (code !== 1 || !expected.test(stderr)) failures.push(`${path.join(' ')}: exit ${code}, ${JSON.stringify(stderr)}`)
    }
    expect(failures).toEqual([])
  }, 120_000)

  it('without an argument or option it must have: one line, exit 1, for every command that has one', async () => {
    const failures: string[] = []
    let checked = 0
    for (const { path, command } of leaves(await buildProgram())) {
      const required = command.registeredArguments.some((a) => a.required) || command.options.some((o) => o.mandatory)
      if (!required) continue
      checked++
      const { code, stderr } = await lantern(...path)
      if (code !== 1 || !/^lantern: (missing required argument|required option) '[^']+'.* \(lantern .* --help says how to use it\)\n$/.test(stderr)) {
        failures.push(`${path.join(' ')}: exit ${code}, ${JSON.stringify(stderr)}`)
      }
    }
    expect(checked).toBeGreaterThan(8)
    expect(failures).toEqual([])
  }, 120_000)

  it('with an unknown command, or a value commander itself checks: one line, exit 1', async () => {
    expect(await lantern('nosuch')).toEqual({ code: 1, stderr: expect.stringMatching(/^lantern: unknown command 'nosuch'[^\n]* \(lantern --help says how to use it\)\n$/) })
    expect(await lantern('backup', 'a', 'b')).toEqual({ code: 1, stderr: expect.stringMatching(/^lantern: too many arguments for 'backup'[^\n]*\n$/) })
    expect(await lantern('user', 'add', '--email')).toEqual({ code: 1, stderr: expect.stringMatching(/^lantern: option '--email <email>' argument missing[^\n]*\n$/) })
  })

  it('asked for help or the version: what was asked on stdout, exit 0, nothing on stderr', async () => {
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true)
    try {
      expect(await lantern('--version')).toEqual({ code: 0, stderr: '' })
      expect(await lantern('backup', '--help')).toEqual({ code: 0, stderr: '' })
      expect(out.mock.calls.map((c) => String(c[0])).join('')).toMatch(/Usage: lantern backup/)
    } finally {
      out.mockRestore()
    }
  })
})
