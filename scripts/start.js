#!/usr/bin/env node
// `npm start`: the compiled server in dist/, built first when it is missing or was built from
// other sources (a fresh clone, a pull), so the README's `npm install && npm start` needs no
// build step of its own. When dist/ is current nothing is written into the install folder.
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { BUILD_DIR, buildIsCurrent, installRoot } from './build-stamp.js'

if (!buildIsCurrent()) {
  console.log('Building Lantern (npm run build) first: dist/ is missing or older than the sources')
  const built = spawnSync(process.execPath, ['--import', 'tsx', path.join(installRoot, 'scripts/build.ts')], { stdio: 'inherit' })
  if (built.status !== 0) process.exit(built.status ?? 1)
}
process.setSourceMapsEnabled(true)
await import(pathToFileURL(path.join(BUILD_DIR, 'server.js')).href)
