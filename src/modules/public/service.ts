import type { ModuleDeps } from '../types.ts'
import type { Clock } from '../../kernel/clock.ts'
import type { Db } from '../../db/index.ts'
import type { RequestContext } from '../../kernel/context.ts'
import { ConflictError, NotFoundError } from '../../kernel/errors.ts'
import { formErrors, type Result } from '../../kernel/form-errors.ts'
import { firstUnanswered, newReference, type Journey } from './journey.ts'
import { reportsStore, type QueueFilter, type ReportsStore } from './store.ts'
import type { ReportEventKind, TriageAction, Urgency } from './tables.ts'
import { linkTargets } from './links.ts'
import { parseImport, type ImportProblem } from './csv-import.ts'
import { retentionService } from './retention.ts'
import { followUpStore } from './follow-up-store.ts'
import { runAsOwner } from '../../db/scope.ts'

export type ReportsStoreFactory = (db: Db) => ReportsStore

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
/** The kinds of network entity a report links to: one "new entity" form makes any of them. */
const NETWORK_LINK_TYPES = ['location', 'line', 'vehicle']

const isUniqueViolation = (err: unknown, constraint: string) =>
  (err as { code?: string })?.code === '23505' && String((err as { constraint?: string; message?: string }).constraint ?? (err as Error).message).includes(constraint)

/** Thrown when a report could not be saved (the database is unavailable): the reporter may try again. */
export class SubmissionFailedError extends Error {}

/**
 * Taking a report from the public. No request context: nothing about the reporter's request is
 * passed in, so nothing about it can be stored. No audit event is written either — an audit row
 * would carry the precise time and the request id; the report itself is the record.
 */
export function reportSubmissionService(db: Db, clock: Clock, makeStore: ReportsStoreFactory = reportsStore) {
  const store = makeStore(db)
  return {
    areaOptions: () => store.areaOptions(),

    async isKnownArea(value: string) {
      if (value === 'elsewhere' || value === 'unknown') return true
      return (await store.areaOptions()).some((a) => a.id === value)
    },

    /**
     * Saves the journey's answers as a report, once: the journey token is unique, so sending the
     * same journey again returns the first report's reference.
     */
    async submit(journey: Journey): Promise<{ reference: string; created: boolean }> {
      if (firstUnanswered(journey)) throw new Error('The report is not complete')
      const a = journey.answers
      const anonymous = a.contact !== 'contact'
      for (let attempt = 0; ; attempt++) {
        try {
          // The visitor is nobody to row-level security (0920): the journey token, unique to their
          // journey, is their authority for the one report it saves and the reference it returns.
          return await runAsOwner('a visitor saves their own report, found again only by its journey token', () => store.insertOnce({
            reference: newReference(),
            journey_token: journey.token,
            channel: 'online',
            received_on: clock.today(),
            what_happened: a.what!,
            where_happened: a.where ?? null,
            area_id: a.area && a.area !== 'elsewhere' && a.area !== 'unknown' ? a.area : null,
            when_happened: a.when ?? null,
            when_detail: a.whenDetail ?? null,
            who_involved: a.who ?? null,
            child_at_risk: a.child ?? null,
            anything_else: a.anythingElse ?? null,
            anonymous,
            contact_name: anonymous ? null : (a.contactName ?? null),
            contact_phone: anonymous ? null : (a.contactPhone ?? null),
            contact_email: anonymous ? null : (a.contactEmail ?? null),
          }))
        } catch (err) {
          // A clash of random references is vanishingly rare; draw another.
          if (attempt < 5 && isUniqueViolation(err, 'reference')) continue
          throw new SubmissionFailedError('The report could not be saved', { cause: err })
        }
      }
    },
  }
}

/**
 * Aggregates other capabilities read: no names, no text, no permission needed beyond their own pages.
 * Read as the owner, since reports are triage staff's alone under row-level security (0920): the
 * caller has already decided that its user may see the record (or the area) counted.
 */
export function publicReportStats(db: Db) {
  const store = reportsStore(db)
  const counted = <T>(work: () => Promise<T>) => runAsOwner('counts and dates of reports, never their words or who sent them', work)
  return {
    /** "Reported by the public N times": distinct reports linked to this record. */
    reportCountsFor: (entityType: string, entityId: string) => counted(() => store.reportCountsFor(entityType, entityId)),
    /** The days reports linked to these records were received (for timelines: no report's text or sender). */
    reportDatesFor: (entityType: string, entityIds: readonly string[]) => counted(() => store.reportDatesFor(entityType, entityIds)),
    /** Reports received per area and month: [{ area_id, month: 'YYYY-MM', count }]. */
    monthlyReportCounts: (options?: { from?: string; to?: string }) => counted(() => store.monthlyReportCounts(options)),
  }
}

/**
 * Staff triage of public reports. Every read is authorised (reports:triage) and audited; every
 * change is a separate row in the triage history, written with its audit event in one transaction.
 * The report's own text is never changed (the database refuses it too).
 */
export function triageService(deps: ModuleDeps, makeStore: ReportsStoreFactory = reportsStore) {
  const { db, access, audit, clock } = deps
  const store = makeStore(db)
  const targets = linkTargets(deps)
  const retention = retentionService(deps)

  async function openReport(ctx: RequestContext, id: string, options: { allowClosed?: boolean } = {}) {
    await access.authorise(ctx, 'reports:triage')
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw new NotFoundError()
    const report = await store.report(id)
    if (!report) throw new NotFoundError()
    if (!options.allowClosed && report.status === 'closed') throw new ConflictError('This report is closed. Reopen it to change it.')
    return report
  }

  async function change(
    ctx: RequestContext,
    reportId: string,
    triage: Parameters<ReportsStore['upsertTriage']>[2],
    event: { kind: ReportEventKind; urgency?: Urgency; action?: TriageAction; note?: string; details?: Record<string, unknown> },
    work?: (trx: Db) => Promise<void>,
  ) {
    const userId = ctx.user!.id
    await db.transaction().execute(async (trx) => {
      if (work) await work(trx)
      await store.upsertTriage(trx, reportId, triage, userId)
      await store.insertEvent(trx, {
        report_id: reportId,
        kind: event.kind,
        user_id: userId,
        urgency: event.urgency ?? null,
        action: event.action ?? null,
        note: event.note ?? null,
        details: event.details ? JSON.stringify(event.details) : null,
      })
      await audit.record(
        ctx,
        { action: 'update', recordType: 'public_report', recordId: reportId, details: { change: event.kind, ...(event.urgency ? { urgency: event.urgency } : {}), ...(event.action ? { triageAction: event.action } : {}), ...event.details } },
        trx,
      )
    })
  }

  async function link(ctx: RequestContext, id: string, entityType: string, entityId: string, note?: string, options: { newRecord?: boolean } = {}): Promise<Result<void>> {
    await openReport(ctx, id)
    const target = await targets.authoriseLink(ctx, entityType, entityId)
    if (!target.ok) return { ok: false, errors: formErrors([{ field: 'entityId', message: target.message }]) }
    if ((await store.links(id)).some((l) => l.entity_type === entityType && l.entity_id === entityId)) {
      return { ok: false, errors: formErrors([{ field: 'entityId', message: 'This report is already linked to that record' }]) }
    }
    const extra = options.newRecord ? { newRecord: true } : {}
    await change(ctx, id, {}, { kind: 'linked', note, details: { entityType, entityId, ...extra } }, async (trx) => {
      await store.insertLink(trx, { report_id: id, entity_type: entityType, entity_id: entityId, note: note ?? null, created_by: ctx.user!.id })
      await audit.record(ctx, { action: 'link', recordType: entityType, recordId: entityId, details: { publicReportId: id, ...extra } }, trx)
    })
    return { ok: true, value: undefined }
  }

  return {
    targets,

    /** Counts and word-free summaries of the last twelve months' reports (reports:summary). */
    async summary(ctx: RequestContext) {
      await access.authorise(ctx, 'reports:summary')
      const today = clock.today()
      const from = `${Number(today.slice(0, 4)) - 1}-${today.slice(5, 7)}-01`
      // A partnership officer holds reports:summary, not reports:triage, so row-level security (0920)
      // shows them no report: these two read as the owner, and select counts and word-free columns only.
      const [counts, recent] = await runAsOwner('counts and word-free summaries of every report, for reports:summary', () =>
        Promise.all([store.summaryCounts(from, today), store.recentSummaries(50)]),
      )
      await audit.record(ctx, { action: 'view', recordType: 'public_report_summary', details: { from, to: today } })
      return { from, to: today, counts, recent }
    },

    async queue(ctx: RequestContext, filter: QueueFilter, page: number, pageSize: number) {
      await access.authorise(ctx, 'reports:triage')
      const userId = ctx.user!.id
      const [result, counts, areas] = await Promise.all([store.queue(filter, userId, pageSize, (page - 1) * pageSize), store.queueCounts(userId), store.areaOptions()])
      await audit.record(ctx, { action: 'search', recordType: 'public_report', details: { ...filter, page, results: result.total } })
      return { ...result, counts, areas }
    },

    /** The report as submitted, its triage state, history, links and retention. Audited as a view. */
    async report(ctx: RequestContext, id: string) {
      const report = await openReport(ctx, id, { allowClosed: true })
      const follow = followUpStore(db)
      const [events, links, users, kept, hasReceipt, questions, additions] = await Promise.all([
        store.events(id),
        store.links(id),
        store.triageUsers(),
        retention.forReport(id),
        follow.hasReceipt(id),
        follow.questions(id),
        follow.additions(id),
      ])
      const described = await targets.describe(ctx, links)
      await audit.record(ctx, { action: 'view', recordType: 'public_report', recordId: id })
      return { report, events, links: described, users, linkKinds: await targets.available(ctx), retention: kept, followUp: { hasReceipt, questions, additions } }
    },

    /**
     * A legal hold keeps a closed report past its retention period (for proceedings, a complaint
     * or a subject access request), until someone lifts it. Both need a reason and are kept in
     * the report's history; they can be placed on a closed report.
     */
    async placeHold(ctx: RequestContext, id: string, reason: string) {
      await openReport(ctx, id, { allowClosed: true })
      if ((await retention.forReport(id)).legalHold) throw new ConflictError('This report is already under a legal hold.')
      await change(ctx, id, { legal_hold_reason: reason, legal_hold_by: ctx.user!.id, legal_hold_at: clock.now() }, { kind: 'hold_placed', note: reason })
    },

    async liftHold(ctx: RequestContext, id: string, reason: string) {
      await openReport(ctx, id, { allowClosed: true })
      if (!(await retention.forReport(id)).legalHold) throw new ConflictError('This report is not under a legal hold.')
      await change(ctx, id, { legal_hold_reason: null, legal_hold_by: null, legal_hold_at: null }, { kind: 'hold_lifted', note: reason })
    },

    /**
     * The queue as CSV, filtered as the list is, in the list's order. Audited as an export with
     * the filter and the number of rows. The reporter's contact details are left out: they are
     * on the report's page for the officer who needs them, not for a spreadsheet.
     */
    async exportQueue(ctx: RequestContext, filter: QueueFilter) {
      await access.authorise(ctx, 'reports:triage')
      const userId = ctx.user!.id
      const { total } = await store.queue(filter, userId, 1, 0)
      await audit.record(ctx, { action: 'export', recordType: 'public_report', details: { ...filter, format: 'csv', rows: total } })
      return store.exportRows(filter, userId)
    },

    triageUsers: () => store.triageUsers(),

    async assign(ctx: RequestContext, id: string, assignee: string): Promise<Result<void>> {
      await openReport(ctx, id)
      const user = (await store.triageUsers()).find((u) => u.id === assignee)
      if (!user) return { ok: false, errors: formErrors([{ field: 'assignee', message: 'Select someone who can triage reports' }]) }
      await change(ctx, id, { assigned_to: assignee }, { kind: 'assigned', details: { assignee, assigneeName: user.name } })
      return { ok: true, value: undefined }
    },

    async grade(ctx: RequestContext, id: string, urgency: Urgency, note?: string) {
      await openReport(ctx, id)
      await change(ctx, id, { urgency }, { kind: 'urgency', urgency, note })
    },

    async addNote(ctx: RequestContext, id: string, note: string) {
      await openReport(ctx, id, { allowClosed: true })
      await change(ctx, id, {}, { kind: 'note', note })
    },

    async recordAction(ctx: RequestContext, id: string, action: TriageAction, note?: string) {
      await openReport(ctx, id)
      await change(ctx, id, {}, { kind: 'action', action, note })
    },

    async close(ctx: RequestContext, id: string, summary: string): Promise<Result<void>> {
      await openReport(ctx, id)
      if ((await store.countActions(id)) === 0) {
        return { ok: false, errors: formErrors([{ field: 'summary', message: 'Record the action taken before you close this report' }]) }
      }
      await change(ctx, id, { status: 'closed', closed_at: clock.now(), closed_by: ctx.user!.id, closing_summary: summary }, { kind: 'closed', note: summary })
      return { ok: true, value: undefined }
    },

    async reopen(ctx: RequestContext, id: string, reason: string) {
      const report = await openReport(ctx, id, { allowClosed: true })
      if (report.status !== 'closed') throw new ConflictError('This report is not closed.')
      await change(ctx, id, { status: 'in_progress', closed_at: null, closed_by: null, closing_summary: null }, { kind: 'reopened', note: reason })
    },

    /**
     * Imports reports that came by 101 or Crimestoppers from a CSV file: every row is checked
     * first, and either all are imported in one transaction or none is.
     */
    async importReports(
      ctx: RequestContext,
      channel: 'phone_101' | 'crimestoppers' | 'other',
      fileName: string,
      text: string,
    ): Promise<{ ok: true; count: number; importId: string } | { ok: false; problems: ImportProblem[] }> {
      await access.authorise(ctx, 'reports:triage')
      const parsed = parseImport(text, { areas: await store.areas(), today: clock.today(), anonymousOnly: channel === 'crimestoppers' })
      if (!parsed.ok) return parsed
      const rows = parsed.rows
      const already = await store.existingExternalReferences(channel, rows.flatMap((r) => (r.external_reference ? [r.external_reference] : [])))
      const problems = rows
        .filter((r) => r.external_reference && already.has(r.external_reference))
        .map((r) => ({ line: r.line, message: `Line ${r.line}: external_reference ‘${r.external_reference}’ has already been imported from this route` }))
      if (problems.length) return { ok: false, problems }
      const references = new Set<string>()
      while (references.size < rows.length) references.add(newReference())
      for (const taken of await store.referencesTaken([...references])) {
        references.delete(taken)
        let fresh = newReference()
        while (references.has(fresh)) fresh = newReference()
        references.add(fresh)
      }
      const refs = [...references]
      const importId = await db.transaction().execute(async (trx) => {
        const batch = await store.insertImport(trx, { channel, file_name: fileName.slice(0, 200), row_count: rows.length, imported_by: ctx.user!.id })
        for (let i = 0; i < rows.length; i += 500) {
          await store.insertReports(
            trx,
            rows.slice(i, i + 500).map((r, j) => {
              const anonymous = !(r.contact_name || r.contact_phone || r.contact_email)
              return {
                reference: refs[i + j],
                journey_token: null,
                channel,
                external_reference: r.external_reference,
                import_id: batch.id,
                received_on: r.received_on,
                what_happened: r.what_happened,
                where_happened: r.where_happened,
                area_id: r.area_id,
                when_happened: null,
                when_detail: r.when_detail,
                who_involved: r.who_involved,
                child_at_risk: r.child_at_risk,
                anything_else: r.anything_else,
                anonymous,
                contact_name: r.contact_name,
                contact_phone: r.contact_phone,
                contact_email: r.contact_email,
              }
            }),
          )
        }
        await audit.record(ctx, { action: 'import', recordType: 'public_report_import', recordId: batch.id, details: { channel, rows: rows.length, fileName } }, trx)
        return batch.id
      })
      return { ok: true, count: rows.length, importId }
    },

    async searchTargets(ctx: RequestContext, id: string, entityType: string, q: string) {
      await openReport(ctx, id)
      return targets.search(ctx, entityType, q)
    },

    link,

    /**
     * The first half of "record a new one and link it": where the officer creates a record of this
     * kind. Offered only while the report is open and only for kinds they may both link and create.
     */
    async newRecordPage(ctx: RequestContext, id: string, entityType: string): Promise<{ createHref: string; label: string } | undefined> {
      await openReport(ctx, id)
      const kind = (await targets.available(ctx)).find((k) => k.type === entityType)
      return kind?.createHref ? { createHref: kind.createHref, label: kind.label } : undefined
    },

    /**
     * The second half: links the record the officer has just created to the report. The kind asked
     * for is tried first; a network entity saved as another linkable kind (a vehicle instead of a
     * location) is linked as what it is. The creation was audited by its own capability; the link
     * is audited here, marked as a new record.
     */
    /**
     * Links the record the officer came back with: one they created (`created`), or one the
     * duplicate check showed them was already recorded (`existing`).
     */
    async linkNewRecord(
      ctx: RequestContext,
      id: string,
      entityType: string,
      createdId: string,
      origin: 'created' | 'existing' = 'created',
    ): Promise<{ ok: true; label: string; kindLabel: string } | { ok: false; message: string }> {
      const what = origin === 'created' ? 'The new record' : 'The record'
      if (!UUID.test(createdId)) return { ok: false, message: `${what} could not be found, so it was not linked to this report` }
      const report = await openReport(ctx, id, { allowClosed: true })
      if (report.status === 'closed') return { ok: false, message: `${origin === 'created' ? 'The new record was saved, but this' : 'This'} report was closed in the meantime, so the record was not linked` }
      const kinds = await targets.available(ctx)
      const family = entityType === 'person' ? ['person'] : [entityType, ...NETWORK_LINK_TYPES.filter((t) => t !== entityType)]
      for (const type of family) {
        const kind = kinds.find((k) => k.type === type)
        if (!kind) continue
        const target = await targets.authoriseLink(ctx, type, createdId)
        if (!target.ok) continue
        const note = origin === 'created' ? 'Recorded from this report' : 'Found already recorded when recording from this report'
        const linked = await link(ctx, id, type, createdId, note, { newRecord: origin === 'created' })
        if (!linked.ok) return { ok: false, message: linked.errors.errorList[0]?.text ?? `${what} could not be linked` }
        return { ok: true, label: target.label, kindLabel: kind.label }
      }
      return { ok: false, message: `${what} is not a kind of record this report can be linked to, or not one you may see` }
    },

    async unlink(ctx: RequestContext, id: string, linkId: string, reason: string) {
      await openReport(ctx, id)
      const link = await store.link(linkId)
      if (!link || link.report_id !== id || link.removed_at) throw new NotFoundError()
      await change(ctx, id, {}, { kind: 'unlinked', note: reason, details: { entityType: link.entity_type, entityId: link.entity_id } }, async (trx) => {
        await store.removeLink(trx, linkId, { removed_at: clock.now(), removed_by: ctx.user!.id, removed_reason: reason })
      })
    },
  }
}

export type TriageService = ReturnType<typeof triageService>
