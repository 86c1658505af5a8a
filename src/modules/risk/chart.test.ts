import { describe, expect, it } from 'vitest'
import { riskChart } from './chart.ts'

describe('riskChart', () => {
  it('draws nothing without ratings', () => {
    expect(riskChart([], { today: '2026-11-23' })).toBeNull()
  })

  it('places each rating on its row, in date order, and steps between them to today', () => {
    const chart = riskChart(
      [
        { date: '2026-09-01', level: 'green', score: 4 },
        { date: '2026-03-10', level: 'amber', score: 18 },
        { date: '2026-06-15', level: 'red', score: 34, awaiting: true },
      ],
      { today: '2026-11-23', name: 'Mason Clarke' },
    )!
    expect(chart.points.map((p) => p.level)).toEqual(['amber', 'red', 'green'])
    const y = Object.fromEntries(chart.rows.map((r) => [r.level, r.y]))
    expect(y.red).toBeLessThan(y.amber)
    expect(y.amber).toBeLessThan(y.green)
    expect(chart.points.map((p) => p.y)).toEqual([y.amber, y.red, y.green])
    const xs = chart.points.map((p) => p.x)
    expect(xs[0]).toBeGreaterThanOrEqual(chart.plot.left)
    expect(xs[0]).toBeLessThan(xs[1])
    expect(xs[1]).toBeLessThan(xs[2])
    expect(xs[2]).toBeLessThanOrEqual(chart.plot.right)
    expect(chart.path).toMatch(new RegExp(`^M ${xs[0]} ${y.amber} H ${xs[1]} V ${y.red} H ${xs[2]} V ${y.green} H [\\d.]+$`))
    expect(chart.points[1].label).toBe('Red (awaiting manager confirmation) from 15 June 2026, score 34')
    expect(chart.title).toBe('Risk rating of Mason Clarke over time')
    expect(chart.description).toContain('Amber, then Red, then Green')
  })

  it('labels at most about eight months on the axis', () => {
    const chart = riskChart([{ date: '2024-01-10', level: 'amber', score: 12 }], { today: '2026-11-23' })!
    expect(chart.ticks.length).toBeLessThanOrEqual(9)
    expect(chart.ticks.length).toBeGreaterThan(3)
    expect(chart.ticks[0].label).toMatch(/^[A-Z][a-z]{2} \d{2}$/)
  })
})
