import type { Readable } from 'node:stream'
import type { ModuleDeps } from '../types.ts'
import type { RequestContext } from '../../kernel/context.ts'
import { ForbiddenError, NotFoundError } from '../../kernel/errors.ts'
import { formErrors } from '../../kernel/form-errors.ts'
import { londonDay } from '../../kernel/london.ts'
import { entityRef, networkStore, requireUser } from '../network/index.ts'
import { flagLineSuccessors, numbersOf } from './continuity.ts'
import { readCalls, toE164, type CallProblem, type CallRow } from './csv.ts'
import { callsStore } from './store.ts'

/** A file to import: opened as a stream when the import reads it, so a large file is never held whole. */
export interface CallSource {
  name: string
  size?: number
  open(): Readable
}

export interface ImportChoices {
  handling: 'P' | 'C'
  conditions: string | null
  /** Agencies that may see the calls besides the one that holds them. */
  shareWith: string[]
}

export interface ImportProgress {
  bytes: number
  calls: number
}

export interface ImportSummary {
  importId: string
  calls: number
  first: string | null
  last: string | null
  /** Likely successors of closed lines flagged by this import (new or refreshed). */
  flagged: number
  durationMs: number
}

export type ImportOutcome = { ok: true; summary: ImportSummary } | { ok: false; problems: CallProblem[] }

/** Rows written in one statement: large enough to keep a big file quick, small enough to stream. */
const BATCH = 2000
/** An id no user has, for need-to-know asked on an agency's behalf (the CLI, after an import). */
const NO_USER = '00000000-0000-0000-0000-000000000000'

class Rollback extends Error {}

/** Phone data: call imports, numbers attributed to entities, a line's calls, and line continuity. */
export function callsService(deps: ModuleDeps) {
  const { db, access, audit } = deps
  const store = callsStore(db)
  const network = networkStore(db)

  async function loadEntity(ctx: RequestContext, id: string, permission: 'network:view' | 'network:edit' = 'network:view') {
    await access.authorise(ctx, permission)
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw new NotFoundError()
    const entity = await network.entity(id)
    if (!entity) return access.refuseUnreadable(ctx, permission, 'network_entity', id)
    await access.authorise(ctx, permission, entityRef(entity))
    return entity
  }

  /**
   * One file, all or nothing, in one transaction: rows are checked and written in batches as the
   * file streams in; any bad row (reported with its file and line, up to 20) rolls the whole import
   * back. Then likely successors of closed lines are flagged.
   */
  async function runImport(ctx: RequestContext, ownerAgencyId: string, userId: string | null, source: CallSource, choices: ImportChoices, onProgress?: (p: ImportProgress) => void): Promise<ImportOutcome> {
    const started = Date.now()
    const problems: CallProblem[] = []
    let summary: Omit<ImportSummary, 'flagged' | 'durationMs'>
    try {
      summary = await db.transaction().execute(async (trx) => {
        const s = callsStore(trx)
        const { id } = await s.insertImport({ file_name: source.name, owner_agency_id: ownerAgencyId, grade_handling: choices.handling, handling_conditions: choices.handling === 'C' ? choices.conditions : null, imported_by: userId })
        await s.shareImport(id, ownerAgencyId, choices.shareWith.filter((a) => a !== ownerAgencyId))
        let batch: CallRow[] = []
        let calls = 0
        let bytes = 0
        let first: Date | null = null
        let last: Date | null = null
        for await (const row of readCalls(source.open(), { file: source.name, onBytes: (b) => (bytes = b) }, problems)) {
          calls++
          if (!first || row.startedAt < first) first = row.startedAt
          if (!last || row.startedAt > last) last = row.startedAt
          if (problems.length) continue
          batch.push(row)
          if (batch.length >= BATCH) {
            await s.insertCalls(id, ownerAgencyId, batch)
            batch = []
            onProgress?.({ bytes, calls })
          }
        }
        if (problems.length) throw new Rollback()
        if (!calls) {
          problems.push({ file: source.name, line: 2, message: 'the file holds no calls' })
          throw new Rollback()
        }
        await s.insertCalls(id, ownerAgencyId, batch)
        onProgress?.({ bytes, calls })
        await s.finishImport(id, calls, first, last)
        await audit.record(ctx, { action: 'create', recordType: 'call_import', recordId: id, details: { file: source.name, calls, handling: choices.handling, sharedWith: choices.shareWith.length } }, trx)
        return { importId: id, calls, first: first && first.toISOString(), last: last && last.toISOString() }
      })
    } catch (err) {
      if (err instanceof Rollback) return { ok: false, problems }
      throw err
    }
    const flagged = await flagLineSuccessors(db, ownerAgencyId, userId ?? NO_USER)
    return { ok: true, summary: { ...summary, flagged, durationMs: Date.now() - started } }
  }

  return {
    /** The imports page: what the user's agency may see, and the flags waiting for review. */
    async overview(ctx: RequestContext) {
      const user = requireUser(ctx)
      await access.authorise(ctx, 'network:view')
      const [imports, pending, agencies] = await Promise.all([store.imports(user.agencyId), store.flags(user.agencyId, { status: 'pending' }), store.agencies()])
      await audit.record(ctx, { action: 'search', recordType: 'call_import', details: { imports: imports.length, pendingSuccessors: pending.length } })
      return { imports, pending, agencies: agencies.filter((a) => a.id !== user.agencyId) }
    },

    /** An upload from the staff pages, held by the user's agency. */
    async importCalls(ctx: RequestContext, source: CallSource, choices: ImportChoices, onProgress?: (p: ImportProgress) => void): Promise<ImportOutcome> {
      const user = requireUser(ctx)
      await access.authorise(ctx, 'network:edit')
      return runImport(ctx, user.agencyId, user.id, source, choices, onProgress)
    },

    /** `lantern network calls import`: the machine's own authority, for the agency named. */
    async importAsSystem(ctx: RequestContext, agency: string, source: CallSource, choices: ImportChoices, onProgress?: (p: ImportProgress) => void): Promise<ImportOutcome | { ok: false; agency: string }> {
      if (ctx.user) throw new ForbiddenError('Only the command line imports as the system', { reason: 'role', canBreakGlass: false })
      const found = (await store.agencies()).find((a) => a.name.toLowerCase() === agency.toLowerCase())
      if (!found) return { ok: false, agency }
      return runImport(ctx, found.id, null, source, choices, onProgress)
    },

    /** An active agency's id by its full name (any case), for the command line. */
    agencyId: async (name: string) => (await store.agencies()).find((a) => a.name.toLowerCase() === name.toLowerCase())?.id ?? null,

    /** A line's (or any entity's) calls: contacts, volume by day and by hour of the week, top contacts by month, successors. */
    async entityCalls(ctx: RequestContext, id: string) {
      const user = requireUser(ctx)
      const entity = await loadEntity(ctx, id)
      const { numbers, attributions } = await numbersOf(store, entity)
      const empty = { calls: '0', first: null, last: null, contacts: '0' }
      const [summary, contacts, byDay, byHour, flags, closures] = await Promise.all([
        numbers.length ? store.summary(user.agencyId, numbers) : empty,
        numbers.length ? store.contacts(user.agencyId, numbers, 50) : [],
        numbers.length ? store.byDay(user.agencyId, numbers) : [],
        numbers.length ? store.byHourOfWeek(user.agencyId, numbers) : [],
        store.flags(user.agencyId, { lineId: id }),
        entity.kind === 'line' ? network.lineClosures(user, [id]) : [],
      ])
      // Contacts' own entities, where the user may see them (row-level security on attributions and entities).
      const held = await store.attributedTo(contacts.map((c) => c.number))
      const visible = new Map((await network.visibleEntitiesByIds(user, [...new Set(held.map((h) => h.entity_id))])).map((e) => [e.id, e]))
      const holders = new Map<string, { id: string; label: string }>()
      for (const h of held) {
        const e = visible.get(h.entity_id)
        if (e && !holders.has(h.number)) holders.set(h.number, { id: e.id, label: e.label })
      }
      const top = contacts.slice(0, 5).map((c) => c.number)
      const monthly = await (numbers.length ? store.contactsByMonth(user.agencyId, numbers, top) : Promise.resolve([]))
      await audit.record(ctx, { action: 'view', recordType: 'network_entity', recordId: id, details: { page: 'calls', numbers: numbers.length, calls: Number(summary.calls) } })
      return {
        entity,
        numbers,
        attributions,
        summary: { calls: Number(summary.calls), contacts: Number(summary.contacts), first: summary.first, last: summary.last },
        contacts: contacts.map((c) => ({ ...c, calls: Number(c.calls), outgoing: Number(c.outgoing), seconds: Number(c.seconds), holder: holders.get(c.number) ?? null })),
        byDay: byDay.map((d) => ({ day: d.day, calls: Number(d.calls) })),
        byHour: byHour.map((h) => ({ hour: Number(h.hour), calls: Number(h.calls) })),
        topMonthly: { contacts: top, rows: monthly.map((m) => ({ month: m.month, number: m.number, calls: Number(m.calls) })) },
        flags,
        closure: closures[0] ?? null,
      }
    },

    /** Attributes a number to an entity from a date (and to one, if it ended). */
    async attribute(ctx: RequestContext, id: string, input: { number: string; from: string; to: string | null; basis: string }) {
      const user = requireUser(ctx)
      const entity = await loadEntity(ctx, id, 'network:edit')
      const number = toE164(input.number)
      if (!number) return { ok: false as const, errors: formErrors([{ field: 'number', message: 'Enter a telephone number, like 07700 900461' }]) }
      const { id: attributionId } = await db.transaction().execute(async (trx) => {
        const row = await callsStore(trx).insertAttribution({ number, entity_id: entity.id, from_date: input.from, to_date: input.to, basis: input.basis, owner_agency_id: user.agencyId, recorded_by: user.id })
        await audit.record(ctx, { action: 'create', recordType: 'number_attribution', recordId: row.id, details: { entity: entity.id } }, trx)
        return row
      })
      return { ok: true as const, value: attributionId }
    },

    /** Scores the new numbers against this closed line again (after new data, or to see the scores now). */
    async rescore(ctx: RequestContext, id: string) {
      const user = requireUser(ctx)
      await loadEntity(ctx, id, 'network:edit')
      return flagLineSuccessors(db, user.agencyId, user.id, id)
    },

    /**
     * An analyst's decision on a flagged number. Accepting attributes the number to the line from
     * its first call; rejecting records the decision, so the number is not flagged for it again.
     */
    async decide(ctx: RequestContext, flagId: string, decision: 'accepted' | 'rejected', reason: string | null) {
      const user = requireUser(ctx)
      await access.authorise(ctx, 'network:edit')
      if (!/^[0-9a-f-]{36}$/i.test(flagId)) throw new NotFoundError()
      const flag = await store.flag(flagId, user.agencyId)
      if (!flag) throw new NotFoundError()
      const line = await loadEntity(ctx, flag.line_entity_id, 'network:edit')
      const done = await db.transaction().execute(async (trx) => {
        const s = callsStore(trx)
        if (!(await s.decideFlag(flag.id, decision, user.id, reason))) return false
        if (decision === 'accepted') {
          const percent = Math.round(flag.score * 100)
          await s.insertAttribution({
            number: flag.number,
            entity_id: line.id,
            from_date: londonDay(new Date(flag.first_call)),
            to_date: null,
            basis: `Successor of the line closed on ${flag.closed_on}: ${percent}% overlap of contacts, places and hours (${flag.shared_contacts} shared contacts); accepted by ${user.name}${reason ? `: ${reason}` : ''}`,
            owner_agency_id: user.agencyId,
            recorded_by: user.id,
          })
        }
        await audit.record(ctx, { action: 'update', recordType: 'line_successor_flag', recordId: flag.id, details: { decision, line: line.id } }, trx)
        return true
      })
      return { done, lineId: line.id }
    },
  }
}

export type CallsService = ReturnType<typeof callsService>
