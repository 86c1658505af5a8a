import { sql, type Insertable } from 'kysely'
import { LOCAL_AUTHORITY_KINDS } from '../../db/areas.ts'
import type { Db } from '../../db/index.ts'
import type {
  PublicReportEventsTable,
  PublicReportImportsTable,
  PublicReportsTable,
  ReportChannel,
  TriageStatus,
  Urgency,
} from './tables.ts'

export type NewReport = Insertable<PublicReportsTable>

/** The triage state a change sets; fields left out are unchanged. */
export interface TriagePatch {
  status?: TriageStatus
  urgency?: Urgency | null
  assigned_to?: string | null
  closed_at?: Date | null
  closed_by?: string | null
  closing_summary?: string | null
  legal_hold_reason?: string | null
  legal_hold_by?: string | null
  legal_hold_at?: Date | null
}

export interface QueueFilter {
  view: 'new' | 'open' | 'mine' | 'closed' | 'all'
  area?: string
  urgency?: Urgency
  channel?: ReportChannel
}

/** Not yet graded first (someone needs to read it), then by urgency. */
const URGENCY_RANK = sql<number>`case t.urgency when 'immediate' then 1 when 'high' then 2 when 'medium' then 3 when 'low' then 4 else 0 end`

/** SQL for public reports and their triage. Nothing here checks permissions: the services do. */
export function reportsStore(db: Db) {
  return {
    /**
     * Saves an online report once per journey token: a second submission of the same journey
     * (a double click, a retry after a timeout) finds the first and returns its reference.
     */
    async insertOnce(row: NewReport & { journey_token: string }): Promise<{ reference: string; created: boolean }> {
      const inserted = await db
        .insertInto('public_reports')
        .values(row)
        .onConflict((oc) => oc.column('journey_token').doNothing())
        .returning('reference')
        .executeTakeFirst()
      if (inserted) return { reference: inserted.reference, created: true }
      const existing = await db.selectFrom('public_reports').select('reference').where('journey_token', '=', row.journey_token).executeTakeFirstOrThrow()
      return { reference: existing.reference, created: false }
    },

    /** The areas a reporter can choose from: the partnership's own local authorities, never a neighbour. */
    areaOptions: () =>
      db.selectFrom('areas').select(['id', 'name', 'code']).where('kind', 'in', LOCAL_AUTHORITY_KINDS).where('in_partnership', '=', true).orderBy('name').execute(),

    areas: () => db.selectFrom('areas').select(['id', 'name', 'code', 'kind']).orderBy('name').execute(),

    async queue(filter: QueueFilter, userId: string, limit: number, offset: number) {
      let q = db
        .selectFrom('public_reports as r')
        .leftJoin('public_report_triage as t', 't.report_id', 'r.id')
        .leftJoin('areas as a', 'a.id', 'r.area_id')
        .leftJoin('users as u', 'u.id', 't.assigned_to')
      q = applyFilter(q, filter, userId)
      const [rows, total] = await Promise.all([
        q
          .select([
            'r.id',
            'r.reference',
            'r.channel',
            'r.received_on',
            'r.what_happened',
            'r.where_happened',
            'r.child_at_risk',
            'r.when_happened',
            'r.anonymous',
            'a.name as area_name',
            sql<TriageStatus>`coalesce(t.status, 'new')`.as('status'),
            't.urgency',
            'u.name as assigned_name',
          ])
          .orderBy(filter.view === 'closed' ? sql`t.closed_at` : URGENCY_RANK, filter.view === 'closed' ? 'desc' : 'asc')
          .orderBy('r.received_on', 'desc')
          .orderBy('r.reference')
          .limit(limit)
          .offset(offset)
          .execute(),
        q.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow(),
      ])
      return { rows, total: Number(total.n) }
    },

    /** The queue in the list's order, every matching row, a thousand at a time, for the CSV export. */
    async *exportRows(filter: QueueFilter, userId: string) {
      const base = applyFilter(
        db
          .selectFrom('public_reports as r')
          .leftJoin('public_report_triage as t', 't.report_id', 'r.id')
          .leftJoin('areas as a', 'a.id', 'r.area_id')
          .leftJoin('users as u', 'u.id', 't.assigned_to'),
        filter,
        userId,
      )
        .select([
          'r.reference',
          sql<string>`r.received_on::text`.as('received_on'),
          'r.channel',
          'r.external_reference',
          'a.name as area_name',
          sql<TriageStatus>`coalesce(t.status, 'new')`.as('status'),
          't.urgency',
          'u.name as assigned_name',
          'r.child_at_risk',
          'r.when_happened',
          'r.when_detail',
          'r.what_happened',
          'r.where_happened',
          'r.who_involved',
          'r.anything_else',
          'r.anonymous',
          't.closed_at',
          sql<boolean>`t.legal_hold_at is not null`.as('legal_hold'),
        ])
        .orderBy(filter.view === 'closed' ? sql`t.closed_at` : URGENCY_RANK, filter.view === 'closed' ? 'desc' : 'asc')
        .orderBy('r.received_on', 'desc')
        .orderBy('r.reference')
      for (let offset = 0; ; offset += 1000) {
        const rows = await base.limit(1000).offset(offset).execute()
        if (rows.length) yield rows
        if (rows.length < 1000) return
      }
    },

    /**
     * Reports received from `from` to `to` by month and by area, with their triage state: counts
     * only, for roles whose work is aggregates.
     */
    async summaryCounts(from: string, to: string) {
      const { rows } = await sql<{ month: string; area_name: string | null; received: number; child_at_risk: number; open: number; closed: number }>`
        select to_char(date_trunc('month', r.received_on), 'YYYY-MM') as month, a.name as area_name,
               count(*)::int as received,
               count(*) filter (where r.child_at_risk = 'yes')::int as child_at_risk,
               count(*) filter (where t.status is distinct from 'closed')::int as open,
               count(*) filter (where t.status = 'closed')::int as closed
          from public_reports r
          left join public_report_triage t on t.report_id = r.id
          left join areas a on a.id = r.area_id
         where r.received_on between ${from}::date and ${to}::date
         group by 1, 2
         order by 1, 2 nulls last`.execute(db)
      return rows.map((r) => ({ ...r, received: Number(r.received), child_at_risk: Number(r.child_at_risk), open: Number(r.open), closed: Number(r.closed) }))
    },

    /** The newest reports as a summary: when, how, where and how far triage has got; never their words, the reporter or links. */
    recentSummaries: (limit: number) =>
      db
        .selectFrom('public_reports as r')
        .leftJoin('public_report_triage as t', 't.report_id', 'r.id')
        .leftJoin('areas as a', 'a.id', 'r.area_id')
        .select(['r.received_on', 'r.channel', 'a.name as area_name', 'r.child_at_risk', sql<TriageStatus>`coalesce(t.status, 'new')`.as('status'), 't.urgency'])
        .orderBy('r.received_on', 'desc')
        .orderBy('r.id')
        .limit(limit)
        .execute(),

    async queueCounts(userId: string) {
      const row = await db
        .selectFrom('public_reports as r')
        .leftJoin('public_report_triage as t', 't.report_id', 'r.id')
        .select([
          sql<number>`count(*) filter (where t.status is null or t.status = 'new')`.as('new'),
          sql<number>`count(*) filter (where t.status is distinct from 'closed')`.as('open'),
          sql<number>`count(*) filter (where t.status <> 'closed' and t.assigned_to = ${userId})`.as('mine'),
          sql<number>`count(*) filter (where t.status = 'closed')`.as('closed'),
          sql<number>`count(*)`.as('all'),
        ])
        .executeTakeFirstOrThrow()
      return { new: Number(row.new), open: Number(row.open), mine: Number(row.mine), closed: Number(row.closed), all: Number(row.all) }
    },

    report: (id: string) =>
      db
        .selectFrom('public_reports as r')
        .leftJoin('public_report_triage as t', 't.report_id', 'r.id')
        .leftJoin('areas as a', 'a.id', 'r.area_id')
        .leftJoin('users as u', 'u.id', 't.assigned_to')
        .leftJoin('users as c', 'c.id', 't.closed_by')
        .leftJoin('public_report_imports as i', 'i.id', 'r.import_id')
        .selectAll('r')
        .select([
          'a.name as area_name',
          sql<TriageStatus>`coalesce(t.status, 'new')`.as('status'),
          't.urgency',
          't.assigned_to',
          'u.name as assigned_name',
          't.closed_at',
          't.closing_summary',
          'c.name as closed_by_name',
          'i.file_name as import_file_name',
        ])
        .where('r.id', '=', id)
        .executeTakeFirst(),

    events: (reportId: string) =>
      db
        .selectFrom('public_report_events as e')
        .leftJoin('users as u', 'u.id', 'e.user_id')
        .select(['e.id', 'e.kind', 'e.at', 'e.urgency', 'e.action', 'e.note', 'e.details', 'u.name as user_name'])
        .where('e.report_id', '=', reportId)
        .orderBy('e.at', 'desc')
        .orderBy('e.id', 'desc')
        .execute(),

    links: (reportId: string) =>
      db
        .selectFrom('public_report_links as l')
        .leftJoin('users as u', 'u.id', 'l.created_by')
        .select(['l.id', 'l.entity_type', 'l.entity_id', 'l.note', 'l.created_at', 'u.name as created_by_name'])
        .where('l.report_id', '=', reportId)
        .where('l.removed_at', 'is', null)
        .orderBy('l.created_at')
        .execute(),

    link: (linkId: string) => db.selectFrom('public_report_links').selectAll().where('id', '=', linkId).executeTakeFirst(),

    /** Staff who may triage: anyone active whose role holds reports:triage. */
    triageUsers: () =>
      db
        .selectFrom('users')
        .innerJoin('role_permissions as rp', 'rp.role_id', 'users.role')
        .innerJoin('agencies', 'agencies.id', 'users.agency_id')
        .select(['users.id', 'users.name', 'agencies.short_name as agency'])
        .where('rp.permission', '=', 'reports:triage')
        .where('users.active', '=', true)
        .orderBy('users.name')
        .execute(),

    async upsertTriage(executor: Db, reportId: string, patch: TriagePatch, userId: string) {
      await executor
        .insertInto('public_report_triage')
        .values({ report_id: reportId, status: 'in_progress', ...patch, updated_by: userId, updated_at: sql`now()` } as never)
        .onConflict((oc) => oc.column('report_id').doUpdateSet({ ...patch, updated_by: userId, updated_at: sql`now()` } as never))
        .execute()
    },

    insertEvent: (executor: Db, event: Insertable<PublicReportEventsTable>) => executor.insertInto('public_report_events').values(event).execute(),

    insertLink: (executor: Db, link: { report_id: string; entity_type: string; entity_id: string; note: string | null; created_by: string }) =>
      executor.insertInto('public_report_links').values(link).execute(),

    removeLink: (executor: Db, linkId: string, removal: { removed_at: Date; removed_by: string; removed_reason: string }) =>
      executor.updateTable('public_report_links').set(removal).where('id', '=', linkId).execute(),

    insertImport: (executor: Db, batch: Insertable<PublicReportImportsTable>) =>
      executor.insertInto('public_report_imports').values(batch).returning('id').executeTakeFirstOrThrow(),

    insertReports: (executor: Db, rows: NewReport[]) => executor.insertInto('public_reports').values(rows).execute(),

    countActions: async (reportId: string) => {
      const row = await db
        .selectFrom('public_report_events')
        .select(sql<number>`count(*)`.as('n'))
        .where('report_id', '=', reportId)
        .where('kind', '=', 'action')
        .executeTakeFirstOrThrow()
      return Number(row.n)
    },

    existingExternalReferences: async (channel: string, refs: string[]) => {
      if (!refs.length) return new Set<string>()
      const rows = await db
        .selectFrom('public_reports')
        .select('external_reference')
        .where('channel', '=', channel as ReportChannel)
        .where('external_reference', 'in', refs)
        .execute()
      return new Set(rows.map((r) => r.external_reference!))
    },

    referencesTaken: async (refs: string[]) => {
      if (!refs.length) return new Set<string>()
      const rows = await db.selectFrom('public_reports').select('reference').where('reference', 'in', refs).execute()
      return new Set(rows.map((r) => r.reference))
    },

    /** How many distinct reports are linked to one record, for "reported by the public N times". */
    async reportCountsFor(entityType: string, entityId: string) {
      const row = await db
        .selectFrom('public_report_links as l')
        .innerJoin('public_reports as r', 'r.id', 'l.report_id')
        .select([sql<number>`count(distinct l.report_id)`.as('n'), sql<string | null>`max(r.received_on)::text`.as('latest')])
        .where('l.entity_type', '=', entityType)
        .where('l.entity_id', '=', entityId)
        .where('l.removed_at', 'is', null)
        .executeTakeFirstOrThrow()
      return { count: Number(row.n), latestReceivedOn: row.latest }
    },

    /** The day each report still linked to one of these records was received, a row per report and record. */
    reportDatesFor: (entityType: string, entityIds: readonly string[]) =>
      entityIds.length
        ? db
            .selectFrom('public_report_links as l')
            .innerJoin('public_reports as r', 'r.id', 'l.report_id')
            .select(['l.entity_id', sql<string>`r.received_on::text`.as('received_on')])
            .distinct()
            .where('l.entity_type', '=', entityType)
            .where('l.entity_id', 'in', entityIds)
            .where('l.removed_at', 'is', null)
            .execute()
        : Promise.resolve([]),

    /**
     * Reports received per area and calendar month (area null: not known or outside the
     * partnership), counting reports deleted at the end of their retention from the counts kept
     * for them, so a purge leaves every month as it was. Those are kept by month, so `from` and
     * `to` take in the whole month of a deleted report.
     */
    async monthlyReportCounts(options: { from?: string; to?: string } = {}) {
      const live = sql`select area_id, date_trunc('month', received_on)::date as month, 1 as n from public_reports
        where (${options.from ?? null}::date is null or received_on >= ${options.from ?? null}::date)
          and (${options.to ?? null}::date is null or received_on <= ${options.to ?? null}::date)`
      const kept = sql`select area_id, month, reports as n from public_report_retained_counts
        where (${options.from ?? null}::date is null or month >= date_trunc('month', ${options.from ?? null}::date))
          and (${options.to ?? null}::date is null or month <= ${options.to ?? null}::date)`
      const { rows } = await sql<{ area_id: string | null; month: string; count: number }>`
        select area_id, to_char(month, 'YYYY-MM') as month, sum(n)::int as count
        from (${live} union all ${kept}) as counted
        group by area_id, month
        order by month, area_id`.execute(db)
      return rows.map((r) => ({ area_id: r.area_id, month: r.month, count: Number(r.count) }))
    },
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function applyFilter<Q extends { where: (...args: any[]) => Q }>(q: Q, filter: QueueFilter, userId: string): Q {
  let out = q
  if (filter.view === 'new') out = out.where(sql<boolean>`coalesce(t.status, 'new') = 'new'`)
  if (filter.view === 'open') out = out.where(sql<boolean>`t.status is distinct from 'closed'`)
  if (filter.view === 'mine') out = out.where(sql<boolean>`t.status <> 'closed' and t.assigned_to = ${userId}`)
  if (filter.view === 'closed') out = out.where(sql<boolean>`t.status = 'closed'`)
  if (filter.area) out = out.where(sql<boolean>`r.area_id = ${filter.area}`)
  if (filter.urgency) out = out.where(sql<boolean>`t.urgency = ${filter.urgency}`)
  if (filter.channel) out = out.where(sql<boolean>`r.channel = ${filter.channel}`)
  return out
}

export type ReportsStore = ReturnType<typeof reportsStore>
