/**
 * A line chart as SVG, drawn on the server: the series, Farrington's expected line and threshold
 * band, alarms marked, and the target. Colours are SVG presentation attributes and classes (the
 * Content Security Policy forbids inline styles); alarms are marked by shape as well as colour.
 * The same numbers are always given in a table beside the chart.
 */

export interface ChartPoint {
  label: string
  value: number | null
  expected?: number | null
  upperbound?: number | null
  alarm?: boolean
}

export interface ChartOptions {
  id: string
  title: string
  description: string
  target?: number | null
  unit?: string
  /** Counts: the axis is marked in whole numbers only (never 0.5 of a crime). */
  wholeNumbers?: boolean
  width?: number
  height?: number
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
const r1 = (n: number) => Math.round(n * 10) / 10

/** 1, 2 or 5 times a power of ten: a tick step giving about `count` ticks. */
export function niceStep(range: number, count = 5): number {
  if (range <= 0) return 1
  const raw = range / count
  const power = 10 ** Math.floor(Math.log10(raw))
  const f = raw / power
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * power
}

/**
 * The points labelled under the x axis, for a plot `plotWidth` wide: about eight at most, far
 * enough apart that no two labels meet (0.6 em a character, allowing for a first or last label
 * hanging inwards from its point, so it is never cut off at the edge), and counted back from the
 * last, so the latest period is always labelled and every gap is the same.
 */
export function labelledPoints(labels: string[], plotWidth: number): { index: number; anchor: 'start' | 'middle' | 'end' }[] {
  const last = labels.length - 1
  const labelWidth = Math.max(0, ...labels.map((l) => l.length)) * 12 * 0.6
  const perPoint = last > 0 ? plotWidth / last : plotWidth
  const every = Math.max(1, Math.ceil(labels.length / 8), Math.ceil((1.5 * labelWidth + 8) / perPoint))
  const labelled: { index: number; anchor: 'start' | 'middle' | 'end' }[] = []
  for (let i = last; i >= 0; i -= every) labelled.unshift({ index: i, anchor: last > 0 && i === 0 ? 'start' : last > 0 && i === last ? 'end' : 'middle' })
  return labelled
}

export function renderChart(points: ChartPoint[], options: ChartOptions): string {
  const width = options.width ?? 720
  const height = (options.height ?? 300) + 20 * (legendRows(points, options, width) - 1)
  const m = { top: 16, right: 16, bottom: 64 + 20 * (legendRows(points, options, width) - 1), left: 56 }
  const plotW = width - m.left - m.right
  const plotH = height - m.top - m.bottom
  const values = points.flatMap((p) => [p.value, p.upperbound, p.expected].filter((v): v is number => typeof v === 'number' && Number.isFinite(v)))
  if (options.target != null) values.push(options.target)
  const maxValue = Math.max(1, ...values)
  const step = options.wholeNumbers ? Math.max(1, niceStep(maxValue)) : niceStep(maxValue)
  const top = Math.ceil(maxValue / step) * step
  const x = (i: number) => m.left + (points.length <= 1 ? plotW / 2 : (i * plotW) / (points.length - 1))
  const y = (v: number) => m.top + plotH - (v / top) * plotH
  const titleId = `${options.id}-title`
  const descId = `${options.id}-desc`
  const parts: string[] = []
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="lantern-chart" font-family="GDS Transport, arial, sans-serif" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="${titleId} ${descId}" id="${esc(options.id)}">`,
    `<title id="${titleId}">${esc(options.title)}</title>`,
    `<desc id="${descId}">${esc(options.description)}</desc>`,
  )
  // Grid and y axis.
  for (let v = 0; v <= top + step / 2; v += step) {
    parts.push(`<line class="lantern-chart__grid" x1="${m.left}" x2="${width - m.right}" y1="${r1(y(v))}" y2="${r1(y(v))}" stroke="#dddddd" stroke-width="1"/>`)
    parts.push(`<text class="lantern-chart__tick" x="${m.left - 8}" y="${r1(y(v) + 4)}" text-anchor="end" font-size="12" fill="#0b0c0c">${esc(r1(v).toLocaleString('en-GB'))}</text>`)
  }
  for (const { index: i, anchor } of labelledPoints(points.map((p) => p.label), plotW)) {
    parts.push(
      `<text class="lantern-chart__tick" x="${r1(x(i))}" y="${height - m.bottom + 18}" text-anchor="${anchor}" font-size="12" fill="#0b0c0c">${esc(points[i].label)}</text>`,
    )
  }
  // Threshold band: from the expected value up to the threshold, where Farrington could judge.
  const band = points.map((p, i) => ({ i, lo: p.expected, hi: p.upperbound })).filter((b) => b.lo != null && b.hi != null) as { i: number; lo: number; hi: number }[]
  for (const run of contiguous(band)) {
    const upper = run.map((b) => `${r1(x(b.i))},${r1(y(b.hi))}`)
    const lower = [...run].reverse().map((b) => `${r1(x(b.i))},${r1(y(b.lo))}`)
    parts.push(`<polygon class="lantern-chart__band" points="${[...upper, ...lower].join(' ')}" fill="#d2e2f1" stroke="none"/>`)
    parts.push(`<polyline class="lantern-chart__threshold" points="${upper.join(' ')}" fill="none" stroke="#5694ca" stroke-width="1.5"/>`)
    parts.push(
      `<polyline class="lantern-chart__expected" points="${run.map((b) => `${r1(x(b.i))},${r1(y(b.lo))}`).join(' ')}" fill="none" stroke="#1d70b8" stroke-width="2" stroke-dasharray="6 4"/>`,
    )
  }
  if (options.target != null) {
    parts.push(
      `<line class="lantern-chart__target" x1="${m.left}" x2="${width - m.right}" y1="${r1(y(options.target))}" y2="${r1(y(options.target))}" stroke="#00703c" stroke-width="2" stroke-dasharray="2 3"/>`,
    )
  }
  // The series.
  const line = points.map((p, i) => (p.value == null ? null : `${r1(x(i))},${r1(y(p.value))}`))
  for (const run of splitNulls(line)) parts.push(`<polyline class="lantern-chart__series" points="${run.join(' ')}" fill="none" stroke="#0b0c0c" stroke-width="2"/>`)
  points.forEach((p, i) => {
    if (p.value == null) return
    if (p.alarm) {
      const cx = x(i)
      const cy = y(p.value)
      parts.push(
        `<path class="lantern-chart__alarm" d="M${r1(cx)},${r1(cy - 9)} L${r1(cx + 8)},${r1(cy + 6)} L${r1(cx - 8)},${r1(cy + 6)} Z" fill="#d4351c" stroke="#0b0c0c" stroke-width="1"/>`,
      )
    } else if (points.length <= 40) {
      parts.push(`<circle class="lantern-chart__point" cx="${r1(x(i))}" cy="${r1(y(p.value))}" r="3" fill="#0b0c0c"/>`)
    }
  })
  // Legend: items left to right, wrapping onto a new row rather than running off the edge.
  const items: { width: number; draw: (lx: number, ly: number) => string }[] = [
    { width: 100, draw: (lx, ly) => `<line x1="${lx}" x2="${lx + 24}" y1="${ly}" y2="${ly}" stroke="#0b0c0c" stroke-width="2"/><text x="${lx + 30}" y="${ly + 4}" font-size="12" fill="#0b0c0c">Recorded</text>` },
  ]
  if (band.length) {
    items.push(
      { width: 100, draw: (lx, ly) => `<line x1="${lx}" x2="${lx + 24}" y1="${ly}" y2="${ly}" stroke="#1d70b8" stroke-width="2" stroke-dasharray="6 4"/><text x="${lx + 30}" y="${ly + 4}" font-size="12" fill="#0b0c0c">Expected</text>` },
      { width: 190, draw: (lx, ly) => `<rect x="${lx}" y="${ly - 6}" width="24" height="12" fill="#d2e2f1" stroke="#5694ca"/><text x="${lx + 30}" y="${ly + 4}" font-size="12" fill="#0b0c0c">Range chance explains</text>` },
    )
  }
  if (points.some((p) => p.alarm)) {
    items.push({ width: 110, draw: (lx, ly) => `<path d="M${lx + 12},${ly - 8} L${lx + 19},${ly + 5} L${lx + 5},${ly + 5} Z" fill="#d4351c" stroke="#0b0c0c"/><text x="${lx + 26}" y="${ly + 4}" font-size="12" fill="#0b0c0c">Exceedance</text>` })
  }
  if (options.target != null) {
    items.push({ width: 90, draw: (lx, ly) => `<line x1="${lx}" x2="${lx + 24}" y1="${ly}" y2="${ly}" stroke="#00703c" stroke-width="2" stroke-dasharray="2 3"/><text x="${lx + 30}" y="${ly + 4}" font-size="12" fill="#0b0c0c">Target</text>` })
  }
  const legend: string[] = []
  let lx = m.left
  let row = 0
  for (const item of items) {
    if (lx > m.left && lx + item.width > width) {
      lx = m.left
      row++
    }
    legend.push(item.draw(lx, height - m.bottom + 42 + row * 20))
    lx += item.width
  }
  parts.push(`<g class="lantern-chart__legend" aria-hidden="true">${legend.join('')}</g>`)
  parts.push('</svg>')
  return parts.join('')
}

/** Rows the legend needs at this width (the same widths as the legend's items). */
function legendRows(points: ChartPoint[], options: ChartOptions, width: number): number {
  const widths = [100]
  if (points.some((p) => p.expected != null && p.upperbound != null)) widths.push(100, 190)
  if (points.some((p) => p.alarm)) widths.push(110)
  if (options.target != null) widths.push(90)
  let lx = 56
  let rows = 1
  for (const w of widths) {
    if (lx > 56 && lx + w > width) {
      lx = 56
      rows++
    }
    lx += w
  }
  return rows
}

function contiguous<T extends { i: number }>(items: T[]): T[][] {
  const runs: T[][] = []
  for (const item of items) {
    const run = runs.at(-1)
    if (run && run.at(-1)!.i === item.i - 1) run.push(item)
    else runs.push([item])
  }
  return runs
}

function splitNulls(items: (string | null)[]): string[][] {
  const runs: string[][] = [[]]
  for (const item of items) {
    if (item === null) runs.push([])
    else runs.at(-1)!.push(item)
  }
  return runs.filter((r) => r.length)
}
