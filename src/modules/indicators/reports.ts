import { sql } from 'kysely'
import { londonMonth } from '../../kernel/london.ts'
import type { ModuleDeps } from '../types.ts'
import type { Db } from '../../db/index.ts'
import type { RequestContext } from '../../kernel/context.ts'
import { ForbiddenError, NotFoundError } from '../../kernel/errors.ts'
import { formErrors, type FormErrors, type Result } from '../../kernel/form-errors.ts'
import { buildReportContent, type ReportContent } from './report-content.ts'
import { addMonths } from './periods.ts'
import type { PerformanceReport } from './tables.ts'

export interface ReportInput {
  title: string
  meeting: string | null
  areaId: string
  periodFrom: string
  periodTo: string
  commentary: string | null
}

const isUuid = (id: string) => /^[0-9a-f-]{36}$/.test(id)

export function reportsStore(db: Db) {
  return {
    list: (statuses: PerformanceReport['status'][]) =>
      db
        .selectFrom('performance_reports')
        .innerJoin('areas', 'areas.id', 'performance_reports.area_id')
        .select([
          'performance_reports.id',
          'performance_reports.title',
          'performance_reports.meeting',
          'performance_reports.status',
          'performance_reports.period_from',
          'performance_reports.period_to',
          'performance_reports.published_at',
          'performance_reports.updated_at',
          'areas.name as area_name',
        ])
        .where('performance_reports.status', 'in', statuses)
        .orderBy(sql`coalesce(performance_reports.published_at, performance_reports.updated_at)`, 'desc')
        .execute(),
    byId: (id: string) => db.selectFrom('performance_reports').selectAll().where('id', '=', id).executeTakeFirst(),
  }
}

/**
 * Performance reports for panel meetings. Drafts are for those who publish; published reports are
 * frozen snapshots, readable by every signed-in user with indicators:view and by the public.
 */
export function reportsService(deps: ModuleDeps) {
  const { db, access, audit } = deps
  const store = reportsStore(db)
  const { clock } = deps
  const today = () => clock.today()

  async function reportOr404(id: string) {
    const report = isUuid(id) ? await store.byId(id) : undefined
    if (!report) throw new NotFoundError()
    return report
  }

  async function check(input: ReportInput): Promise<FormErrors | null> {
    const issues: { field: string; message: string }[] = []
    if (!(await db.selectFrom('areas').select('id').where('id', '=', input.areaId).executeTakeFirst())) issues.push({ field: 'areaId', message: 'Select the area' })
    if (input.periodTo >= londonMonth(clock.now())) issues.push({ field: 'to', message: 'The last month must be a month that has ended' })
    if (input.periodFrom < addMonths(input.periodTo, -35)) issues.push({ field: 'from', message: 'A report covers at most 36 months' })
    return issues.length ? formErrors(issues) : null
  }

  async function content(report: PerformanceReport): Promise<ReportContent> {
    if (report.snapshot) return report.snapshot as ReportContent
    return buildReportContent(db, report, today())
  }

  return {
    today,
    async list(ctx: RequestContext) {
      await access.authorise(ctx, 'indicators:view')
      const canPublish = access.can(ctx, 'report:publish')
      return { reports: await store.list(canPublish ? ['draft', 'published', 'withdrawn'] : ['published']), canPublish }
    },
    async formOptions(ctx: RequestContext) {
      await access.authorise(ctx, 'report:publish')
      const areas = await db.selectFrom('areas').select(['id', 'name']).orderBy('name').execute()
      return { areas: areas.map((a) => ({ value: a.id, text: a.name })) }
    },
    /** A report as staff see it: drafts only for those who publish. */
    async view(ctx: RequestContext, id: string) {
      await access.authorise(ctx, 'indicators:view')
      const report = await reportOr404(id)
      const canPublish = access.can(ctx, 'report:publish')
      if (report.status !== 'published' && !canPublish) throw new NotFoundError()
      return { report, content: await content(report), canPublish }
    },
    async forEdit(ctx: RequestContext, id: string) {
      await access.authorise(ctx, 'report:publish')
      const report = await reportOr404(id)
      if (report.status !== 'draft') throw new ForbiddenError('A published report cannot be changed: withdraw it and draft a new one', { reason: 'role', canBreakGlass: false })
      return report
    },
    async save(ctx: RequestContext, input: ReportInput, id?: string): Promise<Result<string>> {
      await access.authorise(ctx, 'report:publish')
      if (id) await this.forEdit(ctx, id)
      const errors = await check(input)
      if (errors) return { ok: false, errors }
      const values = { title: input.title, meeting: input.meeting, area_id: input.areaId, period_from: input.periodFrom, period_to: input.periodTo, commentary: input.commentary }
      return db.transaction().execute(async (trx) => {
        const reportId = id
          ? (await trx.updateTable('performance_reports').set({ ...values, updated_at: sql`now()` }).where('id', '=', id).returning('id').executeTakeFirstOrThrow()).id
          : (await trx.insertInto('performance_reports').values({ ...values, created_by: ctx.user?.id ?? null }).returning('id').executeTakeFirstOrThrow()).id
        await audit.record(ctx, { action: id ? 'update' : 'create', recordType: 'performance-report', recordId: reportId }, trx)
        return { ok: true as const, value: reportId }
      })
    },
    /** Freezes the report as it reads today and makes it public. */
    async publish(ctx: RequestContext, id: string) {
      const report = await this.forEdit(ctx, id)
      const snapshot = await buildReportContent(db, report, today())
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('performance_reports')
          .set({ status: 'published', snapshot: JSON.stringify(snapshot), published_at: clock.now(), published_by: ctx.user?.id ?? null, updated_at: sql`now()` })
          .where('id', '=', id)
          .where('status', '=', 'draft')
          .execute()
        await audit.record(ctx, { action: 'publish', recordType: 'performance-report', recordId: id }, trx)
      })
    },
    async withdraw(ctx: RequestContext, id: string) {
      await access.authorise(ctx, 'report:publish')
      const report = await reportOr404(id)
      if (report.status !== 'published') throw new NotFoundError()
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('performance_reports').set({ status: 'withdrawn', updated_at: sql`now()` }).where('id', '=', id).execute()
        await audit.record(ctx, { action: 'withdraw', recordType: 'performance-report', recordId: id }, trx)
      })
    },
    /** Public: published reports only, no sign-in. */
    async published() {
      return store.list(['published'])
    },
    async publishedReport(id: string) {
      const report = isUuid(id) ? await store.byId(id) : undefined
      if (!report || report.status !== 'published' || !report.snapshot) throw new NotFoundError()
      return { report, content: report.snapshot as ReportContent }
    },
  }
}
