import { Readable } from 'node:stream'
import { sql } from 'kysely'
import type { Db } from '../../../db/index.ts'
import type { ImportSource, ImportSummary } from './import.ts'
import { contentIdentity } from './sources.ts'

/** A file as uploaded through the staff pages. */
export interface UploadedFile {
  name: string
  content: Buffer
}

/** Uploaded files as the import reads them, each known by its content (the same file twice is refused). */
export function uploadedSources(files: UploadedFile[]): ImportSource[] {
  return files.map((f) => ({ name: f.name, size: f.content.length, identity: contentIdentity(f.content), open: () => Readable.from([f.content]) }))
}

/**
 * Files previewed and waiting for their uploader to confirm the import. Each new upload first
 * clears those older than a day: a preview nobody confirmed holds nothing anyone needs.
 */
export function policeUkUploads(db: Db) {
  return {
    async stage(userId: string, files: UploadedFile[], preview: ImportSummary): Promise<string> {
      await db.deleteFrom('police_uk_uploads').where('created_at', '<', sql<Date>`now() - interval '1 day'`).execute()
      return db.transaction().execute(async (trx) => {
        const { id } = await trx.insertInto('police_uk_uploads').values({ user_id: userId, preview: JSON.stringify(preview) }).returning('id').executeTakeFirstOrThrow()
        for (const [position, f] of files.entries()) await trx.insertInto('police_uk_upload_files').values({ upload_id: id, position, name: f.name, content: f.content }).execute()
        return id
      })
    },

    /** The upload with its preview, only for the person who made it. */
    async find(id: string, userId: string) {
      if (!/^[0-9a-f-]{36}$/.test(id)) return undefined
      const upload = await db.selectFrom('police_uk_uploads').select(['id', 'preview', 'created_at']).where('id', '=', id).where('user_id', '=', userId).executeTakeFirst()
      return upload && { ...upload, preview: upload.preview as ImportSummary }
    },

    async files(id: string): Promise<UploadedFile[]> {
      const rows = await db.selectFrom('police_uk_upload_files').select(['name', 'content']).where('upload_id', '=', id).orderBy('position').execute()
      return rows.map((r) => ({ name: r.name, content: Buffer.from(r.content) }))
    },

    discard: async (id: string, trx: Db = db) => {
      await trx.deleteFrom('police_uk_uploads').where('id', '=', id).execute()
    },
  }
}
