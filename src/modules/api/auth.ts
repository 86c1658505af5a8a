import type { RequestHandler } from 'express'
import type { ModuleDeps } from '../types.ts'
import { tokensService } from './tokens.ts'

const MESSAGES = {
  missing: 'Send a personal API token: Authorization: Bearer lantern_pat_…',
  malformed: 'The Authorization header must be "Bearer" followed by a Lantern API token',
  unknown: 'The API token is not valid',
  revoked: 'The API token has been revoked',
  expired: 'The API token has expired',
  inactive: 'The account this API token acts for is not active',
} as const

/**
 * Bearer-token authentication for /api/v1: the token acts as the user it was issued for, so the
 * request context is the same as that user's signed-in one (role, agency, need-to-know). Session
 * cookies are not accepted here, so the API cannot be driven cross-site. Use of a revoked or
 * expired token, or one for a deactivated account, is audited.
 */
export function bearerAuthentication(deps: ModuleDeps): RequestHandler {
  const tokens = tokensService(deps)
  return async (req, res, next) => {
    const check = await tokens.authenticate(req.get('authorization'))
    const ctx = { user: null, requestId: String(req.id), method: req.method, path: req.originalUrl.split('?')[0] }
    if (!check.ok) {
      if (check.tokenId) {
        await deps.audit.record(ctx, { action: 'api-token-refused', recordType: 'api_token', recordId: check.tokenId, details: { reason: check.reason, userId: check.userId } })
      }
      res.set('WWW-Authenticate', `Bearer realm="lantern"${check.reason === 'missing' ? '' : ', error="invalid_token"'}`)
      res.status(401).json({ error: 'unauthorised', message: MESSAGES[check.reason] })
      return
    }
    req.ctx = { ...ctx, user: check.user, authenticatedBy: 'api-token' }
    res.locals.apiTokenId = check.tokenId
    next()
  }
}
