import type { Request } from 'express'
import type { ModuleDeps } from '../types.ts'

/** Lantern's public address for links in feeds, exports and e-mails: the configured one, or the one the request came to. */
export function baseUrl(deps: ModuleDeps, req: Request) {
  return (deps.config.publicBaseUrl ?? `${req.protocol}://${req.get('host')}`).replace(/\/$/, '')
}
