import { sql, type Updateable } from 'kysely'
import type { Db } from '../../db/index.ts'
import type { MonthRange } from '../../kernel/london.ts'
import { fromLondon } from '../../kernel/london.ts'
import type { RiskAssessmentsTable } from './tables.ts'
import type { ScreeningTool } from './tool.ts'
import type { Answers } from './scoring.ts'

/** SQL for the screening tool and assessments. No permission checks here: the service does them. */
export function riskStore(db: Db) {
  return {
    latestTool: () => db.selectFrom('screening_tools').selectAll().orderBy('version', 'desc').limit(1).executeTakeFirstOrThrow(),
    tool: (version: number) => db.selectFrom('screening_tools').selectAll().where('version', '=', version).executeTakeFirst(),
    tools: () =>
      db
        .selectFrom('screening_tools as t')
        .leftJoin('users as u', 'u.id', 't.created_by')
        .select(['t.version', 't.change_note', 't.created_at', 'u.name as created_by_name'])
        .select((eb) => eb.selectFrom('risk_assessments as r').select(sql<number>`count(*)::int`.as('n')).whereRef('r.tool_version', '=', 't.version').where('r.status', 'in', ['final', 'awaiting_confirmation']).as('assessments'))
        .orderBy('t.version', 'desc')
        .execute(),
    /** Adds the next version, or returns null when someone saved a version first (the primary key refuses it). */
    async insertTool(version: number, definition: ScreeningTool, changeNote: string, userId: string): Promise<boolean> {
      const result = await db
        .insertInto('screening_tools')
        .values({ version, definition: JSON.stringify(definition), change_note: changeNote, created_by: userId })
        .onConflict((oc) => oc.column('version').doNothing())
        .returning('version')
        .executeTakeFirst()
      return result != null
    },

    find: (id: string) => db.selectFrom('risk_assessments').selectAll().where('id', '=', id).executeTakeFirst(),
    open: (personId: string) => db.selectFrom('risk_assessments').selectAll().where('person_id', '=', personId).where('status', 'in', ['draft', 'awaiting_confirmation']).executeTakeFirst(),
    /** The screening in force (the newest submitted), whose answers a review starts from. */
    lastSubmitted: (personId: string) =>
      db
        .selectFrom('risk_assessments')
        .select(['id', 'answers', 'analysis'])
        .where('person_id', '=', personId)
        .where('status', 'in', ['final', 'awaiting_confirmation'])
        .orderBy('submitted_at', 'desc')
        .limit(1)
        .executeTakeFirst(),
    /** Starts a draft; returns null if the child already has one open (the partial unique index). */
    async insertDraft(row: { person_id: string; tool_version: number; kind: 'initial' | 'review'; started_by: string; answers: Answers; analysis: string | null }): Promise<string | null> {
      const result = await db
        .insertInto('risk_assessments')
        .values({ ...row, answers: JSON.stringify(row.answers), updated_by: row.started_by, updated_at: new Date() })
        .onConflict((oc) => oc.column('person_id').where('status', 'in', ['draft', 'awaiting_confirmation']).doNothing())
        .returning('id')
        .executeTakeFirst()
      return result?.id ?? null
    },
    /** Optimistic concurrency: changes only the version the user saw, in the status expected. */
    async update(id: string, version: number, status: string, row: Updateable<RiskAssessmentsTable>): Promise<boolean> {
      const result = await db
        .updateTable('risk_assessments')
        .set({ ...row, updated_at: sql`now()`, version: sql`version + 1` })
        .where('id', '=', id)
        .where('version', '=', version)
        .where('status', '=', status as 'draft')
        .executeTakeFirst()
      return Number(result.numUpdatedRows) === 1
    },

    /** Red ratings waiting for a manager, among the records this user may see. */
    awaitingConfirmation: (user: { id: string; agencyId: string }) =>
      db
        .selectFrom('risk_assessments as r')
        .innerJoin('people as p', 'p.id', 'r.person_id')
        .leftJoin('users as s', 's.id', 'r.submitted_by')
        .leftJoin('teams as t', 't.id', 'p.owner_team_id')
        .select(['r.id', 'r.person_id', 'r.submitted_at', 'r.computed_level', 'r.final_level', 'r.computed_score', 'r.submitted_by', 's.name as submitted_by_name', 't.name as team_name'])
        .select(['p.given_name', 'p.family_name', 'p.preferred_name'])
        .where('r.status', '=', 'awaiting_confirmation')
        .where((eb) =>
          eb.or([
            eb('p.owner_agency_id', '=', user.agencyId),
            eb.exists(
              eb
                .selectFrom('live_record_shares as rs')
                .select('rs.id')
                .where('rs.record_type', '=', 'person')
                .whereRef('rs.record_id', '=', 'p.id')
                .where((w) => w.or([w('rs.agency_id', '=', user.agencyId), w('rs.user_id', '=', user.id)])),
            ),
          ]),
        )
        .orderBy('r.submitted_at')
        .execute(),
  }
}

/** Submitted assessments (final, or Red awaiting a manager) for a person, newest first, with who did what. */
export function assessmentsForPerson(db: Db, personId: string) {
  return db
    .selectFrom('risk_assessments as r')
    .leftJoin('users as s', 's.id', 'r.submitted_by')
    .leftJoin('users as c', 'c.id', 'r.confirmed_by')
    .select([
      'r.id',
      'r.person_id',
      'r.tool_version',
      'r.kind',
      'r.status',
      'r.computed_score',
      'r.computed_level',
      'r.final_level',
      'r.override_reason',
      'r.review_due',
      'r.submitted_at',
      'r.confirmed_at',
      'r.confirmation_outcome',
      's.name as submitted_by_name',
      'c.name as confirmed_by_name',
    ])
    .where('r.person_id', '=', personId)
    .where('r.status', 'in', ['final', 'awaiting_confirmation'])
    .orderBy('r.submitted_at', 'desc')
    .execute()
}

export type AssessmentSummary = Awaited<ReturnType<typeof assessmentsForPerson>>[number]

/** The assessment in force for a person (the newest submitted), or undefined. */
export async function latestAssessment(db: Db, personId: string): Promise<AssessmentSummary | undefined> {
  return (await assessmentsForPerson(db, personId))[0]
}

/** Each month in the range, 'YYYY-MM', with the instant it ends in UK time. */
export function monthEnds(range: MonthRange): { month: string; end: Date }[] {
  const out: { month: string; end: Date }[] = []
  let [y, m] = range.from.split('-').map(Number)
  const [ty, tm] = range.to.split('-').map(Number)
  while (y < ty || (y === ty && m <= tm)) {
    const [ny, nm] = m === 12 ? [y + 1, 1] : [y, m + 1]
    out.push({ month: `${y}-${String(m).padStart(2, '0')}`, end: fromLondon(`${ny}-${String(nm).padStart(2, '0')}-01`, '00:00') })
    ;[y, m] = [ny, nm]
  }
  return out
}

/**
 * Children by RAG level per area per month, for the indicators: for each month, each child's level
 * is the one in force at the end of that month (their newest assessment submitted by then, a Red
 * awaiting confirmation included). The area is the child's current area.
 */
export async function ragCountsByAreaMonth(db: Db, range: MonthRange) {
  const months = monthEnds(range)
  if (!months.length) return []
  // Each assessment is in force from its submission until the child's next one: a range join of
  // those spans against month ends (a VALUES list, so the planner knows how few), rather than a
  // lookup per child per month.
  const rows = await sql<{ month: string; area_id: string | null; area_code: string | null; area_name: string | null; red: number; amber: number; green: number }>`
    with spans as (
      select r.person_id, r.final_level, r.submitted_at,
             lead(r.submitted_at) over (partition by r.person_id order by r.submitted_at) as until
        from risk_assessments r
       where r.status in ('final', 'awaiting_confirmation')
    ), months (month, month_end) as (
      values ${sql.join(months.map((m) => sql`(${m.month}, ${m.end}::timestamptz)`))}
    )
    select m.month, p.current_area_id as area_id, a.code as area_code, a.name as area_name,
           count(*) filter (where s.final_level = 'red')::int as red,
           count(*) filter (where s.final_level = 'amber')::int as amber,
           count(*) filter (where s.final_level = 'green')::int as green
      from months m
      join spans s on s.submitted_at < m.month_end and (s.until is null or s.until >= m.month_end)
      join people p on p.id = s.person_id and p.kind = 'child' and p.merged_into is null
      left join areas a on a.id = p.current_area_id
     group by 1, 2, 3, 4
     order by 1, 4`.execute(db)
  return rows.rows
}
