import { formatDate } from '../../web/nunjucks.ts'
import { LEVEL_TEXT, type Level } from './tool.ts'

/**
 * Risk over time as a step chart, computed here and drawn by the template as SVG (attributes and
 * classes only: the Content Security Policy allows no inline styles). Pure, so it is tested alone.
 */

export interface ChartPoint {
  /** The day the level took effect, 'YYYY-MM-DD'. */
  date: string
  level: Level
  score: number | null
  awaiting?: boolean
}

export interface RiskChart {
  width: number
  height: number
  title: string
  description: string
  rows: { level: Level; label: string; y: number }[]
  ticks: { x: number; label: string }[]
  path: string
  points: { x: number; y: number; level: Level; label: string; awaiting: boolean }[]
  plot: { left: number; right: number; top: number; bottom: number }
}

const DAY = 86_400_000
const ms = (iso: string) => Date.parse(`${iso}T12:00:00Z`)
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

export function riskChart(input: ChartPoint[], options: { today: string; width?: number; height?: number; name?: string }): RiskChart | null {
  if (!input.length) return null
  const points = [...input].sort((a, b) => a.date.localeCompare(b.date))
  const width = options.width ?? 640
  const height = options.height ?? 220
  const plot = { left: 72, right: width - 16, top: 16, bottom: height - 36 }
  const rowY: Record<Level, number> = { red: plot.top + 16, amber: (plot.top + plot.bottom) / 2, green: plot.bottom - 16 }
  const start = Math.min(ms(points[0].date) - 14 * DAY, ms(options.today) - 90 * DAY)
  const end = Math.max(ms(options.today), ms(points[points.length - 1].date)) + 7 * DAY
  const x = (t: number) => Math.round((plot.left + ((t - start) / (end - start)) * (plot.right - plot.left)) * 10) / 10

  const ticks: RiskChart['ticks'] = []
  const first = new Date(start)
  let cursor = Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 1)
  const months: number[] = []
  while (cursor < end) {
    months.push(cursor)
    const d = new Date(cursor)
    cursor = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)
  }
  const step = Math.max(1, Math.ceil(months.length / 8))
  months.forEach((t, i) => {
    if (i % step !== 0) return
    const d = new Date(t)
    ticks.push({ x: x(t), label: `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCFullYear()).slice(2)}` })
  })

  const placed = points.map((p) => ({
    x: x(ms(p.date)),
    y: rowY[p.level],
    level: p.level,
    awaiting: Boolean(p.awaiting),
    label: `${LEVEL_TEXT[p.level]}${p.awaiting ? ' (awaiting manager confirmation)' : ''} from ${formatDate(p.date)}${p.score != null ? `, score ${p.score}` : ''}`,
  }))
  let path = `M ${placed[0].x} ${placed[0].y}`
  for (let i = 1; i < placed.length; i++) path += ` H ${placed[i].x} V ${placed[i].y}`
  path += ` H ${x(ms(options.today))}`

  const latest = points[points.length - 1]
  const who = options.name ?? 'the child'
  return {
    width,
    height,
    title: `Risk rating of ${who} over time`,
    description: `${points.length} rating${points.length === 1 ? '' : 's'} from ${formatDate(points[0].date)} to ${formatDate(latest.date)}: ${points.map((p) => LEVEL_TEXT[p.level]).join(', then ')}. The table below gives the same figures.`,
    rows: (['red', 'amber', 'green'] as const).map((level) => ({ level, label: LEVEL_TEXT[level], y: rowY[level] })),
    ticks,
    path,
    points: placed,
    plot,
  }
}
