#!/usr/bin/env node
// The `lantern` command: the compiled CLI in dist/ when it was built from these sources (a
// production install), else the TypeScript sources through tsx (a checkout being worked on), so
// no build step is needed and nothing is written to run a command.
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { BUILD_DIR, buildIsCurrent } from '../scripts/build-stamp.js'

if (buildIsCurrent()) {
  process.setSourceMapsEnabled(true)
  await import(pathToFileURL(path.join(BUILD_DIR, 'cli/index.js')).href)
} else {
  const { register } = await import('tsx/esm/api')
  register()
  await import('../src/cli/index.ts')
}
