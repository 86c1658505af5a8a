import type { Request, RequestHandler } from 'express'
import { BadInputError } from '../../kernel/errors.ts'
import { anyControlCharacter, hasControlCharacter } from '../../kernel/control-characters.ts'

export const CONTROL_CHARACTER_MESSAGE = 'What was sent holds a control character (such as a NUL byte), which is not text. Remove it and try again.'

function pathHasControlCharacter(req: Request): boolean {
  try {
    return hasControlCharacter(decodeURIComponent(req.path))
  } catch {
    return false // a malformed escape is Express's to refuse
  }
}

/** For a multipart form's fields, once its route has read them: throws the same refusal. */
export function refuseControlCharactersInFields(body: unknown): void {
  if (anyControlCharacter(body)) throw new BadInputError(CONTROL_CHARACTER_MESSAGE)
}

/**
 * Refuses, with a 400, a request whose address, query or body holds a control character: in a
 * search, a filter, a form or JSON. Mounted once after the body parsers; multipart forms, parsed
 * by their own routes, run it again after the upload is read.
 */
export const refuseControlCharacters: RequestHandler = (req, res, next) => {
  if (!pathHasControlCharacter(req) && !anyControlCharacter(req.query) && !anyControlCharacter(req.body)) return next()
  if (req.path.startsWith('/api/')) {
    res.status(400).json({ error: 'bad_request', message: CONTROL_CHARACTER_MESSAGE })
    return
  }
  next(new BadInputError(CONTROL_CHARACTER_MESSAGE))
}
