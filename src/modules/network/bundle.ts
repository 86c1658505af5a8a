import path from 'node:path'
import { mkdir, readdir, stat } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { compiled } from '../../kernel/build.ts'

const here = path.dirname(fileURLToPath(import.meta.url))
const root = path.resolve(here, '../../..')
const CLIENT = path.join(here, 'map/client.ts')
/** Where the production build puts it, from this module's place in the build (dist/modules/network/). */
const BUILT_MAP_BUNDLE = path.join(here, '../../public/network-map.js')
/** Run from source: made on first use, in the git-ignored public/build/ of the checkout. */
const DEV_MAP_BUNDLE = path.join(root, 'public/build/network-map.js')

let building: Promise<string> | undefined

/** When the map's browser code last changed: this file or anything in map/. */
async function sourcesChanged(): Promise<number> {
  const files = [fileURLToPath(import.meta.url), ...(await readdir(path.join(here, 'map'))).map((f) => path.join(here, 'map', f))]
  return Math.max(...(await Promise.all(files.map(async (f) => (await stat(f)).mtimeMs))))
}

/**
 * The map's browser code (map/client.ts with sigma.js, its curved-edge, bordered and square node
 * programs, and graphology) bundled into one file by esbuild. The production build calls this.
 */
export async function buildMapBundle(outfile: string): Promise<void> {
  await mkdir(path.dirname(outfile), { recursive: true })
  const esbuild = await import('esbuild')
  await esbuild.build({ entryPoints: [CLIENT], bundle: true, format: 'esm', minify: true, target: 'es2020', outfile, logLevel: 'silent' })
}

/**
 * The bundle to serve. The production build made it (nothing is written at run time: the install
 * folder may be read-only). Run from source (`npm run dev`, the tests) it is made the first time a
 * map asks for it, once per process, and again when older than its sources.
 */
export function ensureMapBundle(): Promise<string> {
  if (compiled) return Promise.resolve(BUILT_MAP_BUNDLE)
  building ??= (async () => {
    const [bundle, changed] = await Promise.all([stat(DEV_MAP_BUNDLE).catch(() => undefined), sourcesChanged()])
    if (bundle && bundle.mtimeMs >= changed) return DEV_MAP_BUNDLE
    await buildMapBundle(DEV_MAP_BUNDLE)
    return DEV_MAP_BUNDLE
  })()
  building.catch(() => (building = undefined))
  return building
}
