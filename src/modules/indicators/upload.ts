import multer from 'multer'
import { readUpload } from '../../web/uploads.ts'
import type { NextFunction, Request, RequestHandler, Response } from 'express'

/** Size limits of uploads: a police.uk month is about 3 MB. */
export const MAX_FILE_MB = 25
export const MAX_FILES = 24

const parser = multer({ storage: multer.memoryStorage(), limits: { fileSize: MAX_FILE_MB * 1024 * 1024, files: MAX_FILES } })

/**
 * Parses a multipart upload (the CSRF token travels in the form's action URL and was checked
 * before this runs). A file too large or too many files become `req.uploadError`, shown as a
 * GOV.UK error on the form rather than an error page.
 */
export function acceptFiles(field: string, maxCount = MAX_FILES): RequestHandler {
  const handler = parser.array(field, maxCount)
  return async (req: Request, res: Response, next: NextFunction) => {
    // Awaited here, so the route runs in the request's database scope (see keepScope), not in
    // the stream event multer calls back from.
    let refusal
    try {
      refusal = await readUpload(handler, req, res)
    } catch (err) {
      return next(err)
    }
    if (refusal) {
      ;(req as Request & { uploadError?: string }).uploadError =
        refusal === 'too-large' ? `Each file must be smaller than ${MAX_FILE_MB} MB` : refusal === 'too-many-files' ? `Choose ${maxCount} files or fewer` : 'The upload could not be read: try again'
    }
    next()
  }
}

export function uploadedFiles(req: Request): Express.Multer.File[] {
  return ((req as Request & { files?: Express.Multer.File[] }).files ?? []).filter((f) => f.size > 0)
}

export function uploadError(req: Request): string | undefined {
  return (req as Request & { uploadError?: string }).uploadError
}
