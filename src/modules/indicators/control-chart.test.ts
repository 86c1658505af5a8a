import { describe, expect, it } from 'vitest'
import { xmr } from './trends.ts'
import { pointCauses, renderControlChart } from './control-chart.ts'

describe('the XmR control chart', () => {
  const values = [50, 52, 49, 51, 50, 48, 51, 50, 49, 52, 50, 51, 58, 59, 60, 61, 60, 62, 63]
  const chart = xmr(values)
  const points = values.map((value, i) => ({ label: `M${i + 1}`, value }))

  it('marks the points of a signal as concerning or improving by the polarity', () => {
    // The first 12 are a shift below the average, the last 7 a shift above it.
    const worse = pointCauses(values.length, chart.signals, 'up_bad')
    expect(worse).toEqual([...Array(12).fill('improving'), ...Array(7).fill('concerning')])
    expect(pointCauses(values.length, chart.signals, 'up_good')).toEqual([...Array(12).fill('concerning'), ...Array(7).fill('improving')])
    expect(pointCauses(values.length, chart.signals, 'neutral').every((c) => c === 'special')).toBe(true)
    expect(pointCauses(12, xmr(values.slice(0, 12)).signals, 'up_bad')).toEqual(Array(12).fill(null))
  })

  it('draws the average, both limits, a diamond for each special cause point and every label it promises', () => {
    const svg = renderControlChart(points, chart, { id: 'c', title: 'T', description: 'D', polarity: 'up_bad' })
    expect(svg.match(/lantern-chart__mean/g)).toHaveLength(1)
    expect(svg.match(/class="lantern-chart__limit"/g)!.length).toBeGreaterThanOrEqual(1)
    expect(svg.match(/lantern-chart__special--concerning/g)).toHaveLength(7)
    expect(svg.match(/lantern-chart__special--improving/g)).toHaveLength(12)
    expect(svg).toContain('Special cause, concerning')
    expect(svg).toContain('Special cause, improving')
    expect(svg).toContain('>M1<')
    expect(svg).toContain('>M19<')
    expect(svg).toMatch(/role="img" aria-labelledby="c-title c-desc"/)
  })
})
