import { fail, type Result } from '../../kernel/form-errors.ts'

export interface UploadedFile {
  originalname: string
  mimetype: string
  size: number
  buffer: Buffer
}

/** Files people may attach: documents, spreadsheets, slides, images, text. Checked by name and by content. */
const ALLOWED_FILES: { ext: RegExp; type: string; magic?: (b: Buffer) => boolean }[] = [
  { ext: /\.pdf$/i, type: 'application/pdf', magic: (b) => b.subarray(0, 5).toString('latin1') === '%PDF-' },
  { ext: /\.docx$/i, type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', magic: zip },
  { ext: /\.xlsx$/i, type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', magic: zip },
  { ext: /\.pptx$/i, type: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', magic: zip },
  { ext: /\.odt$/i, type: 'application/vnd.oasis.opendocument.text', magic: zip },
  { ext: /\.ods$/i, type: 'application/vnd.oasis.opendocument.spreadsheet', magic: zip },
  { ext: /\.odp$/i, type: 'application/vnd.oasis.opendocument.presentation', magic: zip },
  { ext: /\.doc$/i, type: 'application/msword', magic: ole },
  { ext: /\.xls$/i, type: 'application/vnd.ms-excel', magic: ole },
  { ext: /\.ppt$/i, type: 'application/vnd.ms-powerpoint', magic: ole },
  { ext: /\.png$/i, type: 'image/png', magic: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  { ext: /\.jpe?g$/i, type: 'image/jpeg', magic: (b) => b[0] === 0xff && b[1] === 0xd8 },
  { ext: /\.txt$/i, type: 'text/plain' },
  { ext: /\.csv$/i, type: 'text/csv' },
]
function zip(b: Buffer) {
  return b[0] === 0x50 && b[1] === 0x4b
}
function ole(b: Buffer) {
  return b.subarray(0, 4).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0]))
}

export const MAX_FILE_BYTES = 10 * 1024 * 1024

/** Checks an upload: the type comes from its name and must match its first bytes. */
export function checkUpload(file: UploadedFile | undefined, field = 'file'): Result<{ filename: string; contentType: string }> {
  if (!file || file.size === 0) return fail(field, 'Select a file')
  if (file.size > MAX_FILE_BYTES) return fail(field, 'The selected file must be smaller than 10MB')
  const filename = file.originalname.replace(/[\\/]/g, '_').replace(/[^\w .()'-]/g, '_').slice(-150) || 'file'
  const allowed = ALLOWED_FILES.find((a) => a.ext.test(filename))
  if (!allowed) return fail(field, 'The selected file must be a PDF, Word, Excel, PowerPoint, OpenDocument, image, text or CSV file')
  if (allowed.magic && !allowed.magic(file.buffer)) return fail(field, `The selected file is not a real ${filename.split('.').pop()!.toUpperCase()} file`)
  return { ok: true, value: { filename, contentType: allowed.type } }
}
