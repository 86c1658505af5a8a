import { Router } from 'express'
import { sql } from 'kysely'
import type { Db } from '../../db/index.ts'
import type { NavItem, Notice } from '../types.ts'
import type { RequestContext } from '../../kernel/context.ts'

/** Health endpoints for load balancers and operators; they reveal no personal data. */
export function healthRoutes(db: Db, info: { version: string; mode: string; database: string }): Router {
  const router = Router()
  router.get('/ping', (_req, res) => {
    res.json({ status: 'UP' })
  })
  router.get('/health', async (_req, res) => {
    const started = performance.now()
    try {
      await sql`select 1`.execute(db)
      res.json({ status: 'UP', components: { database: { status: 'UP', kind: info.database, ms: Math.round(performance.now() - started) } } })
    } catch {
      res.status(503).json({ status: 'DOWN', components: { database: { status: 'DOWN', kind: info.database } } })
    }
  })
  router.get('/info', (_req, res) => {
    // In production anyone can ask: the runtime and database would tell an attacker which
    // published vulnerabilities to try. A demo says more, for whoever is trying it out.
    if (info.mode === 'production') return res.json({ name: 'lantern', version: info.version })
    res.json({ name: 'lantern', version: info.version, mode: info.mode, database: info.database, node: process.version })
  })
  return router
}

/**
 * Pages everyone may read, signed in or not: the front door, and the accessibility, cookies and
 * privacy statements. Signed-in staff are taken from the front door to their own start page.
 */
export function sitePublicRoutes(): Router {
  const router = Router()
  router.get('/', (req, res) => {
    if (req.ctx.user) return res.redirect('/dashboard')
    res.render('site/views/home.njk')
  })
  router.get('/accessibility', (_req, res) => res.render('site/views/accessibility.njk'))
  router.get('/cookies', (_req, res) => res.render('site/views/cookies.njk'))
  router.get('/privacy', (_req, res) => res.render('site/views/privacy.njk'))
  return router
}

/** The staff start page: what is waiting for this user (the capabilities' notices), and the areas they may use. */
export function siteStaffRoutes(nav: NavItem[], notices: ((ctx: RequestContext) => Promise<Notice[]>)[] = []): Router {
  const router = Router()
  router.get('/dashboard', async (req, res) => {
    const waiting = (await Promise.all(notices.map((n) => n(req.ctx)))).flat()
    res.render('site/views/dashboard.njk', { notices: waiting, areas: res.locals.navigation.filter((n: { href: string }) => n.href !== '/dashboard') })
    void nav
  })
  return router
}
