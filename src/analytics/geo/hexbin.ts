/**
 * Points counted in hexagons, for a density layer over the map: d3-hexbin on projected pixels, so
 * every hexagon is the same size on the page whatever the latitude.
 */
import { hexbin } from 'd3-hexbin'

export interface HexBin {
  /** The hexagon's centre, in pixels. */
  x: number
  y: number
  count: number
  /** The hexagon's outline as an SVG path, absolute. */
  path: string
}

/** Hexagons of `radius` pixels holding at least one of the points, densest first. */
export function hexBins(points: ReadonlyArray<readonly [number, number]>, radius: number): HexBin[] {
  const bin = hexbin<readonly [number, number]>()
    .radius(radius)
    .x((p) => p[0])
    .y((p) => p[1])
  const outline = bin.hexagon()
  const r1 = (n: number) => Math.round(n * 10) / 10
  return bin([...points])
    .map((b) => ({ x: b.x, y: b.y, count: b.length, path: `M${r1(b.x)},${r1(b.y)}${outline}` }))
    .sort((a, b) => b.count - a.count || a.y - b.y || a.x - b.x)
}
