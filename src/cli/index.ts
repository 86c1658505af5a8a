import { Command, CommanderError } from 'commander'
import { readFileSync } from 'node:fs'
import { readdir } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import path from 'node:path'
import { UserError } from './errors.ts'

/**
 * The `lantern` command. Each file in ./commands exports `register(program)`, so a capability adds
 * its own commands without touching this file.
 */
export interface CommandModule {
  register(program: Command): void
}

export async function buildProgram(): Promise<Command> {
  const program = new Command().name('lantern').description('Lantern: county lines casework, network intelligence and scrutiny for community safety partnerships')
  // The same depth from src/cli and dist/cli: the install folder's package.json either way.
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
  program.version(manifest.version, '-V, --version', 'print the version of Lantern')
  const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'commands')
  // `.ts` run from source, `.js` in the production build (scripts/build.ts).
  const files = (await readdir(dir)).filter((f) => /\.[jt]s$/.test(f) && !f.endsWith('.test.ts')).sort()
  for (const file of files) {
    const mod = (await import(path.join(dir, file))) as Partial<CommandModule>
    if (typeof mod.register === 'function') mod.register(program)
  }
  oneLineRefusals(program, [])
  return program
}

/**
 * Commander's own refusals (an unknown option, a missing argument) in one line like every other
 * failure, naming the help to read rather than printing it all; and thrown, not exited on, so
 * `runCli` decides the exit. Set on every command once all are registered: neither is inherited
 * by commands made before it is set.
 */
function oneLineRefusals(command: Command, path: string[]) {
  const help = ['lantern', ...path, '--help'].join(' ')
  command.exitOverride().configureOutput({
    outputError: (text, write) => write(`lantern: ${text.replace(/^error: /, '').trim().replace(/\s*\n\s*/g, ' ')} (${help} says how to use it)\n`),
  })
  for (const sub of command.commands) oneLineRefusals(sub, [...path, sub.name()])
}

export { UserError }

/**
 * What the user reads when a command fails: a UserError says what to fix; anything else is named
 * as unexpected, in one line (no stack trace), with LANTERN_DEBUG=1 for the whole story.
 */
export function failureMessage(err: unknown): string {
  if (err instanceof UserError) return err.message
  // Not imported to check with instanceof: loading config.ts (and zod) for `lantern --help` costs time.
  if ((err as Error)?.name === 'ConfigError') return (err as Error).message.replace(/\n\s*/g, ' ')
  if (process.env.LANTERN_DEBUG) return (err as Error)?.stack ?? String(err)
  const message = err instanceof Error ? err.message : String(err)
  return `unexpected error: ${message.split('\n')[0] || (err as Error)?.name || 'unknown'} (set LANTERN_DEBUG=1 to see where)`
}

/** Runs `lantern` on `argv` (shaped as process.argv) and gives its exit code; a failure is said on stderr in one line. */
export async function runCli(argv: string[]): Promise<number> {
  const program = await buildProgram()
  try {
    await program.parseAsync(argv)
    return Number(process.exitCode ?? 0)
  } catch (err) {
    // Commander has said it already: a refusal in one line, or the help or version asked for (exit 0).
    if (err instanceof CommanderError) return err.exitCode
    process.stderr.write(`lantern: ${failureMessage(err)}\n`)
    return 1
  }
}

const isMain = process.argv[1] && /(?:cli[\\/]index\.[jt]s|bin[\\/]lantern(?:\.js)?)$/.test(process.argv[1])
if (isMain) {
  const code = await runCli(process.argv)
  // A failure ends at once, whatever it left open; a success ends when its work has.
  if (code !== 0) process.exit(code)
}
