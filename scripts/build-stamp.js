// What the production build was made from, so that `npm start` and `lantern` know whether dist/
// is current. Plain JavaScript: it runs before anything is compiled. A hash of the contents (not
// file times, which a checkout, a copy or an image layer may change) of everything the build reads
// decides; a hash of the files' times, when it matches the build's, answers yes without reading them.
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'

export const installRoot = path.resolve(import.meta.dirname, '..')
export const BUILD_DIR = path.join(installRoot, 'dist')
const STAMP_FILE = 'build.json'

/** The files a build reads, relative to the root, in a fixed order. */
function sourceFiles(root) {
  const files = readdirSync(path.join(root, 'src'), { recursive: true, withFileTypes: true })
    .filter((f) => f.isFile() && !/\.test\.ts$/.test(f.name))
    .map((f) => path.relative(root, path.join(f.parentPath, f.name)))
  return [...files.sort(), 'scripts/build.ts', 'scripts/build-stamp.js', 'package-lock.json']
}

/** The sources of a build: src/ without its tests, the build script, and the locked dependencies (the browser bundles hold them). */
export function sourceStamp(root = installRoot) {
  const hash = createHash('sha256')
  for (const file of sourceFiles(root)) {
    hash.update(file.split(path.sep).join('/')).update('\0').update(readFileSync(path.join(root, file))).update('\0')
  }
  return hash.digest('hex')
}

/**
 * The same files' names, sizes and modification times: a fraction of the cost of reading them all
 * (which was most of the `lantern` command's start-up), and unchanged while no file was touched.
 * It only ever confirms a build: a checkout or a copy that changes the times falls back to the
 * contents' hash.
 */
export function sourceListing(root = installRoot) {
  const hash = createHash('sha256')
  for (const file of sourceFiles(root)) {
    const s = statSync(path.join(root, file))
    hash.update(`${file.split(path.sep).join('/')}\0${s.size}\0${s.mtimeMs}\0`)
  }
  return hash.digest('hex')
}

function readBuild(dir) {
  const file = path.join(dir, STAMP_FILE)
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {}
}

export function readStamp(dir = BUILD_DIR) {
  return readBuild(dir).stamp
}

export function stampFile(dir) {
  return path.join(dir, STAMP_FILE)
}

/** Whether dist/ was built from the sources as they are now. */
export function buildIsCurrent(dir = BUILD_DIR) {
  const built = readBuild(dir)
  if (built.stamp === undefined) return false
  return (built.listing !== undefined && built.listing === sourceListing()) || built.stamp === sourceStamp()
}
