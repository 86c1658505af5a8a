import { AsyncResource } from 'node:async_hooks'
import multer from 'multer'
import { refuseControlCharactersInFields } from '../../web/middleware/control-characters.ts'
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
  return (req: Request, res: Response, proceed: NextFunction) => {
    // multer calls back on a stream event, outside the request's database scope (see keepScope).
    const next = AsyncResource.bind(proceed)
    handler(req, res, (err: unknown) => {
      if (!err) {
        try {
          refuseControlCharactersInFields(req.body)
        } catch (refused) {
          return next(refused)
        }
        return next()
      }
      if (err instanceof multer.MulterError) {
        ;(req as Request & { uploadError?: string }).uploadError =
          err.code === 'LIMIT_FILE_SIZE'
            ? `Each file must be smaller than ${MAX_FILE_MB} MB`
            : err.code === 'LIMIT_FILE_COUNT' || err.code === 'LIMIT_UNEXPECTED_FILE'
              ? `Choose ${maxCount} files or fewer`
              : 'The upload could not be read: try again'
        return next()
      }
      next(err)
    })
  }
}

export function uploadedFiles(req: Request): Express.Multer.File[] {
  return ((req as Request & { files?: Express.Multer.File[] }).files ?? []).filter((f) => f.size > 0)
}

export function uploadError(req: Request): string | undefined {
  return (req as Request & { uploadError?: string }).uploadError
}
