/**
 * Web Mercator fitted to a box of longitudes and latitudes, for maps drawn on the server. Mercator
 * because it is what slippy-map tiles are drawn in, so an optional tile layer lines up with the
 * boundaries; over a county or a region it is as faithful as any plane projection. Worked out on
 * the plane (no spherical clipping or winding), which is exact enough for areas this small.
 */

export type LonLat = readonly [number, number]

export interface Bounds {
  west: number
  south: number
  east: number
  north: number
}

export interface Projection {
  /** Pixel x and y (y down) of a longitude and latitude. */
  project(p: LonLat): [number, number]
  /** Longitude and latitude of a pixel: the inverse of `project`. */
  invert(p: readonly [number, number]): [number, number]
  width: number
  height: number
  /** Pixels per radian of longitude: what a tile zoom level is chosen from. */
  scale: number
  /** Pixel position of the Mercator origin (longitude 0, equator): tiles are placed from it. */
  origin: [number, number]
}

const RAD = Math.PI / 180
/** Mercator's y of a latitude, in radians; latitudes past the poles' tile limit are clamped. */
export const mercatorY = (lat: number) => Math.log(Math.tan(Math.PI / 4 + (Math.max(-85.0511, Math.min(85.0511, lat)) * RAD) / 2))
const latitudeOf = (y: number) => (2 * Math.atan(Math.exp(y)) - Math.PI / 2) / RAD

/** The smallest box holding every point; null for none. */
export function boundsOf(points: Iterable<LonLat>): Bounds | null {
  let b: Bounds | null = null
  for (const [lon, lat] of points) {
    if (!Number.isFinite(lon) || !Number.isFinite(lat)) continue
    if (!b) b = { west: lon, east: lon, south: lat, north: lat }
    else {
      b.west = Math.min(b.west, lon)
      b.east = Math.max(b.east, lon)
      b.south = Math.min(b.south, lat)
      b.north = Math.max(b.north, lat)
    }
  }
  return b
}

/**
 * The projection that fits `bounds` into `width` pixels (less `pad` each side) and at most
 * `maxHeight`; the height is as much as the box needs, not all that was allowed.
 */
export function fitProjection(bounds: Bounds, options: { width: number; maxHeight: number; pad?: number; minHeight?: number }): Projection {
  const pad = options.pad ?? 8
  const x0 = bounds.west * RAD
  const x1 = bounds.east * RAD
  const yTop = mercatorY(bounds.north)
  const yBottom = mercatorY(bounds.south)
  // A single point or a line of points has no span: give it a little so the scale is finite.
  const spanX = Math.max(x1 - x0, 1e-4)
  const spanY = Math.max(yTop - yBottom, 1e-4)
  const scale = Math.min((options.width - 2 * pad) / spanX, (options.maxHeight - 2 * pad) / spanY)
  const height = Math.ceil(Math.max(spanY * scale + 2 * pad, options.minHeight ?? 0))
  // Centre the box horizontally when the height limit made it narrower than the width.
  const left = pad + (options.width - 2 * pad - spanX * scale) / 2
  const top = pad
  return {
    width: options.width,
    height,
    scale,
    origin: [left - x0 * scale, top + yTop * scale],
    project: ([lon, lat]) => [left + (lon * RAD - x0) * scale, top + (yTop - mercatorY(lat)) * scale],
    invert: ([x, y]) => [(x0 + (x - left) / scale) / RAD, latitudeOf(yTop - (y - top) / scale)],
  }
}
