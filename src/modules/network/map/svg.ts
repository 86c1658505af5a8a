import type { MapData } from './map-data.ts'
import { MAP_ICONS } from './icons.ts'

export const esc = (v: unknown) => String(v ?? '').replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!)
const n = (v: number) => Math.round(v * 10) / 10

/** Room kept around the drawing, and to the right of it for the labels that run off the last nodes. */
const PADDING = 40
const LABEL_ROOM = 260

/**
 * The map as an SVG picture: the same places, shapes, colours, curves, arrows and graded labels as
 * the drawing in the browser, for a report or a briefing (and a picture without WebGL).
 */
export function mapSvg(data: MapData, title: string): string {
  const nodes = data.nodes.map((node) => ({ key: node.key, ...node.attributes, x: node.attributes.x ?? 0, y: node.attributes.y ?? 0 }))
  const xs = nodes.map((d) => d.x)
  const ys = nodes.map((d) => d.y)
  const [minX, maxX, minY, maxY] = [Math.min(0, ...xs), Math.max(0, ...xs), Math.min(0, ...ys), Math.max(0, ...ys)]
  const width = maxX - minX + 2 * PADDING + LABEL_ROOM
  const height = maxY - minY + 2 * PADDING
  // Screen y runs down; the map's runs up, as sigma draws it.
  const at = new Map(nodes.map((d) => [d.key, { x: d.x - minX + PADDING, y: maxY - d.y + PADDING, size: d.size }]))
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${n(width)}" height="${n(height)}" viewBox="0 0 ${n(width)} ${n(height)}" font-family="arial, sans-serif" role="img" aria-labelledby="title">`,
    `<title id="title">${esc(title)}</title>`,
    '<defs>',
    ...[...new Set(data.edges.map((e) => e.attributes.color))].map((colour, i) => `<marker id="arrow${i}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z" fill="${esc(colour)}"/></marker>`),
    '</defs>',
    '<rect width="100%" height="100%" fill="#ffffff"/>',
  ]
  const markers = [...new Set(data.edges.map((e) => e.attributes.color))]
  for (const edge of data.edges) {
    const [a, b] = [at.get(edge.source)!, at.get(edge.target)!]
    const [dx, dy] = [b.x - a.x, b.y - a.y]
    const length = Math.max(1e-6, Math.hypot(dx, dy))
    // The curve bends by its curvature times its length, to the same side as the browser draws it
    // (screen y is flipped, so the side is too); it stops at the target node's edge for the arrow.
    const bend = -edge.attributes.curvature * length
    const control = { x: (a.x + b.x) / 2 + (dy / length) * bend, y: (a.y + b.y) / 2 - (dx / length) * bend }
    const [cx, cy] = [b.x - control.x, b.y - control.y]
    const cl = Math.max(1e-6, Math.hypot(cx, cy))
    const end = { x: b.x - (cx / cl) * b.size, y: b.y - (cy / cl) * b.size }
    const marker = edge.attributes.directed ? ` marker-end="url(#arrow${markers.indexOf(edge.attributes.color)})"` : ''
    out.push(`<path d="M${n(a.x)} ${n(a.y)} Q${n(control.x)} ${n(control.y)} ${n(end.x)} ${n(end.y)}" fill="none" stroke="${esc(edge.attributes.color)}" stroke-width="${edge.attributes.size}"${marker}/>`)
    const mid = { x: 0.25 * a.x + 0.5 * control.x + 0.25 * b.x, y: 0.25 * a.y + 0.5 * control.y + 0.25 * b.y }
    out.push(`<text x="${n(mid.x)}" y="${n(mid.y - 3)}" font-size="11" fill="#0b0c0c" text-anchor="middle">${esc(edge.attributes.label)}</text>`)
  }
  for (const d of nodes) {
    const p = at.get(d.key)!
    if (d.shape === 'square') out.push(`<rect x="${n(p.x - d.size)}" y="${n(p.y - d.size)}" width="${n(2 * d.size)}" height="${n(2 * d.size)}" fill="${esc(d.color)}"/>`)
    else if (d.shape === 'ringed') out.push(`<circle cx="${n(p.x)}" cy="${n(p.y)}" r="${n(d.size * 0.85)}" fill="${esc(d.color)}" stroke="${esc(d.ring)}" stroke-width="${n(d.size * 0.3)}"/>`)
    else out.push(`<circle cx="${n(p.x)}" cy="${n(p.y)}" r="${n(d.size)}" fill="${esc(d.color)}"/>`)
    const icon = MAP_ICONS[d.icon]
    if (icon) out.push(`<path d="${icon}" transform="translate(${n(p.x - d.size * 0.625)} ${n(p.y - d.size * 0.625)}) scale(${n((d.size * 1.25) / 24 * 100) / 100})" fill="${esc(d.iconColor)}" fill-rule="evenodd"/>`)
    out.push(`<text x="${n(p.x + d.size + 4)}" y="${n(p.y + 5)}" font-size="14" font-weight="600" fill="#0b0c0c">${esc(d.label)}</text>`)
  }
  out.push('</svg>')
  return out.join('\n') + '\n'
}
