import { availableParallelism } from 'node:os'
import { defineConfig } from 'vitest/config'

// Unit tests sit beside pure logic, integration tests (*.int.test.ts) beside the stores and
// services they exercise, browser tests under test/e2e. The database-backed projects share one
// global setup that migrates and seeds template databases once per run; each test file copies one.
const templates = './test/global-setup.ts'
// Tests that start Lantern as its own process run the production build, made once per run.
const build = './test/global-build.ts'

// One test file per core, in every project, so the three run together in one pool. Vitest's
// default (cores - 1) means a single worker on a 2-core machine, yet an integration or browser
// file keeps its worker only half busy: the rest of its time is PostgreSQL, Chromium or a
// `lantern` child process working while it waits.
const maxWorkers = Number(process.env.LANTERN_TEST_WORKERS ?? availableParallelism())

export default defineConfig({
  test: {
    maxWorkers,
    // .ci/run asks for a JSON report as well, to print its closing "N passed, N failed" line.
    reporters: process.env.LANTERN_TEST_REPORT ? ['default', 'json'] : ['default'],
    outputFile: process.env.LANTERN_TEST_REPORT ? { json: process.env.LANTERN_TEST_REPORT } : undefined,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
          exclude: ['src/**/*.int.test.ts'],
          globalSetup: [build],
          testTimeout: 60_000,
          maxWorkers,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['src/**/*.int.test.ts'],
          globalSetup: [templates],
          // Files in one worker share one module graph rather than each loading the whole app again:
          // that load was about a fifth of an integration file's CPU. Safe because no integration or
          // browser file mocks a module or leaves global state behind (each builds its own app and
          // database); a file that must, belongs in the unit project.
          isolate: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
          maxWorkers,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: [templates],
          isolate: false,
          testTimeout: 120_000,
          hookTimeout: 180_000,
          maxWorkers,
        },
      },
    ],
  },
})
