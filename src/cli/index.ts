import { Command } from 'commander'
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
  const program = new Command()
    .name('lantern')
    .description('Lantern: county lines casework, network intelligence and scrutiny for community safety partnerships')
    .showHelpAfterError()
  const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'commands')
  const files = (await readdir(dir)).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')).sort()
  for (const file of files) {
    const mod = (await import(path.join(dir, file))) as Partial<CommandModule>
    if (typeof mod.register === 'function') mod.register(program)
  }
  return program
}

export { UserError }

const isMain = process.argv[1] && /(?:cli[\\/]index\.ts|bin[\\/]lantern(?:\.js)?)$/.test(process.argv[1])
if (isMain) {
  const program = await buildProgram()
  try {
    await program.parseAsync(process.argv)
  } catch (err) {
    if (err instanceof UserError) {
      process.stderr.write(`lantern: ${err.message}\n`)
      process.exit(1)
    }
    throw err
  }
}
