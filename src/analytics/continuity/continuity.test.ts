import { describe, expect, it } from 'vitest'
import { overlap, profileOf, profilesOf, scoreSuccessors, type ScoredCall } from './index.ts'

const call = (caller: string, callee: string, hourOfWeek: number, cellSite: string | null = null): ScoredCall => ({ caller, callee, hourOfWeek, cellSite })

describe('line continuity scoring', () => {
  it('measures overlap as shares of calls, whatever the volumes', () => {
    expect(overlap(new Map([['a', 2], ['b', 2]]), new Map([['a', 50], ['b', 50]]))).toBeCloseTo(1)
    expect(overlap(new Map([['a', 1]]), new Map([['b', 1]]))).toBe(0)
    expect(overlap(new Map([['a', 3], ['b', 1]]), new Map([['a', 1], ['b', 3]]))).toBeCloseTo(0.5)
    expect(overlap(new Map(), new Map([['a', 1]]))).toBe(0)
  })

  it('places a line only by the cell sites of its own calls, and leaves out calls between its numbers', () => {
    const p = profileOf(new Set(['L1', 'L2']), [call('L1', 'C1', 10, 'S1'), call('C2', 'L1', 11, 'S9'), call('L1', 'L2', 12, 'S1')])
    expect(p.calls).toBe(2)
    expect([...p.places]).toEqual([['S1', 1]])
    expect([...p.contacts.keys()].sort()).toEqual(['C1', 'C2'])
  })

  it('ranks the number that took over the closed line’s customers, places and hours first, and flags only it', () => {
    const customers = ['C1', 'C2', 'C3', 'C4', 'C5', 'C6']
    const before = customers.flatMap((c, i) => [call('OLD', c, 20 + i, 'S1'), call(c, 'OLD', 21, null)])
    const closed = profileOf(new Set(['OLD']), before)
    const after = [
      // The successor texts most of the same customers from the same mast in the evenings.
      ...customers.slice(0, 5).flatMap((c, i) => [call('NEW', c, 20 + i, 'S1'), call(c, 'NEW', 21, null)]),
      // A customer's new phone: it rings the successor, and its own family.
      call('CUST', 'NEW', 21, 'S7'), call('CUST', 'MUM', 100, 'S7'), call('CUST', 'MUM', 101, 'S7'), call('CUST', 'NAN', 102, 'S7'), call('CUST', 'MUM', 103, 'S7'),
      // It rings the old number too: that says nothing about customers.
      call('CUST', 'OLD', 21, 'S7'),
    ]
    const scores = scoreSuccessors(new Set(['OLD']), closed, profilesOf(new Set(['NEW', 'CUST']), after))
    expect(scores.map((s) => s.number)).toEqual(['NEW', 'CUST'])
    expect(scores[0]).toMatchObject({ flagged: true, sharedContacts: 5, calls: 11 })
    expect(scores[0].places).toBeCloseTo(1)
    expect(scores[1].flagged).toBe(false)
    expect(scores[1].sharedContacts).toBe(0)
  })

  it('gives the same order whatever order the candidates come in', () => {
    const closed = profileOf(new Set(['OLD']), [call('OLD', 'C1', 1)])
    const a = profilesOf(new Set(['B', 'A']), [call('B', 'C1', 1), call('A', 'C1', 1)])
    const b = profilesOf(new Set(['A', 'B']), [call('A', 'C1', 1), call('B', 'C1', 1)])
    expect(scoreSuccessors(new Set(['OLD']), closed, a).map((s) => s.number)).toEqual(scoreSuccessors(new Set(['OLD']), closed, b).map((s) => s.number))
  })
})
