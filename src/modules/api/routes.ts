import { Router, type ErrorRequestHandler } from 'express'
import { guardedRouter } from '../../web/routes.ts'
import { z } from 'zod'
import type { ModuleDeps } from '../types.ts'
import { ConflictError, ForbiddenError, NotFoundError } from '../../kernel/errors.ts'
import { registerFilterSchema, filterQuery } from '../register/index.ts'
import { bearerAuthentication } from './auth.ts'
import { apiService } from './service.ts'
import { openApiDocument } from './openapi.ts'
import { isDatabaseBusy } from '../../db/limits.ts'
import { answerBusyJson } from '../../web/middleware/errors.ts'

/** A request the API cannot serve as asked: 400 with the zod issues. */
class BadRequest extends Error {
  constructor(readonly issues: z.core.$ZodIssue[]) {
    super('The request is not valid')
  }
}

function parse<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value ?? {})
  if (!result.success) throw new BadRequest(result.error.issues)
  return result.data
}

const idSchema = z.object({ id: z.string().uuid('The id must be a UUID') })
const pageSchema = z.object({ page: z.coerce.number().int().min(1).max(100_000).optional().default(1) })

/** JSON errors for the API: never an HTML page. */
export function apiErrorHandler(deps: ModuleDeps): ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (res.headersSent) return
    if (err instanceof BadRequest) return res.status(400).json({ error: 'bad_request', message: err.message, issues: err.issues.map((i) => ({ path: i.path.map(String), message: i.message, code: i.code })) })
    if (err instanceof ForbiddenError) return res.status(403).json({ error: 'forbidden', message: err.message, reason: err.details.reason })
    if (err instanceof NotFoundError) return res.status(404).json({ error: 'not_found', message: 'No such record' })
    if (err instanceof ConflictError) return res.status(409).json({ error: 'conflict', message: err.message })
    if (isDatabaseBusy(err)) return answerBusyJson(res)
    const status = (err as { status?: number }).status
    if (status && status >= 400 && status < 500) return res.status(status).json({ error: 'bad_request', message: 'The request could not be read' })
    deps.logger.error({ err: { message: (err as Error)?.message, stack: (err as Error)?.stack }, requestId: req.id }, 'unhandled API error')
    res.status(500).json({ error: 'server_error', message: 'Sorry, there is a problem with the service', requestId: req.id })
  }
}

/**
 * The JSON API under /api/v1: people (list with the register's filters, and one person with
 * their notes, assessments and missing episodes), for a personal API token. The OpenAPI document
 * is public; everything else needs a token. Mounted before the session middleware.
 */
export function apiRoutes(deps: ModuleDeps): Router {
  const routes = guardedRouter(deps.access)
  const api = apiService(deps)

  routes.get('/openapi.json', { public: true }, (_req, res) => {
    res.json(openApiDocument())
  })

  routes.use(bearerAuthentication(deps))

  routes.get('/me', { signedIn: true }, (req, res) => {
    const u = req.ctx.user!
    res.json({ id: u.id, name: u.name, email: u.email, agency: { id: u.agencyId, name: u.agencyName }, team: u.teamId ? { id: u.teamId, name: u.teamName } : null, role: u.role, permissions: [...u.permissions].sort() })
  })

  routes.get('/people', { permission: 'person:search' }, async (req, res) => {
    const filter = parse(registerFilterSchema, req.query)
    const result = await api.people(req.ctx, filter)
    const pages = Math.ceil(result.total / filter.pageSize)
    res.json({
      ...result,
      links: {
        self: `/api/v1/people?${filterQuery(filter)}`,
        next: filter.page < pages ? `/api/v1/people?${filterQuery(filter, { page: filter.page + 1 })}` : null,
        prev: filter.page > 1 ? `/api/v1/people?${filterQuery(filter, { page: filter.page - 1 })}` : null,
      },
    })
  })

  routes.get('/people/:id', { permission: 'person:view' }, async (req, res) => {
    res.json(await api.person(req.ctx, parse(idSchema, req.params).id))
  })

  routes.get('/people/:id/notes', { permission: 'person:view' }, async (req, res) => {
    res.json(await api.notes(req.ctx, parse(idSchema, req.params).id, parse(pageSchema, req.query).page))
  })

  routes.get('/people/:id/assessments', { permission: 'person:view' }, async (req, res) => {
    res.json(await api.assessments(req.ctx, parse(idSchema, req.params).id))
  })

  routes.get('/people/:id/missing-episodes', { permission: 'person:view' }, async (req, res) => {
    res.json(await api.missingEpisodes(req.ctx, parse(idSchema, req.params).id))
  })

  routes.get('/people/:id/meetings', { permission: 'person:view' }, async (req, res) => {
    res.json(await api.meetings(req.ctx, parse(idSchema, req.params).id))
  })

  routes.get('/meetings/:id', { permission: 'person:view' }, async (req, res) => {
    res.json(await api.meeting(req.ctx, parse(idSchema, req.params).id))
  })

  routes.use((_req, res) => {
    res.status(404).json({ error: 'not_found', message: 'No such API endpoint. See /api/v1/openapi.json' })
  })
  routes.use(apiErrorHandler(deps))
  return routes.router
}
