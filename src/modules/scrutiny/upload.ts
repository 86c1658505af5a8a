import multer from 'multer'
import { readUpload } from '../../web/uploads.ts'
import { BadInputError } from '../../kernel/errors.ts'
import type { Request, Response } from 'express'
import { MAX_FILE_BYTES, type UploadedFile } from './upload-check.ts'

/**
 * Receives one file from a multipart form, in memory (files are stored in the database), with a
 * size limit. A file that is too large becomes a form error, not an error page. The form's CSRF
 * token travels in its action URL (?_csrf=...), because the body is parsed only here, after the
 * CSRF check.
 */
export async function receiveFile(req: Request, res: Response, maxBytes = MAX_FILE_BYTES): Promise<{ file?: UploadedFile; tooLarge?: boolean }> {
  const handler = multer({ storage: multer.memoryStorage(), limits: { fileSize: maxBytes, files: 1, fields: 20, fieldSize: 100_000 } }).single('file')
  const refusal = await readUpload(handler, req, res)
  if (refusal === 'too-large') return { tooLarge: true }
  if (refusal) throw new BadInputError('The upload could not be read: choose the file again and send the form')
  const file = req.file
  return { file: file ? { originalname: file.originalname, mimetype: file.mimetype, size: file.size, buffer: file.buffer } : undefined }
}

export function megabytes(bytes: number) {
  return `${Math.round(bytes / (1024 * 1024))}MB`
}
