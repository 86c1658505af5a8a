import { defineConfig } from 'vitest/config'

// Unit tests sit beside pure logic, integration tests (*.int.test.ts) beside the stores and
// services they exercise, browser tests under test/e2e. The database-backed projects share one
// global setup that migrates and seeds template databases once per run; each test file copies one.
const templates = './test/global-setup.ts'

export default defineConfig({
  test: {
    // .ci/run asks for a JSON report as well, to print its closing "N passed, N failed" line.
    reporters: process.env.LANTERN_TEST_REPORT ? ['default', 'json'] : ['default'],
    outputFile: process.env.LANTERN_TEST_REPORT ? { json: process.env.LANTERN_TEST_REPORT } : undefined,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
          exclude: ['src/**/*.int.test.ts'],
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['src/**/*.int.test.ts'],
          globalSetup: [templates],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: [templates],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
})
