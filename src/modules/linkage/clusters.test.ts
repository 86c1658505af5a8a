import { describe, expect, it } from 'vitest'
import { pairClusters } from './clusters.ts'

const pair = (id: string, id_left: string, id_right: string, probability: number) => ({ id, id_left, id_right, probability })

describe('the review queue as clusters', () => {
  it('joins a chain of pairs into one cluster, strongest cluster and pair first', () => {
    const clusters = pairClusters([pair('p1', 'C1', 'C2', 0.6), pair('p2', 'C3', 'C4', 0.95), pair('p3', 'C2', 'C5', 0.8)], true)
    expect(clusters.map((c) => c.key)).toEqual(['p2', 'p3'])
    expect(clusters[1]).toEqual({ key: 'p3', pairs: [pair('p3', 'C2', 'C5', 0.8), pair('p1', 'C1', 'C2', 0.6)], records: ['L:C1', 'L:C2', 'L:C5'] })
  })

  it('keeps the two lists of a linkage apart: C1 on the left is not C1 on the right', () => {
    const pairs = [pair('p1', 'C1', 'P1', 0.9), pair('p2', 'P1', 'C1', 0.5)]
    expect(pairClusters(pairs, false)).toHaveLength(2)
    expect(pairClusters(pairs, true)).toHaveLength(1)
  })

  it('is the same whatever order the pairs come in', () => {
    const pairs = [pair('a', '1', '2', 0.5), pair('b', '3', '4', 0.5), pair('c', '2', '3', 0.7), pair('d', '5', '6', 0.9)]
    const once = pairClusters(pairs, true)
    expect(pairClusters([...pairs].reverse(), true)).toEqual(once)
    expect(once.map((c) => c.records.length)).toEqual([2, 4])
  })
})
