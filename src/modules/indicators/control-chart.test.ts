import { describe, expect, it } from 'vitest'
import { xmr } from './trends.ts'
import { pointCauses, renderControlChart } from './control-chart.ts'

describe('the XmR control chart', () => {
  const values = [50, 52, 49, 51, 50, 48, 51, 50, 49, 52, 50, 51, 58, 59, 60, 61, 60, 62, 63]
  const chart = xmr(values)
  const points = values.map((value, i) => ({ label: `M${i + 1}`, value }))

  it('marks the points of a signal as concerning or improving by the polarity', () => {
    const worse = pointCauses(values.length, chart.signals, 'up_bad')
    expect(worse.slice(12).every((c) => c === 'concerning')).toBe(true)
    expect(worse.slice(0, 3)).toEqual([null, null, null])
    expect(pointCauses(values.length, chart.signals, 'up_good').slice(12).every((c) => c === 'improving')).toBe(true)
  })

  it('draws the average, both limits, a diamond for each special cause point and every label it promises', () => {
    const svg = renderControlChart(points, chart, { id: 'c', title: 'T', description: 'D', polarity: 'up_bad' })
    expect(svg.match(/lantern-chart__mean/g)).toHaveLength(1)
    expect(svg.match(/class="lantern-chart__limit"/g)!.length).toBeGreaterThanOrEqual(1)
    const special = pointCauses(values.length, chart.signals, 'up_bad').filter(Boolean).length
    expect(svg.match(/lantern-chart__special--concerning/g)).toHaveLength(special)
    expect(svg).toContain('Special cause, concerning')
    expect(svg).toContain('>M1<')
    expect(svg).toContain('>M19<')
    expect(svg).toMatch(/role="img" aria-labelledby="c-title c-desc"/)
  })
})
