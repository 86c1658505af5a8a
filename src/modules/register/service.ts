import { runAsOwner } from '../../db/scope.ts'
import type { ModuleDeps, Worklist } from '../types.ts'
import { addDays, elapsedText } from '../../kernel/elapsed.ts'
import { londonDay } from '../../kernel/london.ts'
import { worklist, WORKLIST_LENGTH } from '../worklist.ts'
import type { RequestContext } from '../../kernel/context.ts'
import { ForbiddenError } from '../../kernel/errors.ts'
import { currentAge, displayName } from '../people/index.ts'
import { registerStore } from './store.ts'
import { exactTable, suppressedMissing, suppressedTable, type Cell } from './suppression.ts'
import { filterForAudit, MISSING_RECENT_DAYS, REVIEW_DUE_DAYS, type RegisterFilter } from './schemas.ts'
import { missingSince } from './store.ts'
import { CAWN_EXPIRY_WARNING_DAYS, NRM_DECISION_WAIT_DAYS, nrmStage } from '../referrals/index.ts'

type Row = Awaited<ReturnType<ReturnType<typeof registerStore>['caseload']>>[number]

/** The last day a review counts as due (not yet overdue), for a given day; the same for every row. */
let dueByFor = { today: '', dueBy: '' }
function reviewDueBy(today: string): string {
  if (dueByFor.today !== today) dueByFor = { today, dueBy: new Date(Date.parse(`${today}T00:00:00Z`) + REVIEW_DUE_DAYS * 86_400_000).toISOString().slice(0, 10) }
  return dueByFor.dueBy
}

/**
 * Overdue, due (within REVIEW_DUE_DAYS, or now because a serious missing episode prompted it), or
 * neither: the same rule as Home's list of reviews.
 */
function reviewState(row: Pick<Row, 'next_review_due' | 'review_prompted'>, today: string, dueBy: string): 'overdue' | 'due' | null {
  if (row.next_review_due && row.next_review_due < today) return 'overdue'
  if (row.review_prompted || (row.next_review_due && row.next_review_due <= dueBy)) return 'due'
  return null
}

/** What the register shows about each person, with the facts worked out once. */
export function describeRow(row: Row, today: string) {
  const dueBy = reviewDueBy(today)
  return {
    ...row,
    name: displayName(row),
    age: currentAge(row, today),
    outOfArea: Boolean(row.current_area_id && row.home_area_id && row.current_area_id !== row.home_area_id),
    reviewState: reviewState(row, today, dueBy),
    missing_recent: Number(row.missing_recent),
    // A notice in force expiring within CAWN_EXPIRY_WARNING_DAYS is on Home's list: flagged alike.
    cawnExpiring: Boolean(row.cawn_expires_on && row.cawn_expires_on <= addDays(today, CAWN_EXPIRY_WARNING_DAYS)),
    nrmStage: row.nrm_latest ? nrmStage({ rgDecision: row.nrm_latest.rg_decision, cgDecision: row.nrm_latest.cg_decision }) : null,
  }
}

export type RegisterRow = ReturnType<typeof describeRow>

export const RAG_COLUMNS = ['red', 'amber', 'green', 'none'] as const
/** The most rows a caseload lists, and the most reviews the team view lists (the register has the rest). */
export const CASELOAD_LIMIT = 500
// The team page is a manager's first look: 200 rows made it 182 KB and its slowest page at county
// scale (issue 19); the register, which pages, filters and sorts, lists the rest.
export const TEAM_REVIEWS_LIMIT = 50
/**
 * How long the filter's choices (areas, agencies, teams, workers) are reused before they are read
 * again. They change when an administrator adds or retires one, and are no personal data of the
 * people on the register, so a new worker appearing in the filter half a minute later is the only
 * effect; every register page used to read them.
 */
export const OPTIONS_REUSE_MS = 30_000

/**
 * The register and the dashboards. Lists show only people the user has a need to know about
 * (`visibleTo`), and each list of names is audited; the counts by area show no names to anyone,
 * and hide small numbers from roles that may not see personal data.
 */
export function registerService({ db, access, audit, clock }: ModuleDeps) {
  const store = registerStore(db)
  let cachedOptions: { at: number; value: ReturnType<typeof store.options> } | null = null

  /** The filter's choices, shared by concurrent requests and reused for `OPTIONS_REUSE_MS`. */
  function options() {
    if (!cachedOptions || Date.now() - cachedOptions.at > OPTIONS_REUSE_MS) {
      const value = store.options()
      cachedOptions = { at: Date.now(), value }
      // A failed read is not kept: the next request tries again.
      value.catch(() => {
        if (cachedOptions?.value === value) cachedOptions = null
      })
    }
    return cachedOptions.value
  }

  return {
    /** One page of the register. Audited as a search, with the filter. */
    async search(ctx: RequestContext, filter: RegisterFilter, via: 'register' | 'api' = 'register') {
      await access.authorise(ctx, via === 'api' ? 'person:search' : 'register:view')
      const today = clock.today()
      const result = await store.search(ctx.user!, filter, today, clock.now())
      await audit.record(ctx, { action: 'search', recordType: 'person', details: { via, filter: filterForAudit(filter), page: filter.page, results: result.total } })
      return { ...result, rows: result.rows.map((r) => describeRow(r, today)), today }
    },

    /**
     * The whole filtered register as CSV: permission and audit first (with the number of rows),
     * then the rows in batches.
     */
    async export(ctx: RequestContext, filter: RegisterFilter) {
      await access.authorise(ctx, 'register:view')
      await access.authorise(ctx, 'person:export')
      const today = clock.today()
      const now = clock.now()
      const total = await store.count(ctx.user!, filter, today, now)
      await audit.record(ctx, { action: 'export', recordType: 'person', details: { what: 'register', filter: filterForAudit(filter), rows: total } })
      async function* batches() {
        for await (const rows of store.all(ctx.user!, filter, today, now)) {
          yield rows.map((raw) => {
            const r = describeRow(raw, today)
            return [
              r.id,
              r.kind === 'child' ? 'Child or young person' : 'Adult',
              r.given_name,
              r.family_name,
              r.preferred_name ?? '',
              r.date_of_birth ?? '',
              r.age ?? '',
              r.current_rag ?? 'not rated',
              r.current_rag_at ?? '',
              r.next_review_due ?? '',
              r.reviewState ?? '',
              r.home_area_name ?? '',
              r.current_area_name ?? '',
              r.outOfArea ? 'yes' : 'no',
              r.owner_agency_name,
              r.team_name ?? '',
              r.worker_name ?? '',
              r.review_prompted ? 'yes' : 'no',
              r.missing_recent,
              r.missing_now ? 'yes' : 'no',
              r.rhi_overdue ? 'yes' : 'no',
              r.rag_awaiting_confirmation ? 'yes' : 'no',
              r.cawn_expires_on ?? '',
              r.cawnExpiring ? 'yes' : 'no',
              r.nrm_latest?.referred_on ?? '',
              r.nrmStage ?? '',
              r.nrm_awaited ? 'yes' : 'no',
              r.closed_at ? londonDay(r.closed_at) : '',
              r.looked_after ? 'yes' : 'no',
              r.care_leaver ? 'yes' : 'no',
              r.send ? 'yes' : 'no',
            ]
          })
        }
      }
      return {
        filename: `register-${today}.csv`,
        columns: ['Lantern id', 'Kind', 'First name', 'Last name', 'Preferred name', 'Date of birth', 'Age', 'Risk', 'Assessed at', 'Review due', 'Review', 'Home area', 'Lives in', 'Out of area', 'Owning agency', 'Team', 'Allocated worker', 'Review due now after a serious missing episode', `Missing episodes (last ${MISSING_RECENT_DAYS} days)`, 'Missing now', 'Return home interview overdue', 'Red awaiting confirmation', 'CAWN in force until', `CAWN expiring within ${CAWN_EXPIRY_WARNING_DAYS} days`, 'Latest NRM referral', 'NRM decision', `NRM decision awaited over ${NRM_DECISION_WAIT_DAYS} days`, 'Closed on', 'Looked after', 'Care leaver', 'SEND'],
        rows: total,
        batches: batches(),
      }
    },

    options,

    /** The signed-in worker's own cases. */
    async caseload(ctx: RequestContext) {
      await access.authorise(ctx, 'register:view')
      const today = clock.today()
      const rows = (await store.caseload(ctx.user!, ctx.user!.id, today, clock.now(), CASELOAD_LIMIT)).map((r) => describeRow(r, today))
      await audit.record(ctx, { action: 'view', recordType: 'caseload', recordId: ctx.user!.id, details: { list: 'my caseload', rows: rows.length } })
      return { rows, summary: summarise(rows), today, truncated: rows.length === CASELOAD_LIMIT, limit: CASELOAD_LIMIT }
    },

    /** The manager's team: every case the team holds or a team member is allocated. */
    async team(ctx: RequestContext) {
      await access.authorise(ctx, 'team:view')
      const user = ctx.user!
      if (!user.teamId) throw new ForbiddenError('You are not in a team', { reason: 'role', canBreakGlass: false })
      const today = clock.today()
      const result = await store.team(user, user.teamId, today, clock.now(), TEAM_REVIEWS_LIMIT)
      const reviews = result.reviews.map((r) => describeRow(r, today))
      const workers = result.workers
        .map((w) => ({
          workerId: w.worker_id,
          name: w.worker_name ?? 'Not allocated',
          total: Number(w.total),
          red: Number(w.red),
          amber: Number(w.amber),
          green: Number(w.green),
          notRated: Number(w.not_rated),
          overdue: Number(w.overdue),
          due: Number(w.due),
          missing: Number(w.missing),
        }))
        .sort((a, b) => (a.workerId ? 0 : 1) - (b.workerId ? 0 : 1) || a.name.localeCompare(b.name))
      const summary = workers.reduce(
        (s, w) => ({ total: s.total + w.total, red: s.red + w.red, amber: s.amber + w.amber, green: s.green + w.green, notRated: s.notRated + w.notRated, overdue: s.overdue + w.overdue, due: s.due + w.due, missing: s.missing + w.missing }),
        { total: 0, red: 0, amber: 0, green: 0, notRated: 0, overdue: 0, due: 0, missing: 0 },
      )
      await audit.record(ctx, { action: 'view', recordType: 'team-caseload', recordId: user.teamId, details: { list: 'team caseload', rows: reviews.length } })
      return { summary, workers, reviews, moreReviews: summary.overdue + summary.due - reviews.length, today }
    },

    /**
     * Home's list of reviews due within REVIEW_DUE_DAYS or overdue, on the user's cases (a
     * manager: the team's). Its age is how long since the last assessment.
     */
    async worklists(ctx: RequestContext): Promise<Worklist[]> {
      if (!access.can(ctx, 'register:view')) return []
      const today = clock.today()
      const now = clock.now()
      const wholeTeam = access.can(ctx, 'team:view')
      const rows = await store.reviewsDue(ctx.user!, wholeTeam, today, reviewDueBy(today), WORKLIST_LENGTH)
      return [
        worklist({
          key: 'reviews',
          title: 'Reviews due and overdue',
          hint: `Risk reviews due in the next ${REVIEW_DUE_DAYS} days or overdue, on ${wholeTeam ? 'your team’s' : 'your'} cases.`,
          rows,
          more: { text: 'See every review due or overdue', href: wholeTeam ? '/register/team' : '/register?review=due_or_overdue' },
          item: (r) => {
            // A serious episode makes the review due today, unless it was overdue already.
            const due = r.review_prompted && !(r.next_review_due && r.next_review_due < today) ? today : r.next_review_due!
            return {
              href: `/people/${r.id}/risk`,
              name: displayName(r),
              what: r.review_prompted ? 'Review due now: serious missing episode' : r.next_review_due! < today ? 'Review overdue' : 'Review due',
              age: r.current_rag_at ? `${elapsedText(r.current_rag_at, now)} since the last assessment` : 'never assessed',
              due,
              overdue: due < today,
            }
          },
        }),
      ]
    },

    /**
     * Counts of children (or adults) by risk level and area, for the whole partnership. Never a
     * name; roles that may not see personal data get small counts hidden.
     */
    async counts(ctx: RequestContext, kind: 'child' | 'adult', by: 'current' | 'home') {
      await access.authorise(ctx, 'aggregates:view')
      const exact = access.can(ctx, 'person:view')
      // Counts of the whole partnership, not of what this user may open: read as the owner, then
      // suppressed below for roles that see no personal data.
      const [raw, choices, missing] = await runAsOwner('partnership-wide counts, suppressed for roles without person:view', () =>
        Promise.all([store.countsByArea(kind, by), options(), store.missingByArea(missingSince(clock.today()))]),
      )
      const areas = choices.areas.map((a) => ({ id: a.id as string | null, name: a.name }))
      if (raw.some((r) => r.area_id == null)) areas.push({ id: null, name: 'Not recorded' })
      const matrix = areas.map((a) => RAG_COLUMNS.map((level) => Number(raw.find((r) => r.area_id === a.id && (r.current_rag ?? 'none') === level)?.n ?? 0)))
      const table: Cell[][] = exact ? exactTable(matrix) : await suppressedTable(matrix)
      const missingMatrix = areas.map((a) => {
        const m = missing.find((x) => x.area_id === a.id)
        return [Number(m?.children ?? 0), Number(m?.episodes ?? 0)]
      })
      // Episodes are not a sum of children: two columns with their own totals, protected together
      // (a child reported missing has at least one episode).
      const missingTable: Cell[][] = exact
        ? [...missingMatrix, [0, 1].map((j) => missingMatrix.reduce((s, r) => s + r[j], 0))].map((r) => r.map((value) => ({ shown: true as const, value })))
        : await suppressedMissing(missingMatrix)
      return { areas, table, missingTable, exact, kind, by }
    },
  }
}

function summarise(rows: RegisterRow[]) {
  return {
    total: rows.length,
    red: rows.filter((r) => r.current_rag === 'red').length,
    amber: rows.filter((r) => r.current_rag === 'amber').length,
    green: rows.filter((r) => r.current_rag === 'green').length,
    notRated: rows.filter((r) => !r.current_rag).length,
    overdue: rows.filter((r) => r.reviewState === 'overdue').length,
    due: rows.filter((r) => r.reviewState === 'due').length,
    missing: rows.filter((r) => r.missing_recent > 0).length,
  }
}

export type RegisterService = ReturnType<typeof registerService>
