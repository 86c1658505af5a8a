import path from 'node:path'
import { mkdir, readdir, stat } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
const root = path.resolve(here, '../../..')
const CLIENT = path.join(here, 'map/client.ts')
export const MAP_BUNDLE = path.join(root, 'public/build/network-map.js')

let building: Promise<string> | undefined

/** When the map's browser code last changed: this file or anything in map/. */
async function sourcesChanged(): Promise<number> {
  const files = [fileURLToPath(import.meta.url), ...(await readdir(path.join(here, 'map'))).map((f) => path.join(here, 'map', f))]
  return Math.max(...(await Promise.all(files.map(async (f) => (await stat(f)).mtimeMs))))
}

/**
 * The map's browser code (map/client.ts with sigma.js, its curved-edge, bordered and square node
 * programs, and graphology) bundled with esbuild into public/build/ (git-ignored), once per
 * process, the first time a map asks for it (so `npm start`, the tests and a fresh checkout need
 * no build step). Rebuilt when the bundle is older than its sources.
 */
export function ensureMapBundle(): Promise<string> {
  building ??= (async () => {
    const [bundle, changed] = await Promise.all([stat(MAP_BUNDLE).catch(() => undefined), sourcesChanged()])
    if (bundle && bundle.mtimeMs >= changed) return MAP_BUNDLE
    await mkdir(path.dirname(MAP_BUNDLE), { recursive: true })
    const esbuild = await import('esbuild')
    await esbuild.build({ entryPoints: [CLIENT], bundle: true, format: 'esm', minify: true, target: 'es2020', outfile: MAP_BUNDLE, logLevel: 'silent' })
    return MAP_BUNDLE
  })()
  building.catch(() => (building = undefined))
  return building
}
