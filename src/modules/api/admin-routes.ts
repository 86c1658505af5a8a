import type { Router } from 'express'
import { guardedRouter } from '../../web/routes.ts'
import type { ModuleDeps } from '../types.ts'
import { flash } from '../../web/middleware/current-user.ts'
import { tokensService } from './tokens.ts'

/** Administration → API tokens: every token (never the secret), and revoke. Administrators issue none. */
export function apiTokenAdminRoutes(deps: ModuleDeps): Router {
  const routes = guardedRouter(deps.access)
  const tokens = tokensService(deps)

  routes.get('/admin/api-tokens', { permission: 'admin:api-tokens' }, async (req, res) => {
    res.render('api/views/tokens.njk', { tokens: await tokens.list(req.ctx), now: new Date() })
  })

  routes.post('/admin/api-tokens/:id/revoke', { permission: 'admin:api-tokens' }, async (req, res) => {
    await tokens.revokeAny(req.ctx, req.params.id)
    flash(req, { type: 'success', text: 'Token revoked. It no longer works.' })
    res.redirect('/admin/api-tokens')
  })

  return routes.router
}
