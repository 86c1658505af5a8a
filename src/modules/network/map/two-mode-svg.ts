import { esc } from './svg.ts'
import { MAP_KINDS } from './map-data.ts'
import type { TwoModeView } from '../two-mode.ts'

const ROW = 34
const WIDTH = 780
const LEFT = 190
const RIGHT = WIDTH - 300
const TOP = 44

/**
 * People by what they share as a picture made on the server: people in the left column, the
 * phones, addresses, vehicles or groups in the right, a line for each link between them. Scales
 * to its container (viewBox), so it reads at 320 px; the tables beside it hold the same facts.
 */
export function twoModeSvg(view: TwoModeView, title: string): string {
  const rows = Math.max(view.people.length, view.things.length, 1)
  const height = TOP + rows * ROW
  const y = (i: number, count: number) => TOP + (i + 0.5) * ROW + ((rows - count) * ROW) / 2
  const things = new Map(view.things.map((t, i) => [t.id, y(i, view.things.length)]))
  // Each person at the mean height of what they are linked to, so that fewer lines cross.
  const mean = (p: TwoModeView['people'][number]) => p.things.reduce((sum, t) => sum + things.get(t.id)!, 0) / p.things.length
  const order = [...view.people].sort((a, b) => mean(a) - mean(b) || a.label.localeCompare(b.label))
  const people = new Map(order.map((p, i) => [p.id, y(i, order.length)]))
  const colour = MAP_KINDS.find((k) => k.kind === view.kind.value)?.color ?? '#505a5f'
  const person = MAP_KINDS.find((k) => k.kind === 'nominal')!.color
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="app-two-mode-svg" viewBox="0 0 ${WIDTH} ${height}" width="100%" font-family="arial, sans-serif" font-size="14" role="img" aria-labelledby="two-mode-title">`,
    `<title id="two-mode-title">${esc(title)}</title>`,
    `<text x="${LEFT}" y="20" text-anchor="end" font-weight="bold" fill="#0b0c0c">People</text>`,
    `<text x="${RIGHT}" y="20" font-weight="bold" fill="#0b0c0c">${esc(view.kind.text)}</text>`,
  ]
  for (const tie of view.ties) {
    out.push(`<line x1="${LEFT + 8}" y1="${people.get(tie.person)}" x2="${RIGHT - 8}" y2="${things.get(tie.thing)}" stroke="#6f777b" stroke-width="2"/>`)
  }
  for (const p of view.people) {
    const at = people.get(p.id)!
    out.push(`<circle cx="${LEFT + 8}" cy="${at}" r="7" fill="${person}"/>`, `<text x="${LEFT - 4}" y="${at + 5}" text-anchor="end" fill="#0b0c0c">${esc(p.label)}</text>`)
  }
  for (const t of view.things) {
    const at = things.get(t.id)!
    out.push(`<rect x="${RIGHT - 15}" y="${at - 7}" width="14" height="14" fill="${colour}"/>`, `<text x="${RIGHT + 4}" y="${at + 5}" fill="#0b0c0c">${esc(t.label)}</text>`)
  }
  out.push('</svg>')
  return out.join('\n')
}
