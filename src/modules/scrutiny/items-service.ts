import type { z } from 'zod'
import type { RequestContext } from '../../kernel/context.ts'
import { NotFoundError } from '../../kernel/errors.ts'
import { formErrors, type Result } from '../../kernel/form-errors.ts'
import { scrutinyStore } from './store.ts'
import { deliverPending, queueRequest } from './notifications.ts'
import { decorate } from './decorate.ts'
import type { ScrutinyCore } from './service-core.ts'
import type { MeetingsService } from './meetings-service.ts'
import { addDays, evidenceWording, formatLongDate, formatReference, municipalYear, responderStatusesFor, statusesFor } from './domain.ts'
import type { itemSchema } from './schemas.ts'

/** Resolutions, recommendations and requests: recorded at a meeting (and sent at once when asked), and read with their record. */
export function itemsService(core: ScrutinyCore, meetings: MeetingsService) {
  const { db, access, audit, config } = core.deps
  const { store, sender, today, mayOnBody, authoriseOnBody, bodyOr404, itemOr404, mayRespond, who } = core

  /** Queues the request email and tries to deliver it at once; failures stay in the outbox for the next run. */
  async function sendNow(itemId: string) {
    const day = today()
    const notificationId = await queueRequest(db, itemId, day, { baseUrl: config.publicBaseUrl })
    if (notificationId) await deliverPending(db, sender, day, { ids: [notificationId] })
  }

  return {
    sendNow,

    async newItemForm(ctx: RequestContext, meetingId: string) {
      const page = await meetings.meeting(ctx, meetingId)
      await authoriseOnBody(ctx, 'scrutiny:edit', page.body)
      return { ...page, agencies: await store.agencies() }
    },

    async createItem(ctx: RequestContext, meetingId: string, input: z.infer<typeof itemSchema>): Promise<Result<string>> {
      const meeting = await store.meeting(meetingId)
      if (!meeting) throw new NotFoundError()
      const body = await bodyOr404(meeting.body_id)
      await authoriseOnBody(ctx, 'scrutiny:edit', body)
      const issues: { field: string; message: string }[] = []
      const meetingDate = formatLongDate(meeting.meeting_date)
      if (input.sentOn && input.sentOn < meeting.meeting_date) issues.push({ field: 'sentOn', message: `The date it was sent must be the same as or after the meeting, ${meetingDate}` })
      if (input.sentOn && input.sentOn > today()) issues.push({ field: 'sentOn', message: 'The date it was sent must be today or in the past' })
      const year = municipalYear(meeting.meeting_date)
      // The body sets the period for a response: with no date given, it runs from sending (or the meeting).
      const due = input.responseDue ?? (input.kind === 'request' ? addDays(input.sentOn ?? meeting.meeting_date, body.response_days) : undefined)
      if (due && due < meeting.meeting_date) issues.push({ field: 'responseDue', message: `The date the response is due must be after the meeting, ${meetingDate}` })
      else if (due && input.sentOn && due < input.sentOn) issues.push({ field: 'responseDue', message: 'The date the response is due must be the same as or after the date it was sent' })
      let agendaRestricted = false
      if (input.agendaItemId) {
        const ai = await store.agendaItem(input.agendaItemId)
        if (!ai || ai.meeting_id !== meetingId) issues.push({ field: 'agendaItemId', message: 'Select an agenda item of this meeting' })
        else agendaRestricted = ai.restricted
      }
      if (input.number && (await store.numberTaken(body.id, year, input.kind, input.number))) {
        issues.push({ field: 'number', message: `${formatReference(body.code, year, input.kind, input.number)} already exists: leave the number blank to use the next one` })
      }
      if (issues.length) return { ok: false, errors: formErrors(issues) }

      const by = who(ctx)
      const addressee = input.addressee
      const id = await db.transaction().execute(async (trx) => {
        const s = scrutinyStore(trx)
        await s.lockBody(body.id)
        const number = input.number ?? (await s.nextNumber(body.id, year, input.kind))
        const row = await s.insertItem({
          body_id: body.id,
          meeting_id: meetingId,
          agenda_item_id: input.agendaItemId ?? null,
          kind: input.kind,
          request_type: input.kind === 'request' ? (input.requestType as 'information' | 'action') : null,
          municipal_year: year,
          number,
          title: input.title,
          text: input.text,
          addressee,
          addressee_agency_id: input.addresseeAgencyId ?? null,
          addressee_email: input.addresseeEmail ?? null,
          proposed_by: input.proposedBy ?? null,
          seconded_by: input.secondedBy ?? null,
          sent_on: input.sentOn ?? null,
          response_due: due ?? null,
          status: 'open',
          rag: null,
          restricted: input.restricted || agendaRestricted,
          status_changed_by: by.id,
          created_by: by.id,
        })
        await s.insertHistory({ item_id: row.id, status: 'open', rag: null, reason: null, note: 'Recorded', changed_by: by.id, changed_by_name: by.name, changed_by_agency: by.agency })
        await s.insertEvidence({ item_id: row.id, event: 'made', occurred_on: meeting.meeting_date, channel: 'meeting', counterpart: addressee, detail: `Made at the meeting: ${meeting.title}`, recorded_by: by.id, recorded_by_name: by.name })
        if (input.sentOn) {
          await s.insertEvidence({ item_id: row.id, event: 'sent', occurred_on: input.sentOn, channel: null, counterpart: input.addresseeEmail ?? addressee, detail: 'Recorded as sent when the item was recorded', recorded_by: by.id, recorded_by_name: by.name })
        }
        if (due) {
          await s.insertEvidence({
            item_id: row.id,
            event: 'due_set',
            occurred_on: today(),
            channel: null,
            counterpart: null,
            new_date: due,
            detail: input.responseDue ? `Response due by ${formatLongDate(due)}` : `Response due by ${formatLongDate(due)}: the body’s period of ${body.response_days} days`,
            recorded_by: by.id,
            recorded_by_name: by.name,
          })
        }
        await audit.record(ctx, { action: 'create', recordType: 'scrutiny_item', recordId: row.id, details: { bodyId: body.id, kind: input.kind, number, restricted: input.restricted || agendaRestricted } }, trx)
        return row.id
      })
      if (input.sendNow) await sendNow(id)
      return { ok: true, value: id }
    },

    async item(ctx: RequestContext, id: string) {
      await access.authorise(ctx, 'scrutiny:view')
      const row = await itemOr404(ctx, id)
      const body = await bodyOr404(row.body_id)
      const day = today()
      const [history, responses, evidence, notifications, canEdit, canRespond] = await Promise.all([
        store.history(id),
        store.responses(id),
        store.evidence(id),
        store.notificationsFor(id),
        mayOnBody(ctx, 'scrutiny:edit', body),
        mayRespond(ctx, row, body),
      ])
      if (row.restricted) await audit.record(ctx, { action: 'view', recordType: 'scrutiny_item', recordId: id, details: { restricted: true } })
      return {
        body,
        item: decorate(row, day),
        history,
        responses,
        evidence: evidence.map((e) => ({ ...e, ...evidenceWording(e) })),
        notifications,
        canEdit,
        canRespond,
        statuses: statusesFor(row.kind),
        responderStatuses: responderStatusesFor(row.kind),
        today: day,
      }
    },
  }
}
