import type { ModuleDeps } from '../types.ts'
import type { RequestContext } from '../../kernel/context.ts'
import { ConflictError, NotFoundError } from '../../kernel/errors.ts'
import { formErrors, type Result } from '../../kernel/form-errors.ts'
import { formatDateTime } from '../../web/nunjucks.ts'
import { peopleService, displayName, voidedRecordError, voidRecord, type VoidInput } from '../people/index.ts'
import { recordPersonEvent } from '../people/index.ts'
import type { EpisodeFields, RhiFields } from './schemas.ts'
import { episodeIssues, foundOutOfArea, overlappingEpisode, reviewPromptedAt, rhiDueAt, rhiIssues, rhiStatus, seriousReasons, RHI_DUE_HOURS, SERIOUS_REASON_TEXT, type EpisodeSpan, type SeriousReason } from './rules.ts'
import { foundSummary, reportedSummary, rhiSummary } from './summaries.ts'
import { interviewsAwaited, missingEpisodesForPerson, missingNow, missingStore } from './store.ts'
import type { Worklist } from '../types.ts'
import { worklist, WORKLIST_LENGTH } from '../worklist.ts'
import { elapsedText } from '../../kernel/elapsed.ts'
import type { MissingEpisode } from './tables.ts'

export interface EpisodeInput extends EpisodeFields {
  reportedMissingAt: Date
  foundAt: Date | null
}

export interface RhiInput extends RhiFields {
  offeredAt: Date | null
  heldAt: Date | null
}

/** The error for an episode that overlaps another: which one, so the user can go and change it. */
function overlapIssue(person: { given_name: string }, input: EpisodeInput, others: EpisodeSpan[], selfId?: string) {
  const other = overlappingEpisode(input, others, selfId)
  if (!other) return []
  const message = other.found_at
    ? `${person.given_name} is already recorded as missing from ${formatDateTime(other.reported_missing_at)} to ${formatDateTime(other.found_at)}: change that episode instead, or correct the dates`
    : `${person.given_name} is already recorded as missing since ${formatDateTime(other.reported_missing_at)} and not yet found: record when they were found on that episode first`
  return [{ field: 'missing-day', message }]
}

/** How far back Home looks for interviews not held: older ones are for the register's filter. */
export const RHI_WORKLIST_DAYS = 28


/**
 * Missing episodes and return-home interviews. Reading needs person:view on the child, recording
 * person:edit (role and need-to-know); every view and change is audited and goes on the timeline.
 */
/**
 * Why the episode is serious and when it prompted a review. "Went missing while rated Red" is a fact
 * of the moment it was first recorded, so an edit keeps it whatever the rating is now.
 */
function seriousness(input: EpisodeInput, outOfArea: boolean, ratedRedNow: boolean, before: MissingEpisode | null, now: Date) {
  const was = (before?.serious_reasons ?? []) as SeriousReason[]
  const reasons = seriousReasons({ ...input, outOfArea, ratedRed: before ? was.includes('while_red') : ratedRedNow })
  return {
    serious_reasons: JSON.stringify(reasons),
    review_prompted_at: reviewPromptedAt(reasons, before ? { reasons: was, promptedAt: before.review_prompted_at } : null, now),
  }
}

const seriousText = (reasons: readonly SeriousReason[]) => reasons.map((r) => SERIOUS_REASON_TEXT[r]).join(', ')

/** The episode's columns from the form, the same for a new episode and a changed one. */
function episodeColumns(input: EpisodeInput, defaultMissingFromAreaId: string | null, outOfArea: boolean) {
  return {
    reported_missing_at: input.reportedMissingAt,
    missing_from_area_id: input.missingFromAreaId ?? defaultMissingFromAreaId,
    police_reference: input.policeReference,
    found_at: input.foundAt,
    found_area_id: input.foundAreaId,
    found_location: input.foundLocation,
    found_out_of_area: outOfArea,
    found_by: input.foundBy as MissingEpisode['found_by'],
    found_by_detail: input.foundByDetail,
    concerns: JSON.stringify(input.concerns),
    notes: input.notes,
  }
}

export function missingService(deps: ModuleDeps) {
  const { db, audit, clock } = deps
  const people = peopleService(deps)
  const store = missingStore(db)

  async function episodeOf(personId: string, id: string): Promise<MissingEpisode> {
    const ep = await store.find(id)
    if (!ep || ep.person_id !== personId) throw new NotFoundError()
    return ep
  }

  /** An episode that may still be changed: a voided one is kept exactly as it was. */
  async function liveEpisodeOf(personId: string, id: string): Promise<MissingEpisode> {
    const ep = await episodeOf(personId, id)
    if (ep.voided_at) throw voidedRecordError('missing episode')
    return ep
  }

  return {
    /**
     * Home's lists: every child the user may see who is missing now (anyone who can see them may
     * be the one to find them), and the return home interviews awaited on the user's cases.
     */
    async worklists(ctx: RequestContext, now = clock.now()): Promise<Worklist[]> {
      if (!deps.access.can(ctx, 'register:view')) return []
      const user = ctx.user!
      const wholeTeam = deps.access.can(ctx, 'team:view')
      const foundSince = new Date(now.getTime() - RHI_WORKLIST_DAYS * 86_400_000)
      const [missing, interviews] = await Promise.all([missingNow(db, user, now, WORKLIST_LENGTH), interviewsAwaited(db, user, wholeTeam, foundSince, WORKLIST_LENGTH)])
      return [
        worklist({
          key: 'missing-now',
          title: 'Children missing now',
          hint: 'Reported missing and not yet found, among the children you may see; the longest missing first.',
          rows: missing,
          more: { text: 'See every child missing now', href: '/register?missingNow=yes' },
          item: (e) => ({
            href: `/people/${e.person_id}/missing/${e.id}`,
            name: displayName(e),
            what: `Missing since ${formatDateTime(e.reported_missing_at)}`,
            age: `missing ${elapsedText(e.reported_missing_at, now)}`,
            due: null,
            overdue: true,
          }),
        }),
        worklist({
          key: 'return-home-interviews',
          title: 'Return home interviews due and overdue',
          hint: `Interviews are due within ${RHI_DUE_HOURS} hours of the child being found. Children found in the last ${RHI_WORKLIST_DAYS} days, on ${wholeTeam ? 'your team’s' : 'your'} cases.`,
          rows: interviews,
          more: { text: 'See every child with an interview overdue', href: '/register?rhiOverdue=yes' },
          item: (e) => {
            const dueAt = rhiDueAt(e.found_at!)
            const overdue = now.getTime() > dueAt.getTime()
            return {
              href: `/people/${e.person_id}/missing/${e.id}/return-home-interview`,
              name: displayName(e),
              what: overdue ? 'Return home interview overdue' : 'Return home interview due',
              age: `found ${elapsedText(e.found_at!, now)} ago`,
              due: dueAt,
              overdue,
            }
          },
        }),
      ]
    },

    async page(ctx: RequestContext, personId: string, now = clock.now()) {
      const person = await people.header(ctx, personId)
      const all = (await missingEpisodesForPerson(db, personId)).map((e) => ({ ...e, rhi: rhiStatus(e, now), seriousText: seriousText(e.serious_reasons) }))
      // Voided episodes are listed, struck through, and counted nowhere.
      const episodes = all.filter((e) => !e.voided_at)
      await audit.record(ctx, { action: 'view', recordType: 'person', recordId: personId, details: { page: 'missing' } })
      const since = (days: number) => episodes.filter((e) => e.reported_missing_at.getTime() >= now.getTime() - days * 86_400_000).length
      return {
        person,
        episodes: all,
        counts: {
          total: episodes.length,
          last30: since(30),
          last90: since(90),
          outOfArea: episodes.filter((e) => e.found_out_of_area).length,
          stillMissing: episodes.filter((e) => !e.found_at).length,
          overdue: episodes.filter((e) => e.rhi.status === 'overdue').length,
        },
        canEdit: deps.access.can(ctx, 'person:edit'),
      }
    },

    async episode(ctx: RequestContext, personId: string, id: string, now = clock.now()) {
      const person = await people.header(ctx, personId)
      await episodeOf(personId, id)
      const row = (await missingEpisodesForPerson(db, personId)).find((e) => e.id === id)!
      await audit.record(ctx, { action: 'view', recordType: 'missing_episode', recordId: id, details: { personId } })
      return { person, episode: { ...row, rhi: rhiStatus(row, now), seriousText: seriousText(row.serious_reasons) }, canEdit: deps.access.can(ctx, 'person:edit') && !row.voided_at }
    },

    /** For the edit forms (and the void page): the record as it stands, authorised for editing, never a voided one. */
    async forEdit(ctx: RequestContext, personId: string, id: string | null) {
      const person = await people.header(ctx, personId, 'person:edit')
      const episode = id ? await liveEpisodeOf(personId, id) : null
      if (episode) await audit.record(ctx, { action: 'view', recordType: 'missing_episode', recordId: episode.id, details: { personId, page: 'edit' } })
      return { person, episode }
    },

    async formOptions() {
      const [areas, agencies] = await Promise.all([store.areas(), store.agencies()])
      return { areas: areas.map((a) => ({ value: a.id, text: a.name })), agencies: agencies.map((a) => ({ value: a.id, text: a.name })) }
    },

    async create(ctx: RequestContext, personId: string, input: EpisodeInput): Promise<Result<string>> {
      const person = await people.authorised(ctx, personId, 'person:edit')
      const issues = [...episodeIssues(input), ...overlapIssue(person, input, await store.spans(personId))]
      if (issues.length) return { ok: false, errors: formErrors(issues) }
      const user = ctx.user!
      const outOfArea = foundOutOfArea(input.foundAreaId, person)
      const foundArea = await store.areaName(input.foundAreaId)
      const id = await db.transaction().execute(async (trx) => {
        const row = await missingStore(trx).insert({
          person_id: personId,
          ...episodeColumns(input, person.current_area_id, outOfArea),
          ...seriousness(input, outOfArea, person.current_rag === 'red', null, clock.now()),
          created_by: user.id,
          updated_by: user.id,
          updated_at: clock.now(),
        })
        await recordPersonEvent(trx, {
          personId,
          kind: 'missing-reported',
          summary: reportedSummary(input.reportedMissingAt),
          actorId: user.id,
          refType: 'missing_episode',
          refId: row.id,
        })
        if (input.foundAt) {
          await recordPersonEvent(trx, {
            personId,
            kind: 'missing-found',
            summary: foundSummary(input, foundArea, outOfArea),
            actorId: user.id,
            refType: 'missing_episode',
            refId: row.id,
          })
        }
        await audit.record(ctx, { action: 'create', recordType: 'missing_episode', recordId: row.id, details: { personId, found: Boolean(input.foundAt), outOfArea } }, trx)
        return row.id
      })
      return { ok: true, value: id }
    },

    async update(ctx: RequestContext, personId: string, id: string, version: number, input: EpisodeInput): Promise<Result<string>> {
      const person = await people.authorised(ctx, personId, 'person:edit')
      const before = await liveEpisodeOf(personId, id)
      const issues = [...episodeIssues(input, before), ...overlapIssue(person, input, await store.spans(personId), id)]
      if (issues.length) return { ok: false, errors: formErrors(issues) }
      const user = ctx.user!
      const outOfArea = foundOutOfArea(input.foundAreaId, person)
      const foundArea = await store.areaName(input.foundAreaId)
      await db.transaction().execute(async (trx) => {
        const changed = await missingStore(trx).update(id, version, {
          ...episodeColumns(input, before.missing_from_area_id, outOfArea),
          ...seriousness(input, outOfArea, person.current_rag === 'red', before, clock.now()),
          updated_by: user.id,
        })
        if (!changed) throw new ConflictError(`This missing episode for ${displayName(person)} was changed by someone else after you opened it. Nothing you entered was saved.`)
        const newlyFound = !before.found_at && input.foundAt
        await recordPersonEvent(trx, {
          personId,
          kind: newlyFound ? 'missing-found' : 'missing-updated',
          summary: newlyFound
            ? foundSummary(input, foundArea, outOfArea)
            : `Missing episode of ${formatDateTime(input.reportedMissingAt)} updated`,
          actorId: user.id,
          refType: 'missing_episode',
          refId: id,
        })
        await audit.record(ctx, { action: 'update', recordType: 'missing_episode', recordId: id, details: { personId, found: Boolean(input.foundAt), outOfArea } }, trx)
      })
      return { ok: true, value: id }
    },

    async recordRhi(ctx: RequestContext, personId: string, id: string, version: number, input: RhiInput): Promise<Result<string>> {
      const person = await people.authorised(ctx, personId, 'person:edit')
      const before = await liveEpisodeOf(personId, id)
      const issues = rhiIssues(input, before.found_at)
      if (issues.length) return { ok: false, errors: formErrors(issues) }
      const user = ctx.user!
      await db.transaction().execute(async (trx) => {
        const changed = await missingStore(trx).update(id, version, {
          rhi_offered_at: input.offeredAt,
          rhi_held_at: input.heldAt,
          rhi_held_by: input.heldBy,
          rhi_agency_id: input.rhiAgencyId,
          rhi_declined: input.declined,
          rhi_notes: input.rhiNotes,
          updated_by: user.id,
        })
        if (!changed) throw new ConflictError(`This missing episode for ${displayName(person)} was changed by someone else after you opened it. Nothing you entered was saved.`)
        const status = rhiStatus({ found_at: before.found_at, rhi_held_at: input.heldAt, rhi_declined: input.declined }, clock.now())
        const summary = rhiSummary(input, status.status === 'held_late')
        await recordPersonEvent(trx, { personId, kind: 'return-home-interview', summary, actorId: user.id, refType: 'missing_episode', refId: id })
        await audit.record(ctx, { action: 'update', recordType: 'missing_episode', recordId: id, details: { personId, returnHomeInterview: status.status } }, trx)
      })
      return { ok: true, value: id }
    },

    /**
     * Voids an episode recorded in error, with the reason: kept and shown struck through, left out
     * of every count, and never changed again. Needs what editing needs (role and need-to-know).
     */
    async void(ctx: RequestContext, personId: string, id: string, input: VoidInput): Promise<void> {
      const person = await people.authorised(ctx, personId, 'person:edit')
      const before = await liveEpisodeOf(personId, id)
      await voidRecord(db, audit, ctx, {
        personId,
        personName: displayName(person),
        what: 'missing episode',
        recordType: 'missing_episode',
        id,
        eventKind: 'missing-voided',
        summary: `Missing episode of ${formatDateTime(before.reported_missing_at)} voided as recorded in error: ${input.reason}`,
        reason: input.reason,
        markVoided: (trx) => missingStore(trx).void(id, input.version, ctx.user!.id, input.reason, clock.now()),
      })
    },
  }
}

export type MissingService = ReturnType<typeof missingService>
