// What the production build was made from, so that `npm start` and `lantern` know whether dist/
// is current. Plain JavaScript: it runs before anything is compiled. A hash of the contents (not
// file times, which a checkout, a copy or an image layer may change) of everything the build reads.
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'

export const installRoot = path.resolve(import.meta.dirname, '..')
export const BUILD_DIR = path.join(installRoot, 'dist')
const STAMP_FILE = 'build.json'

/** The sources of a build: src/ without its tests, the build script, and the locked dependencies (the browser bundles hold them). */
export function sourceStamp(root = installRoot) {
  const files = readdirSync(path.join(root, 'src'), { recursive: true, withFileTypes: true })
    .filter((f) => f.isFile() && !/\.test\.ts$/.test(f.name))
    .map((f) => path.relative(root, path.join(f.parentPath, f.name)))
  const hash = createHash('sha256')
  for (const file of [...files.sort(), 'scripts/build.ts', 'scripts/build-stamp.js', 'package-lock.json']) {
    hash.update(file.split(path.sep).join('/')).update('\0').update(readFileSync(path.join(root, file))).update('\0')
  }
  return hash.digest('hex')
}

export function readStamp(dir = BUILD_DIR) {
  const file = path.join(dir, STAMP_FILE)
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')).stamp : undefined
}

export function stampFile(dir) {
  return path.join(dir, STAMP_FILE)
}

/** Whether dist/ was built from the sources as they are now. */
export function buildIsCurrent(dir = BUILD_DIR) {
  return readStamp(dir) === sourceStamp()
}
