import { timingSafeEqual } from 'node:crypto'
import type { Request, RequestHandler, Response, Router } from 'express'
import client from 'prom-client'
import type { Db } from '../db/index.ts'
import { poolStats } from '../db/bulk.ts'
import { doorFor } from '../db/admission.ts'
import { guardedRouter } from './routes.ts'

/**
 * Operational metrics in Prometheus's text format at /metrics: request durations by route, the
 * database pool, the audit trail's write time, and Node's own (memory, event loop, GC).
 *
 * Labels are route patterns (`/people/:id`), never paths, so no id reaches the metrics and the
 * number of series stays bounded. Each app has its own registry, so several apps in one process (the
 * tests) do not share counts.
 */
export interface Metrics {
  /** Times every request; mount first. */
  timeRequests: RequestHandler
  /** Given to the audit service (src/composition.ts). */
  observeAuditWrite(seconds: number): void
  /** Given to the read replica (src/db/replica.ts): where each analytics page read its data. */
  countAnalyticsRead(source: 'replica' | 'primary'): void
  /** GET /metrics for a scraper holding the bearer token; without a token the path is not served at all. */
  routes(token: string | undefined): Router
}

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

/** The route that answered, as registered: unmatched requests (404s, static files) share one label. */
function routeOf(req: Request): string {
  const pattern = req.route?.path
  return typeof pattern === 'string' ? `${req.baseUrl}${pattern}` : 'unmatched'
}

function bearerMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header?.startsWith('Bearer ') ? header.slice(7) : '')
  const wanted = Buffer.from(token)
  return given.length === wanted.length && timingSafeEqual(given, wanted)
}

export function createMetrics(db: Db): Metrics {
  const registry = new client.Registry()
  client.collectDefaultMetrics({ register: registry, prefix: 'lantern_' })

  const requests = new client.Histogram({
    name: 'lantern_http_request_duration_seconds',
    help: 'Time from a request arriving to its response finishing, by route pattern',
    labelNames: ['method', 'route', 'status'],
    buckets: SECONDS,
    registers: [registry],
  })
  const auditWrites = new client.Histogram({
    name: 'lantern_audit_write_seconds',
    help: 'Time to write one audit event (with its hash chain link)',
    buckets: SECONDS,
    registers: [registry],
  })
  const analyticsReads = new client.Counter({
    name: 'lantern_analytics_reads_total',
    help: 'Read-only analytics pages by the database that answered (replica, or primary when it lagged or was away); absent without REPLICA_DATABASE_URL',
    labelNames: ['source'],
    registers: [registry],
  })
  new client.Gauge({
    name: 'lantern_db_pool_connections',
    help: 'PostgreSQL connections in the pool, by state (waiting: statements queued for one); absent on the embedded database',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const stats = poolStats(db)
      if (!stats) return
      this.set({ state: 'total' }, stats.total)
      this.set({ state: 'idle' }, stats.idle)
      this.set({ state: 'waiting' }, stats.waiting)
    },
  })
  new client.Gauge({
    name: 'lantern_requests_admitted',
    help: 'Requests let in at the door to the database (inside) and waiting there (waiting); absent without the web limits',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const door = doorFor(db)
      if (!door) return
      this.set({ state: 'inside' }, door.stats.inside)
      this.set({ state: 'waiting' }, door.stats.waiting)
    },
  })

  return {
    timeRequests(req, res, next) {
      const end = requests.startTimer()
      res.once('finish', () => end({ method: req.method, route: routeOf(req), status: String(res.statusCode) }))
      next()
    },
    observeAuditWrite: (seconds) => auditWrites.observe(seconds),
    countAnalyticsRead: (source) => analyticsReads.inc({ source }),
    routes(token) {
      const routes = guardedRouter()
      if (!token) return routes.router
      // Public to the router because a scraper cannot sign in: the bearer token is its credential.
      routes.get('/metrics', { public: true }, async (req: Request, res: Response) => {
        if (!bearerMatches(req.get('authorization'), token)) {
          res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"')
          return res.status(401).type('text/plain').send('A bearer token is needed for the metrics.\n')
        }
        res.setHeader('Cache-Control', 'no-store')
        res.type(registry.contentType).send(await registry.metrics())
      })
      return routes.router
    },
  }
}
