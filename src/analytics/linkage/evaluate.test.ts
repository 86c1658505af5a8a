import { describe, expect, it } from 'vitest'
import { reviewedAccuracy } from './evaluate.ts'

describe('a run’s accuracy from its reviewers’ decisions', () => {
  it('gives precision over the predicted matches decided and recall over the pairs accepted, "not sure" counted as neither', () => {
    const pairs = [
      { band: 'match', decision: 'accepted' },
      { band: 'match', decision: 'accepted' },
      { band: 'match', decision: 'accepted' },
      { band: 'match', decision: 'rejected' },
      { band: 'match', decision: 'unsure' },
      { band: 'match', decision: null },
      { band: 'review', decision: 'accepted' },
      { band: 'review', decision: 'rejected' },
      { band: 'review', decision: 'rejected' },
      { band: 'review', decision: null },
    ]
    expect(reviewedAccuracy(pairs)).toEqual({ accepted: 4, rejected: 3, unsure: 1, predictedDecided: 4, predictedAccepted: 3, precision: 0.75, recall: 0.75 })
  })

  it('says nothing of precision or recall before there is a decision to work them out from', () => {
    expect(reviewedAccuracy([{ band: 'review', decision: 'unsure' }, { band: 'match', decision: null }])).toMatchObject({ precision: null, recall: null, unsure: 1 })
    expect(reviewedAccuracy([{ band: 'review', decision: 'accepted' }])).toMatchObject({ precision: null, recall: 0 })
  })
})
