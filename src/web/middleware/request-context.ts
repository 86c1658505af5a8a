import { randomUUID } from 'node:crypto'
import { Router } from 'express'
import { pinoHttp } from 'pino-http'
import type { Logger } from 'pino'

/** Gives each request an id (for the audit trail and logs) and logs it without personal data. */
export function setUpRequestContext(logger: Logger): Router {
  const router = Router()
  router.use((req, res, next) => {
    req.id = randomUUID()
    res.setHeader('X-Request-Id', req.id)
    next()
  })
  router.use(
    pinoHttp({
      logger,
      genReqId: (req) => req.id as string,
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, path: req.url.split('?')[0] }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      customSuccessMessage: (req, res, time) => `${req.method} ${(req.url ?? '').split('?')[0]} ${res.statusCode} ${Math.round(time)}ms`,
      autoLogging: { ignore: (req) => (req.url ?? '').startsWith('/assets/') || req.url === '/ping' },
    }),
  )
  return router
}
