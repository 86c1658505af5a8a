/**
 * Where the map's link labels go, so that none is drawn over another, over a node or over a
 * node's name. Pure geometry in screen pixels (the browser measures the text and draws); the map
 * asks for each label in turn, and a label that finds no free place along its link is left out
 * until the analyst zooms in (the link table holds every label).
 */

export type Point = { x: number; y: number }
export type Glyph = { char: string; x: number; y: number; angle: number; width: number }
type Disc = { x: number; y: number; r: number }
type Rect = { x: number; y: number; w: number; h: number }

/** Where along its link a label is tried: the middle first, then either side of it. */
export const LABEL_PLACES = [0.5, 0.32, 0.68] as const

const discsMeet = (a: Disc, b: Disc) => Math.hypot(a.x - b.x, a.y - b.y) < a.r + b.r
function discMeetsRect(d: Disc, r: Rect) {
  const nx = Math.max(r.x, Math.min(d.x, r.x + r.w))
  const ny = Math.max(r.y, Math.min(d.y, r.y + r.h))
  return Math.hypot(d.x - nx, d.y - ny) < d.r
}

/**
 * The space already taken on the map: nodes and their names (kept for a whole drawing), and the
 * link labels placed so far (cleared at each drawing of the labels, which sigma repeats alone on a
 * hover).
 */
export class LabelRoom {
  private fixedDiscs: Disc[] = []
  private fixedRects: Rect[] = []
  private labels: Disc[][] = []

  clear() {
    this.fixedDiscs = []
    this.fixedRects = []
    this.clearLabels()
  }

  clearLabels() {
    this.labels = []
  }

  addNode(x: number, y: number, size: number) {
    this.fixedDiscs.push({ x, y, r: size })
  }

  addName(x: number, y: number, w: number, h: number) {
    this.fixedRects.push({ x, y, w, h })
  }

  /** Whether a label made of these glyphs (each a disc of its text's half height) is clear of everything taken. */
  fits(glyphs: readonly Glyph[], textSize: number) {
    const discs = glyphDiscs(glyphs, textSize)
    return discs.every((d) => !this.fixedDiscs.some((f) => discsMeet(d, f)) && !this.fixedRects.some((r) => discMeetsRect(d, r)) && !this.labels.some((l) => l.some((o) => discsMeet(d, o))))
  }

  take(glyphs: readonly Glyph[], textSize: number) {
    this.labels.push(glyphDiscs(glyphs, textSize))
  }

  /** The labels placed, as discs, for the browser test to check that none meet. */
  placed(): readonly (readonly Disc[])[] {
    return this.labels
  }
}

/** Each glyph's centre, with a disc as tall as the text: characters are drawn from their baseline's left end. */
function glyphDiscs(glyphs: readonly Glyph[], textSize: number): Disc[] {
  const up = textSize / 3
  return glyphs.map((g) => {
    const [cos, sin] = [Math.cos(g.angle), Math.sin(g.angle)]
    return { x: g.x + (cos * g.width) / 2 + sin * up, y: g.y + (sin * g.width) / 2 - cos * up, r: Math.max(g.width / 2, textSize / 2) }
  })
}

const curvePoint = (t: number, s: Point, a: Point, e: Point): Point => ({
  x: (1 - t) ** 2 * s.x + 2 * (1 - t) * t * a.x + t ** 2 * e.x,
  y: (1 - t) ** 2 * s.y + 2 * (1 - t) * t * a.y + t ** 2 * e.y,
})

function curveLength(s: Point, a: Point, e: Point) {
  let length = 0
  let previous = s
  for (let i = 1; i <= 20; i++) {
    const p = curvePoint(i / 20, s, a, e)
    length += Math.hypot(p.x - previous.x, p.y - previous.y)
    previous = p
  }
  return length
}

/**
 * The glyphs of a label written along its link, centred at `place` (0 to 1) of the link's
 * length, upright (read left to right whichever way the link runs), on the same quadratic curve
 * and just beside it, as @sigma/edge-curve bends and labels its links. Null when the link is too
 * short to hold the label clear of its two ends.
 */
export function labelAlongLink(label: string, measure: (text: string) => number, source: Point & { size: number }, target: Point & { size: number }, curvature: number, edgeSize: number, place: number): Glyph[] | null {
  const ltr = source.x < target.x
  let [s, e] = ltr ? [{ x: source.x, y: source.y }, { x: target.x, y: target.y }] : [{ x: target.x, y: target.y }, { x: source.x, y: source.y }]
  const orientation = ltr ? 1 : -1
  const [dx, dy] = [e.x - s.x, e.y - s.y]
  const diff = Math.hypot(dx, dy)
  if (!diff) return null
  let a = { x: (s.x + e.x) / 2 + dy * curvature * orientation, y: (s.y + e.y) / 2 - dx * curvature * orientation }
  // Beside the link rather than on it: the same offset the library keeps, by the link's thickness.
  const offset = edgeSize * 0.7 + 5
  const shift = (p: Point, v: Point) => {
    const l = Math.hypot(v.x, v.y) || 1
    return { x: p.x + (offset * v.x) / l, y: p.y + (offset * v.y) / l }
  }
  const s2 = shift(s, { x: a.y - s.y, y: -(a.x - s.x) })
  const e2 = shift(e, { x: e.y - a.y, y: -(e.x - a.x) })
  a = { x: a.x + (offset * dy) / diff, y: a.y - (offset * dx) / diff }
  s = s2
  e = e2
  const length = curveLength(s, a, e)
  const room = length - source.size - target.size
  if (room <= 0) return null
  const width = measure(label)
  if (width > room) return null
  // Kept clear of the end nodes: the centre moves inwards if the label would reach one.
  const margin = (source.size + width / 2) / length
  const centre = Math.min(Math.max(place, margin), 1 - margin)
  const widths = [...label].map((c) => measure(c) * (1 + curvature * 0.35))
  let t = centre - width / length / 2
  return [...label].map((char, i) => {
    const p = curvePoint(t, s, a, e)
    const angle = Math.atan2(2 * (1 - t) * (a.y - s.y) + 2 * t * (e.y - a.y), 2 * (1 - t) * (a.x - s.x) + 2 * t * (e.x - a.x))
    const glyph = { char, x: p.x, y: p.y, angle, width: widths[i] }
    t += widths[i] / length
    return glyph
  })
}
