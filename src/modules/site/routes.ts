import { Router } from 'express'
import { guardedRouter } from '../../web/routes.ts'
import type { Db } from '../../db/index.ts'
import { databaseAnswers, readyForTraffic } from '../../db/readiness.ts'
import type { PrivacyConfig } from '../../config.ts'
import type { Notice, Worklist } from '../types.ts'
import type { AuditService } from '../../audit/service.ts'
import type { RequestContext } from '../../kernel/context.ts'

/** Health endpoints for load balancers and operators; they reveal no personal data. */
export function healthRoutes(db: Db, info: { version: string; mode: string; database: string }): Router {
  const routes = guardedRouter()
  // Liveness: the process serves requests (restart it if not). /ping is the older name.
  for (const path of ['/live', '/ping']) {
    routes.get(path, { public: true }, (_req, res) => {
      res.set('Cache-Control', 'no-store').json({ status: 'UP' })
    })
  }
  // Readiness: send this instance traffic (src/db/readiness.ts). Which check failed is not the
  // public's to know: UP or DOWN only.
  routes.get('/ready', { public: true }, async (_req, res) => {
    const ready = await readyForTraffic(db)
    res.status(ready ? 200 : 503).set('Cache-Control', 'no-store').json({ status: ready ? 'UP' : 'DOWN' })
  })
  routes.get('/health', { public: true }, async (_req, res) => {
    const started = performance.now()
    try {
      await databaseAnswers(db)
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

/**
 * The staff start page: the work waiting for this user (each capability's worklists, under
 * need-to-know like every page), what else is waiting (notices), and the areas they may use. The
 * lists name children, so showing them is audited with how many items each held.
 */
export function siteStaffRoutes(
  notices: ((ctx: RequestContext) => Promise<Notice[]>)[] = [],
  worklists: ((ctx: RequestContext) => Promise<Worklist[]>)[] = [],
  audit?: AuditService,
): Router {
  const routes = guardedRouter()
  routes.get('/dashboard', { signedIn: true }, async (req, res) => {
    const [waiting, lists] = await Promise.all([Promise.all(notices.map((n) => n(req.ctx))), Promise.all(worklists.map((w) => w(req.ctx)))])
    const shown = lists.flat()
    const items = Object.fromEntries(shown.map((w) => [w.key, w.items.length]))
    if (audit && shown.length) await audit.record(req.ctx, { action: 'view', recordType: 'worklists', recordId: req.ctx.user!.id, details: { items } })
    res.render('site/views/dashboard.njk', {
      notices: waiting.flat(),
      worklists: shown,
      areas: res.locals.navigation.filter((n: { href: string }) => n.href !== '/dashboard'),
    })
  })
  return routes.router
}
