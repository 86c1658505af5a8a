import express, { Router, type ErrorRequestHandler } from 'express'
import type { AddressInfo } from 'node:net'
import type { Server } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AccessService } from '../access/service.ts'
import type { Permission } from '../access/permissions.ts'
import type { CurrentUser } from '../kernel/context.ts'
import { ForbiddenError } from '../kernel/errors.ts'
import { listRoutes } from '../../test/support/routes.ts'
import { guardedRouter } from './routes.ts'

/** The access service's role check, as the guard uses it: denials are counted as the real one audits them. */
function fakeAccess(denied: string[]): AccessService {
  const has = (ctx: { user: CurrentUser | null }, p: Permission) => Boolean(ctx.user?.permissions.has(p))
  return {
    can: has,
    async authorise(ctx: { user: CurrentUser | null }, p: Permission) {
      if (!has(ctx, p)) {
        denied.push(p)
        throw new ForbiddenError('Your role does not allow this', { reason: 'role', canBreakGlass: false })
      }
      return { allowed: true }
    },
  } as unknown as AccessService
}

const denied: string[] = []
const ran: string[] = []
let server: Server
let base: string

beforeAll(async () => {
  const routes = guardedRouter(fakeAccess(denied))
  const handler = (name: string) => (_req: express.Request, res: express.Response) => {
    ran.push(name)
    res.send(`${name}: Kyle Marsh`)
  }
  // A body that fails validation renders data in this handler: the guard must come first.
  routes.get('/network/export/:file', { permission: 'network:export' }, handler('export'))
  routes.get('/either', { anyOf: ['network:view', 'person:view'] }, handler('either'))
  routes.get('/mine', { signedIn: true }, handler('mine'))
  routes.get('/open', { public: true }, handler('open'))
  const app = express()
  app.use((req, _res, next) => {
    const permissions = String(req.headers['x-permissions'] ?? '').split(',').filter(Boolean)
    req.ctx = { user: req.headers['x-permissions'] === undefined ? null : ({ id: 'u', permissions: new Set(permissions) } as unknown as CurrentUser), requestId: 'r', method: req.method, path: req.path }
    next()
  })
  app.use(routes.router)
  app.use(((err, _req, res, _next) => {
    res.status(err instanceof ForbiddenError ? 403 : 500).send('refused')
  }) as ErrorRequestHandler)
  server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s))
  })
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise((resolve) => server.close(resolve)))

async function get(path: string, permissions?: string) {
  const res = await fetch(base + path, { headers: permissions === undefined ? {} : { 'x-permissions': permissions } })
  return { status: res.status, body: await res.text() }
}

describe('guardedRouter', () => {
  it('refuses a role without the permission before the handler runs, and the refusal is audited', async () => {
    ran.length = 0
    denied.length = 0
    const res = await get('/network/export/not-a-file', 'network:view')
    expect(res).toEqual({ status: 403, body: 'refused' })
    expect(ran).toEqual([])
    expect(denied).toEqual(['network:export'])
  })

  it('lets the role with the permission through', async () => {
    expect(await get('/network/export/nodes.csv', 'network:view,network:export')).toEqual({ status: 200, body: 'export: Kyle Marsh' })
  })

  it('refuses a signed-out request to a route that needs a permission or a sign-in', async () => {
    ran.length = 0
    expect((await get('/network/export/nodes.csv')).status).toBe(403)
    expect((await get('/mine')).status).toBe(403)
    expect(ran).toEqual([])
  })

  it('"any of" admits a holder of either permission, and refuses (audited) a holder of neither', async () => {
    expect((await get('/either', 'person:view')).status).toBe(200)
    expect((await get('/either', 'network:view')).status).toBe(200)
    denied.length = 0
    expect((await get('/either', 'aggregates:view')).status).toBe(403)
    expect(denied).toEqual(['network:view'])
  })

  it('opens public routes to anyone and signed-in routes to any signed-in user', async () => {
    expect((await get('/open')).status).toBe(200)
    expect((await get('/mine', '')).status).toBe(200)
  })

  it('refuses to register a permission route on a router built without the access service', () => {
    expect(() => guardedRouter().get('/x', { permission: 'person:view' }, (_req, res) => res.end())).toThrow(/access service/)
  })

  it('carries each route’s declaration where the route table can be read, and none on a route registered another way', () => {
    const routes = guardedRouter(fakeAccess([]))
    routes.get('/declared/:id', { permission: 'person:view' }, (_req, res) => res.end())
    const outer = Router()
    outer.use('/mounted', routes.router)
    outer.post('/forgotten', (_req, res) => res.end())
    expect(listRoutes(outer)).toEqual([
      { method: 'GET', path: '/mounted/declared/:id', access: { permission: 'person:view' } },
      { method: 'POST', path: '/forgotten', access: undefined },
    ])
  })
})
