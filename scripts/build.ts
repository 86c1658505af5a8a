/**
 * `npm run build`: the production build in dist/ (or `--out DIR`), which `npm start` and the
 * `lantern` command run, so nothing is compiled or written into the install folder at run time.
 *
 * - Each module of src/ compiled by esbuild to JavaScript in the same place under dist/, its
 *   relative `.ts` imports rewritten to `.js`, packages left to node_modules. Keeping the layout
 *   keeps what the code finds from its own place (views, migrations, commands, the install folder's
 *   assets/ and node_modules/) where it was. Type checking stays with `npm run typecheck`.
 * - The Nunjucks views copied beside the code.
 * - The browser bundles: the network map (dist/public/network-map.js) and the betweenness worker.
 * - dist/build.json: a hash of the sources it was built from (scripts/build-stamp.js).
 *
 * Built beside the target and swapped in whole, so a half-finished build is never run.
 */
import { build, type Plugin } from 'esbuild'
import { cpSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { BUILD_DIR, installRoot, sourceListing, sourceStamp, stampFile } from './build-stamp.js'
import { buildMapBundle } from '../src/modules/network/bundle.ts'
import { bundleWorkerScript, WORKER_SCRIPT } from '../src/analytics/graph/betweenness.ts'

/** Every import stays an import: relative ones to the compiled `.js`, packages as they are. */
const eachModuleOnItsOwn: Plugin = {
  name: 'each-module-on-its-own',
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind === 'entry-point') return undefined
      return { path: args.path.startsWith('.') ? args.path.replace(/\.ts$/, '.js') : args.path, external: true }
    })
  },
}

export async function buildLantern(out = BUILD_DIR): Promise<void> {
  const started = performance.now()
  const src = path.join(installRoot, 'src')
  const stamp = sourceStamp()
  const listing = sourceListing()
  const files = readdirSync(src, { recursive: true, withFileTypes: true })
    .filter((f) => f.isFile())
    .map((f) => path.join(f.parentPath, f.name))
  const modules = files.filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
  const views = files.filter((f) => f.endsWith('.njk'))

  const building = `${out}.building-${process.pid}`
  rmSync(building, { recursive: true, force: true })
  try {
    await build({
      entryPoints: modules,
      outbase: src,
      outdir: building,
      bundle: true,
      plugins: [eachModuleOnItsOwn],
      format: 'esm',
      platform: 'node',
      target: 'node20',
      sourcemap: 'linked',
      logLevel: 'warning',
    })
    for (const view of views) {
      const to = path.join(building, path.relative(src, view))
      mkdirSync(path.dirname(to), { recursive: true })
      cpSync(view, to)
    }
    await buildMapBundle(path.join(building, 'public/network-map.js'))
    writeFileSync(path.join(building, 'analytics/graph', WORKER_SCRIPT), bundleWorkerScript())
    writeFileSync(stampFile(building), `${JSON.stringify({ stamp, listing, builtAt: new Date().toISOString() }, null, 2)}\n`)
    rmSync(out, { recursive: true, force: true })
    renameSync(building, out)
  } finally {
    rmSync(building, { recursive: true, force: true })
  }
  console.log(`Lantern built in ${path.relative(process.cwd(), out) || '.'} (${modules.length} modules, ${views.length} views) in ${((performance.now() - started) / 1000).toFixed(1)} s`)
}

const { values } = parseArgs({ options: { out: { type: 'string' } } })
await buildLantern(values.out ? path.resolve(values.out) : undefined)
