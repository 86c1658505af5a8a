import path from 'node:path'
import { mkdir, stat } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
export const SIGMA_BUNDLE = path.join(root, 'public/build/network-sigma.js')

let building: Promise<string> | undefined

/**
 * sigma.js and graphology bundled for the browser with esbuild into public/build/ (git-ignored),
 * once per process, the first time a map asks for it (so `npm start`, the tests and a fresh
 * checkout need no build step). Rebuilt when the bundle is older than this file.
 */
export function ensureSigmaBundle(): Promise<string> {
  building ??= (async () => {
    const [bundle, source] = await Promise.all([stat(SIGMA_BUNDLE).catch(() => undefined), stat(fileURLToPath(import.meta.url))])
    if (bundle && bundle.mtimeMs >= source.mtimeMs) return SIGMA_BUNDLE
    await mkdir(path.dirname(SIGMA_BUNDLE), { recursive: true })
    const esbuild = await import('esbuild')
    await esbuild.build({
      stdin: {
        contents: `export { default as Sigma } from 'sigma'\nexport { default as Graph } from 'graphology'\n`,
        resolveDir: root,
        loader: 'js',
      },
      bundle: true,
      format: 'esm',
      minify: true,
      target: 'es2020',
      outfile: SIGMA_BUNDLE,
      logLevel: 'silent',
    })
    return SIGMA_BUNDLE
  })()
  building.catch(() => (building = undefined))
  return building
}
