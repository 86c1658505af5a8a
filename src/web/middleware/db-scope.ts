import { AsyncResource } from 'node:async_hooks'
import type { RequestHandler } from 'express'
import { runAsRequest } from '../../db/scope.ts'

/**
 * Every request's statements run as the application role (src/db/scope.ts), as nobody until the
 * session or token names the user. Mounted before anything that reads the database.
 */
export const runRequestAsApplication: RequestHandler = (_req, _res, next) => runAsRequest(() => next())

/**
 * Middleware that finishes on a stream event (body parsers, multipart uploads) calls `next` outside
 * the request's async context, and what followed would run as the owner. This calls it back inside.
 */
export function keepScope(middleware: RequestHandler): RequestHandler {
  return (req, res, next) => middleware(req, res, AsyncResource.bind(next))
}
