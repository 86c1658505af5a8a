/**
 * Every indicator in every area assessed at once, so that "flagged" means the same wherever it
 * appears: the dashboard, the indicator page, the strategy pages and (with the report's own two
 * periods) the performance report. The "real or chance?" p-values are adjusted together by the
 * Benjamini-Hochberg method, within each family of tests that compare the same two periods.
 */
import { assess, controlFalseDiscoveries, refreshAlerts, type Assessment, type Comparison } from './assess.ts'
import { publishedSeries, type Disclosure } from './disclosure.ts'
import type { IndicatorsStore } from './store.ts'
import type { Point } from './trends.ts'

export type IndicatorRow = Awaited<ReturnType<IndicatorsStore['indicators']>>[number]

export interface Assessed {
  indicator: IndicatorRow
  areaId: string
  series: Point[]
  assessment: Assessment
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
  for (const indicator of indicators) {
    const series = await publishedSeries(store, indicator, today, disclosure)
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
  for (const r of results) refreshAlerts(r.assessment)
  return results
}

/** The assessment of one indicator in one area within its family, if it is one of them. */
export function inFamily(family: Assessed[], indicatorId: string, areaId: string | undefined): Assessed | undefined {
  return family.find((r) => r.indicator.id === indicatorId && r.areaId === areaId)
}
