import type { Network } from './network.ts'

export interface ImportingArea {
  area: string
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
 * Deal lines with links into a local authority other than their own: the line's local authority
 * is the exporting area, the areas of the entities it is linked to are the importing areas.
 * A line without a recorded local authority cannot be placed and is left out.
 */
export function crossBorderLines(network: Network): CrossBorderLine[] {
  const lines: CrossBorderLine[] = []
  network.forEachNode((line, entity) => {
    if (entity.kind !== 'line' || !entity.localAuthority) return
    const exportingArea = entity.localAuthority
    const areas = new Map<string, ImportingArea>()
    network.forEachEdge(line, (_edge, { links }, source, target) => {
      const other = source === line ? target : source
      const area = network.getNodeAttribute(other, 'localAuthority')
      if (!area || area === exportingArea) return
      let entry = areas.get(area)
      if (!entry) {
        entry = { area, entities: [], links: [] }
        areas.set(area, entry)
      }
      entry.entities.push(other)
      entry.links.push(...links.map((link) => link.id))
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
        pair = { exportingArea: line.exportingArea, importingArea: imported.area, lines: [], links: 0 }
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
