/**
 * How long the `lantern` command takes to start: `lantern --version` and `lantern --help` through
 * the compiled build (bin/lantern.js, as an install runs it), against `node -e 0` (Node starting and
 * doing nothing) as the peer, in one hyperfine run: wall and CPU time of each, and the ratio to the
 * peer. The target (issue 20) is "well under a second", so that a script can call it in a loop.
 *
 *   npm run build && node --import tsx bench/cli-start.ts [--runs 30]
 *
 * Needs hyperfine (Debian `hyperfine`). Refuses to measure a dist/ built from other sources: the
 * command would then run the TypeScript sources through tsx, which is what a checkout being worked
 * on does, not an install.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { buildIsCurrent } from '../scripts/build-stamp.js'
import { benchArgs } from './support/args.ts'
import { loadAverage, machineLine } from './support/machine.ts'

const args = benchArgs()
const RUNS = args.number('runs', 30)

if (!buildIsCurrent()) {
  console.error('dist/ is missing or was built from other sources: run `npm run build` first')
  process.exit(1)
}
if (spawnSync('hyperfine', ['--version']).status !== 0) {
  console.error('hyperfine not found (apt-get install hyperfine)')
  process.exit(1)
}

const commands = ['node -e 0', 'node bin/lantern.js --version', 'node bin/lantern.js --help']
const dir = mkdtempSync(path.join(tmpdir(), 'lantern-cli-start-'))
try {
  const out = path.join(dir, 'hyperfine.json')
  const loadBefore = loadAverage()
  // -N: no shell in between, so the figures are the processes' own.
  const run = spawnSync('hyperfine', ['-N', '--warmup', '3', '--runs', String(RUNS), '--export-json', out, ...commands], { encoding: 'utf8' })
  if (run.status !== 0) throw new Error(`hyperfine failed: ${run.stderr}`)
  const { results } = JSON.parse(readFileSync(out, 'utf8')) as { results: { command: string; mean: number; median: number; min: number; user: number; system: number }[] }
  const peer = results[0]
  const ms = (s: number) => `${(s * 1000).toFixed(0)} ms`
  console.log(`Machine: ${machineLine()}`)
  console.log(`${RUNS} runs each after 3 warm-up runs; load average before ${loadBefore}, after ${loadAverage()}\n`)
  console.log('| command | median wall | mean wall | fastest | mean CPU (user + system) | ratio to `node -e 0`, median wall (CPU) |')
  console.log('|---|---:|---:|---:|---:|---:|')
  for (const r of results) {
    const cpu = r.user + r.system
    console.log(`| \`${r.command}\` | ${ms(r.median)} | ${ms(r.mean)} | ${ms(r.min)} | ${ms(cpu)} | ${(r.median / peer.median).toFixed(2)} (${(cpu / (peer.user + peer.system)).toFixed(2)}) |`)
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}
