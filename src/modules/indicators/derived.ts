import { runAsOwner } from '../../db/scope.ts'
import { sql } from 'kysely'
import type { Db } from '../../db/index.ts'
import type { Unit } from './tables.ts'
import { addMonths } from './periods.ts'

/**
 * Lantern's own counts as indicator series. Each source returns monthly rows per area; the
 * registry adds the parent areas (districts into their county). A source whose tables are not
 * installed returns nothing. Pages do not count them as they are read: the job runner counts them
 * again every few minutes and keeps them (the indicators store, `refreshDerived`), and a page counts
 * one itself only when nothing is kept for the months it wants.
 */
export interface DerivedRow {
  area_id: string
  /** First day of the month. */
  period: string
  /** The count, or for a percentage its numerator. */
  value: number
  /** For a percentage: its denominator. */
  denominator?: number
}

export interface DerivedSeries {
  key: string
  name: string
  description: string
  unit: Unit
  /** Tables that must exist for the source to work. */
  tables: string[]
  compute(db: Db, range: { from: string; to: string }): Promise<DerivedRow[]>
}

export interface DerivedRange {
  from: string
  to: string
}

/** A series' value in one area and month, parent areas included (a percentage with its denominator). */
export interface DerivedValue {
  area_id: string
  period: string
  value: number
  denominator?: number
}

/** The months pages read of a Lantern count: the ten years up to the last complete month. */
export function derivedRange(today: string): DerivedRange {
  const lastComplete = addMonths(today.slice(0, 7) + '-01', -1)
  return { from: addMonths(lastComplete, -119), to: lastComplete }
}

/** How often the job runner counts the series again: what "figures as at" can be behind by. */
export const DERIVED_REFRESH_SECONDS = 300

/** Month starts from `from` to `to` inclusive, as a SQL set. */
const months = (range: { from: string; to: string }) =>
  sql`generate_series(${range.from}::date, ${range.to}::date, interval '1 month')`

async function rows<T>(query: Promise<{ rows: T[] }>): Promise<T[]> {
  return (await query).rows
}

export const DERIVED_SERIES: DerivedSeries[] = [
  ...(['red', 'amber', 'green'] as const).map(
    (level): DerivedSeries => ({
      key: `children-rated-${level}`,
      name: `Children rated ${level}`,
      description: `Children whose latest final risk screening at the end of the month was ${level[0].toUpperCase()}${level.slice(1)} (by the area they live in now).`,
      unit: 'count',
      tables: ['people', 'risk_assessments'],
      async compute(db, range) {
        return rows(
          sql<DerivedRow>`
            select coalesce(p.current_area_id, p.home_area_id) as area_id, to_char(m.month, 'YYYY-MM-DD') as period, count(*)::int as value
            from ${months(range)} as m(month)
            join people p on p.kind = 'child' and p.merged_into is null and p.created_at < m.month + interval '1 month'
            join lateral (
              select a.final_level from risk_assessments a
              where a.person_id = p.id and a.status = 'final' and coalesce(a.confirmed_at, a.submitted_at) < m.month + interval '1 month'
              order by coalesce(a.confirmed_at, a.submitted_at) desc limit 1
            ) latest on latest.final_level = ${level}
            where coalesce(p.current_area_id, p.home_area_id) is not null
            group by 1, 2`.execute(db),
        )
      },
    }),
  ),
  {
    key: 'missing-episodes',
    name: 'Missing episodes',
    description: 'Episodes of children reported missing in the month, by the area they went missing from.',
    unit: 'count',
    tables: ['missing_episodes', 'people'],
    async compute(db, range) {
      return rows(
        sql<DerivedRow>`
          select coalesce(e.missing_from_area_id, p.current_area_id, p.home_area_id) as area_id,
                 to_char(date_trunc('month', e.reported_missing_at at time zone 'Europe/London'), 'YYYY-MM-DD') as period,
                 count(*)::int as value
          from missing_episodes e join people p on p.id = e.person_id
          where e.voided_at is null and e.reported_missing_at >= ${range.from}::date and e.reported_missing_at < ${range.to}::date + interval '1 month'
            and coalesce(e.missing_from_area_id, p.current_area_id, p.home_area_id) is not null
          group by 1, 2`.execute(db),
      )
    },
  },
  {
    key: 'return-interviews-72h',
    name: 'Return home interviews within 72 hours',
    description: 'Of the children found in the month, the percentage offered a return home interview within 72 hours of being found.',
    unit: 'percent',
    tables: ['missing_episodes', 'people'],
    async compute(db, range) {
      return rows(
        sql<DerivedRow>`
          select coalesce(e.missing_from_area_id, p.current_area_id, p.home_area_id) as area_id,
                 to_char(date_trunc('month', e.found_at at time zone 'Europe/London'), 'YYYY-MM-DD') as period,
                 count(*) filter (where coalesce(e.rhi_held_at, e.rhi_offered_at) <= e.found_at + interval '72 hours')::int as value,
                 count(*)::int as denominator
          from missing_episodes e join people p on p.id = e.person_id
          where e.voided_at is null and e.found_at >= ${range.from}::date and e.found_at < ${range.to}::date + interval '1 month'
            and coalesce(e.missing_from_area_id, p.current_area_id, p.home_area_id) is not null
          group by 1, 2`.execute(db),
      )
    },
  },
  {
    key: 'nrm-referrals',
    name: 'NRM referrals',
    description: 'Referrals to the National Referral Mechanism made in the month, by the area the person lives in.',
    unit: 'count',
    tables: ['nrm_referrals', 'people'],
    async compute(db, range) {
      return rows(
        sql<DerivedRow>`
          select coalesce(p.current_area_id, p.home_area_id) as area_id, to_char(date_trunc('month', r.referred_on), 'YYYY-MM-DD') as period, count(*)::int as value
          from nrm_referrals r join people p on p.id = r.person_id
          where r.voided_at is null and r.referred_on >= ${range.from}::date and r.referred_on < ${range.to}::date + interval '1 month'
            and coalesce(p.current_area_id, p.home_area_id) is not null
          group by 1, 2`.execute(db),
      )
    },
  },
  ...(
    [
      ['lines-closed', 'County lines closed', 'line_closure', 'Deal lines closed by joint operations in the month (phone-line closures), by the area of the line, or of the lead agency.'],
      ['closure-orders', 'Closure orders on cuckooed homes', 'closure_order', 'Closure orders obtained by joint operations in the month, by the area of the address, or of the lead agency.'],
    ] as const
  ).map(
    ([key, name, kind, description]): DerivedSeries => ({
      key,
      name,
      description,
      unit: 'count',
      tables: ['operations', 'operation_activities', 'network_entities'],
      async compute(db, range) {
        return rows(
          sql<DerivedRow>`
            select coalesce(e.area_id, ag.area_id) as area_id, to_char(date_trunc('month', a.occurred_on), 'YYYY-MM-DD') as period, count(*)::int as value
            from operation_activities a
            join operations o on o.id = a.operation_id
            join agencies ag on ag.id = o.lead_agency_id
            left join network_entities e on e.id = a.entity_id
            where a.kind = ${kind} and a.withdrawn_at is null and a.occurred_on >= ${range.from}::date and a.occurred_on < ${range.to}::date + interval '1 month'
              and coalesce(e.area_id, ag.area_id) is not null
            group by 1, 2`.execute(db),
        )
      },
    }),
  ),
  {
    key: 'modern-slavery-charges',
    name: 'Modern Slavery Act charges',
    description: 'Charges under the Modern Slavery Act brought by joint operations in the month, by the area of the person charged, or of the lead agency.',
    unit: 'count',
    tables: ['operations', 'operation_outcomes', 'network_entities'],
    async compute(db, range) {
      return rows(
        sql<DerivedRow>`
          select coalesce(e.area_id, ag.area_id) as area_id, to_char(date_trunc('month', x.occurred_on), 'YYYY-MM-DD') as period, count(*)::int as value
          from operation_outcomes x
          join operations o on o.id = x.operation_id
          join agencies ag on ag.id = o.lead_agency_id
          left join network_entities e on e.id = x.entity_id
          where x.kind = 'charge' and x.modern_slavery and x.occurred_on >= ${range.from}::date and x.occurred_on < ${range.to}::date + interval '1 month'
            and coalesce(e.area_id, ag.area_id) is not null
          group by 1, 2`.execute(db),
      )
    },
  },
  {
    key: 'public-reports',
    name: 'Concerns reported by the public',
    description: 'Reports received from the public in the month (online, 101 and Crimestoppers), by the area they are about.',
    unit: 'count',
    tables: ['public_reports', 'public_report_retained_counts'],
    async compute(db, range) {
      // The same count as the public module's monthlyReportCounts(), read here with SQL so this
      // module does not depend on that one being installed. Reports deleted at the end of their
      // retention are counted from the counts kept for them, so a purge changes no month.
      return rows(
        sql<DerivedRow>`
          select area_id, to_char(month, 'YYYY-MM-DD') as period, sum(n)::int as value
          from (
            select r.area_id, date_trunc('month', r.received_on)::date as month, 1 as n
            from public_reports r
            where r.received_on >= ${range.from}::date and r.received_on < ${range.to}::date + interval '1 month' and r.area_id is not null
            union all
            select k.area_id, k.month, k.reports
            from public_report_retained_counts k
            where k.month >= date_trunc('month', ${range.from}::date) and k.month < ${range.to}::date + interval '1 month' and k.area_id is not null
          ) as counted
          group by 1, 2`.execute(db),
      )
    },
  },
]

export function derivedSeries(key: string): DerivedSeries | undefined {
  return DERIVED_SERIES.find((s) => s.key === key)
}

async function tablesExist(db: Db, tables: string[]): Promise<boolean> {
  for (const t of tables) {
    const { rows: found } = await sql<{ r: string | null }>`select to_regclass(${t})::text as r`.execute(db)
    if (!found[0]?.r) return false
  }
  return true
}

/**
 * The series of one source for every area, parents included: counts add up, percentages are
 * recomputed from their summed numerators and denominators.
 */
export async function computeDerived(db: Db, key: string, range: DerivedRange): Promise<DerivedValue[]> {
  const source = derivedSeries(key)
  if (!source || !(await tablesExist(db, source.tables))) return []
  // A derived series counts the whole partnership's casework, whoever asks; it is published only
  // as counts, exactly to those who may read the records and protected for everyone else
  // (disclosure.ts decides which).
  const base = await runAsOwner('derived indicator series count every agency’s records', () => source.compute(db, range))
  const parents = new Map(
    (await db.selectFrom('areas').select(['id', 'parent_id']).where('parent_id', 'is not', null).execute()).map((a) => [a.id, a.parent_id as string]),
  )
  const totals = new Map<string, { area_id: string; period: string; value: number; denominator: number }>()
  const add = (area: string, r: DerivedRow) => {
    const key = `${area} ${r.period}`
    const t = totals.get(key) ?? { area_id: area, period: r.period, value: 0, denominator: 0 }
    t.value += Number(r.value)
    t.denominator += Number(r.denominator ?? 0)
    totals.set(key, t)
  }
  for (const r of base) {
    add(r.area_id, r)
    const parent = parents.get(r.area_id)
    if (parent) add(parent, r)
  }
  return [...totals.values()].flatMap((t) => {
    if (source.unit !== 'percent') return [{ area_id: t.area_id, period: t.period, value: t.value }]
    return t.denominator > 0 ? [{ area_id: t.area_id, period: t.period, value: Math.round((1000 * t.value) / t.denominator) / 10, denominator: t.denominator }] : []
  })
}
