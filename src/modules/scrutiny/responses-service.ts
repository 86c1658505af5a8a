import type { z } from 'zod'
import type { RequestContext } from '../../kernel/context.ts'
import { fail, formErrors, type Result } from '../../kernel/form-errors.ts'
import { scrutinyStore } from './store.ts'
import type { ItemStatus } from './tables.ts'
import type { ScrutinyCore } from './service-core.ts'
import { formatLongDate, responderStatusesFor } from './domain.ts'
import type { evidenceSchema, responseSchema } from './schemas.ts'

/** What came back: responses from the addressee and the evidence log of what was sent and when. */
export function responsesService(core: ScrutinyCore) {
  const { db, access, audit } = core.deps
  const { today, user, authoriseOnBody, bodyOr404, itemOr404, mayRespond, who } = core
  return {
    async recordResponse(ctx: RequestContext, id: string, input: z.infer<typeof responseSchema>): Promise<Result<string>> {
      const row = await itemOr404(ctx, id)
      const body = await bodyOr404(row.body_id)
      if (!(await mayRespond(ctx, row, body))) {
        await access.authorise(ctx, 'scrutiny:respond', { type: 'scrutiny_item', id, ownerAgencyId: row.addressee_agency_id ?? body.agency_id ?? '' })
      }
      const issues: { field: string; message: string }[] = []
      if (input.respondedOn > today()) issues.push({ field: 'respondedOn', message: 'The date of the response must be today or in the past' })
      if (input.respondedOn < row.meeting_date) issues.push({ field: 'respondedOn', message: `The date of the response must be the same as or after the meeting, ${formatLongDate(row.meeting_date)}` })
      if (input.position && !responderStatusesFor(row.kind).includes(input.position)) issues.push({ field: 'position', message: 'Select a position the addressee can take' })
      if (input.answers && row.kind !== 'request') issues.push({ field: 'answers', message: 'Only a request can be marked as answered' })
      if (issues.length) return { ok: false, errors: formErrors(issues) }
      const by = who(ctx)
      const responder = input.responder ?? by.agency
      await db.transaction().execute(async (trx) => {
        const s = scrutinyStore(trx)
        const response = await s.insertResponse({
          item_id: id,
          responded_on: input.respondedOn,
          text: input.text,
          responder,
          responder_agency_id: user(ctx).agencyId,
          answers: input.answers,
          recorded_by: by.id,
          recorded_by_name: by.name,
        })
        await s.insertEvidence({ item_id: id, event: 'response_received', occurred_on: input.respondedOn, channel: null, counterpart: responder, detail: `Response recorded by ${by.name} (${by.agency})`, recorded_by: by.id, recorded_by_name: by.name })
        let newStatus: ItemStatus | null = null
        let reason: string | null = null
        if (input.answers && row.kind === 'request') {
          await s.updateItem(id, { answered_on: row.answered_on ?? input.respondedOn })
          await s.insertEvidence({ item_id: id, event: 'answered', occurred_on: input.respondedOn, channel: null, counterpart: responder, detail: `Marked as answering the request by ${by.name}`, recorded_by: by.id, recorded_by_name: by.name })
          newStatus = 'answered'
        } else if (input.position) {
          newStatus = input.position
          reason = input.reason ?? null
        }
        if (newStatus && newStatus !== row.status) {
          const current = await s.itemRow(id)
          await s.setStatus(id, current!.version, { status: newStatus, status_reason: reason, rag: current!.rag, by: by.id })
          await s.insertHistory({
            item_id: id,
            status: newStatus,
            rag: current!.rag,
            reason,
            note: `Stated in the response of ${formatLongDate(input.respondedOn)}`,
            changed_by: by.id,
            changed_by_name: by.name,
            changed_by_agency: by.agency,
          })
        }
        await audit.record(ctx, { action: 'create', recordType: 'scrutiny_response', recordId: response.id, details: { itemId: id, answers: input.answers, position: input.position ?? null } }, trx)
      })
      return { ok: true, value: id }
    },

    async recordEvidence(ctx: RequestContext, id: string, input: z.infer<typeof evidenceSchema>): Promise<Result<string>> {
      const row = await itemOr404(ctx, id)
      const body = await bodyOr404(row.body_id)
      await authoriseOnBody(ctx, 'scrutiny:edit', body)
      if (input.occurredOn > today()) return fail('occurredOn', 'The date it happened must be today or in the past')
      if (input.occurredOn < row.meeting_date) return fail('occurredOn', `The date it happened must be the same as or after the meeting, ${formatLongDate(row.meeting_date)}`)
      if (input.event === 'sent' && row.response_due && input.occurredOn > row.response_due) {
        return fail('occurredOn', `The date it was sent must be on or before the date the response is due, ${formatLongDate(row.response_due)}`)
      }
      const by = who(ctx)
      await db.transaction().execute(async (trx) => {
        const s = scrutinyStore(trx)
        await s.insertEvidence({ item_id: id, event: input.event, occurred_on: input.occurredOn, channel: input.channel ?? null, counterpart: input.counterpart ?? null, detail: input.detail ?? null, recorded_by: by.id, recorded_by_name: by.name })
        if (input.event === 'sent' && !row.sent_on) await s.updateItem(id, { sent_on: input.occurredOn })
        await audit.record(ctx, { action: 'create', recordType: 'scrutiny_evidence', recordId: id, details: { event: input.event, occurredOn: input.occurredOn } }, trx)
      })
      return { ok: true, value: id }
    },
  }
}
