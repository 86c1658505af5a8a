import { Router } from 'express'
import { TEST_SECRETS } from '../../test/support/secrets.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../../test/support/app.ts'
import { TestClient } from '../../test/support/http.ts'
import { listRoutes } from '../../test/support/routes.ts'
import { createApp } from '../app.ts'
import { modules } from '../modules/index.ts'
import type { LanternModule } from '../modules/types.ts'
import { createLogger } from './logger.ts'

/**
 * Authorise before anything: every route of the app states who may open it (`guardedRouter`), so
 * its guard runs before any handler can render a page, an error or a redirect. A route registered
 * any other way fails here.
 */

let app: TestApp
beforeAll(async () => {
  app = await startTestApp()
})
afterAll(async () => {
  await app?.close()
})

function undeclared(routes: ReturnType<typeof listRoutes>) {
  return routes.filter((r) => !r.access).map((r) => `${r.method} ${r.path}`)
}

describe('every route declares who may open it', () => {
  it('the app’s routes, public, staff, API and administration, all carry a declaration', () => {
    const routes = listRoutes(app.app)
    expect(routes.length).toBeGreaterThan(200)
    expect(undeclared(routes)).toEqual([])
  })

  it('no staff area is declared public', () => {
    const open = listRoutes(app.app).filter((r) => r.access && 'public' in r.access).map((r) => r.path)
    expect(open).toContain('/report')
    expect(open.filter((p) => /^\/(people|register|network|operations|linkage|risk|admin|public-reports|public-content|indicators|strategy|performance-reports|scrutiny\/manage|dashboard|api\/v1\/(?!openapi))/.test(p))).toEqual([])
  })

  it('the network export’s error page is refused to a role that may not export, before it lists anyone', async () => {
    const client = new TestClient(app.baseUrl)
    await client.signIn('partnership@lantern.test')
    const res = await client.get('/network/export/not-a-file?steps=99')
    expect(res.status).toBe(403)
    expect(await res.text()).not.toContain('Marsh')
  })

  it('a route added without a declaration is caught', () => {
    const planted: LanternModule = {
      name: 'planted',
      staffRoutes: () => Router().get('/planted/:id', (_req, res) => res.send('forgot to declare')),
    }
    const { app: withPlant } = createApp({
      config: app.config,
      db: app.database.db,
      databaseKind: app.database.kind,
      logger: createLogger('silent'),
      ...TEST_SECRETS,
      modules: [...modules, planted],
    })
    expect(undeclared(listRoutes(withPlant))).toEqual(['GET /planted/:id'])
  })
})
