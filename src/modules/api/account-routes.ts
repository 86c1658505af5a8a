import type { Request, Router } from 'express'
import { guardedRouter } from '../../web/routes.ts'
import type { ModuleDeps } from '../types.ts'
import { parseForm } from '../../web/forms.ts'
import { flash } from '../../web/middleware/current-user.ts'
import { EXPIRY_CHOICES, issueSchema, tokensService } from './tokens.ts'

/** Your API tokens: each user issues (the token is shown once) and revokes their own. */
export function apiTokenAccountRoutes(deps: ModuleDeps): Router {
  const routes = guardedRouter(deps.access)
  const tokens = tokensService(deps)

  async function page(req: Request, extra: Record<string, unknown> = {}) {
    return {
      tokens: await tokens.mine(req.ctx),
      now: new Date(),
      expiryItems: EXPIRY_CHOICES.map((d) => ({ value: String(d), text: d === 365 ? '1 year' : `${d} days` })),
      values: { days: '90' },
      ...extra,
    }
  }

  routes.get('/account/api-tokens', { signedIn: true }, async (req, res) => {
    res.render('api/views/account-tokens.njk', await page(req))
  })

  routes.post('/account/api-tokens', { signedIn: true }, async (req, res) => {
    const parsed = parseForm(issueSchema, req.body)
    const result = parsed.ok ? await tokens.issue(req.ctx, parsed.value) : parsed
    if (!result.ok) return res.status(400).render('api/views/account-tokens.njk', await page(req, { errors: result.errors, values: req.body }))
    // The token is shown on this response only; it is never stored, logged or put in the session.
    res.status(201).render('api/views/token-issued.njk', { issued: result.value })
  })

  routes.post('/account/api-tokens/:id/revoke', { signedIn: true }, async (req, res) => {
    await tokens.revokeOwn(req.ctx, req.params.id)
    flash(req, { type: 'success', text: 'Token revoked. It no longer works.' })
    res.redirect('/account/api-tokens')
  })

  return routes.router
}
