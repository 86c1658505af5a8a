import { spawn } from 'node:child_process'
import path from 'node:path'
import { buildIsCurrent, installRoot } from '../scripts/build-stamp.js'

/**
 * The production build (dist/), made once per run before any test when it is missing or stale.
 * Tests that start Lantern as a separate process (`bin/lantern.js`, `scripts/start.js`) then run
 * what a deployment runs, and each start costs a third of the CPU it takes through the TypeScript
 * loader (bench/cli-start.ts), which across the suite's few hundred starts was minutes of a run.
 *
 * Every project names this (the template setup awaits it beside its own work); vitest loads it
 * once per project, so the build is shared through globalThis.
 */
const KEY = Symbol.for('lantern.test.build')
const shared = globalThis as { [KEY]?: Promise<void> }

export function ensureBuilt(): Promise<void> {
  return (shared[KEY] ??= buildIfStale())
}

export async function setup() {
  await ensureBuilt()
}

async function buildIfStale(): Promise<void> {
  if (buildIsCurrent()) return
  const script = path.join(installRoot, 'scripts/build.ts')
  const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: installRoot, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, output }))
  })
  if (code !== 0) throw new Error(`building dist/ for the tests failed (exit ${code}):\n${output}`)
}
