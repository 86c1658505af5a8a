import type { RequestContext } from '../../kernel/context.ts'
import { scrutinyStore } from './store.ts'
import { ModernGovFormatError, parseGetMeeting } from './moderngov.ts'
import { fail, type Result } from '../../kernel/form-errors.ts'
import type { UploadedFile } from './upload-check.ts'
import type { ScrutinyCore } from './service-core.ts'
import { formatLongDate } from './domain.ts'

/** Meetings imported from ModernGov. */
export function importService(core: ScrutinyCore) {
  const { db, audit } = core.deps
  const { authoriseOnBody, bodyOr404, actorId } = core
  return {
    /**
     * Imports one GetMeeting document into a body: the meeting and its agenda items (restricted
     * flags kept) with their documents as links. Importing the same meeting again updates it. All
     * or nothing: a malformed document saves nothing.
     */
    async importModernGov(ctx: RequestContext, bodyId: string, file: UploadedFile | undefined): Promise<Result<{ meetingId: string; created: boolean; added: number; updated: number; documents: number; restricted: number }>> {
      const body = await bodyOr404(bodyId)
      await authoriseOnBody(ctx, 'scrutiny:edit', body)
      if (!file || file.size === 0) return fail('file', 'Select a ModernGov XML file')
      let parsed
      try {
        parsed = parseGetMeeting(file.buffer)
      } catch (err) {
        if (err instanceof ModernGovFormatError) return fail('file', `The selected file could not be imported. ${err.message}`)
        throw err
      }
      const meeting = parsed
      const result = await db.transaction().execute(async (trx) => {
        const s = scrutinyStore(trx)
        const existing = await s.meetingByExternalId(bodyId, meeting.externalId)
        const status = /cancel/i.test(meeting.status ?? '') ? 'cancelled' : /held|minutes/i.test(meeting.status ?? '') || meeting.minutesPublished ? 'held' : 'scheduled'
        const fields = {
          title: meeting.committeeTitle ? `${meeting.committeeTitle}, ${formatLongDate(meeting.date)}` : `Meeting of ${formatLongDate(meeting.date)}`,
          meeting_date: meeting.date,
          meeting_time: meeting.time,
          location: meeting.location,
          status: status as 'held' | 'scheduled' | 'cancelled',
          minutes_published: meeting.minutesPublished,
          imported_at: new Date(),
        }
        let meetingId: string
        if (existing) {
          meetingId = existing.id
          await s.updateMeeting(meetingId, fields)
        } else {
          meetingId = (await s.insertMeeting({ ...fields, body_id: bodyId, source: 'moderngov', external_id: meeting.externalId, created_by: actorId(ctx) })).id
        }
        let added = 0
        let updated = 0
        let documents = 0
        let position = await s.nextAgendaPosition(meetingId)
        for (const [index, item] of meeting.items.entries()) {
          const externalId = item.externalId ?? `position-${index + 1}`
          const found = await s.agendaItemByExternalId(meetingId, externalId)
          let agendaItemId: string
          if (found) {
            await s.updateAgendaItem(found.id, { number: item.number, title: item.title, restricted: item.restricted, minutes: item.minutes })
            agendaItemId = found.id
            updated++
          } else {
            agendaItemId = (await s.insertAgendaItem({ meeting_id: meetingId, position: position++, number: item.number, title: item.title, restricted: item.restricted, minutes: item.minutes, external_id: externalId })).id
            added++
          }
          for (const doc of item.documents) {
            if (!doc.url || (await s.fileByUrl(agendaItemId, doc.url))) continue
            await s.insertFile({ agenda_item_id: agendaItemId, body_id: null, event_id: null, kind: 'report', title: doc.title, filename: null, content_type: null, size_bytes: null, content: null, url: doc.url, restricted: doc.restricted || item.restricted, uploaded_by: actorId(ctx) })
            documents++
          }
        }
        await audit.record(ctx, { action: 'import', recordType: 'scrutiny_meeting', recordId: meetingId, details: { source: 'moderngov', externalId: meeting.externalId, added, updated, documents } }, trx)
        return { meetingId, created: !existing, added, updated, documents, restricted: meeting.items.filter((i) => i.restricted).length }
      })
      return { ok: true, value: result }
    },
  }
}
