/**
 * Maps drawn on the server: the local-authority boundaries Lantern ships, a Web Mercator fitted to
 * them, and points counted in hexagons. Pure code over coordinates and pixels: no database, no web.
 */
export { boundsOf, fitProjection, mercatorY, type Bounds, type LonLat, type Projection } from './projection.ts'
export { BOUNDARY_ATTRIBUTION, boundary, boundaryPath, centreOf, contains, corners, hasBoundary, pointIn, rings, type Boundary } from './boundaries.ts'
export { hexBins, type HexBin } from './hexbin.ts'
export { tilesFor, type Tile } from './tiles.ts'
