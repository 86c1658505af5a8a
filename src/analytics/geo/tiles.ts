/**
 * The slippy-map tiles (256 pixels, Web Mercator, the {z}/{x}/{y} scheme) that cover a map drawn
 * with `fitProjection`, for deployments that configure a tile server. Each tile is placed and
 * scaled to the map's own pixels, so boundaries and points drawn over it line up.
 */
import type { Projection } from './projection.ts'

export interface Tile {
  href: string
  x: number
  y: number
  size: number
}

const MAX_TILES = 64

/**
 * The tiles under the map at the zoom whose tiles are closest to their natural size (but never
 * more than MAX_TILES), with `{z}`, `{x}` and `{y}` filled into the template.
 */
export function tilesFor(projection: Projection, template: string, maxZoom = 18): Tile[] {
  // At zoom z the world (2π radians of longitude) is 256·2^z pixels wide.
  let z = Math.max(0, Math.min(maxZoom, Math.round(Math.log2((projection.scale * 2 * Math.PI) / 256))))
  for (;;) {
    const world = 2 ** z
    const size = (projection.scale * 2 * Math.PI) / world
    // The origin is the pixel of longitude 0 on the equator; tile (0,0) starts half a world up and left of it.
    const left = projection.origin[0] - Math.PI * projection.scale
    const top = projection.origin[1] - Math.PI * projection.scale
    const x0 = Math.max(0, Math.floor(-left / size))
    const x1 = Math.min(world - 1, Math.floor((projection.width - left) / size))
    const y0 = Math.max(0, Math.floor(-top / size))
    const y1 = Math.min(world - 1, Math.floor((projection.height - top) / size))
    if ((x1 - x0 + 1) * (y1 - y0 + 1) > MAX_TILES && z > 0) {
      z--
      continue
    }
    const tiles: Tile[] = []
    for (let ty = y0; ty <= y1; ty++) {
      for (let tx = x0; tx <= x1; tx++) {
        tiles.push({ href: template.replace('{z}', String(z)).replace('{x}', String(tx)).replace('{y}', String(ty)), x: left + tx * size, y: top + ty * size, size })
      }
    }
    return tiles
  }
}
