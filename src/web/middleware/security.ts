import { randomBytes } from 'node:crypto'
import { Router } from 'express'
import helmet from 'helmet'
import type { ServerResponse } from 'node:http'

/**
 * helmet with a strict Content Security Policy: scripts only from this origin or carrying the
 * per-response nonce, no inline styles, no framing, no plug-ins. Images from this origin only, and
 * from a map tile server when one is configured (MAP_TILE_URL).
 */
export function setUpWebSecurity(options: { mapTileUrl?: string } = {}): Router {
  const router = Router()
  router.use((_req, res, next) => {
    res.locals.cspNonce = randomBytes(16).toString('base64')
    next()
  })
  const nonce = (_req: unknown, res: ServerResponse) => `'nonce-${(res as unknown as { locals: { cspNonce: string } }).locals.cspNonce}'`
  router.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'", nonce],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:', ...(options.mapTileUrl ? [new URL(options.mapTileUrl.replace(/[{}]/g, '')).origin] : [])],
          fontSrc: ["'self'"],
          connectSrc: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
        },
      },
      crossOriginEmbedderPolicy: true,
      referrerPolicy: { policy: 'same-origin' },
    }),
  )
  router.use((_req, res, next) => {
    // Pages of personal data must not be kept by shared browsers or proxies.
    res.setHeader('Cache-Control', 'no-store')
    next()
  })
  return router
}
