import { describe, expect, it } from 'vitest'
import { countRulePairs, forEachCandidatePair, groupRecords, RuleKeyer, sampleRulePairs } from './blocking.ts'
import { encodeTables, tableFromObjects, type Table } from './dataset.ts'
import { createRandom } from './random.ts'
import type { BlockingRule } from './settings.ts'

const people = tableFromObjects([
  { id: 'a', first: 'ann', last: 'lee', dob: '20100101', pc: 'EX1 1AA' },
  { id: 'b', first: 'ann', last: 'lee', dob: '20100102', pc: 'EX1 1AB' },
  { id: 'c', first: 'lee', last: 'ann', dob: '20100101', pc: 'EX1 1AA' },
  { id: 'd', first: 'bob', last: 'ray', dob: '20100101', pc: null },
  { id: 'e', first: 'bob', last: 'wray', dob: '19990505', pc: 'PL4 8AA' },
])

const kinds = new Map([
  ['first', 'text'],
  ['last', 'text'],
  ['dob', 'date'],
  ['pc', 'postcode'],
] as const)

function candidates(rules: BlockingRule[], left: Table, right?: Table): string[] {
  const data = encodeTables(kinds, 'id', left, right)
  const groups = rules.map((r) => groupRecords(new RuleKeyer(r, data), data))
  const out: string[] = []
  forEachCandidatePair(groups, data, (i, j, rule) => out.push(`${data.ids[i]}-${data.ids[j]}:${rule}`))
  return out.sort()
}

describe('blocking', () => {
  it('unions several rules and makes each pair once, credited to the first rule that finds it', () => {
    const dob: BlockingRule = [{ column: 'dob', transform: 'exact' }]
    const names: BlockingRule = [{ columns: ['first', 'last'], transform: 'sorted' }]
    expect(candidates([dob, names], people)).toEqual(['a-b:1', 'a-c:0', 'a-d:0', 'b-c:1', 'c-d:0'])
  })

  it('skips records missing any part of a rule', () => {
    const sector: BlockingRule = [{ column: 'pc', transform: 'postcodeSector' }]
    expect(candidates([sector], people)).toEqual(['a-b:0', 'a-c:0', 'b-c:0'])
  })

  it('combines parts and transforms: metaphone of the surname and year of birth', () => {
    const sound: BlockingRule = [{ column: 'last', transform: 'metaphone' }]
    const year: BlockingRule = [{ column: 'dob', transform: 'year' }]
    // "ray" and "wray" sound alike but were born in different years.
    expect(candidates([sound], people)).toEqual(['a-b:0', 'd-e:0'])
    expect(candidates([[...sound, ...year]], people)).toEqual(['a-b:0'])
  })

  it('pairs only left with right in a linkage', () => {
    const left = tableFromObjects([
      { id: 'l1', first: 'ann', last: 'lee', dob: '20100101', pc: null },
      { id: 'l2', first: 'ann', last: 'lee', dob: '20100101', pc: null },
    ])
    const right = tableFromObjects([{ id: 'r1', first: 'ann', last: 'lee', dob: '20100101', pc: null }])
    expect(candidates([[{ column: 'dob', transform: 'exact' }]], left, right)).toEqual(['l1-r1:0', 'l2-r1:0'])
  })

  it('counts a rule’s pairs from its group sizes and samples them uniformly when there are too many', () => {
    const rows = Array.from({ length: 300 }, (_, i) => ({ id: String(i), first: 'x', last: 'y', dob: i < 200 ? '20000101' : '20010101', pc: null }))
    const data = encodeTables(kinds, 'id', tableFromObjects(rows))
    const groups = groupRecords(new RuleKeyer([{ column: 'dob', transform: 'exact' }], data), data)
    expect(countRulePairs(groups, data)).toBe((200 * 199) / 2 + (100 * 99) / 2)
    const sample = sampleRulePairs(groups, data, 5000, createRandom(7))
    expect(sample.left).toHaveLength(5000)
    let big = 0
    for (let p = 0; p < 5000; p++) {
      expect(sample.left[p]).toBeLessThan(sample.right[p])
      expect(rows[sample.left[p]].dob).toBe(rows[sample.right[p]].dob)
      if (sample.left[p] < 200) big++
    }
    // 19,900 of the 24,850 pairs are in the larger group.
    expect(big / 5000).toBeCloseTo(19900 / 24850, 1)
  })
})
