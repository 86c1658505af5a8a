import { describe, expect, it } from 'vitest'
import { judgedFamily } from './judgements.ts'
import type { IndicatorRow } from './family.ts'
import type { IndicatorsStore } from './store.ts'
import type { Point } from './trends.ts'

// Two financial years of a count Lantern keeps, small enough that the public sees some months withheld.
const months = Array.from({ length: 24 }, (_, i) => `${2024 + Math.floor((3 + i) / 12)}-${String(((3 + i) % 12) + 1).padStart(2, '0')}-01`)
const exploitation = { id: 'exploitation', slug: 'exploitation', name: 'Exploitation', unit: 'count', polarity: 'up_bad', frequency: 'month', source_kind: 'lantern', source_key: 'children-rated-red', lag_days: 0, active: true } as unknown as IndicatorRow
const areas = [
  { id: 'county', code: 'E1', name: 'County', kind: 'county', parent_id: null },
  { id: 'north', code: 'E2', name: 'North', kind: 'district', parent_id: 'county' },
  { id: 'south', code: 'E3', name: 'South', kind: 'district', parent_id: 'county' },
]
const values = (f: (i: number) => number): Point[] => months.map((period, i) => ({ period, value: f(i) }))
const north = values((i) => (i % 3 === 0 ? 2 : 9 + (i % 4)))
const south = values((i) => 20 + (i % 5))
const county = north.map((p, i) => ({ period: p.period, value: p.value + south[i].value }))

function fakeStore() {
  const kept = new Map<string, string>()
  const calls = { series: 0 }
  const store = {
    areas: async () => areas,
    targets: async () => [],
    exactSeries: async () => {
      calls.series++
      return new Map([['county', county], ['north', north], ['south', south]])
    },
    inputsVersion: async () => '7',
    derivedCountedAt: async () => new Date('2026-05-01T00:00:00Z'),
    keptJudgements: async (variant: string, key: string) => kept.get(`${variant} ${key}`),
    keepJudgements: async (variant: string, key: string, results: string) => void kept.set(`${variant} ${key}`, results),
  } as unknown as IndicatorsStore
  return { store, calls }
}

describe('the judgements kept for the dashboard', () => {
  it('read back exactly as judged, withheld counts still withheld, without judging again', async () => {
    const { store, calls } = fakeStore()
    const now = () => new Date('2026-05-15T09:00:00Z')
    const judged = await judgedFamily(store, [exploitation], 'protected', '2026-05-15', { farringtonMonths: 1 }, now)
    expect(judged.some((r) => r.assessment.withheld)).toBe(true)
    const read = calls.series
    const kept = await judgedFamily(store, [exploitation], 'protected', '2026-05-15', { farringtonMonths: 1 }, now)
    expect(calls.series).toBe(read)
    // The series is not kept (no page reads it from the family); everything judged is.
    expect(kept).toEqual(judged.map(({ indicator, areaId, assessment }) => ({ indicator, areaId, assessment })))
    const withheld = (rows: typeof judged) => rows.find((r) => r.areaId === 'north')!.assessment.latest?.value
    expect(Number.isNaN(withheld(kept))).toBe(Number.isNaN(withheld(judged)))
  })

  it('are not used for another day or for periods the reader chose', async () => {
    const { store, calls } = fakeStore()
    const now = () => new Date('2026-05-15T09:00:00Z')
    await judgedFamily(store, [exploitation], 'exact', '2026-05-15', { farringtonMonths: 1 }, now)
    const read = calls.series
    await judgedFamily(store, [exploitation], 'exact', '2026-05-16', { farringtonMonths: 1 }, now)
    expect(calls.series).toBeGreaterThan(read)
    const again = calls.series
    const comparison = { current: { from: '2025-04-01', to: '2026-03-01' }, previous: { from: '2024-04-01', to: '2025-03-01' } }
    await judgedFamily(store, [exploitation], 'exact', '2026-05-16', { farringtonMonths: 1, comparison }, now)
    expect(calls.series).toBeGreaterThan(again)
  })
})
