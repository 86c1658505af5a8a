import { describe, expect, it } from 'vitest'
import { foundSummary, rhiSummary } from './summaries.ts'
import { FOUND_BY } from './rules.ts'

describe('the history lines of a missing episode', () => {
  const foundAt = new Date('2026-09-05T06:30:00Z')

  it('says who found the child in words that read as a sentence, for every choice on the form', () => {
    const lines = FOUND_BY.map((f) => foundSummary({ foundAt, foundBy: f.value }, 'Havant', false))
    expect(lines).toEqual([
      'Found at 5 September 2026, 7:30am in Havant, by the police',
      'Found at 5 September 2026, 7:30am in Havant, by a parent, carer or placement staff',
      'Found at 5 September 2026, 7:30am in Havant, having come back by themselves',
      'Found at 5 September 2026, 7:30am in Havant, by another professional',
      'Found at 5 September 2026, 7:30am in Havant, by someone else',
    ])
    expect(foundSummary({ foundAt, foundBy: null }, null, true)).toBe('Found at 5 September 2026, 7:30am in an unrecorded area (out of area)')
  })

  it('says when a return home interview was held, offered or declined', () => {
    const heldAt = new Date('2026-09-06T15:00:00Z')
    expect(rhiSummary({ heldAt, heldBy: 'Sam Okafor, social worker', offeredAt: null, declined: false }, false)).toBe('Return home interview held at 6 September 2026, 4:00pm by Sam Okafor, social worker')
    expect(rhiSummary({ heldAt, heldBy: 'Sam Okafor', offeredAt: null, declined: false }, true)).toBe('Return home interview held at 6 September 2026, 4:00pm by Sam Okafor, later than 72 hours after being found')
    expect(rhiSummary({ heldAt: null, heldBy: null, offeredAt: heldAt, declined: true }, false)).toBe('Return home interview offered and declined')
    expect(rhiSummary({ heldAt: null, heldBy: null, offeredAt: heldAt, declined: false }, false)).toBe('Return home interview offered at 6 September 2026, 4:00pm')
    expect(rhiSummary({ heldAt: null, heldBy: null, offeredAt: null, declined: false }, false)).toBe('Return home interview details cleared')
  })
})
