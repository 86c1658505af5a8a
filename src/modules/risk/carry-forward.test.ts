import { describe, expect, it } from 'vitest'
import { DEFAULT_TOOL_V1 } from './default-tool.ts'
import { carriedForward, checkedAnswer } from './carry-forward.ts'

const [first, second] = DEFAULT_TOOL_V1.groups[0].indicators

describe('a review carries forward the last answers', () => {
  it('copies each answer and note the tool still asks, marked to check, and leaves others behind', () => {
    const carried = carriedForward(DEFAULT_TOOL_V1, {
      [first.key]: { status: 'current', note: 'Found in Portsmouth twice' },
      [second.key]: { status: 'not_present' },
      retired_indicator: { status: 'current' },
    })
    expect(carried).toEqual({
      [first.key]: { status: 'current', note: 'Found in Portsmouth twice', carried: true },
      [second.key]: { status: 'not_present', note: null, carried: true },
    })
  })

  it('keeps the mark until the practitioner checks the answer: "Save and continue", or a change', () => {
    const before = { status: 'current' as const, note: 'Found in Portsmouth twice', carried: true }
    expect(checkedAnswer(before, { status: 'current', note: 'Found in Portsmouth twice' }, false)).toEqual(before)
    expect(checkedAnswer(before, { status: 'current', note: 'Found in Portsmouth twice' }, true)).toEqual({ status: 'current', note: 'Found in Portsmouth twice' })
    expect(checkedAnswer(before, { status: 'recent', note: 'Found in Portsmouth twice' }, false)).toEqual({ status: 'recent', note: 'Found in Portsmouth twice' })
    expect(checkedAnswer(before, { status: 'current', note: 'Not since July' }, false)).toEqual({ status: 'current', note: 'Not since July' })
    expect(checkedAnswer(undefined, { status: 'not_present', note: null }, false)).toEqual({ status: 'not_present', note: null })
  })
})
