import type { Network } from './network.ts'
import type { Link } from './model.ts'

/**
 * Which way a line crosses the partnership's border into an area: from outside into it, out of
 * it into an area outside, or between two of its own areas.
 */
export type Crossing = 'into' | 'out' | 'within'

export interface ImportingArea {
  area: string
  /** Known when both areas say whether they are in the partnership. */
  crossing?: Crossing
  /** The linked entities in this area (locations, children, nominals...). */
  entities: string[]
  /** The links that cross into this area. */
  links: string[]
}

export interface CrossBorderLine {
  line: string
  label: string
  /** The line's own local authority: where it is run from. */
  exportingArea: string
  importingAreas: ImportingArea[]
}

/**
 * How a line's links cross into another area, judged by the areas' place in the partnership:
 * between two areas outside it (a London line and its London holder) is not the partnership's
 * border at all; from outside into it is importing; from one of its areas to another is within it.
 * A partnership line goes out only where a link runs from the line to the other end (it operates
 * or supplies there): a holder or controller living elsewhere is not where it sells. Without the
 * partnership flags every link to another area counts, as it always has for the library's callers.
 */
function crossingLinks(line: string, lineInside: boolean | null | undefined, otherInside: boolean | null | undefined, links: Link[]): { crossing?: Crossing; links: Link[] } {
  if (lineInside == null || otherInside == null) return { links }
  if (!lineInside && !otherInside) return { links: [] }
  if (!lineInside) return { crossing: 'into', links }
  if (otherInside) return { crossing: 'within', links }
  return { crossing: 'out', links: links.filter((l) => l.directed && l.source === line) }
}

/**
 * Deal lines with links into a local authority other than their own: the line's local authority
 * is the exporting area, the areas of the entities it is linked to are the importing areas (see
 * `crossingLinks` for which links count). A line without a recorded local authority cannot be
 * placed and is left out.
 */
export function crossBorderLines(network: Network): CrossBorderLine[] {
  const lines: CrossBorderLine[] = []
  network.forEachNode((line, entity) => {
    if (entity.kind !== 'line' || !entity.localAuthority) return
    const exportingArea = entity.localAuthority
    const areas = new Map<string, ImportingArea>()
    network.forEachEdge(line, (_edge, { links }, source, target) => {
      const other = source === line ? target : source
      const { localAuthority: area, inPartnership } = network.getNodeAttributes(other)
      if (!area || area === exportingArea) return
      const crossed = crossingLinks(line, entity.inPartnership, inPartnership, links)
      if (!crossed.links.length) return
      let entry = areas.get(area)
      if (!entry) {
        entry = { area, ...(crossed.crossing ? { crossing: crossed.crossing } : {}), entities: [], links: [] }
        areas.set(area, entry)
      }
      entry.entities.push(other)
      entry.links.push(...crossed.links.map((link) => link.id))
    })
    if (areas.size > 0) {
      const importingAreas = [...areas.values()].sort((a, b) => a.area.localeCompare(b.area))
      lines.push({ line, label: entity.label, exportingArea, importingAreas })
    }
  })
  return lines
}

export interface AreaPair {
  exportingArea: string
  importingArea: string
  crossing?: Crossing
  lines: string[]
  links: number
}

/** Cross-border lines counted by (exporting area, importing area), most lines first. */
export function crossBorderPairs(network: Network): AreaPair[] {
  const pairs = new Map<string, AreaPair>()
  for (const line of crossBorderLines(network)) {
    for (const imported of line.importingAreas) {
      const key = JSON.stringify([line.exportingArea, imported.area])
      let pair = pairs.get(key)
      if (!pair) {
        pair = { exportingArea: line.exportingArea, importingArea: imported.area, ...(imported.crossing ? { crossing: imported.crossing } : {}), lines: [], links: 0 }
        pairs.set(key, pair)
      }
      pair.lines.push(line.line)
      pair.links += imported.links.length
    }
  }
  return [...pairs.values()].sort(
    (a, b) =>
      b.lines.length - a.lines.length || a.exportingArea.localeCompare(b.exportingArea) || a.importingArea.localeCompare(b.importingArea),
  )
}
