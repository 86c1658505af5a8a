import type { ErrorRequestHandler, RequestHandler, Response } from 'express'
import type { Logger } from 'pino'
import { BadInputError, ConflictError, ForbiddenError, NotFoundError } from '../../kernel/errors.ts'
import { isDatabaseBusy } from '../../db/limits.ts'
import { typedFields } from '../typed-fields.ts'
import { resubmission, sideBySide } from '../conflict.ts'
import { isLocalPath } from '../local-path.ts'

/** Seconds a busy page asks the browser (or a script) to wait before trying again. */
export const BUSY_RETRY_AFTER_SECONDS = 10

/** The database is busy (a lock not granted in time, a statement too long, no connection free). */
export function renderBusy(res: Response) {
  res.setHeader('Retry-After', String(BUSY_RETRY_AFTER_SECONDS))
  res.status(503).render('pages/error.njk', { heading: 'Sorry, the service is busy', status: 503, message: `Too many people are using Lantern at the moment. Try again in ${BUSY_RETRY_AFTER_SECONDS} seconds.` })
}

/** The same for a client of the API: JSON, never a page. */
export function answerBusyJson(res: Response) {
  res.status(503).set('Retry-After', String(BUSY_RETRY_AFTER_SECONDS)).json({ error: 'busy', message: 'The service is busy: try again shortly' })
}

/**
 * The page the user came from (the form, which opens afresh with what is saved now), as a path on
 * this site: "Discard my changes and see theirs" goes there. Lantern asks browsers to send the
 * referrer to itself only, so the path alone is kept, and never a link to anywhere else.
 */
function formAddress(referer: string | undefined): string | undefined {
  if (!referer) return undefined
  try {
    const url = new URL(referer)
    const path = url.pathname + url.search
    return isLocalPath(path) ? path : undefined
  } catch {
    return undefined
  }
}

export const notFound: RequestHandler = (_req, res) => {
  res.status(404).render('pages/not-found.njk')
}

/** One place turns errors into pages: 403 (with break glass where allowed), 404, 409, 413, 503 busy, 500. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (res.headersSent) return
    if (err instanceof ForbiddenError) {
      res.status(403).render('pages/forbidden.njk', { message: err.message, ...err.details, returnTo: req.originalUrl })
      return
    }
    if (err instanceof NotFoundError) {
      res.status(404).render('pages/not-found.njk')
      return
    }
    if (err instanceof ConflictError) {
      const posted = req.method === 'POST'
      res.status(409).render('pages/conflict.njk', {
        message: err.message,
        returnTo: formAddress(req.get('referer')),
        typed: posted ? typedFields(req.body, err.labels) : [],
        sideBySide: posted && err.saved ? sideBySide(req.body, err.saved, err.choices, err.labels) : null,
        overwrite: posted ? resubmission(req.body, err.saved) : null,
        action: req.originalUrl,
      })
      return
    }
    if (err instanceof BadInputError) {
      res.status(400).render('pages/error.njk', { heading: 'Sorry, there is a problem with that request', status: 400, message: err.message })
      return
    }
    if (isDatabaseBusy(err)) {
      logger.warn({ err: { message: (err as Error)?.message }, requestId: req.id }, 'database busy')
      renderBusy(res)
      return
    }
    const code = (err as { code?: string })?.code
    if (code === 'EBADCSRFTOKEN' || (err as { message?: string })?.message === 'invalid csrf token') {
      res.status(403).render('pages/form-expired.njk', { returnTo: req.originalUrl })
      return
    }
    const status = (err as { status?: number; statusCode?: number }).status ?? (err as { statusCode?: number }).statusCode
    if (status === 413) {
      res.status(413).render('pages/error.njk', { heading: 'The file or form is too large', status: 413 })
      return
    }
    if (status && status >= 400 && status < 500) {
      res.status(status).render('pages/error.njk', { heading: 'Sorry, there is a problem with that request', status })
      return
    }
    logger.error({ err: { message: (err as Error)?.message, stack: (err as Error)?.stack }, requestId: req.id }, 'unhandled error')
    // On the public report journey the answers live in the session, which outlives an outage:
    // the reporter must hear that nothing is lost and what to do if someone is in danger.
    const reportJourney = req.path === '/report' || req.path.startsWith('/report/')
    res.status(500).render('pages/error.njk', { heading: 'Sorry, there is a problem with the service', status: 500, requestId: reportJourney ? undefined : req.id, reportJourney })
  }
}
