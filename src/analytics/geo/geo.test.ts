import { describe, expect, it } from 'vitest'
import { boundary, boundaryPath, boundsOf, centreOf, contains, fitProjection, hexBins, pointIn, tilesFor } from './index.ts'

// Havant's box, roughly: the demo partnership's smallest district.
const box = { west: -1.05, south: 50.78, east: -0.93, north: 50.91 }

describe('fitProjection', () => {
  it('puts the corners of the box inside the padding and north at the top', () => {
    const p = fitProjection(box, { width: 400, maxHeight: 400, pad: 10 })
    const [xw, yn] = p.project([box.west, box.north])
    const [xe, ys] = p.project([box.east, box.south])
    expect(yn).toBeCloseTo(10, 6)
    expect(ys).toBeGreaterThan(yn)
    expect(Math.max(xe - xw, ys - yn)).toBeCloseTo(380, 6)
    expect(xw).toBeGreaterThanOrEqual(10)
    expect(xe).toBeLessThanOrEqual(390)
  })

  it('inverts what it projects', () => {
    const p = fitProjection(box, { width: 640, maxHeight: 480 })
    for (const point of [[-1, 50.85], [-0.95, 50.9], [-1.04, 50.79]] as const) {
      const [lon, lat] = p.invert(p.project(point))
      expect(lon).toBeCloseTo(point[0], 9)
      expect(lat).toBeCloseTo(point[1], 9)
    }
  })

  it('keeps the scale the same both ways (Mercator is conformal)', () => {
    const p = fitProjection(box, { width: 640, maxHeight: 480 })
    const [x0, y0] = p.project([-1, 50.85])
    const [x1] = p.project([-0.999, 50.85])
    // 0.001° of longitude at this latitude is as far on the ground as 0.001·cos(latitude)° of latitude.
    const [, y1] = p.project([-1, 50.85 + 0.001 * Math.cos((50.85 * Math.PI) / 180)])
    expect((y0 - y1) / (x1 - x0)).toBeCloseTo(1, 3)
  })

  it('is only as tall as the box needs', () => {
    const wide = fitProjection({ west: -2, south: 51, east: 0, north: 51.1 }, { width: 600, maxHeight: 600, pad: 0 })
    expect(wide.height).toBeLessThan(100)
  })

  it('gives a single point a finite scale', () => {
    const b = boundsOf([[-1, 51]])!
    const p = fitProjection(b, { width: 100, maxHeight: 100 })
    expect(p.project([-1, 51]).every(Number.isFinite)).toBe(true)
  })
})

describe('boundsOf', () => {
  it('skips points that are not numbers and says null for none', () => {
    expect(boundsOf([[Number.NaN, 1], [2, 3], [-1, 5]])).toEqual({ west: -1, east: 2, south: 3, north: 5 })
    expect(boundsOf([])).toBeNull()
  })
})

describe('boundaries', () => {
  it('draws Havant as a closed path and finds its middle inside its box', () => {
    const havant = boundary('E07000090')!
    expect(havant.properties.LAD13NM).toBe('Havant')
    const p = fitProjection(box, { width: 400, maxHeight: 400 })
    expect(boundaryPath(havant, p)).toMatch(/^M[\d.,L-]+Z/)
    const [lon, lat] = centreOf(havant)
    expect(lon).toBeGreaterThan(-1.05)
    expect(lon).toBeLessThan(-0.93)
    expect(lat).toBeGreaterThan(50.78)
    expect(lat).toBeLessThan(50.91)
  })
  it('tells a point inside a district from one in its neighbour, and draws points only inside it', () => {
    const havant = boundary('E07000090')!
    const portsmouth = boundary('E06000044')!
    expect(contains(havant, centreOf(havant))).toBe(true)
    expect(contains(havant, centreOf(portsmouth))).toBe(false)
    let state = 3
    const random = () => ((state = (state * 16807) % 2147483647) - 1) / 2147483646
    for (let i = 0; i < 200; i++) {
      const point = pointIn(portsmouth, random)
      expect(contains(portsmouth, point)).toBe(true)
      expect(contains(havant, point)).toBe(false)
    }
  })
  it('has no boundary for a code outside England', () => {
    expect(boundary('W06000015')).toBeUndefined()
  })
})

describe('hexBins', () => {
  it('counts points in the same hexagon together and loses none', () => {
    const points: [number, number][] = [[10, 10], [11, 10], [10, 11], [100, 100], [300, 40]]
    const bins = hexBins(points, 20)
    expect(bins.map((b) => b.count)).toEqual([3, 1, 1])
    expect(bins.reduce((n, b) => n + b.count, 0)).toBe(points.length)
    expect(bins[0].path).toMatch(/^M[\d.]+,[\d.]+m/)
  })
  it('puts points further apart than a hexagon in different hexagons', () => {
    expect(hexBins([[0, 0], [0, 50]], 10)).toHaveLength(2)
    expect(hexBins([], 10)).toEqual([])
  })
})

describe('tilesFor', () => {
  it('covers the map with tiles that meet the projection at the origin', () => {
    const p = fitProjection(box, { width: 512, maxHeight: 512 })
    const tiles = tilesFor(p, 'https://tiles.example/{z}/{x}/{y}.png')
    expect(tiles.length).toBeGreaterThan(0)
    expect(tiles.length).toBeLessThanOrEqual(64)
    // Every tile overlaps the map, and together they cover its corners.
    for (const t of tiles) {
      expect(t.x + t.size).toBeGreaterThan(0)
      expect(t.x).toBeLessThan(p.width)
    }
    expect(Math.min(...tiles.map((t) => t.x))).toBeLessThanOrEqual(0)
    expect(Math.max(...tiles.map((t) => t.x + t.size))).toBeGreaterThanOrEqual(p.width)
    // Tile x of longitude -1 at zoom z is floor((180 - 1) / 360 · 2^z): the href says so.
    const [, z, x] = /\/(\d+)\/(\d+)\/\d+\.png$/.exec(tiles[0].href)!.map(Number)
    const [px] = p.project([-1, 50.85])
    const under = tiles.find((t) => px >= t.x && px < t.x + t.size)!
    expect(Number(/\/\d+\/(\d+)\//.exec(under.href)![1])).toBe(Math.floor(((180 - 1) / 360) * 2 ** z))
    expect(x).toBeGreaterThanOrEqual(0)
  })
})
