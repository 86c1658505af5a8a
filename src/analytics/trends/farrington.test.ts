import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { FarringtonControl, PowerTransform, ThresholdMethod } from './controls.ts'
import { selectBaseline } from './baseline.ts'
import { farringtonCounts } from './farrington.ts'
import { farrington, type FarringtonResult } from './run.ts'
import type { Observation } from './series.ts'

// R 1.20.3's farringtonFlexible on real and generated series (see ../shared/data/SOURCES.md).
const SHARED = path.join('..', 'shared', 'data', 'trends')
const FIXTURES = path.join('src', 'analytics', 'trends', 'fixtures')
const TOLERANCE = 1e-3

function readCsv(file: string): Record<string, string>[] {
  const [header, ...lines] = readFileSync(file, 'utf8').trim().split(/\r?\n/)
  const keys = header.split(',').map((k) => k.replace(/"/g, ''))
  return lines.map((line) => Object.fromEntries(line.split(',').map((v, i) => [keys[i], v.replace(/"/g, '')])))
}

/** Reads R's deparsed control list, e.g. `list(range = 61:120, b = 4, limit54 = c(5, 4), powertrans = "2/3")`. */
function parseRControl(text: string): Record<string, string> {
  const body = text.replace(/\s+/g, ' ').trim().replace(/^list\(/, '').replace(/\)$/, '')
  const entries: Record<string, string> = {}
  for (const match of body.matchAll(/(\w+) = (c\([^)]*\)|"[^"]*"|[^,]+)/g)) entries[match[1]] = match[2].trim()
  return entries
}

function numbersOf(value: string): number[] {
  return value.replace(/^c\(|\)$/g, '').split(',').map(Number)
}

function relativeError(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-12)
}

function expectMatchesR(ours: { expected: number | null; upperbound: number | null; alarm: boolean }, r: Record<string, string>, where: string): void {
  expect(ours.alarm, `${where} alarm`).toBe(r.alarm === '1' || r.alarm === 'TRUE')
  for (const key of ['expected', 'upperbound'] as const) {
    if (r[key] === 'NA') expect(ours[key], `${where} ${key}`).toBeNull()
    else {
      expect(ours[key], `${where} ${key}`).not.toBeNull()
      expect(relativeError(ours[key] as number, Number(r[key])), `${where} ${key}: ours ${ours[key]}, R ${r[key]}`).toBeLessThanOrEqual(TOLERANCE)
    }
  }
}

const sharedCases = readdirSync(SHARED)
  .filter((f) => f.endsWith('-control.txt'))
  .map((f) => f.replace(/-control\.txt$/, ''))
  .sort()

describe('farrington matches R on the shared fixtures', () => {
  it('finds the shared cases', () => {
    expect(sharedCases.length).toBeGreaterThanOrEqual(6)
  })

  it.each(sharedCases)('%s', (name) => {
    const observations: Observation[] = readCsv(path.join(SHARED, `${name}-series.csv`)).map((r) => ({ period: r.period, count: Number(r.count) }))
    const control = parseRControl(readFileSync(path.join(SHARED, `${name}-control.txt`), 'utf8'))
    const expected = readCsv(path.join(SHARED, `${name}-farrington.csv`))
    const [first, last] = control.range.split(':').map(Number)
    const results: FarringtonResult[] = farrington(observations, {
      b: Number(control.b),
      w: Number(control.w),
      reweight: control.reweight === 'TRUE',
      weightsThreshold: Number(control.weightsThreshold),
      alpha: Number(control.alpha),
      trend: control.trend === 'TRUE',
      pThresholdTrend: Number(control.pThresholdTrend),
      limit54: numbersOf(control.limit54) as [number, number],
      powertrans: JSON.parse(control.powertrans) as PowerTransform,
      noPeriods: Number(control.noPeriods),
      pastWeeksNotIncluded: Number(control.pastWeeksNotIncluded),
      thresholdMethod: JSON.parse(control.thresholdMethod) as ThresholdMethod,
      from: observations[first - 1].period,
      to: observations[last - 1].period,
    })
    expect(results.map((r) => r.period)).toEqual(expected.map((r) => r.period))
    results.forEach((ours, i) => {
      expect(ours.count).toBe(Number(expected[i].count))
      expectMatchesR(ours, expected[i], `${name} ${ours.period}`)
    })
  })
})

describe('farrington matches R on generated series under random controls', () => {
  const counts = new Map<string, { frequency: 12 | 52; counts: number[] }>()
  for (const row of readCsv(path.join(FIXTURES, 'r-series.csv'))) {
    const entry = counts.get(row.series) ?? { frequency: Number(row.frequency) as 12 | 52, counts: [] }
    entry.counts.push(Number(row.count))
    counts.set(row.series, entry)
  }
  const results = readCsv(path.join(FIXTURES, 'r-farrington.csv'))
  const configs = readCsv(path.join(FIXTURES, 'r-controls.csv'))

  it('covers every threshold method, power transformation and a range of seasonal factors', () => {
    expect(new Set(configs.map((c) => c.thresholdMethod))).toEqual(new Set(['delta', 'nbPlugin', 'muan']))
    expect(new Set(configs.map((c) => c.powertrans))).toEqual(new Set(['2/3', '1/2', 'none']))
    expect(new Set(configs.map((c) => c.noPeriods)).size).toBeGreaterThanOrEqual(4)
    expect(configs.some((c) => c.reweight === 'FALSE') && configs.some((c) => Number(c.b) < 3)).toBe(true)
  })

  function controlOf(c: Record<string, string>): FarringtonControl {
    return {
      b: Number(c.b),
      w: Number(c.w),
      reweight: c.reweight === 'TRUE',
      weightsThreshold: Number(c.weightsThreshold),
      alpha: Number(c.alpha),
      trend: c.trend === 'TRUE',
      pThresholdTrend: Number(c.pThresholdTrend),
      limit54: [Number(c.limitCases), Number(c.limitPeriods)],
      powertrans: c.powertrans as PowerTransform,
      noPeriods: Number(c.noPeriods),
      pastWeeksNotIncluded: Number(c.pastWeeksNotIncluded),
      thresholdMethod: c.thresholdMethod as ThresholdMethod,
    }
  }

  // A seasonal level with a single baseline period (one year of baseline, one-period window) is
  // fitted exactly; R's residual for it is 0/0 and whether that drops the period depends on
  // rounding, so those sets are not comparable (see anscombeResiduals).
  function hasSingletonLevel(c: Record<string, string>, frequency: 12 | 52, from: number, to: number): boolean {
    for (let t = from; t <= to; t++) {
      const { levels } = selectBaseline(t, { frequency, ...controlOf(c) })
      const sizes = new Map<number, number>()
      for (const level of levels) sizes.set(level, (sizes.get(level) ?? 0) + 1)
      if ([...sizes.values()].includes(1)) return true
    }
    return false
  }
  const comparable = configs.filter((c) => {
    const rows = results.filter((r) => r.id === c.id)
    const frequency = counts.get(c.series)!.frequency
    return !hasSingletonLevel(c, frequency, Number(rows[0].position) - 1, Number(rows.at(-1)!.position) - 1)
  })

  it('leaves out only the few sets with a single-period seasonal level', () => {
    expect(comparable.length).toBeGreaterThanOrEqual(configs.length - 5)
  })

  it.each(comparable.map((c) => [c.id, c] as const))('control set %s', (id, c) => {
    const series = counts.get(c.series)!
    const control = controlOf(c)
    const rows = results.filter((r) => r.id === id)
    const from = Number(rows[0].position) - 1
    const points = farringtonCounts(series.counts, series.frequency, control, from, from + rows.length - 1)
    points.forEach((point, i) => expectMatchesR(point, rows[i], `control set ${id} position ${rows[i].position}`))
  })
})

describe('farrington on a plain series', () => {
  const months = Array.from({ length: 96 }, (_, i) => {
    const year = 2017 + Math.floor(i / 12)
    const month = (i % 12) + 1
    const seasonal = 40 + 10 * Math.sin((2 * Math.PI * i) / 12)
    return { period: `${year}-${String(month).padStart(2, '0')}`, count: Math.round(seasonal + ((i * 7919) % 9) - 4) }
  })

  it('starts at the first period with b years of history and flags a spike', () => {
    const spiked = months.map((m, i) => (i === 90 ? { ...m, count: m.count * 3 } : m))
    const results = farrington(spiked, { method: 'improved' })
    expect(results[0].period).toBe('2022-03') // 5 years and a 2-month window after 2017-01
    expect(results.find((r) => r.period === '2024-07')?.alarm).toBe(true)
    expect(results.filter((r) => r.alarm).map((r) => r.period)).toEqual(['2024-07'])
  })

  it('explains impossible requests', () => {
    expect(() => farrington(months, { from: '2018-01' })).toThrow(/first period that can be assessed is 2022-03/)
    expect(() => farrington(months, { from: '2022-W01' })).toThrow(/not of the series' kind/)
    expect(() => farrington(months, { b: 0 })).toThrow(/b must be a whole number/)
    expect(() => farrington(months, { w: 6 })).toThrow(/no room between windows/)
    expect(() => farrington(months.slice(0, 30))).toThrow(/need more than 62/)
  })
})
