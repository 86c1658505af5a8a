import { describe, expect, it } from 'vitest'
import { DEFAULT_TOOL_V1 } from './default-tool.ts'
import { bandFor, direction, reviewDueOn, scoreAssessment, UnknownIndicatorError, type Answers, type Subject } from './scoring.ts'
import { parseTool, type ScreeningTool } from './tool.ts'

const tool = DEFAULT_TOOL_V1
const teen: Subject = { age: 15, flags: [] }
const cur = (...keys: string[]): Answers => Object.fromEntries(keys.map((k) => [k, { status: 'current' as const }]))
const rec = (...keys: string[]): Answers => Object.fromEntries(keys.map((k) => [k, { status: 'recent' as const }]))
const none = (...keys: string[]): Answers => Object.fromEntries(keys.map((k) => [k, { status: 'not_present' as const }]))

describe('the default tool is valid', () => {
  it('passes its own validation', () => {
    expect(parseTool(tool)).toMatchObject({ ok: true })
  })
})

describe('scoring: weighted sum to bands, then hard rules', () => {
  it.each([
    // name, answers, subject, score, band level, final level, rules that matched (raised marked !)
    ['nothing present', none('missing_repeated', 'unexplained_cash'), teen, 0, 'green', 'green', []],
    ['one recent low indicator', rec('new_possessions'), teen, 1, 'green', 'green', []],
    ['top of green: 11', { ...cur('unexplained_cash', 'multiple_phones'), ...rec('older_associates') }, teen, 11, 'green', 'green', []],
    ['bottom of amber: 12', cur('older_associates', 'missing_repeated'), teen, 12, 'amber', 'amber', []],
    ['top of amber: 29', { ...cur('trap_house', 'debt_bondage'), ...rec('running_drugs', 'carrying_knife', 'arrested_other_area', 'isolation') }, teen, 29, 'amber', 'amber', []],
    ['red by score alone', { ...cur('missing_repeated', 'found_out_of_area', 'trap_house', 'debt_bondage'), ...cur('older_associates') }, teen, 34, 'red', 'red', ['concerns_across_groups']],
    ['under 13 with one current indicator cannot be green', cur('behaviour_change'), { age: 12, flags: [] }, 2, 'green', 'amber', ['!vulnerable_not_green']],
    ['under 13 with only recent indicators can be green', rec('behaviour_change', 'isolation'), { age: 12, flags: [] }, 2, 'green', 'green', []],
    ['13 is not under 13', cur('behaviour_change'), { age: 13, flags: [] }, 2, 'green', 'green', []],
    ['learning disability with a current indicator cannot be green', cur('isolation'), { age: 16, flags: ['learning_disability'] }, 2, 'green', 'amber', ['!vulnerable_not_green']],
    ['SEND alone does not trigger the learning-disability rule', cur('isolation'), { age: 16, flags: ['send'] }, 2, 'green', 'green', []],
    ['found in another area with drugs forces amber even if recent', rec('found_other_area_with_drugs'), teen, 5, 'green', 'amber', ['!other_area_with_drugs']],
    ['out of area and found with drugs, both current: at least amber', cur('found_out_of_area', 'found_with_drugs'), teen, 14, 'amber', 'amber', ['out_of_area_and_drugs']],
    ['out of area current but drugs only recent: the all-of rule does not fire', { ...cur('found_out_of_area'), ...rec('found_with_drugs') }, teen, 10, 'green', 'green', []],
    ['running drugs now is red whatever the score', cur('running_drugs'), teen, 10, 'green', 'red', ['!running_drugs_red']],
    ['running drugs recently is scored, not forced', rec('running_drugs'), teen, 5, 'green', 'green', []],
    ['current concerns in three groups: amber', cur('isolation', 'behaviour_change', 'performance'), teen, 6, 'green', 'amber', ['!concerns_across_groups']],
    ['two rules at once: the highest wins', cur('running_drugs', 'behaviour_change'), { age: 12, flags: [] }, 12, 'amber', 'red', ['vulnerable_not_green', '!running_drugs_red']],
  ] as const)('%s', (_name, answers, subject, score, bandLevel, level, rules) => {
    const result = scoreAssessment(tool, answers as Answers, subject as Subject)
    expect(result.score).toBe(score)
    expect(result.bandLevel).toBe(bandLevel)
    expect(result.level).toBe(level)
    expect(result.rules.map((r) => (r.raised ? `!${r.id}` : r.id))).toEqual(rules)
  })
})

describe('the explanation', () => {
  it('lists the indicators that scored, highest first, with their points', () => {
    const result = scoreAssessment(tool, { ...cur('found_other_area_with_drugs', 'unexplained_cash'), ...rec('isolation'), ...none('exclusion') }, teen)
    expect(result.contributions.map((c) => [c.key, c.status, c.points])).toEqual([
      ['found_other_area_with_drugs', 'current', 10],
      ['unexplained_cash', 'current', 4],
      ['isolation', 'recent', 1],
    ])
    expect(result.contributions[0]).toMatchObject({ groupTitle: 'Offending', text: 'Found in another area with drugs or cash', weight: 5 })
    expect(result.reasons[0]).toBe('A score of 15 from 3 indicators present falls in the Amber (12 to 29) band.')
    expect(result.reasons[1]).toMatch(/^A hard rule also applies, without changing the level: Being found in another area with drugs or cash is at least Amber \(“Found in another area with drugs or cash” answered current\)\.$/)
  })

  it('says which rule raised the level and why', () => {
    const result = scoreAssessment(tool, cur('behaviour_change', 'attendance'), { age: 12, flags: ['send'] })
    expect(result.level).toBe('amber')
    expect(result.reasons).toEqual([
      'A score of 6 from 2 indicators present falls in the Green (0 to 11) band.',
      'Raised to Amber by a hard rule: A child under 13 or with a learning disability cannot be rated Green when any indicator is current (the child is 12, under 13, and 2 indicators are current).',
    ])
  })

  it('explains a score of nothing', () => {
    expect(scoreAssessment(tool, {}, teen).reasons).toEqual(['No indicator is present: a score of 0 falls in the Green (0 to 11) band.'])
  })

  it('names the indicators not yet answered, scored as not present', () => {
    const result = scoreAssessment(tool, cur('missing_repeated'), teen)
    expect(result.unanswered).toHaveLength(27)
    expect(result.unanswered).not.toContain('missing_repeated')
  })

  it('refuses an answer to an indicator the tool does not have', () => {
    expect(() => scoreAssessment(tool, { found_with_drug: { status: 'current' } }, teen)).toThrow(UnknownIndicatorError)
    expect(() => scoreAssessment(tool, { found_with_drug: { status: 'current' } }, teen)).toThrow(/found_with_drug/)
  })
})

describe('a different version scores by its own numbers', () => {
  const strict: ScreeningTool = {
    ...tool,
    statusPoints: { recent: 0, current: 3 },
    bands: [
      { level: 'green', min: 0, max: 4 },
      { level: 'amber', min: 5, max: 9 },
      { level: 'red', min: 10, max: null },
    ],
    rules: [],
  }
  it('uses the version’s points and bands', () => {
    expect(scoreAssessment(strict, cur('multiple_phones'), teen)).toMatchObject({ score: 6, level: 'amber', rules: [] })
    expect(scoreAssessment(strict, rec('running_drugs'), teen)).toMatchObject({ score: 0, level: 'green' })
  })
})

describe('review dates and direction', () => {
  it.each([
    ['red', '2026-11-23', '2026-12-21'],
    ['amber', '2026-11-23', '2027-01-18'],
    ['green', '2026-11-23', '2027-02-15'],
  ] as const)('%s set on %s is reviewed by %s', (level, from, due) => {
    expect(reviewDueOn(tool, level, from)).toBe(due)
  })
  it.each([
    [null, 'amber', 'first'],
    ['amber', 'red', 'up'],
    ['amber', 'green', 'down'],
    ['red', 'red', 'same'],
  ] as const)('%s → %s is %s', (prev, latest, dir) => {
    expect(direction(prev, latest)).toBe(dir)
  })
  it('finds the band of a score at each edge', () => {
    expect([0, 11, 12, 29, 30, 300].map((s) => bandFor(tool.bands, s).level)).toEqual(['green', 'green', 'amber', 'amber', 'red', 'red'])
  })
})
