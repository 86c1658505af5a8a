import { completeTotal, type Span } from './assess.ts'
import type { Point } from './trends.ts'
import type { Frequency } from './tables.ts'

/**
 * Rates per 1,000 residents, so that areas of different sizes compare fairly (Southampton against
 * Hart by count says only that Southampton is bigger). Populations are ONS mid-year estimates an
 * administrator enters or uploads per area and year (`area_populations`), with the single figure
 * on the areas page as a fallback.
 */

export interface PopulationFigures {
  /** Estimates, by area then year ascending. */
  estimates: { area_id: string; year: number; population: number; source: string | null }[]
  /** The areas page's single figure, for areas with no estimate. */
  fallback: Map<string, number>
}

/**
 * The population of an area for a span starting in `fromMonth` ('YYYY-MM-01'): the estimate for
 * the middle of that calendar year (a financial year 2025/26 uses mid-2025), else the latest before
 * it, else the earliest after it, else the areas page's figure; null when there is none.
 */
export function populationFor(figures: PopulationFigures, areaId: string, fromMonth: string): { population: number; year: number | null } | null {
  const year = Number(fromMonth.slice(0, 4))
  const mine = figures.estimates.filter((e) => e.area_id === areaId)
  const chosen = mine.filter((e) => e.year <= year).at(-1) ?? mine[0]
  if (chosen) return { population: chosen.population, year: chosen.year }
  const fallback = figures.fallback.get(areaId)
  return fallback ? { population: fallback, year: null } : null
}

/** Count per 1,000 residents, to one decimal place below 10 and whole above (null without a population). */
export function ratePer1000(count: number | null, population: number | null | undefined): number | null {
  if (count === null || !population) return null
  const rate = (count / population) * 1000
  return rate < 10 ? Math.round(rate * 100) / 100 : Math.round(rate * 10) / 10
}

/** A rate as every page prints it: "0.32", "12.4" (null stays null). */
export function rateText(rate: number | null): string | null {
  return rate === null ? null : rate.toLocaleString('en-GB', { maximumFractionDigits: 2 })
}

export interface AreaRate {
  id: string
  code: string
  name: string
  /** The count over the span; null when a period of it is missing, NaN when withheld from this viewer. */
  count: number | null
  population: number | null
  rate: number | null
}

/**
 * Each area's count over one span with its population and rate per 1,000, highest rate first (areas
 * with no rate last, by name), so areas of different sizes are compared fairly.
 */
export function areaRates(
  areas: { id: string; code: string; name: string }[],
  seriesOf: (areaId: string) => Point[],
  span: Span,
  frequency: Frequency,
  figures: PopulationFigures,
): AreaRate[] {
  return areas
    .map((a) => {
      const count = completeTotal(seriesOf(a.id), span, frequency)
      const population = populationFor(figures, a.id, span.from)?.population ?? null
      return { id: a.id, code: a.code, name: a.name, count, population, rate: count !== null && Number.isFinite(count) ? ratePer1000(count, population) : null }
    })
    .sort((a, b) => (b.rate ?? -1) - (a.rate ?? -1) || a.name.localeCompare(b.name))
}
