import type { z } from 'zod'
import type { Db } from '../../db/index.ts'
import type { ModuleDeps } from '../types.ts'
import type { RequestContext } from '../../kernel/context.ts'
import { ConflictError, NotFoundError } from '../../kernel/errors.ts'
import { formErrors } from '../../kernel/form-errors.ts'
import { daysBetween, formatLongDate, formatReference, pastDue, workTimeliness, WORK_STATUSES } from './domain.ts'
import { scrutinyStore } from './store.ts'
import { strategyStore } from './strategy-store.ts'
import { fail, type Result, type ScrutinyService } from './service.ts'
import type { deliveredSchema, prioritySchema, reportDueSchema, workItemSchema, workUpdateSchema } from './schemas.ts'

export function reportTimeliness(r: { due_date: string; delivered_on: string | null }, day: string) {
  const overdue = pastDue(r.due_date, !r.delivered_on, day)
  return {
    overdue,
    daysOverdue: overdue ? daysBetween(r.due_date, day) : 0,
    dueIn: !r.delivered_on && !overdue ? daysBetween(day, r.due_date) : null,
    deliveredLate: Boolean(r.delivered_on && r.delivered_on > r.due_date),
  }
}

/** Everything the work programme page shows, for staff and (for a public body) for everyone. */
export async function programme(db: Db, bodyId: string, day: string) {
  const s = strategyStore(db)
  const [priorities, work, reports, files] = await Promise.all([s.priorities(bodyId), s.workItems(bodyId), s.reportsDue(bodyId), scrutinyStore(db).filesFor({ bodyId })])
  return {
    priorities,
    work: work.map((w) => ({ ...w, ...workTimeliness(w, day), statusText: WORK_STATUSES.find((x) => x.value === w.status)?.text ?? w.status })),
    owed: reports
      .filter((r) => r.from_body_id === bodyId)
      .map((r) => ({ ...r, ...reportTimeliness(r, day), itemReference: r.item_kind ? formatReference(r.to_body_code, r.item_year!, r.item_kind, r.item_number!) : null })),
    expected: reports
      .filter((r) => r.to_body_id === bodyId)
      .map((r) => ({ ...r, ...reportTimeliness(r, day), itemReference: r.item_kind ? formatReference(r.to_body_code, r.item_year!, r.item_kind, r.item_number!) : null })),
    assessments: files.filter((f) => f.kind === 'strategic_assessment'),
    files,
  }
}

export function strategyService(deps: ModuleDeps, scrutiny: ScrutinyService) {
  const { db, access, audit, clock } = deps
  const today = () => clock.today()
  const store = strategyStore(db)

  async function bodyFor(ctx: RequestContext, bodyId: string, edit: boolean) {
    await access.authorise(ctx, 'scrutiny:view')
    const body = await scrutiny.store.body(bodyId)
    if (!body) throw new NotFoundError()
    if (edit) await scrutiny.authoriseOnBody(ctx, 'scrutiny:edit', body)
    return body
  }

  return {
    async page(ctx: RequestContext, bodyId: string) {
      const body = await bodyFor(ctx, bodyId, false)
      const day = today()
      return {
        body,
        ...(await programme(db, bodyId, day)),
        bodies: (await scrutiny.store.bodies(false)).filter((b) => b.id !== bodyId),
        agencies: await scrutiny.store.agencies(),
        canEdit: await scrutiny.mayOnBody(ctx, 'scrutiny:edit', body),
        today: day,
      }
    },

    async addPriority(ctx: RequestContext, bodyId: string, input: z.infer<typeof prioritySchema>) {
      await bodyFor(ctx, bodyId, true)
      await db.transaction().execute(async (trx) => {
        const row = await strategyStore(trx).insertPriority({ body_id: bodyId, title: input.title, description: input.description ?? '' })
        await audit.record(ctx, { action: 'create', recordType: 'scrutiny_priority', recordId: row.id, details: { bodyId } }, trx)
      })
    },

    async addWorkItem(ctx: RequestContext, bodyId: string, input: z.infer<typeof workItemSchema>): Promise<Result<string>> {
      await bodyFor(ctx, bodyId, true)
      if (input.priorityId) {
        const p = await store.priority(input.priorityId)
        if (!p || p.body_id !== bodyId) return fail('priorityId', 'Select a priority of this group')
      }
      const id = await db.transaction().execute(async (trx) => {
        const row = await strategyStore(trx).insertWorkItem({
          body_id: bodyId,
          priority_id: input.priorityId ?? null,
          title: input.title,
          description: input.description ?? '',
          owner: input.owner,
          owner_agency_id: input.ownerAgencyId ?? null,
          start_date: input.startDate ?? null,
          due_date: input.dueDate ?? null,
          status: input.status,
          rag: input.rag,
          updated_by: ctx.user!.id,
        })
        await audit.record(ctx, { action: 'create', recordType: 'scrutiny_work_item', recordId: row.id, details: { bodyId } }, trx)
        return row.id
      })
      return { ok: true, value: id }
    },

    async updateWorkItem(ctx: RequestContext, bodyId: string, workId: string, input: z.infer<typeof workUpdateSchema>): Promise<Result<string>> {
      await bodyFor(ctx, bodyId, true)
      const work = await store.workItem(workId)
      if (!work || work.body_id !== bodyId) throw new NotFoundError()
      if (input.dueDate && work.start_date && input.dueDate < work.start_date) {
        return fail(`dueDate`, `The due date must be the same as or after the start date, ${formatLongDate(work.start_date)}`)
      }
      await db.transaction().execute(async (trx) => {
        const ok = await strategyStore(trx).updateWorkItem(workId, input.version, {
          status: input.status,
          rag: input.rag,
          due_date: input.dueDate ?? work.due_date,
          progress_note: input.progressNote ?? '',
          updated_by: ctx.user!.id,
        })
        if (!ok) throw new ConflictError('Someone else updated this work item while you were editing it. Look at it again and try again.')
        await audit.record(ctx, { action: 'update', recordType: 'scrutiny_work_item', recordId: workId, details: { from: { status: work.status, rag: work.rag }, to: { status: input.status, rag: input.rag } } }, trx)
      })
      return { ok: true, value: workId }
    },

    async addReportDue(ctx: RequestContext, bodyId: string, input: z.infer<typeof reportDueSchema>): Promise<Result<string>> {
      await bodyFor(ctx, bodyId, true)
      const issues: { field: string; message: string }[] = []
      const to = await scrutiny.store.body(input.toBodyId)
      if (!to || to.id === bodyId) issues.push({ field: 'toBodyId', message: 'Select the committee the update is due to' })
      if (input.itemId) {
        const item = await scrutiny.store.itemRow(input.itemId)
        if (!item || item.body_id !== input.toBodyId) issues.push({ field: 'itemId', message: 'Select a resolution of that committee' })
      }
      if (issues.length) return { ok: false, errors: formErrors(issues) }
      const id = await db.transaction().execute(async (trx) => {
        const row = await strategyStore(trx).insertReportDue({
          from_body_id: bodyId,
          to_body_id: input.toBodyId,
          item_id: input.itemId ?? null,
          title: input.title,
          due_date: input.reportDueDate,
          note: input.note ?? '',
          created_by: ctx.user!.id,
        })
        await audit.record(ctx, { action: 'create', recordType: 'scrutiny_report_due', recordId: row.id, details: { bodyId, toBodyId: input.toBodyId, dueDate: input.reportDueDate } }, trx)
        return row.id
      })
      return { ok: true, value: id }
    },

    async markDelivered(ctx: RequestContext, bodyId: string, reportId: string, input: z.infer<typeof deliveredSchema>): Promise<Result<string>> {
      await bodyFor(ctx, bodyId, true)
      const report = await store.reportDue(reportId)
      if (!report || report.from_body_id !== bodyId) throw new NotFoundError()
      if (input.deliveredOn > today()) return fail(`deliveredOn`, 'The date it was delivered must be today or in the past')
      if (input.meetingId) {
        const m = await scrutiny.store.meeting(input.meetingId)
        if (!m || m.body_id !== report.to_body_id) return fail('meetingId', 'Select a meeting of the committee it was due to')
      }
      await db.transaction().execute(async (trx) => {
        await strategyStore(trx).markDelivered(reportId, input.deliveredOn, input.meetingId ?? null)
        await audit.record(ctx, { action: 'update', recordType: 'scrutiny_report_due', recordId: reportId, details: { deliveredOn: input.deliveredOn } }, trx)
      })
      return { ok: true, value: reportId }
    },
  }
}

export type StrategyService = ReturnType<typeof strategyService>
