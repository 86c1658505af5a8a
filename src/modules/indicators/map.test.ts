import { describe, expect, it } from 'vitest'
import { renderAreaMap, scaleOf } from './map.ts'

const SHADES = ['#d2e2f1', '#a8c6e4', '#5694ca', '#1d70b8', '#003078']
const fills = (svg: string) => [...svg.matchAll(/class="lantern-map__area" d="[^"]*" fill="([^"]+)"/g)].map((m) => m[1])
const legendRanges = (svg: string) => [...svg.matchAll(/<text x="\d+" y="\d+" font-size="12" fill="#0b0c0c">([^<]+) to ([^<]+)<\/text>/g)].map((m) => [m[1], m[2]])

describe('the area map key', () => {
  // Three London boroughs with rates far from zero: a key from 0 left its lightest bands empty.
  const areas = [
    { code: 'E09000022', name: 'Lambeth', rate: 8.2 },
    { code: 'E09000028', name: 'Southwark', rate: 9.6 },
    { code: 'E09000032', name: 'Wandsworth', rate: 11.4 },
  ]

  it('starts near the lowest rate, so the lowest area has the lightest shade and the highest the darkest', () => {
    const svg = renderAreaMap(areas, { id: 'm', title: 't', description: 'd', unit: 'per 1,000' })!
    expect(fills(svg)).toEqual([SHADES[0], expect.any(String), SHADES[4]])
    const ranges = legendRanges(svg)
    expect(ranges).toHaveLength(5)
    expect(Number(ranges[0][0])).toBeLessThanOrEqual(8.2)
    expect(Number(ranges[0][0])).toBeGreaterThan(0)
    // The bands join up: each starts where the one before it ends.
    for (let i = 1; i < 5; i++) expect(ranges[i][0]).toBe(ranges[i - 1][1])
    expect(Number(ranges[4][1])).toBeGreaterThanOrEqual(11.4)
  })

  it('covers every rate with readable equal steps', () => {
    for (const [min, max] of [[0, 7.3], [0.4, 1.9], [8.2, 11.4], [120, 135], [3, 3], [0, 0], [0.02, 0.05]]) {
      const { from, bounds } = scaleOf(min, max)
      expect(from).toBeLessThanOrEqual(min)
      expect(from).toBeGreaterThanOrEqual(0)
      expect(bounds[4]).toBeGreaterThanOrEqual(max)
      const step = bounds[0] - from
      bounds.forEach((b, i) => expect(b).toBeCloseTo(from + (i + 1) * step, 9))
      if (max > min) expect(bounds[3]).toBeLessThan(max) // the darkest band is not empty
    }
  })
})
