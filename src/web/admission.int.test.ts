import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../../test/support/app.ts'
import { signedInAs, type TestClient } from '../../test/support/http.ts'
import { testDatabaseKinds } from '../../test/support/databases.ts'
import { loadConfig } from '../config.ts'
import type { DatabaseLimits } from '../db/limits.ts'

/**
 * Home runs every worklist and notice side by side, each a few statements, so one view puts some
 * twenty statements on the database at once. The busy limit must count requests, not statements:
 * a crowd the limits are sized for is served whole, and a crowd past them is turned away at the
 * door (503 with Retry-After) before its pages start, never part-way through a page.
 */
// The server's counts (pool 10, 50 waiting). The wait is long here: what is tested is the count,
// and on a loaded test machine a wait of the server's 10 s could pass for any request.
const SERVER_DEFAULTS: DatabaseLimits = { ...loadConfig({}).database, queueTimeoutMs: 120_000 }
const METRICS_TOKEN = 'a-test-token-for-the-metrics-endpoint-only'

async function crowd(client: TestClient, size: number) {
  const answers = await Promise.all(Array.from({ length: size }, () => client.get('/dashboard')))
  return Promise.all(answers.map(async (res) => ({ status: res.status, retryAfter: res.headers.get('retry-after'), html: await res.text() })))
}

for (const kind of testDatabaseKinds()) {
  describe(`Home under a crowd (${kind.name})`, () => {
    let app: TestApp
    let small: TestApp
    beforeAll(async () => {
      app = await startTestApp({ kind, databaseLimits: SERVER_DEFAULTS })
      small = await startTestApp({ kind, databaseLimits: { ...SERVER_DEFAULTS, poolSize: 1, queueLimit: 2 }, env: { METRICS_TOKEN } })
    }, 300_000)
    afterAll(async () => {
      await app?.close()
      await small?.close()
    })

    it('serves 25 Home views at once with the server limits, every one whole', { timeout: 240_000 }, async () => {
      const manager = await signedInAs(app.baseUrl, 'manager@lantern.test')
      const answers = await crowd(manager, 25)
      expect(answers.map((a) => a.status)).toEqual(Array(25).fill(200))
      for (const a of answers) expect(a.html).toContain('Reviews due')
    })

    it('turns a crowd past the limits away at the door with 503 and Retry-After, and serves every request it let in', { timeout: 240_000 }, async () => {
      const manager = await signedInAs(small.baseUrl, 'manager@lantern.test')
      const answers = await crowd(manager, 12)
      const statuses = answers.map((a) => a.status)
      expect(statuses.every((s) => s === 200 || s === 503)).toBe(true)
      const shed = answers.filter((a) => a.status === 503)
      expect(shed.length).toBeGreaterThan(0)
      for (const a of shed) {
        expect(a.retryAfter).toBe('10')
        expect(a.html).toContain('Sorry, the service is busy')
      }
      // The one let in and the two waiting at the door run whole: no statement of theirs is refused.
      expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(1 + 2)
      expect((await manager.get('/dashboard')).status).toBe(200)
      // Everyone has left: the door is empty again.
      const metrics = await (await fetch(`${small.baseUrl}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text()
      expect(metrics).toContain('lantern_requests_admitted{state="inside"} 0')
      expect(metrics).toContain('lantern_requests_admitted{state="waiting"} 0')
    })
  })
}
