import { keepScope, runRequestAsApplication } from './web/middleware/db-scope.ts'
import express, { Router } from 'express'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Logger } from 'pino'
import type { Config } from './config.ts'
import type { Db } from './db/index.ts'
import type { ReadReplica } from './db/replica.ts'
import type { Clock } from './kernel/clock.ts'
import { moduleDeps } from './composition.ts'
import { accessRoutes } from './access/routes.ts'
import { authService } from './auth/service.ts'
import { secretBox, type SecretKeys } from './auth/secret-box.ts'
import { authRoutes } from './modules/auth/routes.ts'
import { createMetrics } from './web/metrics.ts'
import { accountRoutes } from './modules/auth/account-routes.ts'
import { healthRoutes, sitePublicRoutes, siteStaffRoutes } from './modules/site/routes.ts'
import { reportRetentionMonths } from './modules/public/index.ts'
import type { LanternModule, NavItem } from './modules/types.ts'
import { configureNunjucks } from './web/nunjucks.ts'
import { DatabaseSessionStore } from './web/session-store.ts'
import { setUpRequestContext } from './web/middleware/request-context.ts'
import { setUpWebSecurity } from './web/middleware/security.ts'
import { setUpWebSession } from './web/middleware/session.ts'
import { setUpCsrf } from './web/middleware/csrf.ts'
import { requireSignIn, setUpCurrentUser } from './web/middleware/current-user.ts'
import { errorHandler, notFound } from './web/middleware/errors.ts'
import { refuseControlCharacters } from './web/middleware/control-characters.ts'
import { admitAtTheDoor } from './web/middleware/admission.ts'
import { doorFor } from './db/admission.ts'
import { guardRouteParameters } from './web/route-params.ts'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

export interface AppOptions {
  config: Config
  db: Db
  databaseKind: 'postgres' | 'pglite'
  logger: Logger
  sessionSecret: string
  /** The keys that seal TOTP secrets (src/bootstrap.ts resolves them; every instance must share them). */
  secretKeys: SecretKeys
  modules: LanternModule[]
  version?: string
  /** Defaults to the configuration's clock (the real time unless LANTERN_TODAY is set). */
  clock?: Clock
  /** The streaming replica for the analytics pages (REPLICA_DATABASE_URL), opened by the caller. */
  replica?: ReadReplica
}

/** Static files: GOV.UK and MOJ Frontend straight from their packages, and Lantern's own. */
function setUpStaticResources(): Router {
  const router = Router()
  const options = { maxAge: '1h', fallthrough: true, index: false as const }
  router.use('/assets', express.static(path.join(root, 'node_modules/govuk-frontend/dist/govuk/assets'), options))
  router.use('/assets', express.static(path.join(root, 'node_modules/@ministryofjustice/frontend/moj/assets'), options))
  router.use('/vendor/govuk', express.static(path.join(root, 'node_modules/govuk-frontend/dist/govuk'), options))
  router.use('/vendor/moj', express.static(path.join(root, 'node_modules/@ministryofjustice/frontend/moj'), options))
  router.use('/static', express.static(path.join(root, 'assets'), options))
  return router
}

/**
 * The composition root: builds the services once and mounts the middleware in a fixed order that
 * reads top to bottom. Public pages come before sign-in; everything after `requireSignIn` is staff.
 */
export function createApp(options: AppOptions) {
  const { config, db, logger, modules } = options
  const metrics = createMetrics(db)
  const replica = options.replica && { ...options.replica, onRead: metrics.countAnalyticsRead }
  const base = moduleDeps({ db, config, logger, clock: options.clock, onAuditWrite: metrics.observeAuditWrite, replica })
  // A subject access export (the people module) holds every capability's records about the person.
  const deps = { ...base, subjectAccessParts: modules.flatMap((m) => (m.subjectAccess ? [m.subjectAccess(base)] : [])) }
  const { audit, access } = deps
  const auth = authService(db, audit, config, secretBox(options.secretKeys))
  const sessionStore = new DatabaseSessionStore(db, config.session.idleMinutes * 60_000)
  const nav: NavItem[] = [{ text: 'Home', href: '/dashboard', order: 0 }, ...modules.flatMap((m) => m.nav ?? [])]

  const app = express()
  app.disable('x-powered-by')
  if (config.trustProxy) app.set('trust proxy', config.trustProxy)
  app.set('view engine', 'njk')
  configureNunjucks(app)

  app.use(metrics.timeRequests)
  app.use(runRequestAsApplication)
  app.use(metrics.routes(config.metricsToken))
  app.use(healthRoutes(db, { version: options.version ?? '0.1.0', mode: config.mode, database: options.databaseKind }))
  app.use(setUpStaticResources())
  app.use(setUpRequestContext(logger))
  app.use(setUpWebSecurity({ mapTileUrl: config.mapTileUrl }))
  app.use(keepScope(express.urlencoded({ extended: true, limit: '200kb' })))
  app.use(keepScope(express.json({ limit: '1mb' })))
  app.use(refuseControlCharacters)
  const door = doorFor(db)
  if (door) app.use(admitAtTheDoor(door))
  for (const m of modules) if (m.apiRoutes) app.use('/api/v1', m.apiRoutes(deps))
  app.use(keepScope(setUpWebSession(config, sessionStore, options.sessionSecret)))
  app.use(keepScope(setUpCsrf()))
  app.use(setUpCurrentUser(config, auth, nav))
  app.use(authRoutes(config, auth, audit))
  app.use(sitePublicRoutes({ privacy: config.privacy, retentionMonths: () => reportRetentionMonths(deps) }))
  for (const m of modules) if (m.publicRoutes) app.use(m.publicRoutes(deps))
  app.use(requireSignIn)
  const staffLocals = modules.flatMap((m) => (m.staffLocals ? [m.staffLocals(deps)] : []))
  app.use(async (req, res, next) => {
    // Only pages: an API call or a form post renders no layout.
    if (req.method !== 'GET' || !req.ctx?.user) return next()
    for (const locals of staffLocals) Object.assign(res.locals, await locals(req.ctx))
    next()
  })
  app.use(
    siteStaffRoutes(
      modules.flatMap((m) => (m.notices ? [m.notices(deps)] : [])),
      modules.flatMap((m) => (m.worklists ? [m.worklists(deps)] : [])),
      audit,
    ),
  )
  app.use(accessRoutes(access))
  app.use(accountRoutes(auth))
  for (const m of modules) if (m.staffRoutes) app.use(m.staffRoutes(deps))
  app.use(notFound)
  app.use(errorHandler(logger))
  guardRouteParameters(app.router)

  return { app, services: { audit, access, auth, sessionStore }, deps }
}
