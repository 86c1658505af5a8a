import multer from 'multer'
import type { Request, RequestHandler, Response } from 'express'
import { refuseControlCharactersInUpload } from './middleware/control-characters.ts'

/** Why an upload was not read, for the form to say in its own words. */
export type UploadRefusal = 'too-large' | 'too-many-files' | 'unreadable'

/**
 * multer passes on the errors of the parser beneath it (busboy) for a body it cannot read ("Malformed
 * part header", "Unexpected end of form", "Multipart: Boundary not found") as plain errors: the
 * sender's fault, never the service's. A storage error (a full disk) carries a system code, and
 * stays a 500.
 */
function unreadableBody(err: unknown): boolean {
  return err instanceof Error && err.constructor === Error && (err as NodeJS.ErrnoException).code === undefined
}

/**
 * Reads a multipart form with `handler` (a multer middleware) into `req.body` and `req.file(s)`.
 * A body too large or that cannot be read is a refusal for the form to show as a GOV.UK error; a
 * control character in a field or in a file's name (which multer decodes from `filename*`) is a
 * 400, as in any other request (src/web/middleware/control-characters.ts). Every upload form
 * comes through here, so none can answer a malformed body with a 500.
 */
export async function readUpload(handler: RequestHandler, req: Request, res: Response): Promise<UploadRefusal | undefined> {
  const err = await new Promise<unknown>((resolve) => {
    void handler(req, res, resolve)
  })
  req.body ??= {}
  if (err instanceof multer.MulterError) {
    if (err.code === 'LIMIT_FILE_SIZE') return 'too-large'
    return err.code === 'LIMIT_FILE_COUNT' || err.code === 'LIMIT_UNEXPECTED_FILE' ? 'too-many-files' : 'unreadable'
  }
  if (unreadableBody(err)) return 'unreadable'
  if (err) throw err
  refuseControlCharactersInUpload(req)
  return undefined
}
