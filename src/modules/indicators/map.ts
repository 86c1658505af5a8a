/**
 * A map of the partnership's areas shaded by rate, drawn as SVG on the server from the boundaries
 * Lantern ships (src/analytics/geo). Shading is never the only cue: every map has a table of the
 * same numbers beside it.
 */
import { BOUNDARY_ATTRIBUTION, boundary, boundaryPath, boundsOf, corners, fitProjection, type Boundary } from '../../analytics/geo/index.ts'

export const MAP_ATTRIBUTION = BOUNDARY_ATTRIBUTION
export { hasBoundary } from '../../analytics/geo/index.ts'

export interface MapArea {
  code: string
  name: string
  /** The value shaded (a rate per 1,000 residents); null where there is no population or count. */
  rate: number | null
}

export interface MapOptions {
  id: string
  title: string
  description: string
  /** What the legend's numbers are ("per 1,000 residents"). */
  unit: string
  width?: number
  height?: number
}

// Five shades of GOV.UK blue, light to dark; the darkest two carry white-on-dark nowhere, so no text contrast rule applies.
const SHADES = ['#d2e2f1', '#a8c6e4', '#5694ca', '#1d70b8', '#003078']
const NO_DATA = '#f3f2f1'
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

/**
 * Five equal steps of a readable size (1, 2 or 5 times a power of ten, or their halves) from a round
 * number at or below the lowest rate to the highest. The key starts near the lowest rate rather
 * than at 0: rates of 8 to 11 per 1,000 keyed from 0 would leave the three lightest shades unused
 * and every area looking alike.
 */
export function scaleOf(min: number, max: number): { from: number; bounds: number[] } {
  if (!(max > 0)) return { from: 0, bounds: [0, 0, 0, 0, 0] }
  const low = Math.max(0, Math.min(min, max))
  const span = max > low ? max - low : max
  let step = niceAtLeast(span / 5)
  for (;;) {
    const from = max > low ? Math.floor(low / step) * step : 0
    if (from + 5 * step >= max) {
      const round = (n: number) => Number(n.toPrecision(6))
      return { from: round(from), bounds: [1, 2, 3, 4, 5].map((k) => round(from + k * step)) }
    }
    // Flooring the start lost up to a step, so the five no longer reach the highest rate.
    step = niceAtLeast(step * 1.0001)
  }
}

function niceAtLeast(raw: number): number {
  const half = 10 ** Math.floor(Math.log10(raw)) / 2
  return Math.ceil(raw / half - 1e-9) * half
}

/** The map as SVG, or null when none of the areas has a boundary (a partnership outside England). */
export function renderAreaMap(areas: MapArea[], options: MapOptions): string | null {
  const found = areas.map((a) => ({ area: a, shape: boundary(a.code) })).filter((x): x is { area: MapArea; shape: Boundary } => Boolean(x.shape))
  if (!found.length) return null
  const width = options.width ?? 640
  const height = options.height ?? 480
  const legendWidth = 170
  const projection = fitProjection(boundsOf(corners(found.map((f) => f.shape)))!, { width: width - legendWidth, maxHeight: height, minHeight: 190 })
  const usedHeight = projection.height
  const max = Math.max(0, ...found.map((f) => f.area.rate ?? 0))
  const min = Math.min(...found.map((f) => f.area.rate ?? Infinity))
  const { from: keyFrom, bounds } = scaleOf(min, max)
  const shade = (rate: number | null) => (rate === null ? NO_DATA : SHADES[Math.max(0, bounds.findIndex((b) => rate <= b))])
  const titleId = `${options.id}-title`
  const descId = `${options.id}-desc`
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="lantern-map" font-family="GDS Transport, arial, sans-serif" viewBox="0 0 ${width} ${usedHeight}" width="${width}" height="${usedHeight}" role="img" aria-labelledby="${titleId} ${descId}" id="${esc(options.id)}">`,
    `<title id="${titleId}">${esc(options.title)}</title>`,
    `<desc id="${descId}">${esc(options.description)}</desc>`,
  ]
  for (const { area, shape } of found) {
    const d = boundaryPath(shape, projection)
    parts.push(`<path class="lantern-map__area" d="${d}" fill="${shade(area.rate)}" stroke="#0b0c0c" stroke-width="0.75"><title>${esc(area.name)}: ${area.rate === null ? 'no rate' : esc(area.rate.toLocaleString('en-GB', { maximumFractionDigits: 1 }))}</title></path>`)
  }
  // Legend, top right: the five shades with their ranges, and "no data" when any area lacks a rate.
  const lx = width - legendWidth + 10
  const legend = [`<text x="${lx}" y="20" font-size="13" font-weight="bold" fill="#0b0c0c">${esc(options.unit)}</text>`]
  bounds.forEach((b, i) => {
    const from = i === 0 ? keyFrom : bounds[i - 1]
    const y = 32 + i * 24
    legend.push(`<rect x="${lx}" y="${y}" width="22" height="16" fill="${SHADES[i]}" stroke="#0b0c0c" stroke-width="0.75"/><text x="${lx + 30}" y="${y + 13}" font-size="12" fill="#0b0c0c">${esc(`${fmt(from)} to ${fmt(b)}`)}</text>`)
  })
  if (found.some((f) => f.area.rate === null)) {
    const y = 32 + 5 * 24
    legend.push(`<rect x="${lx}" y="${y}" width="22" height="16" fill="${NO_DATA}" stroke="#0b0c0c" stroke-width="0.75"/><text x="${lx + 30}" y="${y + 13}" font-size="12" fill="#0b0c0c">No rate</text>`)
  }
  parts.push(`<g class="lantern-map__legend" aria-hidden="true">${legend.join('')}</g>`, '</svg>')
  return parts.join('')
}

function fmt(n: number): string {
  return n.toLocaleString('en-GB', { maximumFractionDigits: 2 })
}
