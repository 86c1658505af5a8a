import { describe, expect, it } from 'vitest'
import { assessFamily, publishedJudgement, publishedJudgements, type IndicatorRow } from './family.ts'
import type { IndicatorsStore } from './store.ts'
import type { Point } from './trends.ts'

// Financial years 2024/25 and 2025/26, month by month.
const months = Array.from({ length: 24 }, (_, i) => `${2024 + Math.floor((3 + i) / 12)}-${String(((3 + i) % 12) + 1).padStart(2, '0')}-01`)
const series = (value: (i: number) => number): Point[] => months.map((period, i) => ({ period, value: value(i) }))

const indicator = (id: string, source_kind: string): IndicatorRow => ({ id, slug: id, name: id, unit: 'count', polarity: 'up_bad', frequency: 'month', source_kind, source_key: id, lag_days: 0, active: true }) as unknown as IndicatorRow

// Weapons offences (published by police.uk) rising by a third, and a count Lantern keeps that rose
// from 1 or 2 a month to 2 or 3: every month of it is a small count, withheld from the public.
const weapons = indicator('weapons', 'police_uk')
const exploitation = indicator('exploitation', 'lantern')
const values: Record<string, Point[]> = { weapons: series((i) => (i < 12 ? 34 : 45)), exploitation: series((i) => (i < 12 ? 1 + (i % 2) : 2 + (i % 2))) }
const store = {
  targets: async () => [],
  areas: async () => [{ id: 'county', code: 'E1', name: 'County', kind: 'county', parent_id: null }],
  exactSeries: async (i: { id: string }) => new Map([['county', values[i.id]]]),
} as unknown as IndicatorsStore

describe('the adjusted p-value of a published comparison', () => {
  it('is the same for an analyst, who also sees tests of counts the public does not, as in the published family', async () => {
    const indicators = [weapons, exploitation]
    const analyst = await assessFamily(store, indicators, 'exact', '2026-05-15')
    const reader = await assessFamily(store, indicators, 'protected', '2026-05-15')
    const published = publishedJudgement(await publishedJudgements(store, indicators, '2026-05-15'), 'weapons', 'county')!
    const weaponsOf = (family: typeof analyst) => family.find((r) => r.indicator.id === 'weapons')!.assessment.yearOnYear!
    expect(published.adjustedP).toBeGreaterThan(0)
    expect(weaponsOf(analyst).adjustedP).toBe(published.adjustedP)
    expect(weaponsOf(reader).adjustedP).toBe(published.adjustedP)
    // The analyst's own test of the small counts is still judged, adjusted among every test the analyst sees.
    const own = analyst.find((r) => r.indicator.id === 'exploitation')!.assessment.yearOnYear!
    expect(own.pValue).toBeGreaterThan(weaponsOf(analyst).pValue)
    expect(own.adjustedP).toBe(own.pValue)
    expect(reader.find((r) => r.indicator.id === 'exploitation')!.assessment.yearOnYear).toBeNull()
  })
})
