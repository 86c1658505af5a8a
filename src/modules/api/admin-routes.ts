import { Router } from 'express'
import type { ModuleDeps } from '../types.ts'
import { flash } from '../../web/middleware/current-user.ts'
import { tokensService } from './tokens.ts'

/** Administration → API tokens: every token (never the secret), and revoke. Administrators issue none. */
export function apiTokenAdminRoutes(deps: ModuleDeps): Router {
  const router = Router()
  const tokens = tokensService(deps)

  router.get('/admin/api-tokens', async (req, res) => {
    res.render('api/views/tokens.njk', { tokens: await tokens.list(req.ctx), now: new Date() })
  })

  router.post('/admin/api-tokens/:id/revoke', async (req, res) => {
    await tokens.revokeAny(req.ctx, req.params.id)
    flash(req, { type: 'success', text: 'Token revoked. It no longer works.' })
    res.redirect('/admin/api-tokens')
  })

  return router
}
