import type { Db } from '../../db/index.ts'
import { indicatorsStore } from './store.ts'
import { isWithheld, publishedSeries } from './disclosure.ts'
import { fdrSentence, judgeSpc, ragFor, type Rag, type SpcJudgement } from './assess.ts'
import { publishedJudgement, publishedJudgements } from './family.ts'
import { addMonths, monthIndex, periodLabel, shortLabel, spanLabel } from './periods.ts'
import { populationFor, ratePer1000, rateText } from './rates.ts'
import { compareCounts, exceedances, explainComparison, explainExceedance, type Point } from './trends.ts'
import { strategyProgress, STATUS_TEXT, type ObjectiveStatus } from './strategy.ts'
import type { Frequency, Polarity, Unit } from './tables.ts'

/**
 * What a performance report says, built from the data for a chosen span of months and area. A
 * draft is built afresh each time it is read; publishing freezes it (the `snapshot`), so the public
 * page always shows what was published. Aggregates only: no person appears, and counts of
 * people that Lantern keeps are read as the public may see them (`publishedSeries`, protected):
 * a figure that needs a withheld month is "not shown", with no comparison.
 */
export interface ReportContent {
  version: 1
  title: string
  meeting: string | null
  areaName: string
  periodFrom: string
  periodTo: string
  periodLabel: string
  comparisonLabel: string
  builtOn: string
  commentary: string | null
  headlines: Headline[]
  /** Maps of the areas within the report's area, shaded by rate (reports published before maps have none). */
  maps?: AreaMap[]
  trends: { indicator: string; area: string; kind: 'exceedance' | 'year-on-year'; text: string }[]
  strategy: {
    title: string
    objectives: {
      position: number
      title: string
      status: ObjectiveStatus
      statusText: string
      summary: string
      indicators: { name: string; area: string; latest: string; target: string; rag: Rag | null; direction: string }[]
      /** `id` lets the page link the recommendations an action answers (reports published before it have none). */
      actions: { id?: string; title: string; lead: string | null; due: string | null; status: string; note: string | null }[]
    }[]
  } | null
}

export interface Headline {
  /** Lets the page link the recommendations it shows progress on (reports published before it have none). */
  indicatorId?: string
  name: string
  unit: Unit
  polarity: Polarity
  /** Values as shown (numbers, or "not shown"). */
  value: string
  yearBefore: string
  twoYearsBefore: string
  change: string
  target: string
  rag: Rag | null
  months: number
  monthsExpected: number
  /** "Very likely a real rise", "Could be chance" and so on. */
  verdict: string
  explanation: string
  /** Count per 1,000 residents in the period, as shown ("3.41"), for counts with a population; else null. */
  rate?: string | null
  /** How often the indicator is measured (reports published before control charts lack it: monthly). */
  frequency?: Frequency
  /** The values charted: the period and the year before it (values not shown are null). */
  chart?: { period: string; label: string; value: number | null }[]
  /**
   * The XmR control chart's judgement of `chart`, made when the content was built, so a published
   * report keeps the limits, signals and words it was published with whatever Lantern's rules
   * become. Null: no control chart (too few values, or one not shown). Absent: a report published
   * before control charts were kept, judged from its frozen values when read (`headlineControl`).
   */
  control?: SpcJudgement | null
}

/** One indicator's counts and rates in the areas within the report's area, for the map and its table. */
export interface AreaMap {
  indicator: string
  areas: { code: string; name: string; count: number | null; population: number | null; rate: number | null }[]
}

/** The XmR judgement of a headline's charted values, when there are enough and every one is shown. */
export function headlineControl(headline: Pick<Headline, 'polarity' | 'frequency' | 'chart'>): SpcJudgement | null {
  const chart = headline.chart ?? []
  const points = chart.filter((p): p is { period: string; label: string; value: number } => p.value !== null)
  // A chart with a value not shown has a gap, and a control chart across a gap would mislead.
  if (points.length !== chart.length) return null
  return judgeSpc({ polarity: headline.polarity, frequency: headline.frequency ?? 'month' }, points)
}

/** The one marker of a figure withheld to protect children, wherever it is printed. */
export const NOT_SHOWN = 'not shown'

/**
 * The change on a year before in words: a whole percent of a count ("up 13%"), and percentage
 * points for a percentage ("up 3.2 percentage points": 88.3% to 91.5% is not "up 4%").
 */
export function describeChange(now: number, before: number, unit: Unit): string {
  if (now === before) return 'no change'
  const direction = now > before ? 'up' : 'down'
  if (unit === 'percent') return `${direction} ${Math.round(Math.abs(now - before) * 10) / 10} percentage points`
  if (before === 0) return 'none before'
  return `${direction} ${Math.abs(Math.round(((now - before) / before) * 100))}%`
}

/**
 * A figure as published: a withheld one (NaN, from `publishedSeries`) prints the one marker
 * (docs/security.md, "Small numbers").
 */
export function show(value: number | null, unit: Unit): string {
  if (value === null) return 'No data'
  if (isWithheld(value)) return NOT_SHOWN
  // Counts are whole numbers; other units keep one decimal.
  const n = unit === 'count' ? Math.round(value) : Math.round(value * 10) / 10
  if (unit === 'percent') return `${n}%`
  if (unit === 'seconds') return `${Math.round(n)} seconds`
  return n.toLocaleString('en-GB')
}

function sum(points: Point[], from: string, to: string, unit: Unit) {
  const inside = points.filter((p) => p.period >= from && p.period <= to)
  if (!inside.length) return { value: null, months: 0 }
  const total = inside.reduce((s, p) => s + p.value, 0)
  return { value: unit === 'count' ? total : Math.round((total / inside.length) * 10) / 10, months: inside.length }
}

export async function buildReportContent(
  db: Db,
  report: { title: string; meeting: string | null; area_id: string; period_from: string; period_to: string; commentary: string | null },
  today: string,
): Promise<ReportContent> {
  const store = indicatorsStore(db)
  const [indicators, areas, targets, populations] = await Promise.all([store.indicators({ activeOnly: true }), store.areas(), store.targets(), store.populations()])
  const area = areas.find((a) => a.id === report.area_id)
  const from = report.period_from
  const to = report.period_to
  const span = monthIndex(to) - monthIndex(from) + 1
  const yearFrom = addMonths(from, -12)
  const yearTo = addMonths(to, -12)
  const areaIds = new Set([report.area_id, ...areas.filter((a) => a.parent_id === report.area_id).map((a) => a.id)])
  const areaName = new Map(areas.map((a) => [a.id, a.name]))

  const within = areas.filter((a) => a.parent_id === report.area_id)
  const mapped = within.length ? within : areas.filter((a) => a.id === report.area_id)
  const ownPopulation = populationFor(populations, report.area_id, from)?.population ?? null
  const maps: AreaMap[] = []
  const headlines: Headline[] = []
  const trends: ReportContent['trends'] = []
  // The report's own comparison, judged as the dashboard judges: exact test, overdispersion check,
  // and "significant" adjusted across every count indicator in every area (Benjamini-Hochberg).
  const choice = { current: { from, to }, previous: { from: yearFrom, to: yearTo } }
  const seriesOf = new Map<string, Awaited<ReturnType<typeof publishedSeries>>>()
  // A report is public: Lantern's own counts are always protected in it.
  for (const indicator of indicators) seriesOf.set(indicator.id, await publishedSeries(store, indicator, today, 'protected'))
  const family = await publishedJudgements(store, indicators, today, choice, seriesOf)
  const judged = (indicatorId: string, areaId: string) => publishedJudgement(family, indicatorId, areaId)

  for (const indicator of indicators) {
    const series = seriesOf.get(indicator.id)!
    const points = series.get(report.area_id) ?? []
    const expected = indicator.frequency === 'month' ? span : indicator.frequency === 'quarter' ? Math.ceil(span / 3) : Math.ceil(span / 12)
    const now = sum(points, from, to, indicator.unit)
    const before = sum(points, yearFrom, yearTo, indicator.unit)
    const twoBefore = sum(points, addMonths(from, -24), addMonths(to, -24), indicator.unit)
    const comparable = now.value !== null && before.value !== null && now.months === before.months

    if (indicator.headline) {
      let verdict = 'No comparison'
      let explanation = ''
      let change = '–'
      // A verdict or a change needs both figures.
      const withheld = isWithheld(now.value) || isWithheld(before.value)
      if (withheld) {
        verdict = 'Numbers too small to compare'
        explanation = 'Numbers too small to publish or to test.'
      } else if (comparable && before.value !== null && now.value !== null) {
        change = describeChange(now.value, before.value, indicator.unit)
        if (indicator.unit === 'count') {
          const j = judged(indicator.id, report.area_id)
          const c = compareCounts(now.value, before.value)
          const significant = j ? j.significant : c.pValue < 0.05
          const rose = now.value > before.value
          verdict = significant ? `Very likely a real ${rose ? 'rise' : 'fall'}` : now.value === before.value ? 'No change' : 'Could be chance'
          explanation = j
            ? `${j.explanation} ${fdrSentence(j)}`.trim()
            : explainComparison(c, { name: indicator.name, currentLabel: spanLabel(from, to), previousLabel: spanLabel(yearFrom, yearTo) })
          if (twoBefore.value !== null && twoBefore.months === now.months && !isWithheld(twoBefore.value)) {
            const c2 = compareCounts(now.value, twoBefore.value)
            if (c2.pValue < 0.05) explanation += ` ${explainComparison(c2, { name: indicator.name, currentLabel: spanLabel(from, to), previousLabel: spanLabel(addMonths(from, -24), addMonths(to, -24)) })}`
          }
        } else {
          verdict = 'Against target'
        }
      }
      const t = targets.find((x) => x.indicator_id === indicator.id && x.area_id === report.area_id)
      const perPeriod = now.value !== null && now.months ? (indicator.unit === 'count' ? now.value / now.months : now.value) : null
      const headline: Headline = {
        indicatorId: indicator.id,
        name: indicator.name,
        unit: indicator.unit,
        polarity: indicator.polarity,
        frequency: indicator.frequency,
        value: show(now.value, indicator.unit),
        yearBefore: show(before.value, indicator.unit),
        twoYearsBefore: show(twoBefore.value, indicator.unit),
        change,
        target: t ? `${show(t.value, indicator.unit)}${indicator.unit === 'count' ? ` a ${indicator.frequency}` : ''}` : 'None',
        rag: !withheld && t && perPeriod !== null ? ragFor(perPeriod, { value: t.value, amber_margin: t.amber_margin }, indicator.polarity) : null,
        months: now.months,
        monthsExpected: expected,
        verdict,
        explanation,
        rate: indicator.unit === 'count' && !withheld && now.months === expected ? rateText(ratePer1000(now.value, ownPopulation)) : null,
        chart: points
          .filter((p) => p.period >= yearFrom && p.period <= to)
          .map((p) => ({ period: p.period, label: shortLabel(p.period, indicator.frequency), value: isWithheld(p.value) ? null : indicator.unit === 'count' ? Math.round(p.value) : p.value })),
      }
      headlines.push({ ...headline, control: headlineControl(headline) })
      if (indicator.unit === 'count' && indicator.source_kind === 'police_uk') {
        maps.push({
          indicator: indicator.name,
          areas: mapped.map((a) => {
            const inArea = sum(series.get(a.id) ?? [], from, to, indicator.unit)
            const count = inArea.months === expected ? inArea.value : null
            const population = populationFor(populations, a.id, from)?.population ?? null
            return { code: a.code, name: a.name, count, population, rate: ratePer1000(count, population) }
          }),
        })
      }
    }

    // Emerging trends: exceedances within the period, here and in the areas within, and significant changes here.
    if (indicator.frequency === 'month' && indicator.unit === 'count') {
      for (const id of areaIds) {
        const s = series.get(id)
        if (!s) continue
        const inPeriod = s.filter((p) => p.period <= to)
        const months = monthIndex(to) - monthIndex(inPeriod[0]?.period ?? to) + 1
        const results = inPeriod.length ? exceedances(inPeriod, Math.min(span, months)) : null
        for (const e of results ?? []) {
          // In the report's own area every exceedance in the period; in the areas within it only the
          // latest month's, so the many tests of small areas do not bury the emerging ones.
          const window = id === report.area_id ? from : to
          if (e.alarm && e.period >= window && indicator.polarity !== 'up_good') {
            trends.push({ indicator: indicator.name, area: areaName.get(id) ?? '', kind: 'exceedance', text: explainExceedance(e) })
          }
        }
      }
    }
    if (indicator.unit === 'count' && comparable && now.value !== null && before.value !== null && !isWithheld(now.value) && !isWithheld(before.value)) {
      const c = compareCounts(now.value, before.value)
      const j = judged(indicator.id, report.area_id)
      const worse = indicator.polarity === 'up_bad' ? now.value > before.value : indicator.polarity === 'up_good' ? now.value < before.value : true
      if ((j ? j.significant : c.pValue < 0.05) && worse) {
        trends.push({
          indicator: indicator.name,
          area: area?.name ?? '',
          kind: 'year-on-year',
          text: j ? `${j.explanation} ${fdrSentence(j)}`.trim() : explainComparison(c, { name: indicator.name, currentLabel: spanLabel(from, to), previousLabel: spanLabel(yearFrom, yearTo) }),
        })
      }
    }
  }

  const progress = await strategyProgress(db, today, 'protected')
  const strategy: ReportContent['strategy'] = progress
    ? {
        title: progress.strategy.title,
        objectives: progress.objectives.map((o) => ({
          position: o.position,
          title: o.title,
          status: o.status,
          statusText: STATUS_TEXT[o.status],
          summary: o.summary,
          indicators: o.indicators.map((i) => ({
            name: i.name,
            area: i.areaName,
            latest: i.latest ? `${show(i.latest.value, i.unit)} (${i.latest.label})` : 'None yet',
            target: i.target !== null ? show(i.target, i.unit) : 'None',
            rag: i.rag,
            direction: i.direction ?? (i.withheld ? 'Numbers too small to compare' : 'Not enough history'),
          })),
          actions: o.actions.map((a) => ({
            id: a.id,
            title: a.title,
            lead: a.leadAgency,
            due: a.dueDate,
            status: a.overdue ? 'Overdue' : a.status === 'complete' ? 'Complete' : a.status === 'in_progress' ? 'In progress' : a.status === 'stopped' ? 'Stopped' : 'Not started',
            note: a.progressNote,
          })),
        })),
      }
    : null

  return {
    version: 1,
    title: report.title,
    meeting: report.meeting,
    areaName: area?.name ?? '',
    periodFrom: from,
    periodTo: to,
    periodLabel: spanLabel(from, to),
    comparisonLabel: spanLabel(yearFrom, yearTo),
    builtOn: today,
    commentary: report.commentary,
    headlines,
    maps,
    trends,
    strategy,
  }
}

export { periodLabel }
