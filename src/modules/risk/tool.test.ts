import { describe, expect, it } from 'vitest'
import { DEFAULT_TOOL_V1 } from './default-tool.ts'
import { bandProblems, parseTool, type Band } from './tool.ts'

const bands = (...b: [Band['level'], number, number | null][]): Band[] => b.map(([level, min, max]) => ({ level, min, max }))
const clone = () => structuredClone(DEFAULT_TOOL_V1) as unknown as Record<string, unknown> & typeof DEFAULT_TOOL_V1

describe('bands', () => {
  it.each([
    ['sound', bands(['green', 0, 9], ['amber', 10, 24], ['red', 25, null]), []],
    ['overlapping', bands(['green', 0, 9], ['amber', 10, 24], ['red', 20, null]), ['Bands overlap: Amber (10 to 24) and Red (20 and above)']],
    ['with a gap', bands(['green', 0, 9], ['amber', 12, 24], ['red', 25, null]), ['Scores 10 to 11 fall in no band, between Green (0 to 9) and Amber (12 to 24)']],
    ['not starting at 0', bands(['green', 1, 9], ['amber', 10, 24], ['red', 25, null]), ['The lowest band must start at 0, not 1']],
    ['closed at the top', bands(['green', 0, 9], ['amber', 10, 24], ['red', 25, 99]), ['The highest band must have no upper limit, so every score has a level']],
    ['in the wrong order', bands(['amber', 0, 9], ['green', 10, 24], ['red', 25, null]), ['Bands must rise from Green to Amber to Red']],
    ['missing a level', bands(['green', 0, 9], ['green', 10, 24], ['red', 25, null]), ['There is no Amber band']],
    ['ending before it starts', bands(['green', 0, 9], ['amber', 10, 8], ['red', 25, null]), ['The Amber (10 to 8) band ends before it starts']],
  ] as const)('%s', (_name, b, problems) => {
    const found = bandProblems([...b])
    for (const p of problems) expect(found).toContain(p)
    if (!problems.length) expect(found).toEqual([])
  })
})

describe('validating a definition', () => {
  const problemsOf = (def: unknown) => {
    const parsed = parseTool(def)
    return parsed.ok ? [] : parsed.problems.map((p) => p.message)
  }

  it('accepts the default', () => {
    expect(problemsOf(DEFAULT_TOOL_V1)).toEqual([])
  })

  it('refuses a rule naming an unknown indicator', () => {
    const def = clone()
    def.rules = [{ ...(def.rules[1] as object), indicators: ['found_with_drug'] } as never]
    expect(problemsOf(def)).toContain('Rule “other_area_with_drugs” names an indicator that is not in the tool: “found_with_drug”')
  })

  it('refuses two indicators with the same key', () => {
    const def = clone()
    def.groups[1].indicators.push({ ...def.groups[0].indicators[0] })
    expect(problemsOf(def)).toContain('Two indicators have the key “missing_repeated”')
  })

  it('refuses overlapping bands', () => {
    const def = clone()
    def.bands = bands(['green', 0, 15], ['amber', 12, 29], ['red', 30, null])
    expect(problemsOf(def)).toContain('Bands overlap: Green (0 to 15) and Amber (12 to 29)')
  })

  it('refuses review intervals that are not soonest for red', () => {
    const def = clone()
    def.reviewWeeks = { red: 10, amber: 8, green: 12 }
    expect(problemsOf(def)).toContain('Review intervals must be soonest for Red: Red no longer than Amber, Amber no longer than Green')
  })

  it('refuses weights out of range, empty wording and unknown rule kinds', () => {
    const def = clone()
    def.groups[0].indicators[0].weight = 21
    def.groups[0].indicators[1].text = ' '
    def.rules = [{ id: 'x_rule', kind: 'magic', description: 'x', level: 'red' } as never]
    const problems = problemsOf(def)
    expect(problems).toContain('A weight is a whole number from 0 to 20')
    expect(problems).toContain('Enter the indicator wording')
    expect(problems).toContain('A rule kind is indicator_floor, vulnerability_floor or count_floor')
  })

  it('refuses a vulnerability rule that applies to nobody', () => {
    const def = clone()
    def.rules = [{ id: 'nobody', kind: 'vulnerability_floor', description: 'x', flags: [], answers: ['current'], level: 'amber' } as never]
    expect(problemsOf(def)).toContain('Rule “nobody” needs an age or at least one flag to apply to')
  })
})

describe('version 1 as shipped', () => {
  it('is the definition its migration froze, so new and old installations hold the same tool', async () => {
    const { SCREENING_TOOL_V1 } = await import('../../db/migrations/0151_screening_tool_v1.ts')
    expect(SCREENING_TOOL_V1).toEqual(DEFAULT_TOOL_V1)
    expect(parseTool(SCREENING_TOOL_V1).ok).toBe(true)
  })
})
