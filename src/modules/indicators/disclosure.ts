/**
 * Who sees Lantern's own counts exactly, and what everyone else sees of them.
 *
 * A count Lantern keeps (children rated Red, missing episodes, NRM referrals...) is computed from
 * records of children across every agency (`computeDerived`, read as the owner). Only a viewer who
 * could read such records sees it exactly: a role holding `person:view` in an agency that holds
 * personal data. Everyone else (partnership officers, panel members, administrators, the public,
 * and every published report) sees it **protected**: the series of every area by month is one
 * publication, a county adding up to its districts, protected by `protect` (small counts hidden,
 * and further counts until no hidden count can be narrowed to fewer than 5 values).
 *
 * A hidden value is replaced by NaN before the series leaves this module, so the true value is
 * gone and everything computed from it (quarter and year totals, changes, comparisons, rates,
 * charts, control charts) is NaN too: a figure is shown only when it can be worked out from shown
 * counts alone, which adds nothing to what the reader knows. Pages print NaN as "not shown".
 */
import { protect, SMALL_COUNT, type Fact } from '../../analytics/suppression/index.ts'
import type { RequestContext } from '../../kernel/context.ts'
import type { AccessService } from '../../access/service.ts'
import type { Point } from './trends.ts'
import type { AreaRow, IndicatorsStore } from './store.ts'
import type { Indicator } from './tables.ts'

export type Disclosure = 'exact' | 'protected'

/** The one place that decides, from permissions and the viewer's agency, never from role names. */
export async function disclosureFor(ctx: RequestContext, access: AccessService, store: IndicatorsStore): Promise<Disclosure> {
  if (!ctx.user || !access.can(ctx, 'person:view')) return 'protected'
  return (await store.agencyHoldsPersonalData(ctx.user.agencyId)) ? 'exact' : 'protected'
}

/** A value that is not published: NaN, so anything computed from it is not published either. */
export const WITHHELD = Number.NaN
export const isWithheld = (value: number | null | undefined): boolean => typeof value === 'number' && Number.isNaN(value)

/** A percentage of fewer children than this is not published (50% of 2 names one child's outcome). */
const LEAST_DENOMINATOR = 5

/**
 * One indicator's series for every area, as this viewer may see it. Only Lantern's own counts are
 * protected: police.uk counts are published by police.uk, and values entered by hand are the
 * partnership's own aggregates.
 */
export async function publishedSeries(
  store: IndicatorsStore,
  indicator: Pick<Indicator, 'id' | 'source_kind' | 'source_key' | 'unit'>,
  today: string,
  disclosure: Disclosure,
): Promise<Map<string, Point[]>> {
  const series = await store.exactSeries(indicator, today)
  return disclosure === 'exact' ? series : protectSeries(store, indicator, series)
}

/** An indicator's exact series for every area, as it is published. */
export async function protectSeries(
  store: Pick<IndicatorsStore, 'areas'>,
  indicator: Pick<Indicator, 'source_kind' | 'unit'>,
  series: Map<string, Point[]>,
): Promise<Map<string, Point[]>> {
  if (indicator.source_kind !== 'lantern') return series
  if (indicator.unit !== 'count') return withholdSmallDenominators(series)
  return protectCounts(series, await store.areas())
}

function withholdSmallDenominators(series: Map<string, (Point & { of?: number })[]>): Map<string, Point[]> {
  return new Map([...series].map(([area, points]) => [area, points.map((p) => ({ period: p.period, value: (p.of ?? 0) < LEAST_DENOMINATOR ? WITHHELD : p.value }))]))
}

/**
 * Every area's monthly counts protected together, month by month: in a month, a county's count is
 * the sum of its districts' (a fact the reader knows), and nothing else ties the cells of one
 * month to another's, since every longer total is shown only when all its months are.
 */
export async function protectCounts(series: Map<string, Point[]>, areas: Pick<AreaRow, 'id' | 'parent_id'>[]): Promise<Map<string, Point[]>> {
  const parentOf = new Map(areas.filter((a) => a.parent_id && series.has(a.parent_id)).map((a) => [a.id, a.parent_id!]))
  // Groups of areas tied by a fact: a parent with its children; an area tied to no other alone.
  const groups = new Map<string, string[]>()
  for (const area of series.keys()) {
    const root = parentOf.get(area) ?? area
    groups.set(root, [...(groups.get(root) ?? []), ...(root === area ? [] : [area])])
  }
  const valueOf = new Map([...series].map(([area, points]) => [area, new Map(points.map((p) => [p.period, p.value]))]))
  const hidden = new Map([...series.keys()].map((area) => [area, new Set<string>()]))
  for (const [root, children] of groups) {
    if (!children.length) {
      // An area no fact ties to another: nothing further can be hidden to widen a hidden count,
      // and anyone who knows the rule knows a lone hidden count is from 1 to 4. So where such an
      // area has any, its zeros are hidden too, and each hidden count may be any of 0 to 4.
      const points = series.get(root)!
      if (points.some((p) => p.value > 0 && p.value < SMALL_COUNT)) for (const p of points) if (p.value < SMALL_COUNT) hidden.get(root)!.add(p.period)
      continue
    }
    const members = [...children, root]
    const periods = new Set(members.flatMap((a) => [...valueOf.get(a)!.keys()]))
    for (const period of periods) {
      // A month an area has no value for is a zero the reader knows.
      const values = members.map((a) => valueOf.get(a)!.get(period) ?? 0)
      if (!values.some((v) => v > 0 && v < SMALL_COUNT)) continue
      const facts: Fact[] = [{ kind: 'equal', terms: members.map((_, i) => [i, i === members.length - 1 ? -1 : 1]) }]
      const { hidden: which } = await protect(values, facts)
      which.forEach((h, i) => h && hidden.get(members[i])!.add(period))
    }
  }
  return new Map([...series].map(([area, points]) => [area, points.map((p) => (hidden.get(area)!.has(p.period) ? { period: p.period, value: WITHHELD } : p))]))
}
