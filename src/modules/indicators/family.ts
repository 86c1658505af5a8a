/**
 * Every indicator in every area assessed at once, so that "flagged" means the same wherever it
 * appears: the dashboard, the indicator page, the strategy pages and (with the report's own two
 * periods) the performance report. The "real or chance?" p-values are adjusted together by the
 * Benjamini-Hochberg method, within each family of tests that compare the same two periods.
 *
 * The family is the published one: the tests a reader of the public report can see. A viewer who
 * sees Lantern's counts exactly (disclosure.ts) also sees tests of counts the report withholds;
 * adding them to the family would change every adjusted p-value, so that an analyst's figure for
 * the panel's question would differ from the report's. Instead a published test keeps its published
 * adjustment for every viewer, and only the tests no one outside sees are adjusted among the
 * viewer's own.
 */
import { assess, controlFalseDiscoveries, judgeSeries, refreshAlerts, type Assessment, type Comparison, type Judgement } from './assess.ts'
import { protectSeries, publishedSeries, type Disclosure } from './disclosure.ts'
import type { IndicatorsStore } from './store.ts'
import type { Point } from './trends.ts'

export type IndicatorRow = Awaited<ReturnType<IndicatorsStore['indicators']>>[number]

export interface Assessed {
  indicator: IndicatorRow
  areaId: string
  series: Point[]
  assessment: Assessment
}

const key = (indicatorId: string, areaId: string) => `${indicatorId} ${areaId}`

/**
 * The published family: each count indicator in each area judged on its series as published, over
 * the periods given (or each series' default ones), adjusted together. By indicator and area.
 * `published` holds the indicators' published series where the caller has them already.
 */
export async function publishedJudgements(
  store: IndicatorsStore,
  indicators: IndicatorRow[],
  today: string,
  comparison?: Comparison,
  published?: Map<string, Map<string, Point[]>>,
): Promise<Map<string, Judgement>> {
  const judged = new Map<string, Judgement>()
  for (const indicator of indicators) {
    if (indicator.unit !== 'count') continue
    const series = published?.get(indicator.id) ?? (await publishedSeries(store, indicator, today, 'protected'))
    for (const [areaId, points] of series) {
      const j = judgeSeries(indicator, points, comparison)
      if (j) judged.set(key(indicator.id, areaId), j)
    }
  }
  controlFalseDiscoveries([...judged.values()])
  return judged
}

export async function assessFamily(
  store: IndicatorsStore,
  indicators: IndicatorRow[],
  disclosure: Disclosure,
  today: string,
  options: { farringtonMonths?: number; comparison?: Comparison } = {},
): Promise<Assessed[]> {
  const targets = await store.targets()
  const results: Assessed[] = []
  const published = new Map<string, Map<string, Point[]>>()
  for (const indicator of indicators) {
    const exact = await store.exactSeries(indicator, today)
    // What the public sees of it: for this viewer, and for the published family of an exact viewer.
    const shown = disclosure === 'protected' || indicator.unit === 'count' ? await protectSeries(store, indicator, exact) : exact
    published.set(indicator.id, shown)
    const series = disclosure === 'exact' ? exact : shown
    for (const [areaId, points] of series) {
      const t = targets.find((x) => x.indicator_id === indicator.id && x.area_id === areaId)
      results.push({
        indicator,
        areaId,
        series: points,
        assessment: assess(indicator, points, t ? { value: t.value, amber_margin: t.amber_margin } : null, today, options),
      })
    }
  }
  controlFalseDiscoveries(results.map((r) => r.assessment.yearOnYear))
  if (disclosure === 'exact') {
    const family = await publishedJudgements(store, indicators, today, options.comparison, published)
    for (const r of results) {
      const own = r.assessment.yearOnYear
      const shared = family.get(key(r.indicator.id, r.areaId))
      // Shown counts are exact counts, so the same periods give the same test and p-value.
      if (own && shared && samePeriods(own, shared)) Object.assign(own, { adjustedP: shared.adjustedP, significant: shared.significant })
    }
  }
  for (const r of results) refreshAlerts(r.assessment)
  return results
}

function samePeriods(a: Judgement, b: Judgement): boolean {
  return a.choice.current.from === b.choice.current.from && a.choice.current.to === b.choice.current.to && a.choice.previous.from === b.choice.previous.from && a.choice.previous.to === b.choice.previous.to
}

/** The assessment of one indicator in one area within its family, if it is one of them. */
export function inFamily<T extends Pick<Assessed, 'indicator' | 'areaId'>>(family: T[], indicatorId: string, areaId: string | undefined): T | undefined {
  return family.find((r) => r.indicator.id === indicatorId && r.areaId === areaId)
}

/** A published judgement of one indicator in one area. */
export function publishedJudgement(family: Map<string, Judgement>, indicatorId: string, areaId: string): Judgement | null {
  return family.get(key(indicatorId, areaId)) ?? null
}
