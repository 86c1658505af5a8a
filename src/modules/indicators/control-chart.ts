/**
 * The XmR control chart as SVG, drawn on the server like the line chart (chart.ts): the values, the
 * average, the process limits, and the points of any Making Data Count signal marked by shape as
 * well as colour (orange for concerning, blue for improving, as NHS England's charts do; a ring
 * where the direction is neither). The same numbers go in a table with it.
 */
import { labelledPoints, niceStep } from './chart.ts'
import type { SpcSignal, XmrResult } from './trends.ts'
import type { Frequency, Polarity } from './tables.ts'
import type { SpcJudgement } from './assess.ts'
import { periodLabel, shortLabel } from './periods.ts'

export interface ControlChartOptions {
  id: string
  title: string
  description: string
  polarity: Polarity
  width?: number
  height?: number
}

export type PointCause = 'concerning' | 'improving' | 'special' | null

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
const r1 = (n: number) => Math.round(n * 10) / 10
const COLOURS = { concerning: '#f47738', improving: '#1d70b8', special: '#6f72af' }

/** Each point's special cause, if it is part of a signal: concerning or improving by the polarity. */
export function pointCauses(count: number, signals: SpcSignal[], polarity: Polarity): PointCause[] {
  const causes: PointCause[] = Array.from({ length: count }, () => null)
  for (const s of signals) {
    const cause: PointCause = polarity === 'neutral' ? 'special' : (polarity === 'up_bad') === (s.direction === 'high') ? 'concerning' : 'improving'
    for (const i of s.positions) causes[i] = causes[i] && causes[i] !== cause ? 'special' : cause
  }
  return causes
}

export function renderControlChart(points: { label: string; value: number }[], chart: XmrResult, options: ControlChartOptions): string {
  const width = options.width ?? 720
  const height = options.height ?? 300
  const m = { top: 16, right: 16, bottom: 84, left: 56 }
  const plotW = width - m.left - m.right
  const plotH = height - m.top - m.bottom
  const values = points.map((p) => p.value)
  const step = niceStep(Math.max(chart.upper, ...values) - Math.min(chart.lower, ...values) || 1)
  // Counts and percentages are never below 0: the axis starts there when the lower limit would go under it.
  const floor = values.every((v) => v >= 0) ? Math.max(0, Math.min(chart.lower, ...values)) : Math.min(chart.lower, ...values)
  const bottom = Math.floor(floor / step) * step
  const top = Math.ceil(Math.max(chart.upper, ...values) / step) * step
  const x = (i: number) => m.left + (points.length <= 1 ? plotW / 2 : (i * plotW) / (points.length - 1))
  const y = (v: number) => m.top + plotH - ((v - bottom) / (top - bottom || 1)) * plotH
  const causes = pointCauses(points.length, chart.signals, options.polarity)
  const titleId = `${options.id}-title`
  const descId = `${options.id}-desc`
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="lantern-chart lantern-control-chart" font-family="GDS Transport, arial, sans-serif" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="${titleId} ${descId}" id="${esc(options.id)}">`,
    `<title id="${titleId}">${esc(options.title)}</title>`,
    `<desc id="${descId}">${esc(options.description)}</desc>`,
  ]
  for (let v = bottom; v <= top + step / 2; v += step) {
    parts.push(`<line class="lantern-chart__grid" x1="${m.left}" x2="${width - m.right}" y1="${r1(y(v))}" y2="${r1(y(v))}" stroke="#dddddd" stroke-width="1"/>`)
    parts.push(`<text class="lantern-chart__tick" x="${m.left - 8}" y="${r1(y(v) + 4)}" text-anchor="end" font-size="12" fill="#0b0c0c">${esc(r1(v).toLocaleString('en-GB'))}</text>`)
  }
  for (const { index: i, anchor } of labelledPoints(points.map((p) => p.label), plotW)) {
    parts.push(`<text class="lantern-chart__tick" x="${r1(x(i))}" y="${height - m.bottom + 18}" text-anchor="${anchor}" font-size="12" fill="#0b0c0c">${esc(points[i].label)}</text>`)
  }
  const hline = (v: number, cls: string, dash: string) =>
    v >= bottom && v <= top ? `<line class="${cls}" x1="${m.left}" x2="${width - m.right}" y1="${r1(y(v))}" y2="${r1(y(v))}" stroke="#505a5f" stroke-width="1.5"${dash ? ` stroke-dasharray="${dash}"` : ''}/>` : ''
  parts.push(hline(chart.mean, 'lantern-chart__mean', ''), hline(chart.upper, 'lantern-chart__limit', '6 4'), hline(chart.lower, 'lantern-chart__limit', '6 4'))
  parts.push(`<polyline class="lantern-chart__series" points="${points.map((p, i) => `${r1(x(i))},${r1(y(p.value))}`).join(' ')}" fill="none" stroke="#0b0c0c" stroke-width="2"/>`)
  points.forEach((p, i) => {
    const cx = r1(x(i))
    const cy = r1(y(p.value))
    const cause = causes[i]
    if (!cause) parts.push(`<circle class="lantern-chart__point" cx="${cx}" cy="${cy}" r="3" fill="#0b0c0c"/>`)
    // A special cause point is a larger diamond, so the shape tells it apart without the colour.
    else parts.push(`<path class="lantern-chart__special lantern-chart__special--${cause}" d="M${cx},${r1(cy - 7)} L${r1(cx + 7)},${cy} L${cx},${r1(cy + 7)} L${r1(cx - 7)},${cy} Z" fill="${COLOURS[cause]}" stroke="#0b0c0c" stroke-width="1"/>`)
  })
  const ly = height - m.bottom + 42
  const legend = [
    `<line x1="${m.left}" x2="${m.left + 24}" y1="${ly}" y2="${ly}" stroke="#505a5f" stroke-width="1.5"/><text x="${m.left + 30}" y="${ly + 4}" font-size="12" fill="#0b0c0c">Average</text>`,
    `<line x1="${m.left + 110}" x2="${m.left + 134}" y1="${ly}" y2="${ly}" stroke="#505a5f" stroke-width="1.5" stroke-dasharray="6 4"/><text x="${m.left + 140}" y="${ly + 4}" font-size="12" fill="#0b0c0c">Process limits</text>`,
  ]
  if (causes.some(Boolean)) {
    const shown = [...new Set(causes.filter((c): c is Exclude<PointCause, null> => c !== null))]
    shown.forEach((cause, k) => {
      const lx = m.left + (k % 2) * 260
      const row = ly + 20 * (1 + Math.floor(k / 2))
      const label = cause === 'special' ? 'Special cause' : `Special cause, ${cause}`
      legend.push(`<path d="M${lx + 12},${row - 7} L${lx + 19},${row} L${lx + 12},${row + 7} L${lx + 5},${row} Z" fill="${COLOURS[cause]}" stroke="#0b0c0c"/><text x="${lx + 26}" y="${row + 4}" font-size="12" fill="#0b0c0c">${label}</text>`)
    })
  }
  parts.push(`<g class="lantern-chart__legend" aria-hidden="true">${legend.join('')}</g>`, '</svg>')
  return parts.join('')
}

/** The XmR chart of the judgement the page gives, with each point's cause for the table beside it. */
export function controlChartOf(indicator: { slug: string; name: string; polarity: Polarity; frequency: Frequency }, areaName: string, spc: SpcJudgement, options: { width?: number } = {}) {
  const points = spc.window.map((p) => ({ label: shortLabel(p.period, indicator.frequency), value: p.value }))
  const causes = pointCauses(points.length, spc.chart.signals, indicator.polarity)
  const special = causes.filter(Boolean).length
  const svg = renderControlChart(points, spc.chart, {
    id: `control-chart-${indicator.slug}`,
    title: `Control chart of ${indicator.name}, ${areaName}: ${points[0].label} to ${points.at(-1)!.label}`,
    description: `XmR chart of ${points.length} values with their average (${fmtNumber(spc.mean)}) and process limits (${fmtNumber(spc.lower)} and ${fmtNumber(spc.upper)}); ${special ? `${special} point(s) part of a special cause signal, marked with a diamond` : 'no point is part of a special cause signal'}. The numbers are in the table with it.`,
    polarity: indicator.polarity,
    width: options.width,
  })
  const causeText = { concerning: 'Special cause, concerning', improving: 'Special cause, improving', special: 'Special cause' } as const
  return { svg, rows: spc.window.map((p, i) => ({ label: periodLabel(p.period, indicator.frequency), value: p.value, cause: causes[i] ? causeText[causes[i]!] : 'Common cause' })) }
}

const fmtNumber = (n: number) => (Math.round(n * 10) / 10).toLocaleString('en-GB')
