import { Router } from 'express'
import { guardedRouter } from '../../web/routes.ts'
import { sql } from 'kysely'
import type { Db } from '../../db/index.ts'
import type { PrivacyConfig } from '../../config.ts'
import type { NavItem, Notice } from '../types.ts'
import type { RequestContext } from '../../kernel/context.ts'

/** Health endpoints for load balancers and operators; they reveal no personal data. */
export function healthRoutes(db: Db, info: { version: string; mode: string; database: string }): Router {
  const routes = guardedRouter()
  routes.get('/ping', { public: true }, (_req, res) => {
    res.json({ status: 'UP' })
  })
  routes.get('/health', { public: true }, async (_req, res) => {
    const started = performance.now()
    try {
      await sql`select 1`.execute(db)
      res.json({ status: 'UP', components: { database: { status: 'UP', kind: info.database, ms: Math.round(performance.now() - started) } } })
    } catch {
      res.status(503).json({ status: 'DOWN', components: { database: { status: 'DOWN', kind: info.database } } })
    }
  })
  routes.get('/info', { public: true }, (_req, res) => {
    // In production anyone can ask: the runtime and database would tell an attacker which
    // published vulnerabilities to try. A demo says more, for whoever is trying it out.
    if (info.mode === 'production') return res.json({ name: 'lantern', version: info.version })
    res.json({ name: 'lantern', version: info.version, mode: info.mode, database: info.database, node: process.version })
  })
  return routes.router
}

/**
 * Pages everyone may read, signed in or not: the front door, and the accessibility, cookies and
 * privacy statements. Signed-in staff are taken from the front door to their own start page.
 */
export function sitePublicRoutes(options: { privacy: PrivacyConfig; retentionMonths: () => Promise<number | null> }): Router {
  const routes = guardedRouter()
  routes.get('/', { public: true }, (req, res) => {
    if (req.ctx.user) return res.redirect('/dashboard')
    res.render('site/views/home.njk')
  })
  routes.get('/accessibility', { public: true }, (_req, res) => res.render('site/views/accessibility.njk'))
  routes.get('/cookies', { public: true }, (_req, res) => res.render('site/views/cookies.njk'))
  routes.get('/privacy', { public: true }, async (_req, res) => {
    res.render('site/views/privacy.njk', { privacy: options.privacy, retentionMonths: await options.retentionMonths() })
  })
  routes.get('/staying-safe-online', { public: true }, (_req, res) => res.render('site/views/staying-safe-online.njk'))
  return routes.router
}

/** The staff start page: what is waiting for this user (the capabilities' notices), and the areas they may use. */
export function siteStaffRoutes(nav: NavItem[], notices: ((ctx: RequestContext) => Promise<Notice[]>)[] = []): Router {
  const routes = guardedRouter()
  routes.get('/dashboard', { signedIn: true }, async (req, res) => {
    const waiting = (await Promise.all(notices.map((n) => n(req.ctx)))).flat()
    res.render('site/views/dashboard.njk', { notices: waiting, areas: res.locals.navigation.filter((n: { href: string }) => n.href !== '/dashboard') })
    void nav
  })
  return routes.router
}
