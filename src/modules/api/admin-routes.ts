import { Router, type Request } from 'express'
import { guardedRouter } from '../../web/routes.ts'
import type { ModuleDeps } from '../types.ts'
import { parseForm } from '../../web/forms.ts'
import { flash } from '../../web/middleware/current-user.ts'
import { EXPIRY_CHOICES, issueSchema, tokensService } from './tokens.ts'

/** Administration → API tokens: list, issue (the token is shown once), revoke. */
export function apiTokenAdminRoutes(deps: ModuleDeps): Router {
  const routes = guardedRouter(deps.access)
  const tokens = tokensService(deps)

  async function listView(req: Request, extra: Record<string, unknown> = {}) {
    const [list, users] = await Promise.all([tokens.list(req.ctx), tokens.users(req.ctx)])
    return {
      tokens: list,
      now: new Date(),
      userItems: users.map((u) => ({ value: u.id, text: `${u.name} (${u.role}, ${u.agency})` })),
      expiryItems: EXPIRY_CHOICES.map((d) => ({ value: String(d), text: d === 365 ? '1 year' : `${d} days` })),
      values: { days: '90' },
      ...extra,
    }
  }

  routes.get('/admin/api-tokens', { permission: 'admin:api-tokens' }, async (req, res) => {
    res.render('api/views/tokens.njk', await listView(req))
  })

  routes.post('/admin/api-tokens', { permission: 'admin:api-tokens' }, async (req, res) => {
    const parsed = parseForm(issueSchema, req.body)
    const result = parsed.ok ? await tokens.issue(req.ctx, parsed.value) : parsed
    if (!result.ok) return res.status(400).render('api/views/tokens.njk', await listView(req, { errors: result.errors, values: req.body }))
    // The token is shown on this response only; it is never stored, logged or put in the session.
    res.status(201).render('api/views/token-issued.njk', { issued: result.value })
  })

  routes.post('/admin/api-tokens/:id/revoke', { permission: 'admin:api-tokens' }, async (req, res) => {
    await tokens.revoke(req.ctx, req.params.id)
    flash(req, { type: 'success', text: 'Token revoked. It no longer works.' })
    res.redirect('/admin/api-tokens')
  })

  return routes.router
}
