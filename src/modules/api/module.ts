import { Router } from 'express'
import type { LanternModule } from '../types.ts'
import { apiRoutes } from './routes.ts'
import { apiTokenAccountRoutes } from './account-routes.ts'
import { apiTokenAdminRoutes } from './admin-routes.ts'

/**
 * The JSON API (/api/v1, bearer tokens), each user's own tokens and the administration of them all. Its router answers
 * every /api/v1 path it does not know with a JSON 404, so keep this module last in the list.
 */
export const apiModule: LanternModule = {
  name: 'api',
  nav: [{ text: 'API tokens', href: '/admin/api-tokens', permission: 'admin:api-tokens', order: 91 }],
  apiRoutes,
  staffRoutes: (deps) => Router().use(apiTokenAccountRoutes(deps), apiTokenAdminRoutes(deps)),
}
