import type { z } from 'zod'
import type { RequestContext } from '../../kernel/context.ts'
import { ConflictError } from '../../kernel/errors.ts'
import { scrutinyStore } from './store.ts'
import { fail, type Result } from '../../kernel/form-errors.ts'
import type { ScrutinyCore } from './service-core.ts'
import { addDays, daysOverdue, dueDate, formatLongDate, kindLabel, reasonRequired, statusesFor } from './domain.ts'
import type { itemEditSchema, statusSchema } from './schemas.ts'

/** Corrections to an item and changes of its status and RAG, each kept on the record with who and why. */
export function itemChangesService(core: ScrutinyCore) {
  const { db, audit } = core.deps
  const { store, today, authoriseOnBody, bodyOr404, itemOr404, who } = core
  return {
    /**
     * Corrects an item's details. The reason is kept in the evidence log with what changed, and a
     * new due date is logged as such, so a moved deadline is never silent.
     */
    async updateItem(ctx: RequestContext, id: string, input: z.infer<typeof itemEditSchema>): Promise<Result<string>> {
      const row = await itemOr404(ctx, id)
      const body = await bodyOr404(row.body_id)
      await authoriseOnBody(ctx, 'scrutiny:edit', body)
      const due = input.responseDue ?? null
      if (due && due < row.meeting_date) return fail('responseDue', `The date the response is due must be after the meeting, ${formatLongDate(row.meeting_date)}`)
      if (due && row.sent_on && due < row.sent_on) return fail('responseDue', `The date the response is due must be the same as or after the date it was sent, ${formatLongDate(row.sent_on)}`)
      const agendaRestricted = row.agenda_item_id ? Boolean((await store.agendaItem(row.agenda_item_id))?.restricted) : false
      if (!input.restricted && agendaRestricted) return fail('restricted', 'It was made under a restricted agenda item, so it must stay restricted')
      const changed = (
        [
          ['title', row.title, input.title],
          ['wording', row.text, input.text],
          ['addressee', row.addressee, input.addressee],
          ['organisation', row.addressee_agency_id, input.addresseeAgencyId ?? null],
          ['email', row.addressee_email, input.addresseeEmail ?? null],
          ['proposer', row.proposed_by, input.proposedBy ?? null],
          ['seconder', row.seconded_by, input.secondedBy ?? null],
          ['due date', row.response_due, due],
          ['restricted', row.restricted, input.restricted],
        ] as [string, unknown, unknown][]
      ).filter(([, a, b]) => (a ?? null) !== (b ?? null))
      if (!changed.length) return fail('title', 'Nothing has changed')
      const by = who(ctx)
      await db.transaction().execute(async (trx) => {
        const s = scrutinyStore(trx)
        const current = await s.itemRow(id)
        if (!current || current.version !== input.version) throw new ConflictError('Someone else changed this item while you were editing it. Look at it again and try again.')
        await s.updateItem(id, {
          title: input.title,
          text: input.text,
          addressee: input.addressee,
          addressee_agency_id: input.addresseeAgencyId ?? null,
          addressee_email: input.addresseeEmail ?? null,
          proposed_by: input.proposedBy ?? null,
          seconded_by: input.secondedBy ?? null,
          response_due: due,
          restricted: input.restricted,
        })
        const list = changed.map(([what]) => what).join(', ')
        await s.insertEvidence({ item_id: id, event: 'note', occurred_on: today(), channel: null, counterpart: null, detail: `Details corrected (${list}): ${input.reason}`, recorded_by: by.id, recorded_by_name: by.name })
        if ((row.response_due ?? null) !== due) {
          const day = today()
          const before = dueDate(row)
          const lateBy = daysOverdue(row, day)
          const after = dueDate({ ...row, response_due: due })
          if (lateBy > 0) {
            // Moving the date ends this spell of being overdue; the spell itself stays on the record.
            await s.insertEvidence({
              item_id: id,
              event: 'became_overdue',
              occurred_on: addDays(before!, 1),
              channel: null,
              counterpart: null,
              previous_date: before,
              detail: `Overdue from ${formatLongDate(addDays(before!, 1))}: the response was due on ${formatLongDate(before!)} (${lateBy} day${lateBy === 1 ? '' : 's'} overdue when the date was moved)`,
              recorded_by: null,
              recorded_by_name: 'Lantern',
            })
            await s.insertHistory({
              item_id: id,
              status: row.status,
              rag: 'red',
              reason: input.reason,
              note: `Red: overdue by ${lateBy} day${lateBy === 1 ? '' : 's'} (due ${formatLongDate(before!)}) until the response date was moved${after ? ` to ${formatLongDate(after)}` : ''}`,
              changed_by: by.id,
              changed_by_name: by.name,
              changed_by_agency: by.agency,
            })
          }
          await s.insertEvidence({
            item_id: id,
            event: 'due_set',
            occurred_on: day,
            channel: null,
            counterpart: null,
            previous_date: before,
            new_date: after,
            reason: input.reason,
            detail: after ? `Response date changed ${before ? `from ${formatLongDate(before)} ` : ''}to ${formatLongDate(after)}` : `Response date removed (was ${formatLongDate(before!)})`,
            recorded_by: by.id,
            recorded_by_name: by.name,
          })
        }
        await audit.record(ctx, { action: 'update', recordType: 'scrutiny_item', recordId: id, reason: input.reason, details: { changed: changed.map(([what, from, to]) => ({ what, from: what === 'wording' ? undefined : from, to: what === 'wording' ? undefined : to })) } }, trx)
      })
      return { ok: true, value: id }
    },

    async updateStatus(ctx: RequestContext, id: string, input: z.infer<typeof statusSchema>): Promise<Result<string>> {
      const row = await itemOr404(ctx, id)
      const body = await bodyOr404(row.body_id)
      await authoriseOnBody(ctx, 'scrutiny:edit', body)
      if (!statusesFor(row.kind).includes(input.status)) return fail('status', `Select a status a ${kindLabel(row.kind, row.request_type).toLowerCase()} can have`)
      if (input.status === 'answered' && !row.answered_on) {
        return fail('status', 'To mark a request as answered, record the response that answered it, with its date')
      }
      if (input.status === row.status && input.rag === row.rag && !input.note && (input.reason ?? null) === (row.status_reason ?? null)) {
        return fail('status', 'Change the status or the RAG rating, or add a note for the record')
      }
      const by = who(ctx)
      await db.transaction().execute(async (trx) => {
        const s = scrutinyStore(trx)
        const reason = reasonRequired(input.status) || input.reason ? (input.reason ?? null) : null
        if (!(await s.setStatus(id, input.version, { status: input.status, status_reason: reason, rag: input.rag, by: by.id }))) {
          throw new ConflictError('Someone else changed this item while you were editing it. Look at its history and try again.')
        }
        await s.insertHistory({ item_id: id, status: input.status, rag: input.rag, reason, note: input.note ?? null, changed_by: by.id, changed_by_name: by.name, changed_by_agency: by.agency })
        await audit.record(ctx, { action: 'update', recordType: 'scrutiny_item', recordId: id, details: { from: { status: row.status, rag: row.rag }, to: { status: input.status, rag: input.rag } } }, trx)
      })
      return { ok: true, value: id }
    },
  }
}
