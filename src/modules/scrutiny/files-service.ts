import type { RequestContext } from '../../kernel/context.ts'
import { NotFoundError } from '../../kernel/errors.ts'
import { scrutinyStore } from './store.ts'
import type { FileKind } from './tables.ts'
import type { Result } from '../../kernel/form-errors.ts'
import { checkUpload, type UploadedFile } from './upload-check.ts'
import type { ScrutinyCore } from './service-core.ts'

/** Reports, the strategic assessment and event materials: uploaded, checked, and read only by who may. */
export function filesService(core: ScrutinyCore) {
  const { db, access, audit } = core.deps
  const { store, user, mayOnBody, authoriseOnBody, bodyOr404 } = core
  return {
    /** Attaches a file to an agenda item (a report), a body (the strategic assessment) or an event (materials). */
    async attachFile(
      ctx: RequestContext,
      owner: { agendaItemId: string } | { bodyId: string; kind: FileKind },
      input: { title: string; restricted: boolean },
      file: UploadedFile | undefined,
    ): Promise<Result<string>> {
      let bodyId: string
      let restrictedOwner = false
      if ('agendaItemId' in owner) {
        const item = await store.agendaItem(owner.agendaItemId)
        if (!item) throw new NotFoundError()
        bodyId = item.body_id
        restrictedOwner = item.restricted
      } else bodyId = owner.bodyId
      await authoriseOnBody(ctx, 'scrutiny:edit', await bodyOr404(bodyId))
      const checked = checkUpload(file)
      if (!checked.ok) return checked
      const id = await db.transaction().execute(async (trx) => {
        const row = await scrutinyStore(trx).insertFile({
          agenda_item_id: 'agendaItemId' in owner ? owner.agendaItemId : null,
          body_id: 'bodyId' in owner ? owner.bodyId : null,
          event_id: null,
          kind: 'agendaItemId' in owner ? 'report' : owner.kind,
          title: input.title,
          filename: checked.value.filename,
          content_type: checked.value.contentType,
          size_bytes: file!.size,
          content: file!.buffer,
          url: null,
          restricted: input.restricted || restrictedOwner,
          uploaded_by: user(ctx).id,
        })
        await audit.record(ctx, { action: 'create', recordType: 'scrutiny_file', recordId: row.id, details: { owner, bytes: file!.size, restricted: input.restricted || restrictedOwner } }, trx)
        return row.id
      })
      return { ok: true, value: id }
    },

    /** A file for a signed-in user: restricted files only for the body's own people. */
    async file(ctx: RequestContext, id: string) {
      await access.authorise(ctx, 'scrutiny:view')
      const file = await store.file(id)
      if (!file) throw new NotFoundError()
      if (file.event_id) {
        // Event materials: anyone who may see scrutiny may read them.
      } else if (file.restricted || file.agenda_item_restricted) {
        const body = await bodyOr404(file.owner_body_id!)
        if (!(await mayOnBody(ctx, 'scrutiny:edit', body)) && body.agency_id !== ctx.user!.agencyId) throw new NotFoundError()
      }
      await audit.record(ctx, { action: 'view', recordType: 'scrutiny_file', recordId: id })
      return file
    },
  }
}
