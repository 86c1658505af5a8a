/**
 * The pictures of a performance report, drawn from its content (so a published report's pictures
 * come from its frozen snapshot): each headline indicator's chart and each map of the areas shaded
 * by rate. The web page puts the SVG in the page; the PDF draws the same SVG.
 */
import { renderChart } from './chart.ts'
import { controlChartOf } from './control-chart.ts'
import { MAP_ATTRIBUTION, renderAreaMap } from './map.ts'
import { headlineControl, NOT_SHOWN, type ReportContent } from './report-content.ts'

export interface ReportFigures {
  /** One per headline, in order: the chart's SVG, or null when the report has no chart data for it. */
  charts: (string | null)[]
  /** One per map in the content: its SVG (null when no area has a boundary). */
  maps: (string | null)[]
  /** One per headline: its XmR control chart and judgement, for a series of 12 or more points all shown; else null. */
  controlCharts: ({ svg: string; text: string; rows: { label: string; value: number; cause: string }[] } | null)[]
  attribution: string
  /** Some figure of the report is not shown (to protect children), so the page says why, once. */
  withheld: boolean
}

const MARKERS = new Set([NOT_SHOWN, 'fewer than 5'])

const slug = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')

export function reportFigures(content: ReportContent, options: { width?: number } = {}): ReportFigures {
  const charts = content.headlines.map((h) => {
    if (!h.chart?.length) return null
    const hidden = h.chart.filter((p) => p.value === null).length
    return renderChart(
      h.chart.map((p) => ({ label: p.label, value: p.value })),
      {
        id: `report-chart-${slug(h.name)}`,
        title: `${h.name}, ${content.areaName}: ${h.chart[0].label} to ${h.chart.at(-1)!.label}`,
        description: `Line chart of ${h.chart.length} values, ${content.comparisonLabel} and ${content.periodLabel}, the same as in the table with it.${hidden ? ` ${hidden} value(s) not shown, to protect children from being identified, are left out.` : ''}`,
        wholeNumbers: h.unit === 'count',
        width: options.width,
      },
    )
  })
  const controlCharts = content.headlines.map((h) => {
    // As judged when the content was built (frozen with a published report); older reports from their frozen values.
    const spc = h.control === undefined ? headlineControl(h) : h.control
    if (!spc) return null
    const drawn = controlChartOf({ slug: `report-${slug(h.name)}`, name: h.name, polarity: h.polarity, frequency: h.frequency ?? 'month' }, content.areaName, spc, { width: options.width })
    return { svg: drawn.svg, text: spc.text, rows: drawn.rows }
  })
  const maps = (content.maps ?? []).map((m) =>
    renderAreaMap(
      m.areas.map((a) => ({ code: a.code, name: a.name, rate: a.rate })),
      {
        id: `report-map-${slug(m.indicator)}`,
        title: `${m.indicator} per 1,000 residents, ${content.periodLabel}, areas of ${content.areaName}`,
        description: `Map of ${m.areas.length} areas shaded from light (lower rate) to dark (higher rate); the counts, populations and rates are in the table with it.`,
        unit: 'Per 1,000 residents',
        width: options.width,
        height: options.width ? Math.round(options.width * 0.75) : undefined,
      },
    ),
  )
  const withheld =
    content.headlines.some((h) => [h.value, h.yearBefore, h.twoYearsBefore].some((v) => MARKERS.has(v)) || h.chart?.some((p) => p.value === null)) ||
    Boolean(content.strategy?.objectives.some((o) => o.indicators.some((i) => [...MARKERS].some((m) => i.latest.startsWith(m)))))
  return { charts, controlCharts, maps, attribution: MAP_ATTRIBUTION, withheld }
}
