import type { ModuleDeps, Worklist } from '../types.ts'
import { worklist } from '../worklist.ts'
import { elapsedText } from '../../kernel/elapsed.ts'
import type { RequestContext } from '../../kernel/context.ts'
import type { Db } from '../../db/index.ts'
import { ConflictError, NotFoundError } from '../../kernel/errors.ts'
import { formErrors, type Result } from '../../kernel/form-errors.ts'
import { formatDate } from '../../web/nunjucks.ts'
import { currentAge, displayName, peopleService, personRef } from '../people/index.ts'
import { personRatingStore, recordPersonEvent } from '../people/index.ts'
import type { Person } from '../people/index.ts'
import { londonParts } from '../../kernel/london.ts'
import { missingSuggestionCounts, reviewPromptFor, SERIOUS_REASON_TEXT } from '../missing/index.ts'
import { suggestFromEpisodes } from '../missing/index.ts'
import { riskChart } from './chart.ts'
import { carriedForward, checkedAnswer } from './carry-forward.ts'
import { direction, reviewDueOn, scoreAssessment, unknownIndicators, type Answers, type Subject } from './scoring.ts'
import { assessmentsForPerson, riskStore } from './store.ts'
import type { RiskAssessment, StoredExplanation } from './tables.ts'
import { LEVEL_TEXT, STATUSES, SUBJECT_FLAGS, parseTool, type AnswerStatus, type IndicatorGroup, type Level, type ScreeningTool } from './tool.ts'

type Issue = { field: string; message: string }

export type SectionState = 'not_started' | 'in_progress' | 'completed'

/** What a section page posts: the answers given, and whether the practitioner finished the section. */
export interface SectionInput {
  answers: Record<string, { status?: string; note?: string }>
  /** Fields naming indicators that are not in this section of the tool (a stale or altered form). */
  unknown: string[]
  complete: boolean
}

export interface SubmitInput {
  version: number
  personVersion: number
  finalLevel: Level
  overrideReason: string | null
  analysis: string | null
}

export interface ConfirmInput {
  version: number
  decision: 'confirm' | 'change'
  level: Level | null
  note: string | null
}

export const NOTE_MAX = 1000

export function subjectOf(person: Pick<Person, 'date_of_birth' | 'approximate_age' | 'learning_disability' | 'send' | 'looked_after' | 'care_leaver'>, today: string): Subject {
  return { age: currentAge(person, today), flags: SUBJECT_FLAGS.filter((f) => person[f]) }
}

/** Each section's progress: an answer carried from last time counts once it is checked. */
export function sectionStates(tool: ScreeningTool, answers: Answers): { group: IndicatorGroup; state: SectionState; answered: number; total: number; toCheck: number }[] {
  return tool.groups.map((group) => {
    const answered = group.indicators.filter((i) => answers[i.key]?.status && !answers[i.key].carried).length
    const toCheck = group.indicators.filter((i) => answers[i.key]?.carried).length
    const total = group.indicators.length
    return { group, answered, total, toCheck, state: answered === total ? 'completed' : answered === 0 && toCheck === 0 ? 'not_started' : 'in_progress' }
  })
}

/** Explanation rows for a view: the stored result of a submitted assessment. */
function stored(result: ReturnType<typeof scoreAssessment>, subject: Subject): StoredExplanation {
  const { unanswered: _unanswered, ...rest } = result
  return { ...rest, subject }
}

/**
 * Screening and RAG ratings. Starting and editing a screening needs assessment:create on the child
 * (role and need-to-know), confirming a Red assessment:confirm-red, changing the tool admin:config.
 * Submitting updates the child's current rating, review date and version in the same transaction,
 * with a timeline event and audit rows.
 */
/** Days a Red may wait for a manager before Home flags it as a long wait. */
export const RED_LONG_WAIT_DAYS = 3

export function riskService(deps: ModuleDeps) {
  const { db, access, audit, clock } = deps
  const store = riskStore(db)
  const people = peopleService(deps)

  async function toolOf(version: number): Promise<ScreeningTool> {
    const row = await store.tool(version)
    if (!row) throw new NotFoundError()
    const parsed = parseTool(row.definition)
    if (!parsed.ok) throw new Error(`Screening tool version ${version} is not valid: ${parsed.problems[0].message}`)
    return parsed.tool
  }

  async function assessmentOf(personId: string, id: string): Promise<RiskAssessment> {
    const a = await store.find(id)
    if (!a || a.person_id !== personId) throw new NotFoundError()
    return a
  }

  const conflict = (name: string) => new ConflictError(`This screening for ${name} was changed by someone else after you opened it. Nothing you entered on this page was saved: open it again to see their changes.`)

  async function setPersonRating(trx: Db, ctx: RequestContext, person: Person, expectedVersion: number, level: Level, reviewDue: string, assessmentId: string) {
    if (!(await personRatingStore(trx).set(person.id, expectedVersion, { level, at: clock.now(), reviewDue }))) {
      throw new ConflictError(`${displayName(person)}’s record was changed by someone else after you opened this page. Nothing was saved: check the summary again before you finish.`)
    }
    await audit.record(ctx, { action: 'update', recordType: 'person', recordId: person.id, details: { fields: ['current_rag', 'current_rag_at', 'next_review_due'], level, nextReviewDue: reviewDue, assessmentId } }, trx)
  }

  return {
    toolOf,
    sectionStates,

    async latestTool() {
      const row = await store.latestTool()
      return { version: row.version, tool: await toolOf(row.version), row }
    },

    /** The Risk page: the rating in force, whether it went up or down, the history and the chart. */
    async riskPage(ctx: RequestContext, personId: string, today = clock.today()) {
      const person = await people.header(ctx, personId)
      const [history, open, prompt] = await Promise.all([assessmentsForPerson(db, personId), store.open(personId), reviewPromptFor(db, personId)])
      await audit.record(ctx, { action: 'view', recordType: 'person', recordId: personId, details: { page: 'risk' } })
      const latest = history[0] ?? null
      const previous = history[1] ?? null
      const points = history.map((h) => ({ date: londonParts(h.submitted_at!).date, level: h.final_level!, score: h.computed_score, awaiting: h.status === 'awaiting_confirmation' }))
      const due = person.next_review_due
      const daysToReview = due ? Math.round((Date.parse(`${due}T12:00:00Z`) - Date.parse(`${today}T12:00:00Z`)) / 86_400_000) : null
      return {
        person,
        history,
        latest,
        previous,
        movement: latest ? direction(previous?.final_level ?? null, latest.final_level!) : null,
        chart: riskChart(points, { today, name: displayName(person) }),
        open,
        prompt: prompt ? { reasons: prompt.serious_reasons.map((r) => SERIOUS_REASON_TEXT[r]).join(', '), href: `/people/${personId}/missing/${prompt.id}` } : null,
        review: due ? { due, days: daysToReview!, overdue: daysToReview! < 0, soon: daysToReview! >= 0 && daysToReview! <= 14 } : null,
        canScreen: access.can(ctx, 'assessment:create') && access.can(ctx, 'person:edit'),
        canConfirm: access.can(ctx, 'assessment:confirm-red'),
      }
    },

    /** Opens the child's screening in progress, or starts one with the newest tool version. */
    async start(ctx: RequestContext, personId: string): Promise<string> {
      const person = await people.authorised(ctx, personId, 'assessment:create')
      const existing = await store.open(personId)
      if (existing) return existing.id
      const [{ version }, last] = await Promise.all([store.latestTool(), store.lastSubmitted(personId)])
      const answers = last ? carriedForward(await toolOf(version), last.answers) : {}
      const id = await db.transaction().execute(async (trx) => {
        const created = await riskStore(trx).insertDraft({ person_id: person.id, tool_version: version, kind: last ? 'review' : 'initial', started_by: ctx.user!.id, answers, analysis: last?.analysis ?? null })
        if (created) {
          await audit.record(ctx, { action: 'create', recordType: 'risk_assessment', recordId: created, details: { personId, toolVersion: version, status: 'draft', carriedFrom: last?.id ?? null, carried: Object.keys(answers).length } }, trx)
        }
        return created
      })
      // Someone else started one at the same moment: carry on with theirs.
      return id ?? (await store.open(personId))!.id
    },

    /** A screening with its tool, for the task list, a section or the summary. Not audited: the caller audits the page. */
    async load(ctx: RequestContext, personId: string, id: string, permission: 'assessment:create' | 'person:view' = 'assessment:create') {
      const person = await people.header(ctx, personId, permission)
      const assessment = await assessmentOf(personId, id)
      const tool = await toolOf(assessment.tool_version)
      return { person, assessment, tool, sections: sectionStates(tool, assessment.answers) }
    },

    async taskList(ctx: RequestContext, personId: string, id: string) {
      const loaded = await this.load(ctx, personId, id)
      const latest = await store.latestTool()
      await audit.record(ctx, { action: 'view', recordType: 'risk_assessment', recordId: id, details: { personId, page: 'task-list' } })
      return { ...loaded, newerTool: latest.version > loaded.assessment.tool_version ? latest.version : null }
    },

    async section(ctx: RequestContext, personId: string, id: string, groupKey: string) {
      const loaded = await this.load(ctx, personId, id)
      const index = loaded.tool.groups.findIndex((g) => g.key === groupKey)
      if (index < 0) throw new NotFoundError()
      const group = loaded.tool.groups[index]
      const suggestions: Record<string, { status: AnswerStatus; because: string }> = {}
      if (group.indicators.some((i) => i.suggest)) {
        const counts = await missingSuggestionCounts(db, personId, clock.now())
        for (const ind of group.indicators) if (ind.suggest) suggestions[ind.key] = suggestFromEpisodes(ind.suggest, counts)
      }
      await audit.record(ctx, { action: 'view', recordType: 'risk_assessment', recordId: id, details: { personId, section: groupKey } })
      const carriedCount = group.indicators.filter((i) => loaded.assessment.answers[i.key]?.carried).length
      return { ...loaded, group, index, next: loaded.tool.groups[index + 1] ?? null, suggestions, carriedCount }
    },

    /** Saves one section's answers to the draft; "complete" requires every indicator in it answered. */
    async saveSection(ctx: RequestContext, personId: string, id: string, groupKey: string, version: number, input: SectionInput): Promise<Result<void>> {
      const person = await people.authorised(ctx, personId, 'assessment:create')
      const a = await assessmentOf(personId, id)
      if (a.status !== 'draft') throw conflict(displayName(person))
      const tool = await toolOf(a.tool_version)
      const group = tool.groups.find((g) => g.key === groupKey)
      if (!group) throw new NotFoundError()
      const issues: Issue[] = []
      for (const key of input.unknown) {
        issues.push({ field: `status-${group.indicators[0].key}`, message: `The form named an indicator that is not in this section of the tool (“${key}”). Nothing was saved: answer the questions on this page again.` })
      }
      const answers: Answers = { ...a.answers }
      for (const ind of group.indicators) {
        const given = input.answers[ind.key] ?? {}
        const note = given.note?.trim() ? given.note.trim() : null
        if (note && note.length > NOTE_MAX) issues.push({ field: `note-${ind.key}`, message: `The note on “${ind.text}” must be ${NOTE_MAX.toLocaleString('en-GB')} characters or fewer` })
        if (given.status && !(STATUSES as readonly string[]).includes(given.status)) {
          issues.push({ field: `status-${ind.key}`, message: `Select whether “${ind.text}” is not present, recent or current` })
          continue
        }
        if (!given.status) {
          if (input.complete) issues.push({ field: `status-${ind.key}`, message: `Select whether “${ind.text}” is not present, recent or current` })
          else if (note) issues.push({ field: `status-${ind.key}`, message: `Select whether “${ind.text}” is not present, recent or current, to keep your note` })
          continue
        }
        answers[ind.key] = checkedAnswer(a.answers[ind.key], { status: given.status as AnswerStatus, note }, input.complete)
      }
      if (issues.length) return { ok: false, errors: formErrors(issues) }
      await db.transaction().execute(async (trx) => {
        const saved = await riskStore(trx).update(id, version, 'draft', { answers: JSON.stringify(answers), updated_by: ctx.user!.id })
        if (!saved) throw conflict(displayName(person))
        await audit.record(ctx, { action: 'update', recordType: 'risk_assessment', recordId: id, details: { personId, section: groupKey, complete: input.complete } }, trx)
      })
      return { ok: true, value: undefined }
    },

    /** The summary: the level computed from the answers so far, and why. */
    async summary(ctx: RequestContext, personId: string, id: string, today = clock.today()) {
      const loaded = await this.load(ctx, personId, id)
      const subject = subjectOf(loaded.person, today)
      const unknown = unknownIndicators(loaded.tool, loaded.assessment.answers)
      const result = unknown.length ? null : scoreAssessment(loaded.tool, loaded.assessment.answers, subject)
      await audit.record(ctx, { action: 'view', recordType: 'risk_assessment', recordId: id, details: { personId, page: 'summary' } })
      return {
        ...loaded,
        subject,
        result,
        unknown,
        personVersion: loaded.person.version,
        incomplete: loaded.sections.filter((s) => s.state !== 'completed').map((s) => s.group),
        reviewDue: result ? reviewDueOn(loaded.tool, result.level, today) : null,
        needsConfirmation: !access.can(ctx, 'assessment:confirm-red'),
      }
    },

    /**
     * Finishes a screening. A Red from someone who may not confirm Reds waits for a manager; the
     * child's current rating, rating date, review date and version change at once either way.
     */
    async submit(ctx: RequestContext, personId: string, id: string, input: SubmitInput, today = clock.today()): Promise<Result<'final' | 'awaiting_confirmation'>> {
      const person = await people.authorised(ctx, personId, 'assessment:create')
      const a = await assessmentOf(personId, id)
      if (a.status !== 'draft') throw conflict(displayName(person))
      const tool = await toolOf(a.tool_version)
      const issues: Issue[] = []
      const unknown = unknownIndicators(tool, a.answers)
      if (unknown.length) issues.push({ field: 'finalLevel', message: `This screening has answers to indicators that are not in version ${a.tool_version} of the tool: ${unknown.join(', ')}. Start a new screening.` })
      for (const s of sectionStates(tool, a.answers)) {
        if (s.state === 'completed') continue
        const message = s.toCheck ? `Check the answers carried from last time in “${s.group.title}”` : `Complete the section “${s.group.title}”`
        issues.push({ field: `section-${s.group.key}`, message })
      }
      if (issues.length) return { ok: false, errors: formErrors(issues) }
      const subject = subjectOf(person, today)
      const result = scoreAssessment(tool, a.answers, subject)
      if (input.finalLevel !== result.level && !input.overrideReason) {
        return { ok: false, errors: formErrors([{ field: 'overrideReason', message: `Explain why you are setting ${LEVEL_TEXT[input.finalLevel]} rather than the computed ${LEVEL_TEXT[result.level]}` }]) }
      }
      const user = ctx.user!
      let managerConfirms = false
      if (input.finalLevel === 'red' && access.can(ctx, 'assessment:confirm-red')) {
        managerConfirms = (await access.check(ctx, 'assessment:confirm-red', personRef(person))).allowed
      }
      const status = input.finalLevel === 'red' && !managerConfirms ? 'awaiting_confirmation' : 'final'
      const reviewDue = reviewDueOn(tool, input.finalLevel, today)
      const now = clock.now()
      await db.transaction().execute(async (trx) => {
        const saved = await riskStore(trx).update(id, input.version, 'draft', {
          status,
          computed_score: result.score,
          computed_level: result.level,
          explanation: JSON.stringify(stored(result, subject)),
          final_level: input.finalLevel,
          override_reason: input.finalLevel === result.level ? null : input.overrideReason,
          analysis: input.analysis,
          review_due: reviewDue,
          submitted_by: user.id,
          submitted_at: now,
          updated_by: user.id,
          ...(managerConfirms ? { confirmed_by: user.id, confirmed_at: now, confirmation_outcome: 'confirmed' as const, confirmation_note: 'Rated Red by a manager' } : {}),
        })
        if (!saved) throw conflict(displayName(person))
        await setPersonRating(trx, ctx, person, input.personVersion, input.finalLevel, reviewDue, id)
        const changed = input.finalLevel !== result.level ? `; computed ${LEVEL_TEXT[result.level]}, set to ${LEVEL_TEXT[input.finalLevel]} with a reason` : ''
        await recordPersonEvent(trx, {
          personId,
          kind: 'assessment',
          summary:
            status === 'awaiting_confirmation'
              ? `Rated Red – awaiting manager confirmation (${a.kind === 'review' ? 'review' : 'screening'}, score ${result.score}${changed})`
              : `Rated ${LEVEL_TEXT[input.finalLevel]} (${a.kind === 'review' ? 'review' : 'screening'}, score ${result.score}${changed}); next review by ${formatDate(reviewDue)}`,
          actorId: user.id,
          at: now,
          refType: 'risk_assessment',
          refId: id,
        })
        await audit.record(ctx, { action: 'submit', recordType: 'risk_assessment', recordId: id, details: { personId, status, computedLevel: result.level, finalLevel: input.finalLevel, score: result.score, toolVersion: a.tool_version } }, trx)
      })
      return { ok: true, value: status }
    },

    /** A manager confirms a Red, or records a different level with a reason. */
    async confirm(ctx: RequestContext, personId: string, id: string, input: ConfirmInput, today = clock.today()): Promise<Result<Level>> {
      const person = await people.authorised(ctx, personId, 'person:view')
      await access.authorise(ctx, 'assessment:confirm-red', personRef(person))
      const a = await assessmentOf(personId, id)
      if (a.status !== 'awaiting_confirmation') throw new ConflictError('This rating is no longer awaiting confirmation: someone else has already dealt with it.')
      const user = ctx.user!
      if (a.submitted_by === user.id) return { ok: false, errors: formErrors([{ field: 'decision', message: 'You submitted this rating: another manager must confirm it' }]) }
      const issues: Issue[] = []
      if (input.decision === 'change') {
        if (!input.level || input.level === 'red') issues.push({ field: 'level', message: 'Select the level you are setting instead of Red' })
        if (!input.note) issues.push({ field: 'note', message: 'Explain why you are not confirming Red' })
      }
      if (issues.length) return { ok: false, errors: formErrors(issues) }
      const level: Level = input.decision === 'confirm' ? 'red' : input.level!
      const tool = await toolOf(a.tool_version)
      const reviewDue = level === 'red' ? a.review_due! : reviewDueOn(tool, level, today)
      await db.transaction().execute(async (trx) => {
        const saved = await riskStore(trx).update(id, input.version, 'awaiting_confirmation', {
          status: 'final',
          final_level: level,
          review_due: reviewDue,
          confirmed_by: user.id,
          confirmed_at: clock.now(),
          confirmation_outcome: input.decision === 'confirm' ? 'confirmed' : 'changed',
          confirmation_note: input.note,
          updated_by: user.id,
        })
        if (!saved) throw new ConflictError('This rating was changed by someone else after you opened it. Nothing was saved.')
        if (level !== 'red') await setPersonRating(trx, ctx, person, person.version, level, reviewDue, id)
        await recordPersonEvent(trx, {
          personId,
          kind: 'assessment-confirmation',
          summary: input.decision === 'confirm' ? `Red rating confirmed by ${user.name}, manager` : `Red rating not confirmed: ${user.name}, manager, set ${LEVEL_TEXT[level]}; next review by ${formatDate(reviewDue)}`,
          actorId: user.id,
          refType: 'risk_assessment',
          refId: id,
        })
        await audit.record(ctx, { action: 'confirm', recordType: 'risk_assessment', recordId: id, details: { personId, outcome: input.decision, level } }, trx)
      })
      return { ok: true, value: level }
    },

    async discard(ctx: RequestContext, personId: string, id: string, version: number) {
      const person = await people.authorised(ctx, personId, 'assessment:create')
      const a = await assessmentOf(personId, id)
      if (a.status !== 'draft') throw conflict(displayName(person))
      await db.transaction().execute(async (trx) => {
        const saved = await riskStore(trx).update(id, version, 'draft', { status: 'discarded', updated_by: ctx.user!.id })
        if (!saved) throw conflict(displayName(person))
        await audit.record(ctx, { action: 'discard', recordType: 'risk_assessment', recordId: id, details: { personId } }, trx)
      })
    },

    /** A submitted assessment, as it was: the stored explanation and answers, who submitted and confirmed it. */
    async view(ctx: RequestContext, personId: string, id: string) {
      const loaded = await this.load(ctx, personId, id, 'person:view')
      if (loaded.assessment.status === 'discarded') throw new NotFoundError()
      const summary = (await assessmentsForPerson(db, personId)).find((h) => h.id === id) ?? null
      await audit.record(ctx, { action: 'view', recordType: 'risk_assessment', recordId: id, details: { personId } })
      let canConfirm = false
      if (loaded.assessment.status === 'awaiting_confirmation' && access.can(ctx, 'assessment:confirm-red')) {
        canConfirm = (await access.check(ctx, 'assessment:confirm-red', { type: 'person', id: personId, ownerAgencyId: loaded.person.owner_agency_id })).allowed
      }
      return {
        ...loaded,
        summary,
        stored: loaded.assessment.explanation,
        canConfirm,
        ownSubmission: loaded.assessment.submitted_by === ctx.user?.id,
      }
    },

    /**
     * Home's list for a manager: Reds awaiting confirmation, the longest waiting first, each
     * flagged once it has waited more than RED_LONG_WAIT_DAYS (the child is treated as Red
     * meanwhile, but the strategy discussion a Red calls for waits on the manager).
     */
    async worklists(ctx: RequestContext, now = clock.now()): Promise<Worklist[]> {
      if (!access.can(ctx, 'assessment:confirm-red')) return []
      const rows = await store.awaitingConfirmation({ id: ctx.user!.id, agencyId: ctx.user!.agencyId })
      return [
        worklist({
          key: 'reds-awaiting',
          title: 'Red ratings awaiting your confirmation',
          hint: `Children rated Red by a practitioner, the longest waiting first. A wait of more than ${RED_LONG_WAIT_DAYS} days is flagged.`,
          rows,
          more: { text: 'See every Red rating awaiting confirmation', href: '/risk/awaiting-confirmation' },
          item: (r) => {
            const waitedDays = (now.getTime() - r.submitted_at!.getTime()) / 86_400_000
            return {
              href: `/people/${r.person_id}/risk/screenings/${r.id}`,
              name: displayName(r),
              what: `Red rating by ${r.submitted_by_name ?? 'a practitioner'}`,
              age: `waiting ${elapsedText(r.submitted_at!, now)}`,
              due: null,
              overdue: waitedDays > RED_LONG_WAIT_DAYS,
              flag: waitedDays > RED_LONG_WAIT_DAYS ? 'Long wait' : null,
            }
          },
        }),
      ]
    },

    /** Reds awaiting a manager, among the children this manager may see. */
    async awaiting(ctx: RequestContext) {
      await access.authorise(ctx, 'assessment:confirm-red')
      const rows = await store.awaitingConfirmation({ id: ctx.user!.id, agencyId: ctx.user!.agencyId })
      await audit.record(ctx, { action: 'view', recordType: 'risk_assessment', details: { page: 'awaiting-confirmation', count: rows.length } })
      return rows.map((r) => ({ ...r, name: displayName(r), own: r.submitted_by === ctx.user!.id }))
    },

    // The screening tool, for administrators.
    async tools(ctx: RequestContext) {
      await access.authorise(ctx, 'admin:config')
      return store.tools()
    },

    async tool(ctx: RequestContext, version: number) {
      await access.authorise(ctx, 'admin:config')
      const row = await store.tool(version)
      if (!row) throw new NotFoundError()
      return { version, tool: await toolOf(version), row }
    },

    /**
     * Saves an edited definition as the next version. `basedOn` is the version the administrator
     * opened: if someone saved another since, ConflictError, and nothing is saved.
     */
    async saveTool(ctx: RequestContext, basedOn: number, definition: unknown, changeNote: string | null): Promise<Result<number> & { problems?: { path: string; message: string }[] }> {
      await access.authorise(ctx, 'admin:config')
      const latest = await store.latestTool()
      if (latest.version !== basedOn) throw new ConflictError(`Someone saved version ${latest.version} of the screening tool after you opened version ${basedOn}. Nothing was saved: open the tool again to see their changes.`)
      const parsed = parseTool(definition)
      if (!parsed.ok) return { ok: false, errors: formErrors([]), problems: parsed.problems }
      const issues: Issue[] = []
      if (!changeNote) issues.push({ field: 'changeNote', message: 'Describe what you changed and why' })
      if (JSON.stringify(parsed.tool) === JSON.stringify((parseTool(latest.definition) as { ok: true; tool: ScreeningTool }).tool)) {
        issues.push({ field: 'changeNote', message: 'Nothing has changed from the current version' })
      }
      if (issues.length) return { ok: false, errors: formErrors(issues) }
      const next = basedOn + 1
      await db.transaction().execute(async (trx) => {
        const inserted = await riskStore(trx).insertTool(next, parsed.tool, changeNote!, ctx.user!.id)
        if (!inserted) throw new ConflictError(`Someone saved version ${next} of the screening tool at the same time. Nothing was saved: open the tool again to see their changes.`)
        await audit.record(ctx, { action: 'create', recordType: 'screening_tool', recordId: String(next), details: { basedOn, changeNote } }, trx)
      })
      return { ok: true, value: next }
    },
  }
}

export type RiskService = ReturnType<typeof riskService>
