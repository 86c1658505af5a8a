/**
 * England's local authority districts, 2013, shipped with Lantern in assets/boundaries (TopoJSON
 * in WGS84; CC BY 4.0 Martin Chorley, contains Ordnance Survey data © Crown copyright and database
 * right 2014). Read once, on first use; looked up by the areas' ONS codes (`areas.code`).
 */
import { readFileSync } from 'node:fs'
import { feature } from 'topojson-client'
import type { Topology, GeometryCollection } from 'topojson-specification'
import type { Feature, MultiPolygon, Polygon, Position } from 'geojson'
import type { Projection } from './projection.ts'

export const BOUNDARY_ATTRIBUTION = 'Boundaries: Martin Chorley, CC BY 4.0. Contains Ordnance Survey data © Crown copyright and database right 2014.'

export type Boundary = Feature<Polygon | MultiPolygon, { LAD13CD: string; LAD13NM: string }>
let shapes: Map<string, Boundary> | null = null

function all(): Map<string, Boundary> {
  if (shapes) return shapes
  const topology = JSON.parse(readFileSync(new URL('../../../assets/boundaries/england-lad-2013.topo.json', import.meta.url), 'utf8')) as Topology<{ lad: GeometryCollection<{ LAD13CD: string; LAD13NM: string }> }>
  const collection = feature(topology, topology.objects.lad)
  shapes = new Map(collection.features.map((f) => [f.properties.LAD13CD, f as Boundary]))
  return shapes
}

/** The boundary of the area with this ONS code, if England's 2013 districts hold it. */
export function boundary(code: string): Boundary | undefined {
  return all().get(code)
}

export function hasBoundary(code: string): boolean {
  return all().has(code)
}

/** Every ring of a boundary, outer and holes alike. */
export function rings(shape: Boundary): Position[][] {
  return shape.geometry.type === 'Polygon' ? shape.geometry.coordinates : shape.geometry.coordinates.flat()
}

/** Every corner of the boundaries: what a map of them is fitted to. */
export function* corners(shapes: Iterable<Boundary>): Generator<[number, number]> {
  for (const shape of shapes) for (const ring of rings(shape)) for (const p of ring) yield [p[0], p[1]]
}

const r1 = (n: number) => Math.round(n * 10) / 10

/**
 * The SVG path of a boundary under a projection, to a tenth of a pixel. Corners closer than
 * `tolerance` pixels to the last one kept are dropped: the 2013 boundaries are surveyed to a few
 * metres, far finer than a page shows, and every corner kept is bytes for the browser and for axe.
 */
export function boundaryPath(shape: Boundary, projection: Projection, tolerance = 0.75): string {
  const paths: string[] = []
  for (const ring of rings(shape)) {
    const kept: [number, number][] = []
    ring.forEach((p, i) => {
      const [x, y] = projection.project([p[0], p[1]])
      const last = kept[kept.length - 1]
      if (!last || i === ring.length - 1 || Math.abs(x - last[0]) + Math.abs(y - last[1]) >= tolerance) kept.push([x, y])
    })
    if (kept.length >= 4) paths.push(`M${kept.map((k) => `${r1(k[0])},${r1(k[1])}`).join('L')}Z`)
  }
  return paths.join('')
}

/**
 * The centroid of a boundary's largest ring (by area, on the plane of longitude and latitude):
 * where a flow line starts or ends. Inside any area of the compact shapes districts have.
 */
export function centreOf(shape: Boundary): [number, number] {
  let best: [number, number] = [0, 0]
  let bestArea = -1
  for (const ring of rings(shape)) {
    let area = 0
    let cx = 0
    let cy = 0
    for (let i = 0; i < ring.length - 1; i++) {
      const [x0, y0] = ring[i]
      const [x1, y1] = ring[i + 1]
      const cross = x0 * y1 - x1 * y0
      area += cross
      cx += (x0 + x1) * cross
      cy += (y0 + y1) * cross
    }
    if (Math.abs(area) > bestArea && area !== 0) {
      bestArea = Math.abs(area)
      best = [cx / (3 * area), cy / (3 * area)]
    }
  }
  return best
}

/** Whether a point is inside a boundary: inside an odd number of its rings (a hole's ring takes it out again). */
export function contains(shape: Boundary, [lon, lat]: readonly [number, number]): boolean {
  let inside = false
  for (const ring of rings(shape)) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i]
      const [xj, yj] = ring[j]
      if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside
    }
  }
  return inside
}

/** A point drawn uniformly (in longitude and latitude) inside a boundary, from `random` in [0, 1). */
export function pointIn(shape: Boundary, random: () => number): [number, number] {
  let [west, south, east, north] = [Infinity, Infinity, -Infinity, -Infinity]
  for (const ring of rings(shape))
    for (const [x, y] of ring) {
      west = Math.min(west, x)
      east = Math.max(east, x)
      south = Math.min(south, y)
      north = Math.max(north, y)
    }
  // Districts fill a good part of their box: a thousand misses in a row is a shape with no inside.
  for (let tries = 0; tries < 1000; tries++) {
    const point: [number, number] = [west + random() * (east - west), south + random() * (north - south)]
    if (contains(shape, point)) return point
  }
  return centreOf(shape)
}
