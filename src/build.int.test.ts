import { afterAll, describe, expect, it } from 'vitest'
import type { ChildProcess } from 'node:child_process'
import { execFile, execFileSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { freePort, projectRoot, signInCookie, startNode, stopProcess } from '../bench/support/server.ts'
import { testDatabaseKinds } from '../test/support/databases.ts'

/**
 * The production build, as a council installs it: a fresh clone (this checkout's files as git
 * sees them, with its node_modules), `npm run build`, then `npm start`, which runs the compiled
 * code without building again, serves the pages and the map's bundle, and writes nothing into
 * the install folder (the data folder is elsewhere, as a production DATA_DIR would be).
 */
const run = promisify(execFile)
const work = mkdtempSync(path.join(tmpdir(), 'lantern-build-'))
const clone = path.join(work, 'lantern')
const dataDir = path.join(work, 'data')
const started: ChildProcess[] = []
afterAll(async () => {
  await Promise.all(started.map(stopProcess))
  rmSync(work, { recursive: true, force: true })
})

function freshClone() {
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: projectRoot, encoding: 'utf8' }).split('\0')
  for (const file of files.filter((f) => f && existsSync(path.join(projectRoot, f)))) {
    mkdirSync(path.dirname(path.join(clone, file)), { recursive: true })
    cpSync(path.join(projectRoot, file), path.join(clone, file))
  }
  symlinkSync(path.join(projectRoot, 'node_modules'), path.join(clone, 'node_modules'))
}

/** Every file and folder in the install folder (node_modules aside) with its size and time. */
function snapshot(): Record<string, string> {
  const seen: Record<string, string> = {}
  for (const entry of readdirSync(clone, { recursive: true, withFileTypes: true })) {
    const file = path.join(entry.parentPath, entry.name)
    const name = path.relative(clone, file)
    if (name === 'node_modules' || name.startsWith(`node_modules${path.sep}`)) continue
    const s = statSync(file)
    seen[name] = `${s.size} ${s.mtimeMs}`
  }
  return seen
}

const isCurrent = async () =>
  (await run(process.execPath, ['--input-type=module', '-e', "import('./scripts/build-stamp.js').then((m) => console.log(m.buildIsCurrent()))"], { cwd: clone })).stdout.trim()

describe('the production build', () => {
  it('builds once, then `npm start` runs the compiled server: sign-in, a page and the map bundle, nothing written into the install folder', async () => {
    freshClone()
    expect(await isCurrent()).toBe('false')
    const built = await run(process.execPath, ['--import', 'tsx', 'scripts/build.ts'], { cwd: clone })
    expect(built.stdout).toMatch(/Lantern built in dist/)
    expect(await isCurrent()).toBe('true')
    expect(existsSync(path.join(clone, 'dist/db/migrations/0001_foundation.js'))).toBe(true)
    // The graph measures' worker threads run the worker script the build made, under plain node.
    const compiled = (file: string) => JSON.stringify(pathToFileURL(path.join(clone, 'dist', file)).href)
    writeFileSync(path.join(work, 'threads.mjs'), [
      `const { betweenness } = await import(${compiled('analytics/graph/betweenness.js')})`,
      `const { compactFromEdges } = await import(${compiled('analytics/graph/compact.js')})`,
      'const result = await betweenness(compactFromEdges(4, [0, 1, 2], [1, 2, 3]), { threads: 2 })',
      "console.log(result.threads, Array.from(result.betweenness).map((b) => b.toFixed(3)).join(' '))",
    ].join('\n'))
    const threaded = await run(process.execPath, [path.join(work, 'threads.mjs')])
    expect(threaded.stdout.trim()).toBe('2 0.000 0.667 0.667 0.000')

    // A data folder made from the suite's migrated demo database, so this test spends its time on
    // the build and not on loading the demo; the server still runs its compiled migrations over it.
    const pglite = await testDatabaseKinds()[0].create({ dataDir: path.join(dataDir, 'pglite'), demo: true })
    await pglite.dispose()

    const before = snapshot()
    const port = await freePort()
    const output: string[] = []
    const server = await startNode(
      [path.join(clone, 'scripts/start.js')],
      { DATA_DIR: dataDir, DATABASE_URL: '', PORT: String(port), HOST: '127.0.0.1', LANTERN_MODE: 'demo', LOG_LEVEL: 'info', SESSION_SECRET: '' },
      (seen) => (output.push(seen), seen.includes('Lantern is running')),
    )
    started.push(server)
    expect(output.join('')).not.toMatch(/Building Lantern/)
    const base = `http://127.0.0.1:${port}`

    expect((await fetch(`${base}/ready`)).status).toBe(200)
    const cookie = await signInCookie(base, 'analyst@lantern.test')
    const network = await fetch(`${base}/network`, { headers: { cookie } })
    expect(network.status).toBe(200)
    expect(await network.text()).toContain('data-map')
    const bundle = await fetch(`${base}/network/map-bundle.js`, { headers: { cookie } })
    expect(bundle.status).toBe(200)
    expect(bundle.headers.get('content-type')).toMatch(/javascript/)
    expect(await bundle.text()).toMatch(/drawMap/)
    expect((await fetch(`${base}/static/js/network-map.js`)).status).toBe(200)
    expect((await fetch(`${base}/vendor/govuk/govuk-frontend.min.css`)).status).toBe(200)

    await stopProcess(server)
    expect(snapshot()).toEqual(before)
    expect(existsSync(path.join(clone, 'public'))).toBe(false)

    // A source touched but not changed (a checkout, a copy) is still the build's: the contents decide, not the times.
    const touched = new Date('2030-01-01T00:00:00Z')
    utimesSync(path.join(clone, 'src/server.ts'), touched, touched)
    expect(await isCurrent()).toBe('true')
    // A changed source makes the build out of date, so the next `npm start` builds first.
    writeFileSync(path.join(clone, 'src/web/views/changed.njk'), 'changed')
    expect(await isCurrent()).toBe('false')
  })
})
