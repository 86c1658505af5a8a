import type { RequestHandler } from 'express'
import type { Gate } from '../../db/admission.ts'
import { isDatabaseBusy } from '../../db/limits.ts'
import { admitRequest } from '../../db/scope.ts'
import { answerBusyJson, renderBusy } from './errors.ts'

/**
 * Admission per request. A page may run many statements side by side (Home runs every worklist
 * and notice at once, some twenty statements), so a busy limit that counted statements refused
 * pages part-way through when a few arrived together. Here the limit counts requests: a request is
 * let in (as many at once as the pool has connections) or waits at the door (up to the queue
 * limit, for the queue timeout), and past that is answered "service busy, try again" (503 with
 * Retry-After) before anything of it starts. One let in runs every statement it needs.
 *
 * Mounted after the body parsers, so a slow sender holds no place while its form arrives, and
 * before the session, the first thing that reads the database.
 */
export function admitAtTheDoor(door: Gate): RequestHandler {
  return (req, res, next) => {
    door.enter().then(
      (leave) => {
        res.once('finish', leave)
        res.once('close', leave)
        // Gone while it waited: its place goes to the next.
        if (res.closed) return leave()
        admitRequest()
        next()
      },
      (err: unknown) => {
        if (!isDatabaseBusy(err)) return next(err)
        if (req.path.startsWith('/api/')) answerBusyJson(res)
        else renderBusy(res)
      },
    )
  }
}
