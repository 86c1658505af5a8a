import type { Request, RequestHandler } from 'express'
import { BadInputError } from '../../kernel/errors.ts'
import { anyControlCharacter, hasControlCharacter, nestedTooDeeply } from '../../kernel/control-characters.ts'

export const CONTROL_CHARACTER_MESSAGE = 'What was sent holds a control character (such as a NUL byte), which is not text. Remove it and try again.'
export const TOO_DEEP_MESSAGE = 'What was sent is nested more deeply than any form or request Lantern takes.'

/** Why a request's address, query or body is refused, or undefined when it is not. */
function refusal(req: Request): string | undefined {
  if (nestedTooDeeply(req.query) || nestedTooDeeply(req.body)) return TOO_DEEP_MESSAGE
  if (pathHasControlCharacter(req) || anyControlCharacter(req.query) || anyControlCharacter(req.body)) return CONTROL_CHARACTER_MESSAGE
  return undefined
}

function pathHasControlCharacter(req: Request): boolean {
  try {
    return hasControlCharacter(decodeURIComponent(req.path))
  } catch {
    return false // a malformed escape is Express's to refuse
  }
}

/** The names of the files multer read: `req.file`, or `req.files` as a list or by field. */
function uploadedFileNames(req: Request): string[] {
  const files = (req as Request & { files?: unknown }).files
  const all = [(req as Request & { file?: unknown }).file, ...(Array.isArray(files) ? files : files && typeof files === 'object' ? Object.values(files).flat() : [])]
  return all.flatMap((f) => (f && typeof (f as { originalname?: unknown }).originalname === 'string' ? [(f as { originalname: string }).originalname] : []))
}

/**
 * For a multipart form, once src/web/uploads.ts has read it: its fields and its files' names (a
 * name may carry any byte, percent-encoded in `filename*`), with the same refusal.
 */
export function refuseControlCharactersInUpload(req: Request): void {
  if (nestedTooDeeply(req.body)) throw new BadInputError(TOO_DEEP_MESSAGE)
  if (anyControlCharacter(req.body) || uploadedFileNames(req).some(hasControlCharacter)) throw new BadInputError(CONTROL_CHARACTER_MESSAGE)
}

/**
 * Refuses, with a 400, a request whose address, query or body holds a control character: in a
 * search, a filter, a form or JSON; and one nested too deeply to search. Mounted once after the
 * body parsers; multipart forms, parsed by their own routes, run it again after the upload is read.
 */
export const refuseControlCharacters: RequestHandler = (req, res, next) => {
  const message = refusal(req)
  if (!message) return next()
  if (req.path.startsWith('/api/')) {
    res.status(400).json({ error: 'bad_request', message })
    return
  }
  next(new BadInputError(message))
}
