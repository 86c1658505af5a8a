/**
 * The call pages' charts, drawn on the server as SVG: pictures that need no JavaScript, each with a
 * table of the same figures beside it on the page (the table is what a screen reader reads).
 */

const BLUE = '#1d70b8'
const TEXT = '#0b0c0c'
const GRID = '#b1b4b6'
const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

/** Every day from the first to the last with calls, zeros included, at most the last `maxDays`. */
export function everyDay(rows: readonly { day: string; calls: number }[], maxDays = 366): { day: string; calls: number }[] {
  if (!rows.length) return []
  const counts = new Map(rows.map((r) => [r.day, r.calls]))
  const last = new Date(`${rows[rows.length - 1].day}T00:00:00Z`)
  let day = new Date(Math.max(new Date(`${rows[0].day}T00:00:00Z`).getTime(), last.getTime() - (maxDays - 1) * 86_400_000))
  const out: { day: string; calls: number }[] = []
  while (day <= last) {
    const key = day.toISOString().slice(0, 10)
    out.push({ day: key, calls: counts.get(key) ?? 0 })
    day = new Date(day.getTime() + 86_400_000)
  }
  return out
}

/** Calls a day as bars, with the busiest day's count on the axis and the first and last days named. */
export function dailyChart(days: readonly { day: string; calls: number }[], title: string): string {
  const width = 640
  const height = 200
  const left = 40
  const bottom = 24
  const plotW = width - left - 8
  const plotH = height - bottom - 10
  const max = Math.max(1, ...days.map((d) => d.calls))
  const bar = plotW / Math.max(1, days.length)
  const bars = days
    .map((d, i) => {
      const h = (d.calls / max) * plotH
      return `<rect x="${(left + i * bar).toFixed(2)}" y="${(10 + plotH - h).toFixed(2)}" width="${Math.max(0.5, bar - (bar > 3 ? 1 : 0)).toFixed(2)}" height="${h.toFixed(2)}" fill="${BLUE}"/>`
    })
    .join('')
  const first = days[0]?.day ?? ''
  const last = days[days.length - 1]?.day ?? ''
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="${esc(title)}" class="app-calls-chart">
<title>${esc(title)}</title>
<line x1="${left}" y1="${10 + plotH}" x2="${width - 8}" y2="${10 + plotH}" stroke="${GRID}"/>
<text x="${left - 4}" y="16" text-anchor="end" font-size="12" fill="${TEXT}">${max}</text>
<text x="${left - 4}" y="${10 + plotH}" text-anchor="end" font-size="12" fill="${TEXT}">0</text>
${bars}
<text x="${left}" y="${height - 6}" font-size="12" fill="${TEXT}">${esc(first)}</text>
<text x="${width - 8}" y="${height - 6}" text-anchor="end" font-size="12" fill="${TEXT}">${esc(last)}</text>
</svg>`
}

/** Calls by hour of the week as a grid of days by hours, darker for more calls. */
export function hourOfWeekChart(hours: readonly { hour: number; calls: number }[], title: string): string {
  const cell = 24
  const left = 40
  const top = 20
  const counts = new Map(hours.map((h) => [h.hour, h.calls]))
  const max = Math.max(1, ...hours.map((h) => h.calls))
  const cells: string[] = []
  for (let d = 0; d < 7; d++) {
    cells.push(`<text x="${left - 6}" y="${top + d * cell + 16}" text-anchor="end" font-size="12" fill="${TEXT}">${DAYS[d]}</text>`)
    for (let h = 0; h < 24; h++) {
      const n = counts.get(d * 24 + h) ?? 0
      const opacity = n ? 0.15 + 0.85 * (n / max) : 0
      cells.push(`<rect x="${left + h * cell}" y="${top + d * cell}" width="${cell - 2}" height="${cell - 2}" fill="${n ? BLUE : '#f3f2f1'}" fill-opacity="${n ? opacity.toFixed(2) : 1}"/>`)
    }
  }
  const hourLabels = [0, 6, 12, 18].map((h) => `<text x="${left + h * cell}" y="14" font-size="12" fill="${TEXT}">${String(h).padStart(2, '0')}:00</text>`).join('')
  const width = left + 24 * cell
  const height = top + 7 * cell
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="${esc(title)}" class="app-calls-chart">
<title>${esc(title)}</title>
${hourLabels}
${cells.join('')}
</svg>`
}

/** The hour-of-week counts as a table: a row per day, a column per hour. */
export function hourOfWeekTable(hours: readonly { hour: number; calls: number }[]) {
  const counts = new Map(hours.map((h) => [h.hour, h.calls]))
  return DAYS.map((day, d) => ({ day, counts: Array.from({ length: 24 }, (_, h) => counts.get(d * 24 + h) ?? 0) }))
}

/** Monthly calls with each top contact, as rows of a table: a row per month, a column per contact. */
export function monthlyTable(contacts: readonly string[], rows: readonly { month: string; number: string; calls: number }[]) {
  const months = [...new Set(rows.map((r) => r.month))].sort()
  const at = new Map(rows.map((r) => [`${r.month} ${r.number}`, r.calls]))
  return months.map((month) => ({ month, counts: contacts.map((c) => at.get(`${month} ${c}`) ?? 0) }))
}
