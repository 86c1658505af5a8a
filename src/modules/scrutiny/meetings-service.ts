import type { z } from 'zod'
import type { RequestContext } from '../../kernel/context.ts'
import { NotFoundError } from '../../kernel/errors.ts'
import { scrutinyStore } from './store.ts'
import { decorate } from './decorate.ts'
import { fail, type Result } from '../../kernel/form-errors.ts'
import type { ScrutinyCore } from './service-core.ts'
import { formatLongDate } from './domain.ts'
import type { agendaItemSchema, meetingSchema, minutesSchema } from './schemas.ts'

/** A body's meetings and their agenda: what was on it, and what is restricted. */
export function meetingsService(core: ScrutinyCore) {
  const { db, access, audit } = core.deps
  const { store, today, user, visibility, mayOnBody, authoriseOnBody, bodyOr404 } = core
  return {
    async meeting(ctx: RequestContext, id: string) {
      await access.authorise(ctx, 'scrutiny:view')
      const meeting = await store.meeting(id)
      if (!meeting) throw new NotFoundError()
      const body = await bodyOr404(meeting.body_id)
      const agenda = await store.agendaItems(id)
      const files = await store.filesFor({ agendaItemIds: agenda.map((a) => a.id) })
      const canEdit = await mayOnBody(ctx, 'scrutiny:edit', body)
      const seesRestricted = canEdit || body.agency_id === ctx.user!.agencyId
      const visibleAgenda = agenda.filter((a) => !a.restricted || seesRestricted)
      const day = today()
      const items = (await store.tracker({ meetingId: id }, visibility(ctx), day)).map((r) => decorate(r, day))
      return {
        body,
        meeting,
        agenda: visibleAgenda.map((a) => ({ ...a, files: files.filter((f) => f.agenda_item_id === a.id) })),
        hiddenRestricted: agenda.length - visibleAgenda.length,
        items,
        canEdit,
        today: day,
      }
    },

    async createMeeting(ctx: RequestContext, bodyId: string, input: z.infer<typeof meetingSchema>): Promise<Result<string>> {
      const body = await bodyOr404(bodyId)
      await authoriseOnBody(ctx, 'scrutiny:edit', body)
      const id = await db.transaction().execute(async (trx) => {
        const row = await scrutinyStore(trx).insertMeeting({
          body_id: bodyId,
          title: input.title,
          meeting_date: input.meetingDate,
          meeting_time: input.meetingTime ?? null,
          location: input.location ?? '',
          status: input.status,
          created_by: user(ctx).id,
        })
        await audit.record(ctx, { action: 'create', recordType: 'scrutiny_meeting', recordId: row.id, details: { bodyId, date: input.meetingDate } }, trx)
        return row.id
      })
      return { ok: true, value: id }
    },

    /** Changes a meeting's details, status and minutes. A new date may not fall after anything already sent or due from it. */
    async updateMeeting(ctx: RequestContext, meetingId: string, input: z.infer<typeof minutesSchema>): Promise<Result<string>> {
      const meeting = await store.meeting(meetingId)
      if (!meeting) throw new NotFoundError()
      await authoriseOnBody(ctx, 'scrutiny:edit', await bodyOr404(meeting.body_id))
      if (input.meetingDate !== meeting.meeting_date) {
        const items = await store.tracker({ meetingId }, visibility(ctx), today())
        const earliest = items.flatMap((i) => [i.sent_on, i.response_due, i.first_response_on].filter((d): d is string => Boolean(d))).sort()[0]
        if (earliest && input.meetingDate > earliest) {
          return fail('meetingDate', `The date of the meeting must be on or before ${formatLongDate(earliest)}, when something made at it was already sent, due or answered`)
        }
        if (input.status === 'held' && input.meetingDate > today()) return fail('meetingDate', 'A meeting that has been held must have a date today or in the past')
      }
      await db.transaction().execute(async (trx) => {
        await scrutinyStore(trx).updateMeeting(meetingId, {
          title: input.title,
          meeting_date: input.meetingDate,
          meeting_time: input.meetingTime ?? null,
          location: input.location ?? '',
          status: input.status,
          minutes: input.minutes ?? '',
          minutes_published: input.minutesPublished,
        })
        await audit.record(
          ctx,
          { action: 'update', recordType: 'scrutiny_meeting', recordId: meetingId, details: { from: { date: meeting.meeting_date, status: meeting.status }, to: { date: input.meetingDate, status: input.status }, minutesPublished: input.minutesPublished } },
          trx,
        )
      })
      return { ok: true, value: meetingId }
    },

    async addAgendaItem(ctx: RequestContext, meetingId: string, input: z.infer<typeof agendaItemSchema>): Promise<Result<string>> {
      const meeting = await store.meeting(meetingId)
      if (!meeting) throw new NotFoundError()
      await authoriseOnBody(ctx, 'scrutiny:edit', await bodyOr404(meeting.body_id))
      const id = await db.transaction().execute(async (trx) => {
        const s = scrutinyStore(trx)
        const position = await s.nextAgendaPosition(meetingId)
        const row = await s.insertAgendaItem({
          meeting_id: meetingId,
          position,
          number: input.number ?? String(position),
          title: input.title,
          description: input.description ?? '',
          restricted: input.restricted,
          external_id: null,
        })
        await audit.record(ctx, { action: 'create', recordType: 'scrutiny_agenda_item', recordId: row.id, details: { meetingId, restricted: input.restricted } }, trx)
        return row.id
      })
      return { ok: true, value: id }
    },
  }
}
export type MeetingsService = ReturnType<typeof meetingsService>
